//! `shiftdesk <command>`: the real binary against the real reference
//! server binary. Sign in, sync, reply on every channel while the server
//! is down, deliver each reply once when it is back; exit codes a script
//! can rely on.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod desk;

use desk::{cache_file, free_port, login, serve, server_cli, token_of, APP};
use shiftdesk_domain::AgentId;
use shiftdesk_engine::accounts::AccountBook;
use shiftdesk_store::Store;

/// Runs `shiftdesk args…` on `data` with `stdin`.
fn shiftdesk(data: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(APP)
        .args(args)
        .env("SHIFTDESK_DATA_DIR", data)
        .env_remove("SHIFTDESK_API_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

fn code(out: &Output) -> i32 {
    out.status.code().unwrap()
}

fn text(out: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Every file under `dir`, in its subfolders too.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(files_under(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The first column of each line `queue` printed: the ticket numbers.
fn numbers(queue: &Output) -> Vec<String> {
    String::from_utf8_lossy(&queue.stdout)
        .lines()
        .map(|l| l.split('\t').next().unwrap().to_owned())
        .collect()
}

/// The tickets of the entries in the outbox of the cache at `cache`.
fn outbox_in(cache: &Path) -> Vec<i64> {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", cache.display()))
            .await
            .unwrap();
        let tickets = sqlx::query_scalar("SELECT ticket_number FROM outbox ORDER BY seq")
            .fetch_all(&pool)
            .await
            .unwrap();
        pool.close().await;
        tickets
    })
}

fn replies_on_server(db: &Path, body: &str) -> i64 {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display()))
            .await
            .unwrap();
        let n = sqlx::query_scalar(
            "SELECT count(*) FROM messages WHERE json_extract(body, '$.body') = ?",
        )
        .bind(body)
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        n
    })
}

/// The kind and promised callback of the message with `body`.
fn call_on_server(db: &Path, body: &str) -> (String, Option<i64>) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display()))
            .await
            .unwrap();
        let found = sqlx::query_as(
            "SELECT json_extract(body, '$.kind.kind'), json_extract(body, '$.kind.call.callback_at') \
             FROM messages WHERE json_extract(body, '$.body') = ?",
        )
        .bind(body)
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        found
    })
}

fn ticket_fields(db: &Path, number: &str) -> (String, String, String) {
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}?mode=ro", db.display()))
            .await
            .unwrap();
        let fields = sqlx::query_as(
            "SELECT json_extract(body, '$.status'), json_extract(body, '$.priority'), \
             json(json_extract(body, '$.tags')) FROM tickets WHERE number = ?",
        )
        .bind(number.trim_start_matches('#').parse::<i64>().unwrap())
        .fetch_one(&pool)
        .await
        .unwrap();
        pool.close().await;
        fields
    })
}

#[test]
fn replies_written_while_the_server_is_down_are_delivered_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    server_cli(&db, &["demo", "--tickets", "40"]);
    let token = token_of(&server_cli(&db, &["agent", "token", "--id", "1"]));
    let port = free_port();
    let url = format!("http://127.0.0.1:{port}");
    let data = dir.path().join("data");
    let token_file = dir.path().join("token");

    // Not signed in yet.
    assert_eq!(code(&shiftdesk(&data, &["sync"], "")), 3);

    let mut server = serve(&db, port);
    let login = shiftdesk(
        &data,
        &[
            "login",
            "--server",
            &url,
            "--token-stdin",
            "--token-file",
            token_file.to_str().unwrap(),
        ],
        &token,
    );
    assert_eq!(code(&login), 0, "{}", text(&login));
    assert!(
        text(&login).contains("readable only by you"),
        "{}",
        text(&login)
    );
    let sync = shiftdesk(&data, &["sync"], "");
    assert_eq!(code(&sync), 0, "{}", text(&sync));
    let queue = shiftdesk(&data, &["queue", "--view", "all", "--limit", "4"], "");
    // Numbers as `queue` prints them (#10048): what a script passes on.
    let tickets = numbers(&queue);
    assert_eq!(tickets.len(), 4, "{}", text(&queue));
    assert!(tickets.iter().all(|t| t.starts_with('#')), "{tickets:?}");

    // The server goes away; the agent answers on every channel: in
    // writing, and on the phone by logging the call.
    server.kill().unwrap();
    server.wait().unwrap();
    let channels = ["portal", "telegram", "email", "phone"];
    for (ticket, channel) in tickets.iter().zip(channels) {
        let body = format!("Ответ по {channel}: перезапустили узел.");
        let args: &[&str] = if channel == "phone" {
            &[
                "call",
                ticket,
                "--direction",
                "outbound",
                "--duration",
                "95",
                "--callback-in-minutes",
                "120",
                "--notes",
                "-",
            ]
        } else {
            &["reply", ticket, "--channel", channel, "--body", "-"]
        };
        let answer = shiftdesk(&data, args, &body);
        assert_eq!(code(&answer), 0, "{}", text(&answer));
    }
    // A reply on the phone is refused at once and points at `call`.
    let phone_reply = shiftdesk(
        &data,
        &["reply", &tickets[3], "--channel", "phone", "--body", "-"],
        "Перезвонили",
    );
    assert_eq!(code(&phone_reply), 2, "{}", text(&phone_reply));
    assert!(
        text(&phone_reply).contains("shiftdesk call"),
        "{}",
        text(&phone_reply)
    );
    // So is a callback promised more than 30 days ahead: nothing queued.
    let too_far = shiftdesk(
        &data,
        &[
            "call",
            &tickets[3],
            "--direction",
            "outbound",
            "--callback-in-minutes",
            "50000",
            "--notes",
            "x",
        ],
        "",
    );
    assert_eq!(code(&too_far), 2, "{}", text(&too_far));
    assert!(text(&too_far).contains("30 days"), "{}", text(&too_far));
    let offline = shiftdesk(&data, &["sync"], "");
    assert_eq!(code(&offline), 4, "{}", text(&offline));
    let outbox = shiftdesk(&data, &["outbox"], "");
    assert_eq!(
        String::from_utf8_lossy(&outbox.stdout)
            .matches("\tqueued\t")
            .count(),
        4
    );
    assert_eq!(code(&shiftdesk(&data, &["status"], "")), 4);

    // Back: each reply is delivered once, however many times sync runs.
    let mut server = serve(&db, port);
    for _ in 0..2 {
        let sync = shiftdesk(&data, &["sync"], "");
        assert_eq!(code(&sync), 0, "{}", text(&sync));
    }
    for channel in channels {
        let body = format!("Ответ по {channel}: перезапустили узел.");
        assert_eq!(replies_on_server(&db, &body), 1, "{channel}");
    }
    assert_eq!(
        String::from_utf8_lossy(&shiftdesk(&data, &["outbox"], "").stdout),
        ""
    );
    // The call went as a call log, with the callback the agent promised.
    let phone_body = "Ответ по phone: перезапустили узел.";
    let (kind, callback) = call_on_server(&db, phone_body);
    assert_eq!(kind, "call_log");
    assert!(callback.is_some_and(|at| at > 0));
    let show = shiftdesk(&data, &["show", &tickets[1]], "");
    assert!(text(&show).contains("Ответ по telegram"), "{}", text(&show));
    // No Telegram gateway runs here, so the reply waits in the server's
    // queue: only a failed reply can be sent again.
    let shown = text(&show);
    // The agent's reply, not one the demo desk came with: its header is
    // the line before its text.
    let lines: Vec<&str> = shown.lines().collect();
    let reply_line = lines
        .windows(2)
        .find(|w| w[1].starts_with("Ответ по telegram"))
        .map(|w| w[0])
        .unwrap();
    let reply_id = reply_line
        .trim_start_matches("— #")
        .split_whitespace()
        .next()
        .unwrap();
    assert!(reply_line.contains("[delivery: queued]"), "{reply_line}");
    let retry = shiftdesk(&data, &["retry", &tickets[1], reply_id], "");
    assert_eq!(code(&retry), 2, "{}", text(&retry));
    assert!(
        text(&retry).contains("only a failed reply"),
        "{}",
        text(&retry)
    );
    let unknown = shiftdesk(&data, &["retry", &tickets[1], "999999999"], "");
    assert_eq!(code(&unknown), 2, "{}", text(&unknown));
    assert!(
        text(&unknown).contains("has no message"),
        "{}",
        text(&unknown)
    );

    // Edits chain offline: three edits of one ticket, all applied.
    let set = shiftdesk(
        &data,
        &[
            "set",
            &tickets[0],
            "--status",
            "pending",
            "--priority",
            "high",
            "--tags",
            "vip, ssh",
        ],
        "",
    );
    assert_eq!(code(&set), 0, "{}", text(&set));
    assert_eq!(
        String::from_utf8_lossy(&set.stdout)
            .matches("queued")
            .count(),
        3
    );
    assert_eq!(code(&shiftdesk(&data, &["sync"], "")), 0);
    let (status, priority, tags) = ticket_fields(&db, &tickets[0]);
    assert_eq!((status.as_str(), priority.as_str()), ("pending", "high"));
    assert_eq!(tags, r#"["vip","ssh"]"#);
    assert_eq!(code(&shiftdesk(&data, &["set", &tickets[0]], "")), 2);

    // The token is in its file only: not in the account book, the cache
    // or logs.
    for path in files_under(&data) {
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(token.len()).any(|w| w == token.as_bytes()),
            "{}",
            path.display()
        );
    }

    // Following: a status line as soon as the first round is done, and a
    // clean exit on Ctrl+C.
    let mut follow = Command::new(APP)
        .args(["sync", "--follow"])
        .env("SHIFTDESK_DATA_DIR", &data)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(follow.stdout.as_mut().unwrap()),
        &mut first,
    )
    .unwrap();
    assert_eq!(first.trim(), "online: 0 queued, 0 waiting for you");
    let pid = follow.id().to_string();
    assert!(Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap()
        .success());
    assert!(follow.wait().unwrap().success());

    // Mistakes and refusals, each with its code.
    assert_eq!(
        code(&shiftdesk(
            &data,
            &["reply", "1", "--channel", "fax", "--body", "x"],
            ""
        )),
        2
    );
    let missing = shiftdesk(&data, &["show", "999999"], "");
    assert_eq!(code(&missing), 1);
    assert!(
        text(&missing).contains("no ticket #999999"),
        "{}",
        text(&missing)
    );
    server_cli(&db, &["agent", "disable", "--id", "1"]);
    let revoked = shiftdesk(&data, &["sync"], "");
    assert_eq!(code(&revoked), 5, "{}", text(&revoked));
    assert!(
        text(&revoked).contains("auth.device_revoked"),
        "{}",
        text(&revoked)
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

/// A sync that went through but left a change for the agent to settle
/// (here an edit a lead's overtook) exits 6, and `outbox` says why.
#[test]
fn a_sync_that_leaves_a_change_for_the_agent_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    server_cli(&db, &["demo", "--tickets", "20"]);
    let agent_token = token_of(&server_cli(&db, &["agent", "token", "--id", "1"]));
    // Agent 2 is the demo team's lead.
    let lead_token = token_of(&server_cli(&db, &["agent", "token", "--id", "2"]));
    let port = free_port();
    let mut server = serve(&db, port);
    let url = format!("http://127.0.0.1:{port}");
    let signed_in = |who: &str, token: &str| {
        let data = dir.path().join(who);
        let token_file = dir.path().join(format!("{who}.token"));
        let login = shiftdesk(
            &data,
            &["login", "--server", &url, "--token-stdin", "--token-file"]
                .into_iter()
                .chain([token_file.to_str().unwrap()])
                .collect::<Vec<_>>(),
            token,
        );
        assert_eq!(code(&login), 0, "{}", text(&login));
        let sync = shiftdesk(&data, &["sync"], "");
        assert_eq!(code(&sync), 0, "{}", text(&sync));
        data
    };
    let agent = signed_in("agent", &agent_token);
    let lead = signed_in("lead", &lead_token);
    let queue = shiftdesk(&agent, &["queue", "--limit", "1"], "");
    let ticket = String::from_utf8_lossy(&queue.stdout)
        .split('\t')
        .next()
        .unwrap()
        .to_owned();

    // The lead retags the ticket first; the agent's retag, made against
    // the version before, comes second.
    for data in [&lead, &agent] {
        let set = shiftdesk(data, &["set", &ticket, "--tags", "billing"], "");
        assert_eq!(code(&set), 0, "{}", text(&set));
        let sync = shiftdesk(data, &["sync"], "");
        if data == &lead {
            assert_eq!(code(&sync), 0, "{}", text(&sync));
        } else {
            assert_eq!(code(&sync), 6, "{}", text(&sync));
            assert!(
                text(&sync).contains("1 change waits for you"),
                "{}",
                text(&sync)
            );
        }
    }
    let outbox = text(&shiftdesk(&agent, &["outbox"], ""));
    assert!(
        outbox.contains("\tneeds_review\ttags billing\t"),
        "{outbox}"
    );
    assert!(
        outbox.contains("held: the ticket changed on the server"),
        "{outbox}"
    );
    // A move the lifecycle does not allow (closing a ticket not solved)
    // is refused before anything is queued.
    let closed = shiftdesk(&agent, &["set", &ticket, "--status", "closed"], "");
    assert_eq!(code(&closed), 2, "{}", text(&closed));
    assert!(
        text(&closed).contains("cannot move from"),
        "{}",
        text(&closed)
    );
    server.kill().unwrap();
    server.wait().unwrap();
}

/// The flows of the sign-in screen on the command line: a one-time code
/// sets the password, the password signs in another folder, and secrets
/// only ever come through standard input.
#[test]
fn login_takes_a_code_then_a_password_and_refuses_unsafe_addresses() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    server_cli(&db, &["demo", "--tickets", "10"]);
    let printed = server_cli(&db, &["agent", "reset", "--id", "1"]);
    let code_line = printed
        .lines()
        .find_map(|l| l.strip_prefix("sign-in code "))
        .unwrap()
        .to_owned();
    let port = free_port();
    let mut server = serve(&db, port);
    let url = format!("http://127.0.0.1:{port}");
    let token_file = |who: &str| dir.path().join(format!("{who}.token"));
    let login = |who: &str, how: &[&str], stdin: &str| {
        let file = token_file(who);
        let mut args = vec!["login", "--server", &url];
        args.extend_from_slice(how);
        args.extend(["--token-file", file.to_str().unwrap()]);
        shiftdesk(&dir.path().join(who), &args, stdin)
    };

    let first = login(
        "desk",
        &["--code"],
        &format!("{code_line}\na long passphrase\n"),
    );
    assert_eq!(code(&first), 0, "{}", text(&first));
    assert!(
        text(&first).contains("as Алексей Смирнов (agent)"),
        "{}",
        text(&first)
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        let data = dir.path().join("desk");
        assert_eq!(mode(&data), 0o700, "the data folder is the agent's alone");
        let cache = cache_file(&data);
        assert_eq!(mode(cache.parent().unwrap()), 0o700, "so is the account's");
        assert_eq!(mode(&cache), 0o600);
        assert_eq!(mode(&data.join("accounts.json")), 0o600);
        assert_eq!(mode(&token_file("desk")), 0o600);
    }
    let stored = std::fs::read_to_string(token_file("desk")).unwrap();
    assert!(stored.contains("sdk_"), "the device token is kept");
    assert!(!stored.contains("passphrase"), "the password is not");

    let again = login(
        "other",
        &["--code"],
        &format!("{code_line}\nanother passphrase\n"),
    );
    assert_eq!(code(&again), 5, "{}", text(&again));
    assert!(
        text(&again).contains("auth.code_invalid"),
        "{}",
        text(&again)
    );

    let email = "aleksey.smirnov@shiftdesk.example";
    let wrong = login("laptop", &["--login", email], "not my password\n");
    assert_eq!(code(&wrong), 5, "{}", text(&wrong));
    assert!(
        text(&wrong).contains("auth.sign_in_failed"),
        "{}",
        text(&wrong)
    );
    let right = login("laptop", &["--login", email], "a long passphrase\n");
    assert_eq!(code(&right), 0, "{}", text(&right));
    let synced = shiftdesk(&dir.path().join("laptop"), &["sync"], "");
    assert_eq!(code(&synced), 0, "{}", text(&synced));

    // A weak new password is refused before the server is asked.
    let weak = login("weak", &["--code"], "AAAA-BBBB-CCCC-DDDD\nshort\n");
    assert_eq!(code(&weak), 2, "{}", text(&weak));
    assert!(
        text(&weak).contains("at least 10 characters"),
        "{}",
        text(&weak)
    );
    // No way to give a secret in argv.
    let argv = shiftdesk(
        &dir.path().join("argv"),
        &["login", "--server", &url, "--token", "sdk_x"],
        "",
    );
    assert_eq!(code(&argv), 2, "{}", text(&argv));
    server.kill().unwrap();
    server.wait().unwrap();

    for (address, says) in [
        (
            "http://desk.example.com",
            "plain http is only for a server on this machine",
        ),
        (
            "https://anna:s3cret@desk.example.com",
            "holds a user name or password",
        ),
    ] {
        let refused = shiftdesk(
            &dir.path().join("refused"),
            &["login", "--server", address, "--login", email],
            "a long passphrase\n",
        );
        assert_eq!(code(&refused), 2, "{}", text(&refused));
        assert!(text(&refused).contains(says), "{}", text(&refused));
        assert!(!text(&refused).contains("s3cret"), "{}", text(&refused));
    }

    // Something that is not a Shiftdesk server is named as such.
    let other = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let other_port = other.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in other.incoming().flatten() {
            let mut stream = stream;
            let mut request = [0u8; 2048];
            let _ = std::io::Read::read(&mut stream, &mut request);
            let _ = stream.write_all(
                b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 6\r\nconnection: close\r\n\r\n<html>",
            );
        }
    });
    let not_ours = shiftdesk(
        &dir.path().join("other"),
        &[
            "login",
            "--server",
            &format!("http://127.0.0.1:{other_port}"),
            "--login",
            email,
        ],
        "a long passphrase\n",
    );
    assert_ne!(code(&not_ours), 0);
    assert!(
        text(&not_ours).contains("is not a Shiftdesk server"),
        "{}",
        text(&not_ours)
    );
}

/// Two agents on one data folder: each signs in to an account of their
/// own, neither sees the other's tickets or queued changes, and the first
/// finds theirs again on signing back in.
#[test]
fn a_second_agent_on_the_same_data_folder_sees_nothing_of_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("server.sqlite");
    server_cli(&db, &["demo", "--tickets", "40"]);
    // Agents 1 and 3 of the demo team; neither is its lead, so each pulls
    // only their own tickets.
    let a_token = token_of(&server_cli(&db, &["agent", "token", "--id", "1"]));
    let b_token = token_of(&server_cli(&db, &["agent", "token", "--id", "3"]));
    let (a_file, b_file) = (dir.path().join("a.token"), dir.path().join("b.token"));
    let port = free_port();
    let mut server = serve(&db, port);
    let data = dir.path().join("data");
    let all = ["queue", "--view", "all", "--limit", "100"];

    login(&data, port, &a_token, &a_file);
    assert_eq!(code(&shiftdesk(&data, &["sync"], "")), 0);
    let a_tickets = numbers(&shiftdesk(&data, &all, ""));
    assert!(!a_tickets.is_empty());
    let body = "Ответ агента 1: ещё не отправлен.";
    let reply = shiftdesk(
        &data,
        &["reply", &a_tickets[0], "--channel", "email", "--body", body],
        "",
    );
    assert_eq!(code(&reply), 0, "{}", text(&reply));
    let a_outbox = text(&shiftdesk(&data, &["outbox"], ""));
    assert!(
        a_outbox.contains(&format!("\t{}\tqueued\treply on email", a_tickets[0])),
        "{a_outbox}"
    );
    let a_cache = cache_file(&data);
    let a_entries = outbox_in(&a_cache);
    assert_eq!(a_entries.len(), 1);

    // B signs in on A's data folder: a cache of B's own, empty until B
    // syncs, and then only B's tickets; A's reply is not B's to send.
    login(&data, port, &b_token, &b_file);
    let b_cache = cache_file(&data);
    assert_ne!(b_cache, a_cache);
    assert_eq!(text(&shiftdesk(&data, &["outbox"], "")), "");
    assert_eq!(text(&shiftdesk(&data, &all, "")), "");
    let sync = shiftdesk(&data, &["sync"], "");
    assert_eq!(code(&sync), 0, "{}", text(&sync));
    let b_tickets = numbers(&shiftdesk(&data, &all, ""));
    assert!(!b_tickets.is_empty());
    assert!(
        b_tickets.iter().all(|t| !a_tickets.contains(t)),
        "{b_tickets:?} {a_tickets:?}"
    );
    let a_ticket = shiftdesk(&data, &["show", &a_tickets[0]], "");
    assert_eq!(code(&a_ticket), 1, "{}", text(&a_ticket));
    assert_eq!(text(&shiftdesk(&data, &["outbox"], "")), "");
    assert_eq!(replies_on_server(&db, body), 0);
    let status = text(&shiftdesk(&data, &["status"], ""));
    assert!(status.contains("as Дмитрий Волков"), "{status}");
    // A's folder is as A left it.
    assert_eq!(outbox_in(&a_cache), a_entries);

    // A back: the same cache, the reply still queued, and sent by A's sync.
    login(&data, port, &a_token, &a_file);
    assert_eq!(cache_file(&data), a_cache);
    assert_eq!(text(&shiftdesk(&data, &["outbox"], "")), a_outbox);
    assert_eq!(code(&shiftdesk(&data, &["sync"], "")), 0);
    assert_eq!(replies_on_server(&db, body), 1);
    let book = AccountBook::open(&data).unwrap();
    assert_eq!(book.accounts().len(), 2);

    // A cache that says it is B's, found in A's folder (copied there, say),
    // is refused rather than shown as A's.
    for file in files_under(a_cache.parent().unwrap()) {
        std::fs::remove_file(file).unwrap();
    }
    tokio::runtime::Runtime::new().unwrap().block_on(async {
        let store = Store::open(&a_cache).await.unwrap().store;
        store.set_me(AgentId(3)).await.unwrap();
        store.close().await;
    });
    let refused = shiftdesk(&data, &["queue"], "");
    assert_eq!(code(&refused), 1, "{}", text(&refused));
    assert!(
        text(&refused).contains("is agent 3's cache, not agent 1's"),
        "{}",
        text(&refused)
    );
    server.kill().unwrap();
    server.wait().unwrap();
}
