//! Named profiles (server + account), like `gh auth`: kept in
//! `<config_dir>/profiles.toml`. No secrets here; tokens live in the store.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::ServiceKind;

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "default";
/// The file, inside the config dir, that lists the profiles.
pub const PROFILES_FILE: &str = "profiles.toml";
const MAX_NAME_LEN: usize = 32;

/// One server and account the person signs in to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profile {
    /// The root of the service's API (see [`crate::ServiceKind`]).
    pub server: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The kind of service at `server`; acctd when absent.
    #[serde(default, skip_serializing_if = "is_acctd")]
    pub service: ServiceKind,
}

fn is_acctd(kind: &ServiceKind) -> bool {
    *kind == ServiceKind::Acctd
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error(
        "'{name}' is not a profile name: use 1 to 32 letters, digits, '-' or '_' (e.g. work, home-2)"
    )]
    InvalidName { name: String },
    #[error("could not read {}: {source}", .path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{} is damaged ({reason}); fix or delete it, then sign in again", .path.display())]
    Parse { path: PathBuf, reason: String },
    #[error("could not save {}: {source}", .path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The file as stored: `[profiles.<name>]` tables.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProfilesFile {
    /// The profile used when none is named (`acctl switch`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    default: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

/// Checks a profile name: `[A-Za-z0-9_-]{1,32}`.
pub fn validate_name(name: &str) -> Result<(), ProfileError> {
    let valid = (1..=MAX_NAME_LEN).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(())
    } else {
        Err(ProfileError::InvalidName {
            name: name.to_string(),
        })
    }
}

pub fn load(config_dir: &Path, name: &str) -> Result<Option<Profile>, ProfileError> {
    validate_name(name)?;
    Ok(read(config_dir)?.profiles.remove(name))
}

/// Adds or replaces the profile `name`.
pub fn save(config_dir: &Path, name: &str, profile: &Profile) -> Result<(), ProfileError> {
    validate_name(name)?;
    let mut file = read(config_dir)?;
    file.profiles.insert(name.to_string(), profile.clone());
    write(config_dir, &file)
}

/// Removes the profile `name`; removing one that does not exist is fine.
pub fn remove(config_dir: &Path, name: &str) -> Result<(), ProfileError> {
    validate_name(name)?;
    let mut file = read(config_dir)?;
    if file.profiles.remove(name).is_some() {
        write(config_dir, &file)?;
    }
    Ok(())
}

pub fn list(config_dir: &Path) -> Result<BTreeMap<String, Profile>, ProfileError> {
    Ok(read(config_dir)?.profiles)
}

/// The profile `acctl switch` made the default, if any.
pub fn default_name(config_dir: &Path) -> Result<Option<String>, ProfileError> {
    Ok(read(config_dir)?.default)
}

/// Makes `name` the profile used when none is named.
pub fn set_default(config_dir: &Path, name: &str) -> Result<(), ProfileError> {
    validate_name(name)?;
    let mut file = read(config_dir)?;
    file.default = Some(name.to_string());
    write(config_dir, &file)
}

fn read(config_dir: &Path) -> Result<ProfilesFile, ProfileError> {
    let path = config_dir.join(PROFILES_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ProfilesFile::default()),
        Err(source) => return Err(ProfileError::Read { path, source }),
    };
    let file: ProfilesFile = toml::from_str(&text).map_err(|e| ProfileError::Parse {
        path: path.clone(),
        reason: e.message().to_string(),
    })?;
    let names = file.profiles.keys().chain(file.default.as_ref());
    if let Some(bad) = names.into_iter().find(|n| validate_name(n).is_err()) {
        return Err(ProfileError::Parse {
            path,
            reason: format!("'{bad}' is not a valid profile name"),
        });
    }
    Ok(file)
}

/// Writes a temporary file next to the real one and renames it over, so a
/// crash midway leaves the old file, never half a file.
fn write(config_dir: &Path, file: &ProfilesFile) -> Result<(), ProfileError> {
    let path = config_dir.join(PROFILES_FILE);
    let failed = |source| ProfileError::Write {
        path: path.clone(),
        source,
    };
    let text = toml::to_string_pretty(file).map_err(|e| failed(std::io::Error::other(e)))?;
    std::fs::create_dir_all(config_dir).map_err(failed)?;
    let mut temp = tempfile::NamedTempFile::new_in(config_dir).map_err(failed)?;
    temp.write_all(b"# acctl profiles: server and account per name. No secrets here.\n")
        .and_then(|()| temp.write_all(text.as_bytes()))
        .and_then(|()| temp.as_file().sync_all())
        .map_err(failed)?;
    temp.persist(&path).map_err(|e| failed(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(server: &str, email: Option<&str>) -> Profile {
        Profile {
            server: server.into(),
            email: email.map(str::to_string),
            service: ServiceKind::Acctd,
        }
    }

    #[test]
    fn profiles_round_trip() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(load(dir.path(), "work").expect("loads").is_none());
        assert!(list(dir.path()).expect("lists").is_empty());

        let work = profile("https://acct.example.com", Some("ada@example.com"));
        save(dir.path(), "work", &work).expect("saved");
        save(
            dir.path(),
            "home_2",
            &profile("http://127.0.0.1:8080", None),
        )
        .expect("saved");
        assert_eq!(load(dir.path(), "work").expect("loads"), Some(work.clone()));

        let all = list(dir.path()).expect("lists");
        assert_eq!(all.keys().collect::<Vec<_>>(), ["home_2", "work"]);

        remove(dir.path(), "home_2").expect("removed");
        remove(dir.path(), "never-there").expect("removing nothing is fine");
        assert_eq!(list(dir.path()).expect("lists").len(), 1);
        assert_eq!(load(dir.path(), "work").expect("loads"), Some(work));
    }

    #[test]
    fn the_kind_of_service_is_remembered_and_acctd_is_left_unsaid() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut site = profile("http://h/_allauth/app/v1", Some("a@example.com"));
        site.service = ServiceKind::Allauth;
        save(dir.path(), "site", &site).expect("saved");
        save(dir.path(), "home", &profile("http://x", None)).expect("saved");
        let text = std::fs::read_to_string(dir.path().join(PROFILES_FILE)).expect("read");
        assert_eq!(text.matches("service = ").count(), 1, "{text}");
        assert!(text.contains("service = \"allauth\""), "{text}");
        assert_eq!(load(dir.path(), "site").expect("loads"), Some(site));
        let home = load(dir.path(), "home").expect("loads").expect("there");
        assert_eq!(home.service, ServiceKind::Acctd);
    }

    #[test]
    fn the_default_profile_is_kept_with_the_profiles() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert_eq!(default_name(dir.path()).expect("reads"), None);
        save(dir.path(), "work", &profile("http://x", None)).expect("saved");
        set_default(dir.path(), "work").expect("switched");
        save(dir.path(), "home", &profile("http://y", None)).expect("saved");
        assert_eq!(
            default_name(dir.path()).expect("reads").as_deref(),
            Some("work")
        );
        assert_eq!(list(dir.path()).expect("lists").len(), 2);
        assert!(set_default(dir.path(), "no way").is_err());
    }

    #[test]
    fn saving_creates_the_config_dir_and_leaves_no_temp_files() {
        let dir = tempfile::tempdir().expect("temp dir");
        let nested = dir.path().join("acctl");
        save(&nested, "default", &profile("http://x", None)).expect("saved");
        let names: Vec<_> = std::fs::read_dir(&nested)
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(names, [PROFILES_FILE]);
    }

    #[test]
    fn names_are_validated_with_a_clear_error() {
        for bad in [
            "",
            "has space",
            "dot.ted",
            "slash/y",
            "ünï",
            &"x".repeat(33),
        ] {
            let err = validate_name(bad).expect_err(bad);
            assert!(err.to_string().contains("1 to 32 letters"), "{err}");
        }
        for good in ["a", "work", "home-2", "A_b", &"x".repeat(32)] {
            validate_name(good).expect(good);
        }
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(save(dir.path(), "../evil", &profile("http://x", None)).is_err());
        assert!(!dir.path().join(PROFILES_FILE).exists());
    }

    #[test]
    fn a_damaged_file_names_itself() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join(PROFILES_FILE),
            "[profiles.work]\nserver = 5\n",
        )
        .expect("written");
        let err = list(dir.path()).expect_err("damaged");
        let message = err.to_string();
        assert!(message.contains(PROFILES_FILE), "{message}");
        assert!(message.contains("fix or delete"), "{message}");
    }
}
