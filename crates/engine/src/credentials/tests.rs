//! The vault's backends: memory and files here, in a temporary folder; the
//! keyring against a real gnome-keyring on a private D-Bus session, in a
//! child run of this test binary (the session's environment must be set
//! before the process starts, and must not leak into the other tests).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use shiftdesk_domain::AgentId;
use shiftdesk_store::Store;

use super::*;

/// Tokens with edges: unicode, quotes, whitespace, JSON and shell syntax.
const ODD_TOKENS: &[&str] = &[
    "sd_live_5f2c4a9e0b7d4e31a6c8f90d2b1e7a44",
    "токен-Ирины ✓ 🔑",
    "  leading and trailing spaces  ",
    "line\nbreak\ttab",
    r#"{"tokens": "not a file"} \"quoted\" \\ back"#,
    "$(rm -rf ~); `id` 'single' %s %n",
    "x",
];

fn key(agent: i64) -> TokenKey {
    TokenKey::new("https://desk.example.com/api", AgentId(agent)).unwrap()
}

/// A token no other test or file holds, to search for.
fn unique_token() -> ApiToken {
    ApiToken::new(format!("sd_test_{}", uuid::Uuid::new_v4().simple()))
}

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Every file under `dir` whose bytes hold `needle`.
fn files_holding(dir: &Path, needle: &[u8]) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let entry = entry.unwrap();
            let kind = entry.file_type().unwrap();
            if kind.is_dir() {
                stack.push(entry.path());
            } else if kind.is_file() {
                let bytes = std::fs::read(entry.path()).unwrap();
                if bytes.windows(needle.len()).any(|w| w == needle) {
                    found.push(entry.path());
                }
            }
        }
    }
    found
}

fn assert_round_trips(vault: &TokenVault) {
    assert_eq!(vault.load().unwrap(), None);
    for raw in ODD_TOKENS {
        let token = ApiToken::new(*raw);
        vault.save(&token).unwrap();
        assert_eq!(
            vault.load().unwrap().as_ref().map(ApiToken::expose),
            Some(*raw)
        );
    }
    vault.forget().unwrap();
    assert_eq!(vault.load().unwrap(), None);
    vault.forget().unwrap(); // nothing kept: still fine
}

#[test]
fn a_token_never_prints() {
    let token = ApiToken::new("sd_secret_value");
    assert_eq!(format!("{token:?}"), "ApiToken(…)");
    assert_eq!(format!("{:?}", Some(token.clone())), "Some(ApiToken(…))");
    let vault = TokenVault::open(key(1), Storage::Memory).unwrap();
    vault.save(&token).unwrap();
    let shown = format!("{vault:?} {:#?}", vault.load().unwrap());
    assert!(!shown.contains("sd_secret_value"), "{shown}");
}

#[test]
fn keys_name_one_server_however_it_is_spelled() {
    let a = TokenKey::new("https://Desk.Example.com/api", AgentId(7)).unwrap();
    let b = TokenKey::new(" https://desk.example.com/api/?x=1#top ", AgentId(7)).unwrap();
    assert_eq!(a, b);
    assert_eq!(a.server().as_str(), "https://desk.example.com/api/");
    assert_eq!(a.agent(), AgentId(7));
    assert_eq!(a.account(), "agent 7 at https://desk.example.com/api/");
    assert_ne!(
        a,
        TokenKey::new("https://desk.example.com/", AgentId(7)).unwrap()
    );
    assert_ne!(
        a,
        TokenKey::new("https://desk.example.com/api", AgentId(8)).unwrap()
    );

    for bad in [
        "desk.example.com",
        "ftp://desk.example.com/",
        "https://irina:hunter2@desk.example.com/",
    ] {
        let e = TokenKey::new(bad, AgentId(1)).unwrap_err();
        assert_eq!(e.code(), "credentials.bad_server", "{bad}: {e}");
    }
}

#[test]
fn memory_keeps_a_token_for_this_vault_only() {
    let vault = TokenVault::open(key(1), Storage::Memory).unwrap();
    assert_eq!(
        vault.kept(),
        &Where::MemoryOnly {
            reason: MemoryReason::Chosen
        }
    );
    assert_eq!(vault.key(), &key(1));
    assert_round_trips(&vault);

    vault.save(&ApiToken::new("kept")).unwrap();
    let next_run = TokenVault::open(key(1), Storage::Memory).unwrap();
    assert_eq!(next_run.load().unwrap(), None);
}

#[test]
fn a_file_is_created_for_its_owner_alone_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let vault = TokenVault::open(key(1), Storage::File(path.clone())).unwrap();
    assert_eq!(vault.kept(), &Where::File { path: path.clone() });
    assert!(!path.exists(), "opening creates nothing");

    vault.save(&ApiToken::new("first")).unwrap();
    assert_eq!(mode(&path), 0o600);
    assert_eq!(vault.load().unwrap(), Some(ApiToken::new("first")));
    vault.forget().unwrap();
    assert!(!path.exists(), "the last token forgotten, the file goes");
    assert_round_trips(&vault);
    assert!(!path.exists(), "the last token forgotten, the file goes");
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "no temporary file left: {left:?}");
}

#[test]
fn one_file_keeps_each_agents_token_apart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let irina = TokenVault::open(key(1), Storage::File(path.clone())).unwrap();
    let oleg = TokenVault::open(key(2), Storage::File(path.clone())).unwrap();
    let other_desk = TokenVault::open(
        TokenKey::new("http://127.0.0.1:8780", AgentId(1)).unwrap(),
        Storage::File(path.clone()),
    )
    .unwrap();
    irina.save(&ApiToken::new("irina's")).unwrap();
    oleg.save(&ApiToken::new("oleg's")).unwrap();
    assert_eq!(other_desk.load().unwrap(), None);
    assert_eq!(irina.load().unwrap(), Some(ApiToken::new("irina's")));

    irina.forget().unwrap();
    assert_eq!(irina.load().unwrap(), None);
    assert_eq!(oleg.load().unwrap(), Some(ApiToken::new("oleg's")));
    assert_eq!(mode(&path), 0o600);
    assert!(files_holding(dir.path(), b"irina's").is_empty());
}

#[test]
fn a_file_others_can_read_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let token = unique_token();
    let vault = TokenVault::open(key(1), Storage::File(path.clone())).unwrap();
    vault.save(&token).unwrap();

    for loose in [0o644, 0o640, 0o604, 0o620] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(loose)).unwrap();
        let e = TokenVault::open(key(1), Storage::File(path.clone())).unwrap_err();
        assert_eq!(e.code(), "credentials.file_unsafe");
        let said = e.to_string();
        assert!(said.contains(&path.display().to_string()), "{said}");
        assert!(said.contains(&format!("mode {loose:04o}")), "{said}");
        assert!(!said.contains(token.expose()) && !format!("{e:?}").contains(token.expose()));
        // Made loose after opening: every use checks again.
        assert_eq!(vault.load().unwrap_err().code(), "credentials.file_unsafe");
        assert_eq!(
            vault.save(&token).unwrap_err().code(),
            "credentials.file_unsafe"
        );
        assert_eq!(
            vault.forget().unwrap_err().code(),
            "credentials.file_unsafe"
        );
        assert_eq!(mode(&path), loose, "a refused file is left as it was");
    }

    let e = TokenVault::open(key(1), Storage::File(dir.path().to_owned())).unwrap_err();
    assert_eq!(e.code(), "credentials.file_unsafe");
    assert!(e.to_string().contains("not a regular file"), "{e}");
}

#[test]
fn a_damaged_file_is_named_without_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("tokens.json");
    let token = unique_token();
    for content in [
        format!("{{\"tokens\": \"{}\"}}", token.expose()),
        format!(
            "{{\"tokens\": {{\"agent 1\": 5}}, \"{}\": 1}}",
            token.expose()
        ),
        format!("{{\"tokens\": {{\"agent 1\": \"{}", token.expose()),
        format!("{} plain text", token.expose()),
    ] {
        std::fs::write(&path, &content).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let e = TokenVault::open(key(1), Storage::File(path.clone())).unwrap_err();
        assert_eq!(e.code(), "credentials.file_corrupt", "{e}");
        for shown in [e.to_string(), format!("{e:?}")] {
            assert!(!shown.contains(token.expose()), "{shown}");
        }
    }
}

#[test]
fn a_file_in_a_missing_folder_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no such folder").join("tokens.json");
    let vault = TokenVault::open(key(1), Storage::File(path)).unwrap();
    let e = vault.save(&ApiToken::new("t")).unwrap_err();
    assert_eq!(e.code(), "credentials.file_io", "{e}");
}

#[test]
fn where_says_it_plainly() {
    assert_eq!(
        Where::MemoryOnly {
            reason: MemoryReason::NoKeyring("no session bus".to_owned())
        }
        .to_string(),
        "No keyring available (no session bus): the token is kept in memory until Shiftdesk closes"
    );
    assert_eq!(
        Where::Keyring.to_string(),
        "The token is kept in the system keyring"
    );
    assert_eq!(
        Where::File {
            path: "/home/irina/.shiftdesk-token".into()
        }
        .to_string(),
        "The token is kept in /home/irina/.shiftdesk-token, readable only by you"
    );
}

/// The app's data folder after a session's worth of keeping a token in
/// memory beside a real cache: no file there holds it.
#[tokio::test]
async fn a_token_kept_in_memory_never_lands_in_the_data_folder() {
    let home = tempfile::tempdir().unwrap();
    let token = unique_token();
    let vault = TokenVault::open(key(1), Storage::Memory).unwrap();
    use_beside_a_cache(&vault, &token, &home.path().join(SERVICE)).await;
    let holding = files_holding(home.path(), token.expose().as_bytes());
    assert!(holding.is_empty(), "the token is in {holding:?}");
}

/// Saves, loads and forgets `token` with a cache open in the app's data
/// folder `data`, then saves it again to stay kept.
async fn use_beside_a_cache(vault: &TokenVault, token: &ApiToken, data: &Path) {
    std::fs::create_dir_all(data).unwrap();
    let store = Store::open(&data.join("cache.sqlite")).await.unwrap().store;
    vault.save(token).unwrap();
    assert_eq!(vault.load().unwrap().as_ref(), Some(token));
    vault.forget().unwrap();
    vault.save(token).unwrap();
    store.close().await;
}

// The keyring, in child runs of this binary.

/// Set in a child run: which child it is.
const CHILD_ENV: &str = "SHIFTDESK_CREDENTIALS_CHILD";
/// The token a keyring child keeps, chosen by the parent so it can search
/// the child's files for it afterwards.
const TOKEN_ENV: &str = "SHIFTDESK_CREDENTIALS_TOKEN";
const KEYRING_CHILD: &str = "credentials::tests::keyring_child_process";
const FALLBACK_CHILD: &str = "credentials::tests::fallback_child_process";
/// Long enough for a slow machine; a keyring waiting on a prompt no one
/// will answer must fail the test, not hang it.
const CHILD_DEADLINE: Duration = Duration::from_secs(90);

/// A child run of `test` under `cmd`'s wrapper, in a home of its own.
/// Returns its output once it succeeded; fails with that output otherwise.
fn run_child(mut cmd: Command, test: &str, home: &Path, env: &[(&str, &str)]) -> String {
    for dir in ["run", "data", "config", "cache"] {
        std::fs::create_dir_all(home.join(dir)).unwrap();
    }
    std::fs::set_permissions(home.join("run"), std::fs::Permissions::from_mode(0o700)).unwrap();
    let log = home.join("child.log");
    cmd.env(CHILD_ENV, test)
        .env("HOME", home)
        .env("XDG_RUNTIME_DIR", home.join("run"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        // No X display to autolaunch a bus through.
        .env_remove("DISPLAY")
        .envs(env.iter().copied())
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(std::fs::File::create(home.join("child.err")).unwrap());
    let mut child = cmd.spawn().unwrap_or_else(|e| {
        panic!("cannot start {cmd:?}: {e}. `cargo xtask test` installs dbus and gnome-keyring")
    });
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if started.elapsed() > CHILD_DEADLINE {
            child.kill().unwrap();
            child.wait().unwrap();
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let out = std::fs::read_to_string(&log).unwrap();
    let err = std::fs::read_to_string(home.join("child.err")).unwrap();
    let ran = format!("{out}\n{err}");
    assert!(
        status.is_some_and(|s| s.success()),
        "child {test} ended {status:?}:\n{ran}"
    );
    assert!(ran.contains("1 passed"), "child {test} ran no test:\n{ran}");
    ran
}

/// `sh -c` runs `script` with the test binary as `$0`, so the script
/// can `exec "$0" ...`.
fn in_session(config: Option<&Path>, script: &str) -> Command {
    let mut cmd = Command::new("dbus-run-session");
    if let Some(config) = config {
        cmd.arg(format!("--config-file={}", config.display()));
    }
    cmd.args(["--", "sh", "-c", script])
        .arg(std::env::current_exe().unwrap());
    cmd
}

/// libtest's flags to run the one ignored child test `test`.
fn child_flags(test: &str) -> [&str; 5] {
    [
        "--exact",
        test,
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ]
}

/// A shell line that becomes the child run of `test`.
fn exec_child(test: &str) -> String {
    format!(r#"exec "$0" {}"#, child_flags(test).join(" "))
}

#[test]
fn keyring_keeps_a_token_in_a_real_secret_service() {
    let home = tempfile::tempdir().unwrap();
    let token = unique_token();
    // gnome-keyring creates the login keyring with this password and
    // leaves it unlocked; the child then talks to it over the session bus.
    let unlock = "printf %s 'shiftdesk test keyring' \
                  | gnome-keyring-daemon --unlock --components=secrets > /dev/null";
    let script = format!("{unlock} && {}", exec_child(KEYRING_CHILD));
    run_child(
        in_session(None, &script),
        KEYRING_CHILD,
        home.path(),
        &[(TOKEN_ENV, token.expose())],
    );
    // Whatever the child left behind: the cache, gnome-keyring's own
    // (encrypted) keyring file, and the child's output.
    let holding = files_holding(home.path(), token.expose().as_bytes());
    assert!(holding.is_empty(), "the token is in {holding:?}");
    assert!(
        home.path().join("data/keyrings").is_dir(),
        "the child used the keyring in its own home"
    );
}

/// Not a test on its own: the keyring user that
/// `keyring_keeps_a_token_in_a_real_secret_service` runs on a private
/// session bus with an unlocked gnome-keyring.
#[tokio::test]
#[ignore = "child process of keyring_keeps_a_token_in_a_real_secret_service"]
async fn keyring_child_process() {
    if std::env::var(CHILD_ENV).as_deref() != Ok(KEYRING_CHILD) {
        return;
    }
    let vault = TokenVault::open(key(1), Storage::Keyring).unwrap();
    assert_eq!(vault.kept(), &Where::Keyring, "{}", vault.kept());
    assert_round_trips(&vault);

    let token = ApiToken::new(std::env::var(TOKEN_ENV).unwrap());
    vault.save(&token).unwrap();
    // Another vault, as the next run would open it, finds it; another
    // agent or server does not.
    let again = TokenVault::open(key(1), Storage::Keyring).unwrap();
    assert_eq!(again.load().unwrap().as_ref(), Some(&token));
    let colleague = TokenVault::open(key(2), Storage::Keyring).unwrap();
    assert_eq!(colleague.load().unwrap(), None);
    colleague.save(&ApiToken::new("colleague's")).unwrap();
    assert_eq!(again.load().unwrap().as_ref(), Some(&token));
    colleague.forget().unwrap();
    assert_eq!(colleague.load().unwrap(), None);
    assert_eq!(again.load().unwrap().as_ref(), Some(&token));

    let data = PathBuf::from(std::env::var_os("XDG_DATA_HOME").unwrap()).join(SERVICE);
    use_beside_a_cache(&vault, &token, &data).await;
    assert_eq!(again.load().unwrap().as_ref(), Some(&token));
}

#[test]
fn no_session_bus_means_memory_with_a_reason() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(std::env::current_exe().unwrap());
    cmd.args(child_flags(FALLBACK_CHILD));
    let nowhere = format!("unix:path={}", home.path().join("no-bus").display());
    let ran = run_child(
        cmd,
        FALLBACK_CHILD,
        home.path(),
        &[("DBUS_SESSION_BUS_ADDRESS", &nowhere)],
    );
    assert!(
        ran.contains("No keyring available (no D-Bus session bus: "),
        "{ran}"
    );
}

#[test]
fn a_bus_without_a_secret_service_means_memory_with_a_reason() {
    let home = tempfile::tempdir().unwrap();
    // A session bus that can start no services: no gnome-keyring on it.
    let config = home.path().join("bus.conf");
    std::fs::write(
        &config,
        format!(
            r#"<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={}</listen>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"#,
            home.path().display()
        ),
    )
    .unwrap();
    let ran = run_child(
        in_session(Some(&config), &exec_child(FALLBACK_CHILD)),
        FALLBACK_CHILD,
        home.path(),
        &[],
    );
    assert!(
        ran.contains(
            "No keyring available (no Secret Service, such as GNOME Keyring or KWallet, is running)"
        ),
        "{ran}"
    );
}

#[test]
fn a_keyring_never_set_up_means_memory_with_a_reason() {
    let home = tempfile::tempdir().unwrap();
    // The bus starts gnome-keyring on the first call, with no login
    // keyring and no one to answer its prompt to make one.
    let ran = run_child(
        in_session(None, &exec_child(FALLBACK_CHILD)),
        FALLBACK_CHILD,
        home.path(),
        &[],
    );
    assert!(
        ran.contains("No keyring available (the keyring would not open: "),
        "{ran}"
    );
}

/// Not a test on its own: opens a keyring vault where there is no keyring
/// to be had, and prints what the user would be told.
#[test]
#[ignore = "child process of the keyring fallback tests"]
fn fallback_child_process() {
    if std::env::var(CHILD_ENV).as_deref() != Ok(FALLBACK_CHILD) {
        return;
    }
    let vault = TokenVault::open(key(1), Storage::Keyring).unwrap();
    let Where::MemoryOnly {
        reason: MemoryReason::NoKeyring(reason),
    } = vault.kept()
    else {
        panic!(
            "expected memory for want of a keyring, got {:?}",
            vault.kept()
        );
    };
    assert!(!reason.trim().is_empty());
    println!("{}", vault.kept());
    assert_round_trips(&vault);
}
