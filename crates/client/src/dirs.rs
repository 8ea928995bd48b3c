//! Where acctl keeps files: settings and profiles in the config dir, logs
//! and refresh locks in the state dir. `ACCTL_CONFIG_DIR` /
//! `ACCTL_STATE_DIR` move them (tests, portable installs).

use std::path::PathBuf;

use directories::ProjectDirs;

fn project_dirs() -> Option<ProjectDirs> {
    ProjectDirs::from("dev", "acctl", "acctl")
}

fn from_env(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

/// `ACCTL_CONFIG_DIR`, else the OS config dir (e.g. `~/.config/acctl`).
/// `None` only when the OS names no home directory.
pub fn config_dir() -> Option<PathBuf> {
    from_env("ACCTL_CONFIG_DIR").or_else(|| project_dirs().map(|d| d.config_dir().to_path_buf()))
}

/// `ACCTL_STATE_DIR`, else the OS state dir (e.g. `~/.local/state/acctl`),
/// else the local data dir where the OS has no state dir (macOS, Windows).
pub fn state_dir() -> Option<PathBuf> {
    from_env("ACCTL_STATE_DIR").or_else(|| {
        project_dirs().map(|d| {
            d.state_dir()
                .unwrap_or_else(|| d.data_local_dir())
                .to_path_buf()
        })
    })
}
