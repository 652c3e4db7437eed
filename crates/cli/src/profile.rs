//! Where the command line keeps its state: the data folder the desktop app
//! uses, the cache in it, and `profile.json` (which server, which agent,
//! where the token is kept; never the token itself).

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use shiftdesk_domain::AgentId;

use crate::error::CliError;

/// The desktop app's bundle identifier: its data folder's name.
const APP_ID: &str = "dev.shiftdesk.console";
pub const CACHE_FILE: &str = "cache.sqlite";
const PROFILE_FILE: &str = "profile.json";

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

/// Who this data folder signs in as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    pub server: String,
    pub agent: AgentId,
    pub agent_name: String,
    /// Where the token is: the OS keyring, or a file only its owner reads.
    pub token_file: Option<PathBuf>,
}

impl Profile {
    pub fn load(dir: &Path) -> Result<Option<Profile>, CliError> {
        let path = dir.join(PROFILE_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(|e| CliError::BadProfile(path, e.to_string())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(CliError::Io(path, e)),
        }
    }

    pub fn save(&self, dir: &Path) -> Result<(), CliError> {
        shiftdesk_store::private_dir(dir).map_err(|e| CliError::Io(dir.to_owned(), e))?;
        let path = dir.join(PROFILE_FILE);
        let partial = dir.join(".profile.json.partial");
        let json = serde_json::to_vec_pretty(self).unwrap_or_default();
        std::fs::write(&partial, json)
            .and_then(|()| std::fs::rename(&partial, &path))
            .map_err(|e| CliError::Io(path, e))
    }
}
