//! Files the console writes for the person: recovery codes now, exports and
//! invoices later. Never overwrites, and what holds secrets is created
//! readable by its owner only.

use std::io::Write;
use std::path::{Path, PathBuf};

use acctl_api::SecretText;

/// `<number>.pdf` for an invoice, with anything that is not safe in a
/// file name (a path separator or a control from the server, say) made a
/// `-`: the CLI saves there, the console offers it.
pub fn invoice_file_name(number: &str) -> String {
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '-'
            }
        })
        .collect();
    let safe = safe.trim_start_matches('.');
    let stem = if safe.is_empty() { "invoice" } else { safe };
    format!("{stem}.pdf")
}

/// `~/x` becomes `$HOME/x`; anything else is returned as typed.
pub fn expand_home(typed: &str) -> PathBuf {
    let typed = typed.trim();
    let home = std::env::var_os("HOME").filter(|h| !h.is_empty());
    match (typed.strip_prefix("~/"), home) {
        (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
        _ if typed == "~" => std::env::var_os("HOME").map_or_else(|| typed.into(), PathBuf::from),
        _ => PathBuf::from(typed),
    }
}

/// What Tab makes of a typed path: the longest completion every match
/// shares, and the names that match (when more than one does).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub text: String,
    pub candidates: Vec<String>,
}

/// Completes the last part of `typed` from the entries of its directory,
/// as a shell does: one match completes (a directory gains `/`), several
/// complete their common start and are listed. Hidden entries only when
/// the part typed starts with a dot.
pub fn complete_path(typed: &str) -> Completion {
    let (dir_part, name_part) = match typed.rfind('/') {
        Some(i) => typed.split_at(i + 1),
        None => ("", typed),
    };
    let dir = match dir_part {
        "" => PathBuf::from("."),
        d => expand_home(d),
    };
    let mut matches: Vec<(String, bool)> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .flatten()
                .filter_map(|e| {
                    let name = e.file_name().into_string().ok()?;
                    let shown = name.starts_with(name_part)
                        && (!name.starts_with('.') || name_part.starts_with('.'));
                    shown.then(|| (name, e.path().is_dir()))
                })
                .collect()
        })
        .unwrap_or_default();
    matches.sort();
    let unchanged = Completion {
        text: typed.to_string(),
        candidates: Vec::new(),
    };
    match matches.as_slice() {
        [] => unchanged,
        [(name, is_dir)] => Completion {
            text: format!("{dir_part}{name}{}", if *is_dir { "/" } else { "" }),
            candidates: Vec::new(),
        },
        several => {
            let first = &several[0].0;
            let common = several
                .iter()
                .fold(first.chars().count(), |len, (name, _)| {
                    first
                        .chars()
                        .zip(name.chars())
                        .take(len)
                        .take_while(|(a, b)| a == b)
                        .count()
                });
            let prefix: String = first.chars().take(common).collect();
            Completion {
                text: format!("{dir_part}{prefix}"),
                candidates: several
                    .iter()
                    .map(|(n, d)| format!("{n}{}", if *d { "/" } else { "" }))
                    .collect(),
            }
        }
    }
}

/// Why a private file was not written, in words for people: each says what
/// to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SaveError {
    #[error("{} already exists; choose another name.", .0.display())]
    Exists(PathBuf),
    #[error("The folder of {} does not exist; create it or choose another.", .0.display())]
    NoFolder(PathBuf),
    #[error("No permission to write {}; choose another place.", .0.display())]
    Denied(PathBuf),
    #[error("Could not create {}: {reason}.", .path.display())]
    Create { path: PathBuf, reason: String },
    #[error("Could not write {}: {reason}.", .path.display())]
    Write { path: PathBuf, reason: String },
    #[error("The save stopped: {0}.")]
    Stopped(String),
}

/// Writes `contents` to a new file at `path`, mode 0600 on Unix. Refuses to
/// overwrite.
pub fn create_private(path: &Path, contents: &SecretText) -> Result<(), SaveError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let owned = || path.to_path_buf();
    let mut file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => SaveError::Exists(owned()),
        std::io::ErrorKind::NotFound => SaveError::NoFolder(owned()),
        std::io::ErrorKind::PermissionDenied => SaveError::Denied(owned()),
        _ => SaveError::Create {
            path: owned(),
            reason: e.to_string(),
        },
    })?;
    let written = file
        .write_all(contents.expose().as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        // Half a file of recovery codes is worse than none.
        let _ = std::fs::remove_file(path);
        return Err(SaveError::Write {
            path: owned(),
            reason: e.to_string(),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invoice_file_names_are_safe_file_names() {
        assert_eq!(invoice_file_name("INV-2025-000123"), "INV-2025-000123.pdf");
        assert_eq!(invoice_file_name("../../etc/x"), "-..-etc-x.pdf");
        assert_eq!(invoice_file_name("\u{1b}]52;c;x\u{7}"), "--52-c-x-.pdf");
        assert_eq!(invoice_file_name(""), "invoice.pdf");
        assert_eq!(invoice_file_name("..."), "invoice.pdf");
    }

    #[test]
    fn files_are_private_new_and_never_overwritten() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("codes.txt");
        let secret = SecretText::new("aaaa-bbbb\n");
        create_private(&path, &secret).expect("created");
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "aaaa-bbbb\n");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("meta").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = create_private(&path, &SecretText::new("other"));
        assert!(
            again
                .expect_err("exists")
                .to_string()
                .contains("already exists")
        );
        assert_eq!(std::fs::read_to_string(&path).expect("read"), "aaaa-bbbb\n");
        let missing = create_private(&dir.path().join("no/such/dir/x"), &secret);
        assert!(
            missing
                .expect_err("no dir")
                .to_string()
                .contains("does not exist")
        );
    }

    #[test]
    fn a_leading_tilde_means_home() {
        let home = std::env::var_os("HOME").map(PathBuf::from);
        if let Some(home) = home {
            assert_eq!(expand_home("~/a.txt"), home.join("a.txt"));
        }
        assert_eq!(expand_home(" /tmp/x "), PathBuf::from("/tmp/x"));
        assert_eq!(expand_home("rel/x"), PathBuf::from("rel/x"));
    }

    #[test]
    fn tab_completes_a_path_as_a_shell_does() {
        let dir = tempfile::tempdir().expect("dir");
        for name in ["me.png", "me-old.jpg", "notes.txt", ".hidden.png"] {
            std::fs::write(dir.path().join(name), b"x").expect("file");
        }
        std::fs::create_dir(dir.path().join("pics")).expect("dir");
        let base = format!("{}/", dir.path().display());
        let one = complete_path(&format!("{base}n"));
        assert_eq!(one.text, format!("{base}notes.txt"));
        assert!(one.candidates.is_empty());
        let several = complete_path(&format!("{base}m"));
        assert_eq!(several.text, format!("{base}me"));
        assert_eq!(several.candidates, ["me-old.jpg", "me.png"]);
        assert_eq!(
            complete_path(&format!("{base}pi")).text,
            format!("{base}pics/")
        );
        assert_eq!(
            complete_path(&format!("{base}.h")).text,
            format!("{base}.hidden.png")
        );
        assert_eq!(
            complete_path(&format!("{base}zzz")).text,
            format!("{base}zzz")
        );
    }
}
