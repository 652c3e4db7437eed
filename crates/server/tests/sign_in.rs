//! Signing in against the real server on a loopback port: one-time codes,
//! passwords, the backoff, devices and their revocation, sliding expiry.

#![allow(clippy::unwrap_used)]

mod common;

use common::{server, Server};
use reqwest::StatusCode;
use serde_json::{json, Value};
use shiftdesk_domain::{AgentId, Role, Timestamp};
use shiftdesk_server::auth::accounts::{self, NewAgent};
use shiftdesk_server::now;

const PASSWORD: &str = "a long passphrase";

async fn add(server: &Server, login: &str, role: Role, at: Timestamp) -> (AgentId, String) {
    let new = NewAgent {
        name: "Анна Петрова",
        login,
        team: "L2 Support",
        role,
    };
    let (agent, code) = accounts::add_agent(&server.db, new, at).await.unwrap();
    (agent.id, code.code)
}

async fn sign_in(server: &Server, body: Value) -> (StatusCode, Option<String>, Value) {
    let response = server
        .http
        .post(format!("{}/v1/sessions", server.base))
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_owned());
    (status, retry_after, response.json().await.unwrap())
}

fn with_code(code: &str, password: &str, device: &str) -> Value {
    json!({"method": "code", "code": code, "new_password": password, "device": device})
}

fn with_password(login: &str, password: &str, device: &str) -> Value {
    json!({"method": "password", "login": login, "password": password, "device": device})
}

async fn delete(server: &Server, path: &str, token: &str) -> (StatusCode, Value) {
    let response = server
        .http
        .delete(format!("{}{path}", server.base))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let body = response.text().await.unwrap();
    (status, serde_json::from_str(&body).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_server_says_what_it_is_without_a_token() {
    let server = server().await;
    let (status, content_type, meta) = server.get("/v1/meta", None).await;
    assert_eq!(status, StatusCode::OK, "{content_type}");
    assert_eq!(meta["product"], "shiftdesk");
    assert_eq!(meta["api_version"], 1);
}

#[tokio::test]
async fn a_code_signs_in_once_and_sets_the_password() {
    let server = server().await;
    let (id, code) = add(&server, "Anna@Desk.Example", Role::Agent, now()).await;

    // A weak password is refused before the code is spent.
    let (status, _, problem) = sign_in(&server, with_code(&code, "short", "ws-17")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem["code"], "auth.weak_password");

    // Typed in lower case with spaces: still the code.
    let typed = code.to_lowercase().replace('-', " ");
    let (status, _, signed_in) =
        sign_in(&server, with_code(&typed, PASSWORD, "Shiftdesk on ws-17")).await;
    assert_eq!(status, StatusCode::CREATED, "{signed_in}");
    assert_eq!(signed_in["agent"]["id"], id.0);
    assert_eq!(signed_in["device"]["name"], "Shiftdesk on ws-17");
    assert_eq!(signed_in["device"]["current"], true);
    let token = signed_in["token"].as_str().unwrap();
    let (status, _, me) = server.get("/v1/me", Some(token)).await;
    assert_eq!((status, me["id"].clone()), (StatusCode::OK, json!(id.0)));

    let (status, _, problem) = sign_in(&server, with_code(&code, PASSWORD, "again")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["code"], "auth.code_invalid");

    // The password it set signs in another device; the login's case does
    // not matter.
    let (status, _, second) = sign_in(
        &server,
        with_password("anna@desk.example", PASSWORD, "laptop"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    assert_ne!(second["token"], signed_in["token"]);
    assert_ne!(second["device"]["id"], signed_in["device"]["id"]);

    // The database holds neither the code, the password nor a token.
    let dump: Vec<String> = sqlx::query_scalar(
        "SELECT coalesce(password_hash, '') || coalesce(login, '') FROM agents \
         UNION ALL SELECT token_hash FROM devices UNION ALL SELECT code_hash FROM sign_in_codes",
    )
    .fetch_all(&server.db.readers)
    .await
    .unwrap();
    let dump = dump.join("\n");
    assert!(dump.contains("$argon2id$"), "{dump}");
    for secret in [PASSWORD, &code, token, second["token"].as_str().unwrap()] {
        assert!(!dump.contains(secret), "{secret} is stored");
    }
}

#[tokio::test]
async fn a_code_older_than_thirty_minutes_is_refused() {
    let server = server().await;
    let (_, code) = add(
        &server,
        "late@desk.example",
        Role::Agent,
        now().plus_minutes(-31),
    )
    .await;
    let (status, _, problem) = sign_in(&server, with_code(&code, PASSWORD, "ws")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["code"], "auth.code_invalid");

    // A reset gives a code that works.
    let id: i64 = sqlx::query_scalar("SELECT id FROM agents WHERE login = 'late@desk.example'")
        .fetch_one(&server.db.readers)
        .await
        .unwrap();
    let fresh = accounts::reset(&server.db, AgentId(id), now())
        .await
        .unwrap();
    let (status, _, _) = sign_in(&server, with_code(&fresh.code, PASSWORD, "ws")).await;
    assert_eq!(status, StatusCode::CREATED);
}

#[tokio::test]
async fn two_devices_racing_with_one_code_get_one_sign_in() {
    let server = server().await;
    let (_, code) = add(&server, "race@desk.example", Role::Agent, now()).await;
    let tries = (0..6).map(|i| sign_in(&server, with_code(&code, PASSWORD, &format!("d{i}"))));
    let answers = futures_util::future::join_all(tries).await;
    let created = answers
        .iter()
        .filter(|(status, _, _)| *status == StatusCode::CREATED)
        .count();
    assert_eq!(created, 1, "{answers:?}");
}

#[tokio::test]
async fn wrong_passwords_lock_the_account_with_retry_after() {
    let server = server().await;
    let (_, code) = add(&server, "anna@desk.example", Role::Agent, now()).await;
    assert_eq!(
        sign_in(&server, with_code(&code, PASSWORD, "ws")).await.0,
        StatusCode::CREATED
    );
    for attempt in 1..=6 {
        let (status, _, problem) = sign_in(
            &server,
            with_password("anna@desk.example", "wrong guess!", "ws"),
        )
        .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
        assert_eq!(problem["code"], "auth.sign_in_failed");
    }
    // Locked now: even the right password waits.
    let (status, retry_after, problem) =
        sign_in(&server, with_password("anna@desk.example", PASSWORD, "ws")).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{problem}");
    assert_eq!(problem["code"], "auth.locked");
    let seconds: u64 = retry_after.unwrap().parse().unwrap();
    assert!((1..=30).contains(&seconds), "{seconds}");

    // An unknown login fails the same way as a wrong password.
    let (status, _, problem) = sign_in(
        &server,
        with_password("nobody@desk.example", PASSWORD, "ws"),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["code"], "auth.sign_in_failed");
}

#[tokio::test]
async fn hostile_sign_ins_are_refused_as_problems() {
    let server = server().await;
    let post = |body: Vec<u8>| {
        server
            .http
            .post(format!("{}/v1/sessions", server.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    for (body, status, code) in [
        (
            b"{not json".to_vec(),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            br#"{"method":"token","device":"x"}"#.to_vec(),
            StatusCode::BAD_REQUEST,
            "request.invalid",
        ),
        (
            vec![b' '; 64 * 1024],
            StatusCode::PAYLOAD_TOO_LARGE,
            "request.too_large",
        ),
    ] {
        let response = post(body).await.unwrap();
        assert_eq!(response.status(), status);
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], code);
    }
    // A device name is one clean line.
    let (_, code) = add(&server, "bidi@desk.example", Role::Agent, now()).await;
    let (status, _, signed_in) = sign_in(
        &server,
        with_code(&code, PASSWORD, "Shiftdesk\non \u{202E}71-sw\u{0}"),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(signed_in["device"]["name"], "Shiftdesk on 71-sw");
}

/// Signs a new agent in on `devices` devices; their tokens.
async fn signed_in(server: &Server, login: &str, role: Role, devices: usize) -> Vec<String> {
    let (_, code) = add(server, login, role, now()).await;
    let (_, _, first) = sign_in(server, with_code(&code, PASSWORD, "device 0")).await;
    let mut tokens = vec![first["token"].as_str().unwrap().to_owned()];
    for i in 1..devices {
        let (_, _, next) = sign_in(
            server,
            with_password(login, PASSWORD, &format!("device {i}")),
        )
        .await;
        tokens.push(next["token"].as_str().unwrap().to_owned());
    }
    tokens
}

#[tokio::test]
async fn agents_sign_out_their_own_devices_and_leads_the_teams() {
    let server = server().await;
    let anna = signed_in(&server, "anna@desk.example", Role::Agent, 2).await;
    let boris = signed_in(&server, "boris@desk.example", Role::Agent, 1).await;
    let lead = signed_in(&server, "lead@desk.example", Role::Lead, 1).await;

    let (status, _, mine) = server.get("/v1/devices", Some(&anna[0])).await;
    assert_eq!(status, StatusCode::OK);
    let mine = mine.as_array().unwrap();
    assert_eq!(mine.len(), 2, "{mine:?}");
    assert_eq!(
        mine.iter().filter(|d| d["current"] == true).count(),
        1,
        "{mine:?}"
    );
    let anna_other = mine.iter().find(|d| d["current"] == false).unwrap()["id"].clone();

    let (_, _, team) = server.get("/v1/devices", Some(&lead[0])).await;
    let team_names: Vec<&str> = team
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["agent_name"].as_str().unwrap())
        .collect();
    assert_eq!(team_names.len(), 4, "{team:?}");

    // Boris cannot sign out Anna's device; it is not found for him.
    let (status, problem) = delete(&server, &format!("/v1/devices/{anna_other}"), &boris[0]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(problem["code"], "device.not_found");
    assert_eq!(server.get("/v1/me", Some(&anna[1])).await.0, StatusCode::OK);

    // Anna signs out her other device: it is told so, this one goes on.
    let (status, _) = delete(&server, &format!("/v1/devices/{anna_other}"), &anna[0]).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _, problem) = server.get("/v1/me", Some(&anna[1])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["code"], "auth.device_revoked");
    assert_eq!(server.get("/v1/me", Some(&anna[0])).await.0, StatusCode::OK);

    // The lead signs out Boris's device.
    let (_, _, boris_devices) = server.get("/v1/devices", Some(&boris[0])).await;
    let boris_device = boris_devices[0]["id"].clone();
    let (status, _) = delete(&server, &format!("/v1/devices/{boris_device}"), &lead[0]).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, _, problem) = server.get("/v1/changes", Some(&boris[0])).await;
    assert_eq!(problem["code"], "auth.device_revoked");
}

#[tokio::test]
async fn disabling_an_agent_stops_every_device_at_once() {
    let server = server().await;
    let tokens = signed_in(&server, "anna@desk.example", Role::Agent, 3).await;
    let (_, _, me) = server.get("/v1/me", Some(&tokens[0])).await;
    let id = AgentId(me["id"].as_i64().unwrap());
    assert!(accounts::disable(&server.db, id, now().0).await.unwrap());
    for token in &tokens {
        let (status, _, problem) = server.get("/v1/me", Some(token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(problem["code"], "auth.device_revoked");
    }
    let (status, _, problem) =
        sign_in(&server, with_password("anna@desk.example", PASSWORD, "ws")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["code"], "auth.device_revoked");

    // Enabled again, the agent signs in anew; the old devices stay out.
    assert!(accounts::enable(&server.db, id).await.unwrap());
    let (status, _, _) = sign_in(&server, with_password("anna@desk.example", PASSWORD, "ws")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        server.get("/v1/me", Some(&tokens[0])).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn a_used_sign_in_slides_on_and_an_idle_one_expires() {
    let server = server().await;
    let tokens = signed_in(&server, "anna@desk.example", Role::Agent, 2).await;
    let at = now().0;
    // The first device was last seen a day ago and would end in a minute.
    sqlx::query("UPDATE devices SET last_seen_at = ?, expires_at = ? WHERE name = 'device 0'")
        .bind(at - 86_400_000)
        .bind(at + 60_000)
        .execute(&server.db.writer)
        .await
        .unwrap();
    // The second one's idle time ran out.
    sqlx::query("UPDATE devices SET expires_at = ? WHERE name = 'device 1'")
        .bind(at - 1)
        .execute(&server.db.writer)
        .await
        .unwrap();

    assert_eq!(
        server.get("/v1/me", Some(&tokens[0])).await.0,
        StatusCode::OK
    );
    let mut expires_at = 0;
    for _ in 0..100 {
        expires_at = sqlx::query_scalar("SELECT expires_at FROM devices WHERE name = 'device 0'")
            .fetch_one(&server.db.readers)
            .await
            .unwrap();
        if expires_at > at + 60_000 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let thirty_days = 30 * 86_400_000;
    assert!(
        expires_at >= at + thirty_days - 60_000,
        "{expires_at} vs {at}"
    );

    let (status, _, problem) = server.get("/v1/me", Some(&tokens[1])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(problem["code"], "auth.token_expired");
    let (_, _, devices) = server.get("/v1/devices", Some(&tokens[0])).await;
    assert_eq!(
        devices.as_array().unwrap().len(),
        1,
        "the expired one is not listed"
    );
}

#[tokio::test]
async fn demo_agents_have_logins_and_sign_in_after_a_reset() {
    let server = server().await;
    let code = accounts::reset(&server.db, shiftdesk_demo::ME, now())
        .await
        .unwrap();
    let (status, _, signed_in) = sign_in(&server, with_code(&code.code, PASSWORD, "ws")).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(signed_in["agent"]["id"], shiftdesk_demo::ME.0);
    let (status, _, _) = sign_in(
        &server,
        with_password(
            &shiftdesk_demo::agent_login(shiftdesk_demo::ME),
            PASSWORD,
            "ws",
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
}
