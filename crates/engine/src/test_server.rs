//! The real reference server on a loopback port, for the engine's tests.

use shiftdesk_server::{router, seed, AppState, Db};

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
        now: shiftdesk_server::now(),
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
