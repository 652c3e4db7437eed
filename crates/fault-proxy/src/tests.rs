//! The proxy between real loopback sockets: a raw echo server and a small
//! HTTP server upstream, and what a client sees under each fault.

use std::io::ErrorKind;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::time::timeout;

use crate::{Fault, FaultProxy, RandomFaults, Stats};

/// Long enough that only a real hang reaches it.
const PATIENCE: Duration = Duration::from_secs(5);

/// An upstream that sends back what it reads, and closes when the client
/// does; it counts the connections it gets.
struct Echo {
    addr: SocketAddr,
    connections: Arc<AtomicU64>,
}

impl Echo {
    fn connections(&self) -> u64 {
        self.connections.load(Ordering::SeqCst)
    }
}

async fn echo() -> Echo {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let connections = Arc::new(AtomicU64::new(0));
    let counted = Arc::clone(&connections);
    tokio::spawn(async move {
        loop {
            let (mut stream, _) = listener.accept().await.unwrap();
            counted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let (mut from, mut to) = stream.split();
                tokio::io::copy(&mut from, &mut to).await.ok();
            });
        }
    });
    Echo { addr, connections }
}

/// The HTTP server's answer to `GET /`.
fn body() -> String {
    "0123456789abcdef".repeat(256)
}

async fn http() -> SocketAddr {
    let app = axum::Router::new().route("/", axum::routing::get(|| async { body() }));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    addr
}

async fn proxy_to(upstream: SocketAddr) -> FaultProxy {
    FaultProxy::start(upstream).await.unwrap()
}

/// Sends `request`, half-closes, and reads until end of file or an error:
/// the bytes that came back, and the error if one ended them.
async fn exchange(addr: SocketAddr, request: &[u8]) -> (Vec<u8>, Option<ErrorKind>) {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let mut got = Vec::new();
    let sent = async {
        stream.write_all(request).await?;
        stream.shutdown().await
    };
    if let Err(error) = sent.await {
        return (got, Some(error.kind()));
    }
    let mut buf = [0; 4096];
    loop {
        match timeout(PATIENCE, stream.read(&mut buf)).await {
            Err(_) => return (got, Some(ErrorKind::TimedOut)),
            Ok(Ok(0)) => return (got, None),
            Ok(Ok(read)) => got.extend_from_slice(&buf[..read]),
            Ok(Err(error)) => return (got, Some(error.kind())),
        }
    }
}

/// Writes `request` and reads the same number of bytes back on an open
/// connection; how long the round trip took.
async fn round_trip(stream: &mut TcpStream, request: &[u8]) -> Duration {
    let started = Instant::now();
    stream.write_all(request).await.unwrap();
    let mut back = vec![0; request.len()];
    timeout(PATIENCE, stream.read_exact(&mut back))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(back, request);
    started.elapsed()
}

fn bytes(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 % 251) as u8).collect()
}

#[tokio::test]
async fn passes_bytes_through_unchanged_both_ways() {
    let echo = echo().await;
    let proxy = proxy_to(echo.addr).await;
    let request = bytes(200_000);

    let (got, error) = exchange(proxy.addr(), &request).await;

    assert_eq!(error, None);
    assert!(got == request, "{} bytes back", got.len());
    assert_eq!(
        proxy.stats(),
        Stats {
            accepted: 1,
            passed: 1,
            ..Stats::default()
        }
    );
}

#[tokio::test]
async fn latency_holds_each_chunk_in_each_direction_on_new_and_open_connections() {
    let echo = echo().await;
    let proxy = proxy_to(echo.addr).await;
    let delay = Duration::from_millis(100);
    let mut opened_before = TcpStream::connect(proxy.addr()).await.unwrap();
    round_trip(&mut opened_before, b"warm").await;

    proxy.set(Fault::Latency(delay));
    let mut opened_after = TcpStream::connect(proxy.addr()).await.unwrap();
    let new = round_trip(&mut opened_after, b"ping").await;
    let open = round_trip(&mut opened_before, b"ping").await;

    assert!(new >= 2 * delay, "new connection: {new:?}");
    assert!(open >= 2 * delay, "open connection: {open:?}");
    let stats = proxy.stats();
    assert_eq!((stats.passed, stats.latency), (1, 1), "{stats:?}");
}

#[tokio::test]
async fn close_ends_the_connection_before_any_answer() {
    let echo = echo().await;
    let proxy = proxy_to(echo.addr).await;
    proxy.set(Fault::Close);

    let (got, error) = exchange(proxy.addr(), b"GET / HTTP/1.1\r\n\r\n").await;
    assert_eq!((got.len(), error), (0, None));

    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let mut answer = [0; 1];
    let read = timeout(PATIENCE, stream.read_exact(&mut answer)).await;
    assert_eq!(read.unwrap().unwrap_err().kind(), ErrorKind::UnexpectedEof);

    assert_eq!(proxy.stats().closed, 2);
    assert_eq!(echo.connections(), 0);
}

#[tokio::test]
async fn reset_fails_the_client_with_connection_reset() {
    let echo = echo().await;
    let proxy = proxy_to(echo.addr).await;
    proxy.set(Fault::Reset);

    let (got, error) = exchange(proxy.addr(), b"GET / HTTP/1.1\r\n\r\n").await;
    assert_eq!((got.len(), error), (0, Some(ErrorKind::ConnectionReset)));

    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    let mut answer = [0; 1];
    let read = timeout(PATIENCE, stream.read(&mut answer)).await;
    assert_eq!(
        read.unwrap().unwrap_err().kind(),
        ErrorKind::ConnectionReset
    );

    assert_eq!(proxy.stats().reset, 2);
    assert_eq!(echo.connections(), 0);
}

#[tokio::test]
async fn reset_mid_response_delivers_exactly_the_first_bytes_then_a_reset() {
    let echo = echo().await;
    let proxy = proxy_to(echo.addr).await;
    let request = bytes(100_000);

    for after_bytes in [0, 1, 100, 40_000] {
        proxy.set(Fault::ResetMidResponse { after_bytes });
        let (got, error) = exchange(proxy.addr(), &request).await;
        assert_eq!(got, request[..after_bytes], "after {after_bytes} bytes");
        assert_eq!(error, Some(ErrorKind::ConnectionReset));
    }
    assert_eq!(proxy.stats().reset_mid_response, 4);
    assert_eq!(echo.connections(), 4);
}

#[tokio::test]
async fn black_hole_answers_nothing_until_the_client_gives_up() {
    let echo = echo().await;
    let proxy = proxy_to(echo.addr).await;
    proxy.set(Fault::BlackHole);

    let mut stream = TcpStream::connect(proxy.addr()).await.unwrap();
    stream.write_all(b"ping").await.unwrap();
    stream.shutdown().await.unwrap();
    let mut answer = [0; 1];
    let read = timeout(Duration::from_millis(300), stream.read(&mut answer)).await;

    assert!(read.is_err(), "the client heard back: {read:?}");
    assert_eq!(proxy.stats().black_holed, 1);
    assert_eq!(echo.connections(), 0);
}

/// What a client saw of one short exchange through a `Random` proxy.
async fn random_outcomes(
    echo: &Echo,
    random: RandomFaults,
    connections: usize,
) -> (Vec<Result<(), ErrorKind>>, Stats) {
    let proxy = proxy_to(echo.addr).await;
    proxy.set(Fault::Random(random));
    let mut outcomes = Vec::with_capacity(connections);
    for _ in 0..connections {
        let (got, error) = exchange(proxy.addr(), b"ping").await;
        outcomes.push(match error {
            None if got == b"ping" => Ok(()),
            None => Err(ErrorKind::UnexpectedEof),
            Some(kind) => Err(kind),
        });
    }
    (outcomes, proxy.stats())
}

#[tokio::test]
async fn random_faults_come_at_the_rate_and_replay_from_the_seed() {
    let echo = echo().await;
    let random = RandomFaults {
        latency: Duration::from_millis(1),
        reset_after_bytes: 2,
        ..RandomFaults::new(0.3, 7)
    };

    let (outcomes, stats) = random_outcomes(&echo, random, 200).await;
    let (replayed, replayed_stats) = random_outcomes(&echo, random, 200).await;
    let other_seed = RandomFaults { seed: 8, ..random };
    let (other, _) = random_outcomes(&echo, other_seed, 200).await;

    assert_eq!(stats.accepted, 200);
    assert!((35..=85).contains(&stats.faults()), "{stats:?}");
    assert_eq!(stats.black_holed, 0);
    let kinds = [
        stats.latency,
        stats.closed,
        stats.reset,
        stats.reset_mid_response,
    ];
    assert!(kinds.iter().all(|&count| count > 0), "{stats:?}");
    // The client sees the faults that break the exchange, and only those:
    // an end of file for each close, a reset for each reset.
    let failed = outcomes.iter().filter(|outcome| outcome.is_err()).count() as u64;
    assert_eq!(
        failed,
        stats.closed + stats.reset + stats.reset_mid_response
    );
    let eofs = outcomes
        .iter()
        .filter(|outcome| **outcome == Err(ErrorKind::UnexpectedEof))
        .count() as u64;
    assert_eq!(eofs, stats.closed);

    assert_eq!((replayed, replayed_stats), (outcomes.clone(), stats));
    assert_ne!(other, outcomes);
}

#[tokio::test]
async fn close_all_ends_open_connections_and_keeps_listening() {
    let echo = echo().await;
    let proxy = proxy_to(echo.addr).await;
    let mut open = TcpStream::connect(proxy.addr()).await.unwrap();
    round_trip(&mut open, b"ping").await;

    proxy.close_all().await;

    let mut answer = [0; 1];
    let read = timeout(PATIENCE, open.read(&mut answer)).await.unwrap();
    assert_eq!(read.unwrap(), 0);
    let (got, error) = exchange(proxy.addr(), b"again").await;
    assert_eq!((got.as_slice(), error), (&b"again"[..], None));
}

#[tokio::test]
async fn stop_ends_open_connections_and_refuses_new_ones() {
    let echo = echo().await;
    let proxy = proxy_to(echo.addr).await;
    let addr = proxy.addr();
    let mut open = TcpStream::connect(addr).await.unwrap();
    round_trip(&mut open, b"ping").await;
    proxy.set(Fault::BlackHole);
    let mut silent = TcpStream::connect(addr).await.unwrap();
    silent.write_all(b"ping").await.unwrap();

    proxy.stop().await;

    let mut answer = [0; 1];
    for stream in [&mut open, &mut silent] {
        let read = timeout(PATIENCE, stream.read(&mut answer)).await.unwrap();
        // The black hole had unread bytes, so its close may come as a reset.
        assert!(matches!(read, Ok(0)) || read.unwrap_err().kind() == ErrorKind::ConnectionReset);
    }
    let refused = TcpStream::connect(addr).await.unwrap_err();
    assert_eq!(refused.kind(), ErrorKind::ConnectionRefused);
}

#[tokio::test]
async fn dropping_the_proxy_ends_open_connections() {
    let echo = echo().await;
    let proxy = proxy_to(echo.addr).await;
    let mut open = TcpStream::connect(proxy.addr()).await.unwrap();
    round_trip(&mut open, b"ping").await;

    drop(proxy);

    let mut answer = [0; 1];
    let read = timeout(PATIENCE, open.read(&mut answer)).await.unwrap();
    assert_eq!(read.unwrap(), 0);
}

/// A client with no idle connections: each request opens a new one.
fn fresh_connections(request_timeout: Duration) -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(request_timeout)
        .pool_max_idle_per_host(0)
        .build()
        .unwrap()
}

#[tokio::test]
async fn http_exchanges_break_the_way_a_flaky_network_breaks_them() {
    let proxy = proxy_to(http().await).await;
    let url = format!("http://{}/", proxy.addr());
    let client = fresh_connections(Duration::from_millis(500));

    let answer = client.get(&url).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    assert_eq!(answer.text().await.unwrap(), body());

    proxy.set(Fault::Close);
    let closed = client.get(&url).send().await.unwrap_err();
    assert!(closed.is_request() && !closed.is_timeout(), "{closed:?}");

    proxy.set(Fault::Reset);
    let reset = client.get(&url).send().await.unwrap_err();
    assert!(reset.is_request() && !reset.is_timeout(), "{reset:?}");

    // The head fits in 300 bytes; the body is cut part way.
    proxy.set(Fault::ResetMidResponse { after_bytes: 300 });
    let answer = client.get(&url).send().await.unwrap();
    assert_eq!(answer.status(), 200);
    let cut = answer.bytes().await.unwrap_err();
    assert!(cut.is_body() || cut.is_decode(), "{cut:?}");

    proxy.set(Fault::BlackHole);
    let silence = client.get(&url).send().await.unwrap_err();
    assert!(silence.is_timeout(), "{silence:?}");

    proxy.set(Fault::Latency(Duration::from_millis(100)));
    let started = Instant::now();
    let answer = client.get(&url).send().await.unwrap();
    assert_eq!(answer.text().await.unwrap(), body());
    assert!(started.elapsed() >= Duration::from_millis(200));

    let stats = proxy.stats();
    assert_eq!(stats.accepted, 6, "{stats:?}");
    assert_eq!(stats.faults(), 5, "{stats:?}");
}

#[tokio::test]
async fn kept_alive_connections_meet_a_new_fault_only_after_close_all() {
    let proxy = proxy_to(http().await).await;
    let url = format!("http://{}/", proxy.addr());
    let client = reqwest::Client::builder()
        .timeout(PATIENCE)
        .build()
        .unwrap();
    let get = || async { client.get(&url).send().await?.text().await };

    assert_eq!(get().await.unwrap(), body());
    proxy.set(Fault::Reset);
    // The request rides the connection kept from before the fault.
    assert_eq!(get().await.unwrap(), body());
    assert_eq!(proxy.stats().accepted, 1);

    proxy.close_all().await;
    // Whether the client notices the close before it reuses the connection
    // or after, this request fails.
    assert!(get().await.is_err());

    proxy.set(Fault::None);
    assert_eq!(get().await.unwrap(), body());
}
