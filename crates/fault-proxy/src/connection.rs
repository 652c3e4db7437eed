//! One accepted connection, carried out as its plan says: forwarded both
//! ways (delayed, or cut off after some answer bytes), closed, reset, or
//! held in silence.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

use crate::fault::{Plan, SharedFaults};

/// The most a single read forwards at once: one "chunk" that latency holds.
const CHUNK: usize = 16 * 1024;

pub(crate) async fn serve(
    client: TcpStream,
    upstream: SocketAddr,
    plan: Plan,
    faults: Arc<SharedFaults>,
) {
    match plan {
        Plan::Forward => forward(client, upstream, Delay::Live(faults), None).await,
        Plan::Delayed(delay) => forward(client, upstream, Delay::Fixed(delay), None).await,
        Plan::ResetMidResponse(after_bytes) => {
            forward(client, upstream, Delay::Live(faults), Some(after_bytes)).await;
        }
        Plan::Close => close(client).await,
        Plan::Reset => reset(client),
        Plan::BlackHole => black_hole(client).await,
    }
}

/// How long each forwarded chunk is held back.
enum Delay {
    /// As the proxy is set at the moment the chunk passes.
    Live(Arc<SharedFaults>),
    Fixed(Duration),
}

impl Delay {
    fn now(&self) -> Option<Duration> {
        match self {
            Delay::Live(faults) => faults.latency(),
            Delay::Fixed(delay) => Some(*delay),
        }
    }
}

/// Why forwarding stopped before both sides closed.
enum End {
    /// The answer reached its byte limit.
    Cut,
    /// A side failed; the error itself is passed on as a reset, not kept.
    Broken,
}

impl From<io::Error> for End {
    fn from(_: io::Error) -> Self {
        End::Broken
    }
}

/// Forwards until both sides have closed, or `cut_after` bytes of answer
/// have gone to the client, which is then reset.
async fn forward(
    mut client: TcpStream,
    upstream: SocketAddr,
    delay: Delay,
    cut_after: Option<usize>,
) {
    let Ok(mut server) = TcpStream::connect(upstream).await else {
        // An upstream that refuses shows as a failure, not as an empty answer.
        reset(client);
        return;
    };
    // The proxy adds no buffering of its own: small writes go out at once.
    for stream in [&client, &server] {
        stream.set_nodelay(true).ok();
    }
    let ended = {
        let (mut client_in, mut client_out) = client.split();
        let (mut server_in, mut server_out) = server.split();
        tokio::try_join!(
            pump(&mut client_in, &mut server_out, &delay, None),
            pump(&mut server_in, &mut client_out, &delay, cut_after),
        )
    };
    match ended {
        Ok(_) => {}
        Err(End::Cut) => reset(client),
        // What a broken path does to the two ends of a connection.
        Err(End::Broken) => {
            reset(client);
            reset(server);
        }
    }
}

/// Copies one direction, chunk by chunk, until end of file, which it passes
/// on as a half-close; with a `limit`, stops once that many bytes are out.
async fn pump<R, W>(
    from: &mut R,
    to: &mut W,
    delay: &Delay,
    limit: Option<usize>,
) -> Result<(), End>
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let mut buf = vec![0; CHUNK];
    let mut left = limit;
    loop {
        let read = from.read(&mut buf).await?;
        if read == 0 {
            to.shutdown().await?;
            return Ok(());
        }
        if let Some(delay) = delay.now() {
            tokio::time::sleep(delay).await;
        }
        if let Some(left) = left.as_mut() {
            if read >= *left {
                to.write_all(&buf[..*left]).await?;
                return Err(End::Cut);
            }
            *left -= read;
        }
        to.write_all(&buf[..read]).await?;
    }
}

/// Closes cleanly at once, then drains what the client still sends: closing
/// a socket with unread bytes would make the kernel send a reset instead.
async fn close(mut client: TcpStream) {
    if client.shutdown().await.is_ok() {
        tokio::io::copy(&mut client, &mut tokio::io::sink())
            .await
            .ok();
    }
}

/// Drops the connection with a reset (RST) rather than a close (FIN).
fn reset(stream: TcpStream) {
    // Failing that, the drop closes it cleanly: still no answer.
    stream.set_zero_linger().ok();
    drop(stream);
}

/// Reads and discards whatever the client sends, answers nothing, and keeps
/// the connection open even after the client's end of file, since that may
/// be a half-close from a client still waiting for an answer.
async fn black_hole(mut client: TcpStream) {
    tokio::io::copy(&mut client, &mut tokio::io::sink())
        .await
        .ok();
    std::future::pending::<()>().await;
}
