//! The cache against real SQLite files: opening, damage, newer schemas,
//! writes, queue order and search.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod fixtures;

use fixtures::*;
use shiftdesk_domain::*;
use shiftdesk_store::*;

async fn seeded(dir: &std::path::Path) -> Store {
    let Opened { store, moved_aside } = Store::open(&dir.join("cache.sqlite")).await.unwrap();
    assert_eq!(moved_aside, None);
    store.upsert_agents(&agents()).await.unwrap();
    store.upsert_customers(&customers()).await.unwrap();
    store.set_me(ME).await.unwrap();
    store
}

#[tokio::test]
async fn a_new_cache_is_created_and_reopened_with_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    store
        .upsert_threads(&[thread(
            10001,
            "Диск переполнен",
            "на vm-7f3a21 кончилось место",
        )])
        .await
        .unwrap();
    store.close().await;

    let reopened = Store::open(&dir.path().join("cache.sqlite")).await.unwrap();
    assert_eq!(reopened.moved_aside, None);
    assert_eq!(reopened.store.ticket_count().await.unwrap(), 1);
    assert_eq!(reopened.store.me().await.unwrap(), Some(ME));
}

#[tokio::test]
async fn a_file_that_is_not_sqlite_is_moved_aside_not_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let garbage = "это не база данных, а чей-то отчёт\n".repeat(200);
    std::fs::write(&path, &garbage).unwrap();

    let opened = Store::open(&path).await.unwrap();
    let moved = opened.moved_aside.expect("the user must be told");
    assert!(
        moved.reason.contains("not a SQLite database"),
        "{}",
        moved.reason
    );
    assert_eq!(std::fs::read_to_string(&moved.moved_to).unwrap(), garbage);
    assert_eq!(
        opened.store.ticket_count().await.unwrap(),
        0,
        "a fresh cache took its place"
    );
}

#[tokio::test]
async fn a_damaged_database_is_moved_aside_and_a_fresh_one_started() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let store = seeded(dir.path()).await;
    store
        .upsert_threads(&[thread(10001, "Billing question", "invoice 4411")])
        .await
        .unwrap();
    store.close().await;

    // Keep the header, wreck the schema page and the rest; a WAL left
    // beside it is wrecked too, so it cannot mask the damage. SQLite ignores
    // a WAL with an invalid header and may remove it on close; whatever is
    // left goes aside with the file.
    let wreck = |p: &std::path::Path| {
        let mut bytes = std::fs::read(p).unwrap();
        for b in bytes.iter_mut().skip(100) {
            *b = 0xA5;
        }
        std::fs::write(p, &bytes).unwrap();
        bytes
    };
    let bytes = wreck(&path);
    let wal = dir.path().join("cache.sqlite-wal");
    let garbage = vec![0x5A; 8192];
    std::fs::write(&wal, &garbage).unwrap();

    let opened = Store::open(&path).await.unwrap();
    let moved = opened.moved_aside.expect("the user must be told");
    assert_eq!(
        std::fs::read(&moved.moved_to).unwrap(),
        bytes,
        "kept byte for byte"
    );
    let moved_wal = format!("{}", moved.moved_to.display())
        .replace("cache.sqlite.damaged", "cache.sqlite-wal.damaged");
    if let Ok(moved_wal) = std::fs::read(&moved_wal) {
        assert_eq!(moved_wal, garbage, "the old WAL went aside untouched");
    }
    let fresh_wal = std::fs::read(&wal).unwrap_or_default();
    assert_ne!(
        fresh_wal, garbage,
        "the fresh cache does not start on the old WAL"
    );
    assert_eq!(opened.store.ticket_count().await.unwrap(), 0);
    assert_intact(&path).await;
}

#[tokio::test]
async fn a_cache_from_a_newer_app_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("cache.sqlite");
    let store = seeded(dir.path()).await;
    store.close().await;
    {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", path.display()))
            .await
            .unwrap();
        sqlx::query(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (42, 'from the future', 1, x'00', 0)",
        )
        .execute(&pool)
        .await
        .unwrap();
        pool.close().await;
    }
    let before = std::fs::read(&path).unwrap();

    let err = Store::open(&path).await.unwrap_err();
    assert_eq!(err.code(), "cache.schema_too_new");
    let message = err.to_string();
    assert!(
        message.contains("newer Shiftdesk") && message.contains("42"),
        "{message}"
    );
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let siblings: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        siblings
            .iter()
            .all(|n| !n.to_string_lossy().contains("damaged")),
        "nothing moved aside: {siblings:?}"
    );
}

/// Another user of the computer reads none of it: the folder 0700, the
/// cache and its WAL files 0600, the file store 0700 all the way down,
/// whatever the umask; an older cache made under 0644 is closed up.
#[cfg(unix)]
#[tokio::test]
async fn the_cache_and_its_files_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = data.join("cache.sqlite");
    std::fs::write(&path, b"").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();

    let store = seeded(&data).await;
    let hash = store.files().put(b"customer's log").unwrap();
    let stored = store.files().path_of(&hash);
    assert_eq!(mode(&data), 0o700);
    for file in ["cache.sqlite", "cache.sqlite-wal", "cache.sqlite-shm"] {
        assert_eq!(mode(&data.join(file)), 0o600, "{file}");
    }
    let mut folder = stored.parent().unwrap();
    while folder != data {
        assert_eq!(mode(folder), 0o700, "{}", folder.display());
        folder = folder.parent().unwrap();
    }
    assert_eq!(mode(&stored) & 0o077, 0, "{:o}", mode(&stored));
}

#[tokio::test]
async fn an_unreadable_path_is_reported_not_moved() {
    let dir = tempfile::tempdir().unwrap();
    // A directory where the file should be: not the file's fault, not damage.
    let path = dir.path().join("cache.sqlite");
    std::fs::create_dir(&path).unwrap();
    let err = Store::open(&path).await.unwrap_err();
    assert_eq!(err.code(), "cache.unavailable");
    assert!(path.is_dir());
}

#[tokio::test]
async fn queue_is_in_sla_order_then_age_and_pages_without_gaps() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let mut threads = Vec::new();
    for n in 0..130_i64 {
        let mut t = thread(20000 + n, &format!("ticket {n}"), "body");
        // Deadlines in a scrambled order, some equal, some tickets without a clock.
        t.ticket.sla_due_at = match n % 5 {
            0 => None,
            _ => Some(Timestamp(((n * 37) % 11) * MINUTE)),
        };
        t.ticket.created_at = Timestamp(1_000_000 - n * MINUTE);
        threads.push(t);
    }
    store.upsert_threads(&threads).await.unwrap();

    let mut seen = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .queue_page(
                &QueueRequest {
                    view: QueueView::Team,
                    after,
                    limit: 50,
                    filter: None,
                },
                Timestamp(0),
            )
            .await
            .unwrap();
        assert!(page.rows.len() <= 50);
        seen.extend(page.rows);
        match page.next {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(seen.len(), 130, "every ticket once");
    let key = |r: &QueueRow| {
        (
            r.sla_due_at.map_or(i64::MAX, |d| d.0),
            r.created_at,
            r.number,
        )
    };
    for pair in seen.windows(2) {
        assert!(
            key(&pair[0]) < key(&pair[1]),
            "{:?} before {:?}",
            pair[0],
            pair[1]
        );
    }
    assert!(
        seen.last().unwrap().sla_due_at.is_none(),
        "no clock sorts last"
    );
}

#[tokio::test]
async fn views_show_only_their_tickets() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let mut mine_open = thread(1, "mine, open", "x");
    mine_open.ticket.status = TicketStatus::Reopened;
    let mut mine_pending = thread(2, "mine, waiting", "x");
    mine_pending.ticket.status = TicketStatus::Pending;
    let mut theirs = thread(3, "colleague's", "x");
    theirs.ticket.assignee = Some(COLLEAGUE);
    let mut solved = thread(4, "mine, solved", "x");
    solved.ticket.status = TicketStatus::Solved;
    store
        .upsert_threads(&[mine_open, mine_pending, theirs, solved])
        .await
        .unwrap();

    let numbers = |view| {
        let store = store.clone();
        async move {
            let page = store
                .queue_page(
                    &QueueRequest {
                        view,
                        after: None,
                        limit: 50,
                        filter: None,
                    },
                    Timestamp(0),
                )
                .await
                .unwrap();
            page.rows.iter().map(|r| r.number.0).collect::<Vec<_>>()
        }
    };
    assert_eq!(numbers(QueueView::MineOpen).await, vec![1]);
    assert_eq!(numbers(QueueView::WaitingOnCustomer).await, vec![2]);
    assert_eq!(numbers(QueueView::Team).await.len(), 4);
    let counts = store.view_counts(None, Timestamp(0)).await.unwrap();
    assert_eq!(
        (counts.mine_open, counts.waiting_on_customer, counts.team),
        (1, 1, 4)
    );
}

#[tokio::test]
async fn a_call_log_keeps_the_callback_the_agent_promised() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let mut thread = thread(8, "Перезвонить", "позвоните мне");
    let call = |id: i64, callback_at: Option<Timestamp>| Message {
        id: MessageId(id),
        ticket: TicketNumber(8),
        kind: MessageKind::CallLog {
            call: CallRecord {
                direction: CallDirection::Outbound,
                duration_secs: 0,
                outcome: CallOutcome::NoAnswer,
                callback_at,
            },
        },
        channel: Channel::Phone,
        author: Author::Agent { id: ME },
        body: "не взял трубку".into(),
        created_at: Timestamp(9 * MINUTE),
    };
    thread
        .messages
        .push(call(801, Some(Timestamp(99 * MINUTE))));
    thread.messages.push(call(802, None));
    store.upsert_threads(&[thread]).await.unwrap();
    let pool = assert_intact(&dir.path().join("cache.sqlite")).await;
    let callbacks: Vec<Option<i64>> = sqlx::query_scalar(
        "SELECT call_callback_at FROM messages WHERE ticket_number = 8 ORDER BY id",
    )
    .fetch_all(&pool)
    .await
    .unwrap();
    assert_eq!(callbacks, vec![None, Some(99 * MINUTE), None]);
}

#[tokio::test]
async fn updates_replace_tickets_and_keep_messages() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    store
        .upsert_threads(&[thread(7, "Старая тема", "первое сообщение про квоту")])
        .await
        .unwrap();
    let mut update = thread(7, "New subject", "ignored");
    update.messages[0].id = MessageId(701);
    update.messages[0].body = "second message about the load balancer".into();
    update.ticket.version = 2;
    store.upsert_threads(&[update]).await.unwrap();

    assert_eq!(store.ticket_count().await.unwrap(), 1);
    // Both messages are searchable, under the new subject.
    for q in ["квота", "balancer", "subject"] {
        let hits = store
            .search(&SearchQuery::parse(q).unwrap(), 10)
            .await
            .unwrap();
        assert_eq!(
            hits.iter().map(|h| h.number.0).collect::<Vec<_>>(),
            vec![7],
            "{q}"
        );
    }
    let old = store
        .search(&SearchQuery::parse("Старая").unwrap(), 10)
        .await
        .unwrap();
    assert!(old.is_empty());
    assert_intact(&dir.path().join("cache.sqlite")).await;
}

#[tokio::test]
async fn search_finds_russian_and_english_word_forms() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    store
        .upsert_threads(&[
            thread(
                1,
                "Не создаются диски",
                "При создании дисков в ru-central1-a ошибка 502. Ёмкость не выросла.",
            ),
            thread(
                2,
                "Billing: double charge",
                "We were billed twice for invoice INV-2024-0042.",
            ),
            thread(
                3,
                "Восстановление доступа",
                "Потерял доступ к аккаунту acme-ops, сбросьте пароль.",
            ),
            thread(
                4,
                "Load balancer health checks",
                "Health checks are failing on vm-7f3a21 since the upgrade.",
            ),
        ])
        .await
        .unwrap();
    let found = |text: &str| {
        let store = store.clone();
        let text = text.to_owned();
        async move {
            let hits = store
                .search(&SearchQuery::parse(&text).unwrap(), 50)
                .await
                .unwrap();
            hits.iter().map(|h| h.number.0).collect::<Vec<_>>()
        }
    };
    assert_eq!(
        found("диск").await,
        vec![1],
        "stem matches other case forms"
    );
    assert_eq!(found("ДИСКОВ").await, vec![1], "case folded");
    assert_eq!(found("емкость").await, vec![1], "ё matches е");
    assert_eq!(
        found("доступа пароль").await,
        vec![3],
        "all words must match"
    );
    assert_eq!(found("billing").await, vec![2], "billing matches billed");
    assert_eq!(found("charges").await, vec![2]);
    assert_eq!(found("vm-7f3a21").await, vec![4]);
    assert_eq!(found("INV-2024-0042").await, vec![2]);
    assert_eq!(found("502").await, vec![1]);
    assert!(found("kubernetes").await.is_empty());

    let hits = store
        .search(&SearchQuery::parse("диски").unwrap(), 50)
        .await
        .unwrap();
    let subject_hits: Vec<_> = hits[0]
        .subject
        .iter()
        .filter(|p| p.hit)
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(subject_hits, vec!["диски"]);
    assert!(
        hits[0].snippet.iter().any(|p| p.hit && p.text == "дисков"),
        "{:?}",
        hits[0].snippet
    );
}

#[tokio::test]
async fn subject_matches_rank_above_body_matches() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    store
        .upsert_threads(&[
            thread(
                1,
                "Question about the dashboard",
                "Our quota was exceeded yesterday.",
            ),
            thread(2, "Quota exceeded", "See subject."),
        ])
        .await
        .unwrap();
    let hits = store
        .search(&SearchQuery::parse("quota").unwrap(), 50)
        .await
        .unwrap();
    assert_eq!(
        hits.iter().map(|h| h.number.0).collect::<Vec<_>>(),
        vec![2, 1]
    );
}

#[tokio::test]
async fn concurrent_writers_and_readers_all_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let mut tasks = Vec::new();
    for w in 0..8_i64 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            for i in 0..25_i64 {
                let n = 1000 + w * 100 + i;
                store
                    .upsert_threads(&[thread(n, "параллельно", "concurrent write")])
                    .await
                    .unwrap();
                store
                    .queue_page(
                        &QueueRequest {
                            view: QueueView::Team,
                            after: None,
                            limit: 50,
                            filter: None,
                        },
                        Timestamp(0),
                    )
                    .await
                    .unwrap();
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    assert_eq!(store.ticket_count().await.unwrap(), 200);
}

/// A ticket whose messages were cached out of their order, with ё in them.
fn long_thread() -> Thread {
    let mut thread = thread(10001, "Ёмкость диска", "первое: диск заполнен");
    let first = thread.messages[0].clone();
    for (id, minutes, body) in [(3, 2, "третье: ещё раз"), (2, 1, "второе: всё то же")]
    {
        let mut message = first.clone();
        message.id = MessageId(first.id.0 + id);
        message.created_at = first.created_at.plus_minutes(minutes);
        message.body = body.into();
        thread.messages.push(message);
    }
    thread
}

/// The view's documents read exactly as before its rewrite for older
/// SQLite: the index, which keeps no copy of the text, stays valid.
#[tokio::test]
async fn search_documents_read_as_before_the_rewrite_for_older_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    let mut second = thread(10002, "Без сообщений", "x");
    second.messages.clear();
    store
        .upsert_threads(&[long_thread(), second])
        .await
        .unwrap();
    store.close().await;
    let pool = assert_intact(&dir.path().join("cache.sqlite")).await;
    // The view as migration 0001 wrote it, against the view now.
    let differ: i64 = sqlx::query_scalar(
        "WITH docs_before AS ( \
           SELECT t.number AS number, \
                  replace(replace(t.subject, 'ё', 'е'), 'Ё', 'Е') AS subject, \
                  replace(replace(coalesce( \
                      (SELECT group_concat(m.body, char(10) ORDER BY m.created_at, m.id) \
                         FROM messages m WHERE m.ticket_number = t.number), ''), \
                    'ё', 'е'), 'Ё', 'Е') AS body \
           FROM tickets t) \
         SELECT (SELECT count(*) FROM \
                   (SELECT * FROM docs_before EXCEPT SELECT * FROM ticket_search_docs)) \
              + (SELECT count(*) FROM \
                   (SELECT * FROM ticket_search_docs EXCEPT SELECT * FROM docs_before))",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(differ, 0);
    let body: String =
        sqlx::query_scalar("SELECT body FROM ticket_search_docs WHERE number = 10001")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(
        body,
        "первое: диск заполнен\nвторое: все то же\nтретье: еще раз"
    );
}

/// The sqlite3 a distribution ships (Debian 12: 3.40) opens the cache, so
/// an agent can look inside: the schema uses nothing newer.
#[tokio::test]
async fn the_distributions_sqlite3_reads_the_cache() {
    let dir = tempfile::tempdir().unwrap();
    let store = seeded(dir.path()).await;
    store.upsert_threads(&[long_thread()]).await.unwrap();
    store.close().await;
    let sqlite3 = std::process::Command::new("sqlite3")
        .arg(dir.path().join("cache.sqlite"))
        .arg(
            "SELECT sqlite_version(); PRAGMA integrity_check; \
             SELECT number, replace(body, char(10), ' | ') FROM ticket_search_docs; \
             SELECT rowid FROM ticket_search WHERE ticket_search MATCH 'заполнен';",
        )
        .output()
        .unwrap_or_else(|e| panic!("sqlite3: {e}. `cargo xtask test` installs Debian's sqlite3"));
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&sqlite3.stdout),
        String::from_utf8_lossy(&sqlite3.stderr)
    );
    assert!(sqlite3.status.success(), "{said}");
    let lines: Vec<&str> = said.lines().collect();
    assert_eq!(
        lines[1..],
        [
            "ok",
            "10001|первое: диск заполнен | второе: все то же | третье: еще раз",
            "10001"
        ],
        "sqlite3 {}: {said}",
        lines[0]
    );
}
