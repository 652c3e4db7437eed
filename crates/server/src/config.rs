//! The server's configuration file (TOML). Every setting can also come from
//! the environment or a flag; a flag beats the environment, which beats the
//! file, which beats the built-in default. Unknown keys are refused, so a
//! typo never silently falls back to a default.
//!
//! ```toml
//! database = "desk.sqlite"    # relative to this file's folder
//! listen = "127.0.0.1:8780"
//!
//! [intake]
//! team = "L2 Support"         # where new tickets go
//!
//! [telegram]                  # the bot; absent = no Telegram gateway
//! api_base = "https://api.telegram.org"
//! token_file = "bot.token"    # or SHIFTDESK_TELEGRAM_TOKEN
//! long_poll_secs = 25
//! ```

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;

use crate::channels::telegram::TelegramSettings;

/// The real Bot API, when the file names no other.
const TELEGRAM_API: &str = "https://api.telegram.org";
/// Telegram holds a `getUpdates` at most 50 s.
const LONG_POLL_SECS: std::ops::RangeInclusive<u64> = 1..=50;
const DEFAULT_LONG_POLL_SECS: u64 = 25;

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    pub database: Option<PathBuf>,
    pub listen: Option<SocketAddr>,
    #[serde(default)]
    pub intake: IntakeSection,
    pub telegram: Option<TelegramSection>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntakeSection {
    pub team: Option<String>,
}

/// The bot. The token is a secret, so it is never written in this file:
/// it comes from `token_file` or from `SHIFTDESK_TELEGRAM_TOKEN`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramSection {
    pub api_base: Option<String>,
    /// Relative to the configuration's folder.
    pub token_file: Option<PathBuf>,
    pub long_poll_secs: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the configuration {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the configuration {path} is not valid: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("{0}")]
    Unusable(&'static str),
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
        let folder = path.parent().unwrap_or(Path::new("."));
        if let Some(database) = &config.database {
            if database.is_relative() {
                config.database = Some(folder.join(database));
            }
        }
        if let Some(telegram) = &mut config.telegram {
            telegram.check().map_err(|message| ConfigError::Invalid {
                path: path.to_owned(),
                message,
            })?;
            if let Some(file) = &telegram.token_file {
                if file.is_relative() {
                    telegram.token_file = Some(folder.join(file));
                }
            }
        }
        Ok(config)
    }

    /// The Telegram gateway's settings: none when neither the file has a
    /// `[telegram]` section nor `env_token` (`SHIFTDESK_TELEGRAM_TOKEN`) is
    /// set. The environment's token beats the token file.
    pub fn telegram(
        &self,
        env_token: Option<String>,
    ) -> Result<Option<TelegramSettings>, ConfigError> {
        let env_token = env_token.filter(|t| !t.trim().is_empty());
        if self.telegram.is_none() && env_token.is_none() {
            return Ok(None);
        }
        let section = self.telegram.clone().unwrap_or_default();
        let token = match (env_token, &section.token_file) {
            (Some(token), _) => token,
            (None, Some(file)) => {
                std::fs::read_to_string(file).map_err(|source| ConfigError::Read {
                    path: file.clone(),
                    source,
                })?
            }
            (None, None) => {
                return Err(ConfigError::Unusable(
                    "the Telegram gateway needs the bot's token: set SHIFTDESK_TELEGRAM_TOKEN or telegram.token_file",
                ))
            }
        };
        let token = token.trim().to_owned();
        if token.is_empty()
            || token.contains(['/', '?', '#'])
            || token.contains(char::is_whitespace)
        {
            return Err(ConfigError::Unusable(
                "the bot's token is empty or not one word (it looks like 123456:ABC-DEF…)",
            ));
        }
        Ok(Some(TelegramSettings {
            api_base: section.api_base()?,
            token,
            long_poll: Duration::from_secs(
                section.long_poll_secs.unwrap_or(DEFAULT_LONG_POLL_SECS),
            ),
        }))
    }
}

impl TelegramSection {
    fn check(&self) -> Result<(), String> {
        self.api_base().map_err(|e| e.to_string())?;
        if let Some(secs) = self.long_poll_secs {
            if !LONG_POLL_SECS.contains(&secs) {
                return Err(format!(
                    "telegram.long_poll_secs is {secs}; Telegram waits {} to {} s",
                    LONG_POLL_SECS.start(),
                    LONG_POLL_SECS.end()
                ));
            }
        }
        Ok(())
    }

    fn api_base(&self) -> Result<Url, ConfigError> {
        let text = self.api_base.as_deref().unwrap_or(TELEGRAM_API);
        match Url::parse(text) {
            Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => Ok(url),
            _ => Err(ConfigError::Unusable(
                "telegram.api_base is not an http(s) address like https://api.telegram.org",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
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
        assert_eq!(ConfigFile::load(&empty).unwrap(), ConfigFile::default());
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
        ] {
            let (_dir, path) = write(text);
            let err = ConfigFile::load(&path).unwrap_err().to_string();
            assert!(err.contains(says), "{text:?} → {err}");
            assert!(err.contains("shiftdesk-server.toml"), "{err}");
        }
        let missing = ConfigFile::load(Path::new("/nonexistent/shiftdesk.toml")).unwrap_err();
        assert!(missing.to_string().contains("cannot read"));
    }

    #[test]
    fn the_bot_is_configured_by_file_or_environment() {
        let (dir, path) = write(
            "[telegram]\napi_base = \"http://127.0.0.1:9001\"\ntoken_file = \"bot.token\"\nlong_poll_secs = 5\n",
        );
        std::fs::write(dir.path().join("bot.token"), "123:file-token\n").unwrap();
        let config = ConfigFile::load(&path).unwrap();
        let settings = config.telegram(None).unwrap().unwrap();
        assert_eq!(settings.api_base.as_str(), "http://127.0.0.1:9001/");
        assert_eq!(settings.token, "123:file-token");
        assert_eq!(settings.long_poll, Duration::from_secs(5));
        // The environment beats the file; an empty variable does not count.
        let from_env = config.telegram(Some("456:env".into())).unwrap().unwrap();
        assert_eq!(from_env.token, "456:env");
        assert_eq!(
            config.telegram(Some(" ".into())).unwrap().unwrap().token,
            "123:file-token"
        );

        // No section and no token: no gateway. A token alone: the real Bot API.
        let none = ConfigFile::default();
        assert!(none.telegram(None).unwrap().is_none());
        let real = none.telegram(Some("789:x".into())).unwrap().unwrap();
        assert_eq!(real.api_base.as_str(), "https://api.telegram.org/");
        assert_eq!(real.long_poll, Duration::from_secs(25));
    }

    #[test]
    fn a_bot_without_a_usable_token_or_address_is_refused() {
        let (_dir, path) = write("[telegram]\n");
        let err = ConfigFile::load(&path).unwrap().telegram(None).unwrap_err();
        assert!(
            err.to_string().contains("SHIFTDESK_TELEGRAM_TOKEN"),
            "{err}"
        );

        let (_dir, path) = write("[telegram]\ntoken_file = \"missing.token\"\n");
        let err = ConfigFile::load(&path).unwrap().telegram(None).unwrap_err();
        assert!(err.to_string().contains("missing.token"), "{err}");

        let config = ConfigFile::default();
        for token in ["123:a/b", "12 34", "tok?en"] {
            let err = config.telegram(Some(token.into())).unwrap_err();
            assert!(err.to_string().contains("not one word"), "{token}: {err}");
        }

        for (text, says) in [
            ("[telegram]\napi_base = \"ftp://x\"", "api_base"),
            ("[telegram]\napi_base = \"not a url\"", "api_base"),
            ("[telegram]\nlong_poll_secs = 0", "long_poll_secs"),
            ("[telegram]\nlong_poll_secs = 600", "long_poll_secs"),
            ("[telegram]\ntoken = \"123:x\"", "unknown field `token`"),
        ] {
            let (_dir, path) = write(text);
            let err = ConfigFile::load(&path).unwrap_err().to_string();
            assert!(err.contains(says), "{text:?} → {err}");
        }
    }
}
