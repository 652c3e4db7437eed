//! The client against the real reference server on a loopback port, and
//! against a few plain HTTP handlers that answer the way a wrong server or a
//! proxy in the way would.

use std::time::Instant;

use axum::http::{header, StatusCode};
use axum::routing::get;
use shiftdesk_domain::{AgentId, Role};
use shiftdesk_protocol::ErrorCode;
use shiftdesk_server::auth;

use crate::test_server::{serve, server};

use super::{server_url, ApiClient, ApiError, ClientError, TIMEOUT};

fn problem_code(result: Result<shiftdesk_domain::Agent, ApiError>) -> ErrorCode {
    match result {
        Err(ApiError::Problem(problem)) => problem.code,
        other => panic!("expected the server's problem, got {other:?}"),
    }
}

#[tokio::test]
async fn a_good_token_names_its_agent() {
    let server = server().await;
    let token = auth::issue_token(&server.db, shiftdesk_demo::ME)
        .await
        .unwrap()
        .unwrap();
    let client = ApiClient::new(&server.base, &token).unwrap();
    let me = client.me().await.unwrap();
    let expected = shiftdesk_demo::agents()
        .into_iter()
        .find(|a| a.id == shiftdesk_demo::ME)
        .unwrap();
    assert_eq!(me, expected);
    assert_eq!(me.role, Role::Agent);
}

#[tokio::test]
async fn unknown_and_revoked_tokens_come_back_as_the_servers_problem() {
    let server = server().await;
    let unknown = ApiClient::new(&server.base, &format!("sdk_{}", "0".repeat(64))).unwrap();
    assert_eq!(problem_code(unknown.me().await), ErrorCode::Unauthenticated);

    let token = auth::issue_token(&server.db, AgentId(1))
        .await
        .unwrap()
        .unwrap();
    let client = ApiClient::new(&server.base, &token).unwrap();
    assert!(client.me().await.is_ok());
    assert!(auth::accounts::disable(&server.db, AgentId(1), 1)
        .await
        .unwrap());
    let refused = client.me().await;
    let Err(ApiError::Problem(problem)) = &refused else {
        panic!("{refused:?}");
    };
    assert_eq!(problem.code, ErrorCode::DeviceRevoked);
    assert_eq!(problem.status, 401);
    assert!(!problem.detail.is_empty());

    // Neither the error nor the client ever shows the token.
    let shown = format!("{} {refused:?} {client:?}", refused.as_ref().unwrap_err());
    assert!(!shown.contains(&token), "{shown}");
    assert!(!shown.contains(&token["sdk_".len()..]), "{shown}");
}

#[tokio::test]
async fn a_closed_port_is_unreachable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = ApiClient::new(&format!("http://127.0.0.1:{port}"), "sdk_x").unwrap();
    match client.me().await {
        Err(ApiError::Unreachable { reason }) => assert_eq!(reason, "connection refused"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_server_that_never_answers_is_unreachable_after_the_timeout() {
    // Accepts connections and reads nothing: the call has to give up.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    let client = ApiClient::new(&base, "sdk_x").unwrap();
    let started = Instant::now();
    match client.me().await {
        Err(ApiError::Unreachable { reason }) => assert_eq!(reason, "no answer within 10 s"),
        other => panic!("{other:?}"),
    }
    let took = started.elapsed();
    assert!(took >= TIMEOUT && took < TIMEOUT * 2, "{took:?}");
}

#[tokio::test]
async fn answers_that_are_neither_the_agent_nor_a_problem_are_unexpected() {
    let app = axum::Router::new()
        .route(
            "/proxy/v1/me",
            get(|| async {
                (
                    StatusCode::BAD_GATEWAY,
                    [(header::CONTENT_TYPE, "text/html")],
                    "<h1>502 Bad Gateway</h1>",
                )
            }),
        )
        .route(
            "/other/v1/me",
            get(|| async { axum::Json(serde_json::json!({ "user": "someone" })) }),
        )
        .route(
            "/moved/v1/me",
            get(|| async { (StatusCode::FOUND, [(header::LOCATION, "http://elsewhere/")]) }),
        );
    let base = serve(app).await;

    let me = |prefix: &str| {
        let client = ApiClient::new(&format!("{base}/{prefix}"), "sdk_x").unwrap();
        async move { client.me().await }
    };
    match me("proxy").await {
        Err(ApiError::Unexpected { status: 502, what }) => {
            assert_eq!(what, "not a problem document (content type text/html)");
        }
        other => panic!("{other:?}"),
    }
    match me("other").await {
        Err(ApiError::Unexpected { status: 200, what }) => {
            assert!(
                what.starts_with("the body is not what v1/me answers"),
                "{what}"
            );
        }
        other => panic!("{other:?}"),
    }
    // A redirect is not followed: the token stays with the server it was meant for.
    match me("moved").await {
        Err(ApiError::Unexpected { status: 302, .. }) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_base_url_must_be_http_or_https() {
    for (url, reason) in [
        ("", "it is not a URL"),
        ("not a url", "it is not a URL"),
        ("127.0.0.1:8780", "it is not a URL"),
        ("http://", "it is not a URL"),
        ("localhost:8780", "only http and https are supported"),
        (
            "ftp://desk.example.com",
            "only http and https are supported",
        ),
        ("file:///etc/passwd", "only http and https are supported"),
    ] {
        match ApiClient::new(url, "sdk_x") {
            Err(ClientError::BadUrl {
                url: named,
                reason: why,
            }) => {
                assert_eq!((named.as_str(), why), (url, reason));
            }
            other => panic!("{url:?}: {other:?}"),
        }
    }
    let error = ApiClient::new("ftp://desk.example.com", "sdk_x").unwrap_err();
    assert_eq!(
        error.to_string(),
        "\"ftp://desk.example.com\" is not a server address: only http and https are supported"
    );
}

#[test]
fn tokens_never_travel_in_clear_nor_with_credentials_in_the_address() {
    let clear = "plain http is only for a server on this machine; use https";
    let userinfo = "it holds a user name or password; give the address alone and sign in";
    for (url, shown, reason) in [
        ("http://desk.example.com", "http://desk.example.com", clear),
        (
            "http://10.0.0.7:8780/api",
            "http://10.0.0.7:8780/api",
            clear,
        ),
        ("http://127.0.0.1.nip.io", "http://127.0.0.1.nip.io", clear),
        (
            "http://[::ffff:10.0.0.1]",
            "http://[::ffff:10.0.0.1]",
            clear,
        ),
        (
            "https://anna:s3cret@desk.example.com/api",
            "https://desk.example.com/api",
            userinfo,
        ),
        (
            "http://anna@127.0.0.1:8780",
            "http://127.0.0.1:8780",
            userinfo,
        ),
        (
            "https://a:b@c:d@desk.example.com",
            "https://desk.example.com",
            userinfo,
        ),
    ] {
        match server_url(url) {
            Err(ClientError::BadUrl {
                url: named,
                reason: why,
            }) => {
                assert_eq!((named.as_str(), why), (shown, reason), "{url}");
                assert!(!named.contains("s3cret"));
            }
            other => panic!("{url:?}: {other:?}"),
        }
    }
    for loopback in [
        "http://127.0.0.1:8780",
        "http://127.8.9.1",
        "http://[::1]:8780",
        "http://localhost:8780",
        "http://LOCALHOST.:8780",
        "http://desk.localhost",
        "https://desk.example.com",
    ] {
        assert!(server_url(loopback).is_ok(), "{loopback}");
    }
    assert_eq!(
        server_url("https://desk.example.com/api?x=1#y")
            .unwrap()
            .as_str(),
        "https://desk.example.com/api/"
    );
}

#[test]
fn a_base_url_keeps_its_path_as_the_prefix_of_every_call() {
    for (given, base) in [
        ("http://127.0.0.1:8780", "http://127.0.0.1:8780/"),
        (
            "https://desk.example.com/api",
            "https://desk.example.com/api/",
        ),
        (
            " https://desk.example.com/api/ ",
            "https://desk.example.com/api/",
        ),
    ] {
        let client = ApiClient::new(given, "sdk_x").unwrap();
        assert_eq!(client.base_url().as_str(), base);
    }
}

#[test]
fn an_unusable_token_is_refused_without_showing_it() {
    for (token, reason) in [
        ("", "it is empty"),
        ("  ", "it is empty"),
        ("sdk_a\nb", "it holds characters a token cannot have"),
    ] {
        match ApiClient::new("http://127.0.0.1:8780", token) {
            Err(error @ ClientError::BadToken(_)) => {
                assert_eq!(
                    error.to_string(),
                    format!("the API token is not usable: {reason}")
                );
            }
            other => panic!("{token:?}: {other:?}"),
        }
    }
}
