#![allow(clippy::unwrap_used)]

use std::collections::HashMap;
use std::time::Duration;

use super::*;
use crate::config::tests::write;

fn resolve(config: &ConfigFile, env: &[(&str, &str)]) -> Result<ChannelSettings, ConfigError> {
    let env: HashMap<String, String> = env
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    ChannelSettings::resolve(config, |k| env.get(k).cloned())
}

fn load(text: &str) -> (tempfile::TempDir, ConfigFile) {
    let (dir, path) = write(text);
    (dir, ConfigFile::load(&path).unwrap())
}

#[test]
fn no_section_and_no_secret_is_no_gateway() {
    let channels = resolve(&ConfigFile::default(), &[]).unwrap();
    assert!(channels.telegram.is_none() && channels.email.is_none() && channels.phone.is_none());
}

#[test]
fn the_bot_is_configured_by_file_or_environment() {
    let (dir, config) = load(
        "[telegram]\napi_base = \"http://127.0.0.1:9001\"\ntoken_file = \"bot.token\"\nlong_poll_secs = 5\n",
    );
    std::fs::write(dir.path().join("bot.token"), "123:file-token\n").unwrap();
    let settings = resolve(&config, &[]).unwrap().telegram.unwrap();
    assert_eq!(settings.api_base.as_str(), "http://127.0.0.1:9001/");
    assert_eq!(settings.token, "123:file-token");
    assert_eq!(settings.long_poll, Duration::from_secs(5));
    // The environment beats the file; an empty variable does not count.
    let env = [(TELEGRAM_TOKEN_ENV, "456:env")];
    assert_eq!(
        resolve(&config, &env).unwrap().telegram.unwrap().token,
        "456:env"
    );
    let blank = [(TELEGRAM_TOKEN_ENV, " ")];
    assert_eq!(
        resolve(&config, &blank).unwrap().telegram.unwrap().token,
        "123:file-token"
    );
    // A token alone: the real Bot API.
    let real = resolve(&ConfigFile::default(), &[(TELEGRAM_TOKEN_ENV, "789:x")])
        .unwrap()
        .telegram
        .unwrap();
    assert_eq!(real.api_base.as_str(), "https://api.telegram.org/");
    assert_eq!(real.long_poll, Duration::from_secs(25));
}

#[test]
fn the_mailbox_takes_its_defaults_from_the_address() {
    let (dir, config) = load(
        "[email]\naddress = \"support@desk.example\"\n\
         [email.imap]\nhost = \"imap.desk.example\"\npassword_file = \"imap.password\"\n\
         [email.smtp]\nhost = \"smtp.desk.example\"\n",
    );
    std::fs::write(dir.path().join("imap.password"), "p@ss word\n").unwrap();
    let email = resolve(&config, &[]).unwrap().email.unwrap();
    assert_eq!(email.domain, "desk.example");
    assert_eq!(email.max_mail_bytes, EmailSettings::DEFAULT_MAX_MAIL_BYTES);
    assert_eq!(
        (
            email.imap.port,
            email.imap.security,
            email.imap.user.as_str()
        ),
        (993, Security::Tls, "support@desk.example")
    );
    assert_eq!(
        email.imap.password, "p@ss word",
        "inner spaces are the password's"
    );
    assert_eq!(email.imap.mailbox, "INBOX");
    assert_eq!(email.imap.poll_interval, Duration::from_secs(60));
    // No SMTP password: a relay that takes mail without a login.
    assert_eq!(
        (
            email.smtp.port,
            email.smtp.security,
            email.smtp.user.clone()
        ),
        (587, Security::StartTls, None)
    );
    let env = [
        (SMTP_PASSWORD_ENV, "smtp-secret"),
        (IMAP_PASSWORD_ENV, "imap-env"),
    ];
    let email = resolve(&config, &env).unwrap().email.unwrap();
    assert_eq!(email.imap.password, "imap-env");
    assert_eq!(email.smtp.user.as_deref(), Some("support@desk.example"));
    assert_eq!(email.smtp.password.as_deref(), Some("smtp-secret"));
}

#[test]
fn the_phone_webhook_needs_a_long_secret() {
    let (dir, config) = load("[phone]\nwebhook_secret_file = \"phone.secret\"\n");
    std::fs::write(dir.path().join("phone.secret"), "short\n").unwrap();
    let err = resolve(&config, &[]).unwrap_err().to_string();
    assert!(err.contains("shorter than 16"), "{err}");
    std::fs::write(dir.path().join("phone.secret"), "a-long-enough-secret\n").unwrap();
    let phone = resolve(&config, &[]).unwrap().phone.unwrap();
    assert_eq!(phone.webhook_secret, "a-long-enough-secret");
    let env = [(PHONE_SECRET_ENV, "from-the-environment")];
    let alone = resolve(&ConfigFile::default(), &env)
        .unwrap()
        .phone
        .unwrap();
    assert_eq!(alone.webhook_secret, "from-the-environment");
}

#[test]
fn gateways_that_cannot_work_are_refused_by_name() {
    for (text, says) in [
        ("[telegram]\n", TELEGRAM_TOKEN_ENV),
        ("[telegram]\ntoken_file = \"missing.token\"\n", "missing.token"),
        ("[phone]\n", PHONE_SECRET_ENV),
        (
            "[email]\naddress = \"support\"\n[email.imap]\nhost = \"h\"\n[email.smtp]\nhost = \"h\"\n",
            "email.address",
        ),
        (
            "[email]\naddress = \"s@d.example\"\n[email.imap]\nhost = \"h\"\n[email.smtp]\nhost = \"h\"\n",
            IMAP_PASSWORD_ENV,
        ),
    ] {
        let (_dir, config) = load(text);
        let err = resolve(&config, &[]).unwrap_err().to_string();
        assert!(err.contains(says), "{text:?} → {err}");
    }
    let with_token = [(TELEGRAM_TOKEN_ENV, "1:t"), (IMAP_PASSWORD_ENV, "pw")];
    for (text, says) in [
        ("[telegram]\napi_base = \"ftp://x\"", "telegram.api_base"),
        ("[telegram]\napi_base = \"not a url\"", "telegram.api_base"),
        ("[telegram]\nlong_poll_secs = 0", "telegram.long_poll_secs"),
        ("[telegram]\nlong_poll_secs = 600", "telegram.long_poll_secs"),
        (
            "[email]\naddress = \"s@d.example\"\nmax_mail_mb = 0\n[email.imap]\nhost = \"h\"\n[email.smtp]\nhost = \"h\"\n",
            "email.max_mail_mb",
        ),
        (
            "[email]\naddress = \"s@d.example\"\n[email.imap]\nhost = \"h\"\npoll_secs = 0\n[email.smtp]\nhost = \"h\"\n",
            "email.imap.poll_secs",
        ),
    ] {
        let (_dir, config) = load(text);
        let err = resolve(&config, &with_token).unwrap_err().to_string();
        assert!(err.contains(says), "{text:?} → {err}");
    }
    let config = ConfigFile::default();
    for token in ["123:a/b", "12 34", "tok?en"] {
        let err = resolve(&config, &[(TELEGRAM_TOKEN_ENV, token)]).unwrap_err();
        assert!(err.to_string().contains("not one word"), "{token}: {err}");
    }
}
