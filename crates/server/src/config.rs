//! The server's configuration file (TOML). Every setting can also come from
//! the environment or a flag; a flag beats the environment, which beats the
//! file, which beats the built-in default. Unknown keys are refused, so a
//! typo never silently falls back to a default. Secrets (the bot's token,
//! mailbox passwords, the phone webhook's secret) are never written in the
//! file: they come from a file of their own or from the environment.
//!
//! ```toml
//! database = "desk.sqlite"    # relative to this file's folder
//! listen = "127.0.0.1:8780"
//!
//! [intake]
//! team = "L2 Support"         # where new tickets go
//! ```
//!
//! The channel gateways' sections are in [`channels`].

pub mod channels;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;

pub use self::channels::{ChannelSettings, EmailSection, PhoneSection, TelegramSection};

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub database: Option<PathBuf>,
    pub listen: Option<SocketAddr>,
    #[serde(default)]
    pub intake: IntakeSection,
    pub telegram: Option<TelegramSection>,
    pub email: Option<EmailSection>,
    pub phone: Option<PhoneSection>,
    /// The file's folder: other files it names are found from here.
    #[serde(skip)]
    pub folder: PathBuf,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeSection {
    pub team: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot read the secret file {path}: {source}")]
    Secret {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration {path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
    /// A gateway's setting that cannot work, named by its key.
    #[error("{0}")]
    Unusable(String),
}

impl ConfigFile {
    /// Reads `path`; a relative `database` is taken from the file's folder.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.to_owned(),
            source,
        })?;
        let mut config: ConfigFile = toml::from_str(&text).map_err(|e| ConfigError::Invalid {
            path: path.to_owned(),
            message: e.to_string(),
        })?;
        if let Some(team) = &config.intake.team {
            if team.trim().is_empty() {
                return Err(ConfigError::Invalid {
                    path: path.to_owned(),
                    message: "intake.team names a team; it cannot be empty".into(),
                });
            }
        }
        config.folder = path.parent().unwrap_or(Path::new(".")).to_owned();
        if let Some(database) = &config.database {
            if database.is_relative() {
                config.database = Some(config.folder.join(database));
            }
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    pub(super) fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("shiftdesk-server.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn a_full_file_reads_with_paths_beside_it() {
        let (dir, path) = write(
            "database = \"desk.sqlite\"\nlisten = \"127.0.0.1:9000\"\n[intake]\nteam = \"Поддержка L1\"\n",
        );
        let config = ConfigFile::load(&path).unwrap();
        assert_eq!(config.database, Some(dir.path().join("desk.sqlite")));
        assert_eq!(config.listen, Some("127.0.0.1:9000".parse().unwrap()));
        assert_eq!(config.intake.team.as_deref(), Some("Поддержка L1"));
        let (_dir, empty) = write("");
        let empty = ConfigFile::load(&empty).unwrap();
        assert_eq!(
            empty,
            ConfigFile {
                folder: empty.folder.clone(),
                ..ConfigFile::default()
            }
        );
    }

    #[test]
    fn mistakes_are_named() {
        for (text, says) in [
            ("databse = \"x\"", "unknown field `databse`"),
            ("listen = \"localhost\"", "listen"),
            ("listen = 8780", "listen"),
            ("[intake]\nteam = \"  \"", "cannot be empty"),
            ("[intake]\nrate = 5", "unknown field `rate`"),
            ("database = ", "database"),
            ("[telegram]\ntoken = \"123:x\"", "unknown field `token`"),
            ("[email.imap]\npassword = \"x\"", "unknown field `password`"),
            (
                "[phone]\nwebhook_secret = \"x\"",
                "unknown field `webhook_secret`",
            ),
            ("[email.smtp]\nsecurity = \"ssl\"", "security"),
        ] {
            let (_dir, path) = write(text);
            let err = ConfigFile::load(&path).unwrap_err().to_string();
            assert!(err.contains(says), "{text:?} → {err}");
            assert!(err.contains("shiftdesk-server.toml"), "{err}");
        }
        let missing = ConfigFile::load(Path::new("/nonexistent/shiftdesk.toml")).unwrap_err();
        assert!(missing.to_string().contains("cannot read"));
    }
}
