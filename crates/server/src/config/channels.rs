//! The channel gateways' sections of the configuration file. A section
//! turns its gateway on; secrets come from a file the section names or
//! from the environment, which beats the file.
//!
//! ```toml
//! [telegram]                       # the bot
//! api_base = "https://api.telegram.org"
//! token_file = "bot.token"         # or SHIFTDESK_TELEGRAM_TOKEN
//! long_poll_secs = 25
//!
//! [email]                          # the support mailbox
//! address = "support@example.com"  # From of every reply; never a ticket
//! display_name = "Example Support"
//! domain = "example.com"           # of the desk's Message-IDs [default: the address's]
//! max_mail_mb = 25
//! [email.imap]
//! host = "imap.example.com"
//! security = "tls"                 # tls (993) | starttls (143) | plain (143)
//! user = "support@example.com"     # [default: the address]
//! password_file = "imap.password"  # or SHIFTDESK_IMAP_PASSWORD
//! mailbox = "INBOX"
//! poll_secs = 60                   # without IDLE; with it, the longest wait
//! [email.smtp]
//! host = "smtp.example.com"
//! security = "starttls"            # starttls (587) | tls (465) | plain (25)
//! user = "support@example.com"     # log in when a password is given [default: the address]
//! password_file = "smtp.password"  # or SHIFTDESK_SMTP_PASSWORD; none: no login
//! timeout_secs = 30
//!
//! [phone]                          # the telephony provider's webhook
//! webhook_secret_file = "phone.secret"  # or SHIFTDESK_PHONE_WEBHOOK_SECRET
//! ```

use std::path::{Path, PathBuf};
use std::time::Duration;

use reqwest::Url;
use serde::Deserialize;

use super::{ConfigError, ConfigFile};
use crate::channels::email::{EmailSettings, ImapSettings, Security, SmtpSettings};
use crate::channels::phone::PhoneSettings;
use crate::channels::telegram::TelegramSettings;

pub const TELEGRAM_TOKEN_ENV: &str = "SHIFTDESK_TELEGRAM_TOKEN";
pub const IMAP_PASSWORD_ENV: &str = "SHIFTDESK_IMAP_PASSWORD";
pub const SMTP_PASSWORD_ENV: &str = "SHIFTDESK_SMTP_PASSWORD";
pub const PHONE_SECRET_ENV: &str = "SHIFTDESK_PHONE_WEBHOOK_SECRET";

/// The real Bot API, when the file names no other.
const TELEGRAM_API: &str = "https://api.telegram.org";
/// Telegram holds a `getUpdates` at most 50 s.
const LONG_POLL_SECS: std::ops::RangeInclusive<u64> = 1..=50;
const DEFAULT_LONG_POLL_SECS: u64 = 25;
const POLL_SECS: std::ops::RangeInclusive<u64> = 1..=3600;
const TIMEOUT_SECS: std::ops::RangeInclusive<u64> = 1..=600;
/// A guessable secret would let anyone write call records.
const MIN_SECRET_CHARS: usize = 16;

/// The bot.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TelegramSection {
    pub api_base: Option<String>,
    pub token_file: Option<PathBuf>,
    pub long_poll_secs: Option<u64>,
}

/// The support mailbox: read over IMAP, answered over SMTP.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailSection {
    pub address: String,
    pub display_name: Option<String>,
    pub domain: Option<String>,
    pub max_mail_mb: Option<u64>,
    pub imap: ImapSection,
    pub smtp: SmtpSection,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImapSection {
    pub host: String,
    pub port: Option<u16>,
    pub security: Option<Security>,
    pub user: Option<String>,
    pub password_file: Option<PathBuf>,
    pub mailbox: Option<String>,
    pub poll_secs: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpSection {
    pub host: String,
    pub port: Option<u16>,
    pub security: Option<Security>,
    pub user: Option<String>,
    pub password_file: Option<PathBuf>,
    pub timeout_secs: Option<u64>,
}

/// The telephony provider's webhook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhoneSection {
    pub webhook_secret_file: Option<PathBuf>,
}

/// The gateways `serve` runs; `None` is a gateway that is off.
#[derive(Debug, Clone)]
pub struct ChannelSettings {
    pub telegram: Option<TelegramSettings>,
    pub email: Option<EmailSettings>,
    pub phone: Option<PhoneSettings>,
}

impl ChannelSettings {
    /// The gateways `config` and the environment (`env` looks a variable
    /// up) describe, with their secrets read.
    pub fn resolve(
        config: &ConfigFile,
        env: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let secrets = Secrets {
            env: &env,
            folder: &config.folder,
        };
        Ok(Self {
            telegram: telegram(config.telegram.as_ref(), &secrets)?,
            email: config
                .email
                .as_ref()
                .map(|section| email(section, &secrets))
                .transpose()?,
            phone: phone(config.phone.as_ref(), &secrets)?,
        })
    }
}

/// Where secrets come from: the environment first, then a file named
/// from the configuration's folder.
struct Secrets<'a> {
    env: &'a dyn Fn(&str) -> Option<String>,
    folder: &'a Path,
}

impl Secrets<'_> {
    fn get(&self, variable: &str, file: Option<&Path>) -> Result<Option<String>, ConfigError> {
        if let Some(value) = (self.env)(variable).filter(|v| !v.trim().is_empty()) {
            return Ok(Some(value.trim().to_owned()));
        }
        let Some(file) = file else {
            return Ok(None);
        };
        let path = self.folder.join(file);
        let text = std::fs::read_to_string(&path)
            .map_err(|source| ConfigError::Secret { path, source })?;
        // A secret file usually ends with a newline; nothing else is trimmed.
        Ok(Some(text.trim_end_matches(['\n', '\r']).to_owned()))
    }
}

fn unusable(message: impl Into<String>) -> ConfigError {
    ConfigError::Unusable(message.into())
}

fn in_range(
    key: &str,
    value: Option<u64>,
    range: std::ops::RangeInclusive<u64>,
    default: u64,
) -> Result<Duration, ConfigError> {
    let secs = value.unwrap_or(default);
    if range.contains(&secs) {
        Ok(Duration::from_secs(secs))
    } else {
        Err(unusable(format!(
            "{key} is {secs}; it is {} to {} seconds",
            range.start(),
            range.end()
        )))
    }
}

fn telegram(
    section: Option<&TelegramSection>,
    secrets: &Secrets<'_>,
) -> Result<Option<TelegramSettings>, ConfigError> {
    let token = secrets.get(
        TELEGRAM_TOKEN_ENV,
        section.and_then(|s| s.token_file.as_deref()),
    )?;
    let (section, token) = match (section, token) {
        (None, None) => return Ok(None),
        (Some(_), None) => {
            return Err(unusable(format!(
                "the Telegram gateway needs the bot's token: set {TELEGRAM_TOKEN_ENV} or telegram.token_file"
            )))
        }
        (section, Some(token)) => (section.cloned().unwrap_or_default(), token),
    };
    if token.is_empty() || token.contains(['/', '?', '#']) || token.contains(char::is_whitespace) {
        return Err(unusable(
            "the bot's token is empty or not one word (it looks like 123456:ABC-DEF…)",
        ));
    }
    let text = section.api_base.as_deref().unwrap_or(TELEGRAM_API);
    let api_base = match Url::parse(text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => url,
        _ => {
            return Err(unusable(format!(
                "telegram.api_base {text:?} is not an http(s) address like {TELEGRAM_API}"
            )))
        }
    };
    Ok(Some(TelegramSettings {
        api_base,
        token,
        long_poll: in_range(
            "telegram.long_poll_secs",
            section.long_poll_secs,
            LONG_POLL_SECS,
            DEFAULT_LONG_POLL_SECS,
        )?,
    }))
}

fn email(section: &EmailSection, secrets: &Secrets<'_>) -> Result<EmailSettings, ConfigError> {
    let address = section.address.trim().to_owned();
    let Some((_, address_domain)) = address.rsplit_once('@') else {
        return Err(unusable(format!(
            "email.address {address:?} is not a mail address"
        )));
    };
    let password = secrets
        .get(IMAP_PASSWORD_ENV, section.imap.password_file.as_deref())?
        .ok_or_else(|| {
            unusable(format!(
                "the mailbox needs its password: set {IMAP_PASSWORD_ENV} or email.imap.password_file"
            ))
        })?;
    let imap_security = section.imap.security.unwrap_or(Security::Tls);
    let smtp_security = section.smtp.security.unwrap_or(Security::StartTls);
    let smtp_password = secrets.get(SMTP_PASSWORD_ENV, section.smtp.password_file.as_deref())?;
    let max_mail_mb = section
        .max_mail_mb
        .unwrap_or(EmailSettings::DEFAULT_MAX_MAIL_BYTES / (1024 * 1024));
    if !(1..=1024).contains(&max_mail_mb) {
        return Err(unusable(format!(
            "email.max_mail_mb is {max_mail_mb}; it is 1 to 1024"
        )));
    }
    Ok(EmailSettings {
        imap: ImapSettings {
            host: section.imap.host.clone(),
            port: section.imap.port.unwrap_or(match imap_security {
                Security::Tls => 993,
                Security::StartTls | Security::Plain => 143,
            }),
            user: section.imap.user.clone().unwrap_or_else(|| address.clone()),
            password,
            mailbox: section
                .imap
                .mailbox
                .clone()
                .unwrap_or_else(|| "INBOX".into()),
            poll_interval: in_range(
                "email.imap.poll_secs",
                section.imap.poll_secs,
                POLL_SECS,
                60,
            )?,
            security: imap_security,
        },
        smtp: SmtpSettings {
            host: section.smtp.host.clone(),
            port: section.smtp.port.unwrap_or(match smtp_security {
                Security::Tls => 465,
                Security::StartTls => 587,
                Security::Plain => 25,
            }),
            user: smtp_password
                .as_ref()
                .map(|_| section.smtp.user.clone().unwrap_or_else(|| address.clone())),
            password: smtp_password,
            security: smtp_security,
            timeout: in_range(
                "email.smtp.timeout_secs",
                section.smtp.timeout_secs,
                TIMEOUT_SECS,
                30,
            )?,
        },
        domain: section
            .domain
            .clone()
            .unwrap_or_else(|| address_domain.to_owned()),
        display_name: section.display_name.clone(),
        address,
        max_mail_bytes: max_mail_mb * 1024 * 1024,
    })
}

fn phone(
    section: Option<&PhoneSection>,
    secrets: &Secrets<'_>,
) -> Result<Option<PhoneSettings>, ConfigError> {
    let secret = secrets.get(
        PHONE_SECRET_ENV,
        section.and_then(|s| s.webhook_secret_file.as_deref()),
    )?;
    match (section, secret) {
        (None, None) => Ok(None),
        (Some(_), None) => Err(unusable(format!(
            "the phone webhook needs its secret: set {PHONE_SECRET_ENV} or phone.webhook_secret_file"
        ))),
        (_, Some(secret)) if secret.trim().chars().count() < MIN_SECRET_CHARS => {
            Err(unusable(format!(
                "the phone webhook's secret is shorter than {MIN_SECRET_CHARS} characters"
            )))
        }
        (_, Some(secret)) => Ok(Some(PhoneSettings {
            webhook_secret: secret,
        })),
    }
}

#[cfg(test)]
mod tests;
