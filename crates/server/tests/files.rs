//! Attachments over a real socket: upload by content hash, attach to a
//! reply, download whole and by range; limits, mismatches and scope.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

mod common;

use common::{assert_problem, server, sha256};
use reqwest::StatusCode;
use shiftdesk_domain::{AgentId, Channel, ContentHash};
use shiftdesk_protocol::{
    ChangeBody, Mutation, MutationOutcome, MutationRequest, NewAttachment, MAX_ATTACHMENT_BYTES,
};

fn reply_with(number: i64, files: Vec<NewAttachment>) -> MutationRequest {
    MutationRequest {
        id: uuid::Uuid::new_v4(),
        ticket: shiftdesk_domain::TicketNumber(number),
        base_version: None,
        mutation: Mutation::Reply {
            channel: Channel::Email,
            body: "Логи во вложении.".into(),
            attachments: files,
            cc: vec![],
        },
    }
}

fn file(bytes: &[u8], name: &str) -> NewAttachment {
    NewAttachment {
        content_hash: ContentHash::try_from(sha256(bytes)).unwrap(),
        name: name.into(),
        media_type: "text/plain".into(),
    }
}

async fn my_ticket(server: &common::Server, agent: AgentId) -> i64 {
    sqlx::query_scalar("SELECT number FROM tickets WHERE assignee_id = ? ORDER BY number LIMIT 1")
        .bind(agent.0)
        .fetch_one(&server.db.readers)
        .await
        .unwrap()
}

#[tokio::test]
async fn an_uploaded_file_is_attached_pulled_and_downloaded_by_range() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let bytes: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    let (status, _, stored) = server.put_file(&token, &bytes).await;
    assert_eq!(status, StatusCode::OK, "{stored}");
    assert_eq!(stored["size_bytes"], 10_000);
    assert_eq!(stored["content_hash"], sha256(&bytes));
    // Idempotent: the same upload again is the same answer.
    assert_eq!(server.put_file(&token, &bytes).await.2, stored);

    let number = my_ticket(&server, shiftdesk_demo::ME).await;
    let results = server
        .push(
            &token,
            &[reply_with(number, vec![file(&bytes, "журнал сервера.log")])],
        )
        .await;
    let MutationOutcome::Applied {
        message: Some(message),
        ..
    } = results[0].outcome
    else {
        panic!("{results:?}")
    };
    let attachment = server
        .pull_all(&token, 1000)
        .await
        .into_iter()
        .find_map(|c| match c.body {
            ChangeBody::Attachment(a) if a.message == message => Some(a),
            _ => None,
        })
        .expect("the new attachment is pulled");
    assert_eq!(attachment.size_bytes, 10_000);
    assert_eq!(attachment.name, "журнал сервера.log");

    let path = format!("/v1/attachments/{}", attachment.id.0);
    let (status, headers, body) = server.fetch(&path, &token, &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, bytes);
    assert_eq!(headers["content-type"], "text/plain");
    assert_eq!(headers["accept-ranges"], "bytes");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert!(
        disposition.contains("filename*=UTF-8''%D0%B6"),
        "{disposition}"
    );

    for (range, from, to) in [
        ("bytes=0-99", 0, 99),
        ("bytes=9990-", 9990, 9999),
        ("bytes=-10", 9990, 9999),
        ("bytes=5000-20000", 5000, 9999),
    ] {
        let (status, headers, body) = server.fetch(&path, &token, &[("range", range)]).await;
        assert_eq!(status, StatusCode::PARTIAL_CONTENT, "{range}");
        assert_eq!(body, bytes[from..=to], "{range}");
        assert_eq!(
            headers["content-range"],
            format!("bytes {from}-{to}/10000").as_str()
        );
    }
    // A stale If-Range, several ranges, or a malformed one: the whole file.
    for headers in [
        vec![("range", "bytes=0-9"), ("if-range", "\"other\"")],
        vec![("range", "bytes=0-9, 20-29")],
        vec![("range", "lines=1-2")],
        vec![("range", "bytes=abc")],
    ] {
        let (status, _, body) = server.fetch(&path, &token, &headers).await;
        assert_eq!(status, StatusCode::OK, "{headers:?}");
        assert_eq!(body, bytes);
    }
    let (status, headers, body) = server
        .fetch(&path, &token, &[("range", "bytes=10000-")])
        .await;
    assert_eq!(status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(headers["content-range"], "bytes */10000");
    let problem: serde_json::Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(problem["code"], "attachment.range_not_satisfiable");
}

#[tokio::test]
async fn demo_attachments_download_with_their_bytes() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let attachments: Vec<_> = server
        .pull_all(&token, 1000)
        .await
        .into_iter()
        .filter_map(|c| match c.body {
            ChangeBody::Attachment(a) => Some(a),
            _ => None,
        })
        .collect();
    assert!(!attachments.is_empty());
    for attachment in attachments.iter().take(5) {
        let (status, _, body) = server
            .fetch(&format!("/v1/attachments/{}", attachment.id.0), &token, &[])
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(sha256(&body), attachment.content_hash.as_str());
        assert_eq!(body.len() as u64, attachment.size_bytes);
    }
}

#[tokio::test]
async fn bad_uploads_are_refused_and_leave_nothing() {
    let server = server().await;
    let token = server.token(shiftdesk_demo::ME).await;
    let bytes = b"2026-11-26 12:00:01 ERROR disk full".to_vec();

    let wrong = sha256(b"something else");
    let response = server
        .http
        .put(format!("{}/v1/files/{wrong}", server.base))
        .bearer_auth(&token)
        .body(bytes.clone())
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body: serde_json::Value = response.json().await.unwrap();
    assert_problem(
        status,
        "application/problem+json",
        &body,
        StatusCode::UNPROCESSABLE_ENTITY,
        "attachment.hash_mismatch",
    );
    assert_eq!(server.count("file_uploads").await, 0);

    for bad in [
        "not-a-hash",
        "ABCDEF",
        &"g".repeat(64),
        "..%2F..%2Fetc%2Fpasswd",
    ] {
        let response = server
            .http
            .put(format!("{}/v1/files/{bad}", server.base))
            .bearer_auth(&token)
            .body(bytes.clone())
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
    }

    // Declared too large: refused before a byte is read.
    let big = vec![0u8; usize::try_from(MAX_ATTACHMENT_BYTES).unwrap() + 1];
    let response = server
        .http
        .put(format!("{}/v1/files/{}", server.base, sha256(&big)))
        .bearer_auth(&token)
        .body(big.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "attachment.too_large");

    // Streamed without a length: cut off at the limit.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        big.chunks(1024 * 1024).map(|c| Ok(c.to_vec())).collect();
    let response = server
        .http
        .put(format!("{}/v1/files/{}", server.base, sha256(&big)))
        .bearer_auth(&token)
        .body(reqwest::Body::wrap_stream(futures_util::stream::iter(
            chunks,
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(server.count("file_uploads").await, 0);
}

#[tokio::test]
async fn only_your_own_uploads_can_be_attached() {
    let server = server().await;
    let me = server.token(shiftdesk_demo::ME).await;
    let colleague = server.token(AgentId(2)).await;
    let secret = b"colleague's private dump".to_vec();
    assert_eq!(server.put_file(&colleague, &secret).await.0, StatusCode::OK);
    let mine = b"my log".to_vec();
    assert_eq!(server.put_file(&me, &mine).await.0, StatusCode::OK);
    let number = my_ticket(&server, shiftdesk_demo::ME).await;
    let messages = server.count("messages").await;

    let eleven = vec![file(&mine, "a.log"); 11];
    let cases = [
        (vec![file(&secret, "dump.bin")], "attachment.not_uploaded"),
        (
            vec![file(b"never sent", "x.log")],
            "attachment.not_uploaded",
        ),
        (eleven, "request.invalid"),
        (vec![file(&mine, "../../etc/passwd")], "request.invalid"),
        (vec![file(&mine, "line\nbreak.log")], "request.invalid"),
        (vec![file(&mine, "  ")], "request.invalid"),
        (
            vec![NewAttachment {
                media_type: "text/html; charset=utf-7".into(),
                ..file(&mine, "a.html")
            }],
            "request.invalid",
        ),
    ];
    for (files, code) in cases {
        let results = server.push(&me, &[reply_with(number, files)]).await;
        assert!(
            matches!(&results[0].outcome, MutationOutcome::Rejected { problem } if problem.code.code() == code),
            "{results:?}"
        );
    }
    assert_eq!(server.count("messages").await, messages);
    assert_eq!(
        server
            .count("attachments WHERE body LIKE '%dump.bin%'")
            .await,
        0
    );
}
