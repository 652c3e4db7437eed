//! Where the command line keeps its state: the desktop app's data folder.
//! What is in it (the account book, each account's cache) is
//! [`shiftdesk_engine::accounts`]'s, shared with the app.

use std::path::PathBuf;

use crate::error::CliError;

/// The desktop app's bundle identifier: its data folder's name.
const APP_ID: &str = "dev.shiftdesk.console";

/// The data folder: `SHIFTDESK_DATA_DIR`, else the app's folder under
/// `$XDG_DATA_HOME` (or `~/.local/share`).
pub fn data_dir() -> Result<PathBuf, CliError> {
    if let Some(dir) = std::env::var_os("SHIFTDESK_DATA_DIR") {
        return Ok(PathBuf::from(dir));
    }
    let base = match std::env::var_os("XDG_DATA_HOME") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => std::env::var_os("HOME")
            .map(|home| PathBuf::from(home).join(".local/share"))
            .ok_or(CliError::NoDataDir)?,
    };
    Ok(base.join(APP_ID))
}
