//! The real reference server on a loopback port, for the engine's tests.

use shiftdesk_server::{auth, router, seed, AppState, Db};
use shiftdesk_store::Store;

use crate::api::ApiClient;

/// A reference server with a small demo desk.
pub struct Server {
    pub base: String,
    pub db: Db,
    _dir: tempfile::TempDir,
}

/// A server with a 20-ticket demo desk.
pub async fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let db = Db::open(&dir.path().join("server.sqlite")).await.unwrap();
    let config = shiftdesk_demo::DemoConfig {
        seed: 3,
        tickets: 20,
        now: shiftdesk_demo::FIXED_NOW,
    };
    seed::demo(&db, &config).await.unwrap();
    let base = serve(router(AppState::new(db.clone()))).await;
    Server {
        base,
        db,
        _dir: dir,
    }
}

/// Serves `app` on a free loopback port; its base URL.
pub async fn serve(app: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    base
}

/// The demo agent's client of `server`, and an empty cache file for them in
/// a folder of its own (kept as long as the folder lives).
pub async fn agent_client(server: &Server) -> (ApiClient, Store, tempfile::TempDir) {
    let token = auth::issue_token(&server.db, shiftdesk_demo::ME)
        .await
        .unwrap()
        .unwrap();
    let api = ApiClient::new(&server.base, &token).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("cache.sqlite"))
        .await
        .unwrap()
        .store;
    (api, store, dir)
}
