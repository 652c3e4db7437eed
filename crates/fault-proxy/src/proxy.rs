//! The proxy's handle and its accept loop: a task that owns the listener and
//! every open connection, and takes commands from the handle by channel.

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinSet;

use crate::connection;
use crate::fault::{Fault, SharedFaults, Stats};

/// How long the loop waits after a failed accept: the causes (no file
/// descriptors left, say) last a while, and retrying at once would spin.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(10);

/// A running proxy. Dropping it stops accepting and ends every open
/// connection, as [`FaultProxy::stop`] does without waiting.
#[derive(Debug)]
pub struct FaultProxy {
    addr: SocketAddr,
    faults: Arc<SharedFaults>,
    commands: mpsc::UnboundedSender<Command>,
}

#[derive(Debug)]
enum Command {
    CloseAll(oneshot::Sender<()>),
    Stop(oneshot::Sender<()>),
}

impl FaultProxy {
    /// Listens on a free loopback port and forwards to `upstream`, passing
    /// everything through until told otherwise. Needs a tokio runtime.
    pub async fn start(upstream: SocketAddr) -> io::Result<Self> {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).await?;
        let addr = listener.local_addr()?;
        let faults = Arc::new(SharedFaults::new());
        let (commands, inbox) = mpsc::unbounded_channel();
        tokio::spawn(accept_loop(listener, upstream, Arc::clone(&faults), inbox));
        Ok(Self {
            addr,
            faults,
            commands,
        })
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Switches the fault for connections accepted from now on (and the
    /// latency of data in flight). Setting `Random` restarts its draws from
    /// the seed.
    pub fn set(&self, fault: Fault) {
        self.faults.set(fault);
    }

    /// What the proxy has done so far.
    pub fn stats(&self) -> Stats {
        self.faults.stats()
    }

    /// Ends every open connection and keeps listening, so clients holding
    /// connections alive must reconnect and meet the fault now in force.
    /// Returns once they are closed.
    pub async fn close_all(&self) {
        self.ask(Command::CloseAll).await;
    }

    /// Stops accepting and ends every open connection; returns once the port
    /// is closed and they are.
    pub async fn stop(self) {
        self.ask(Command::Stop).await;
    }

    async fn ask(&self, command: fn(oneshot::Sender<()>) -> Command) {
        let (done, wait) = oneshot::channel();
        // Both can fail only if the loop is gone, and then there is nothing
        // left to close.
        if self.commands.send(command(done)).is_ok() {
            wait.await.ok();
        }
    }
}

async fn accept_loop(
    listener: TcpListener,
    upstream: SocketAddr,
    faults: Arc<SharedFaults>,
    mut inbox: mpsc::UnboundedReceiver<Command>,
) {
    let mut open = JoinSet::new();
    let stopped = loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((client, _)) => {
                    let plan = faults.admit();
                    open.spawn(connection::serve(client, upstream, plan, Arc::clone(&faults)));
                }
                Err(_) => tokio::time::sleep(ACCEPT_BACKOFF).await,
            },
            command = inbox.recv() => match command {
                Some(Command::CloseAll(done)) => {
                    close(&mut open).await;
                    done.send(()).ok();
                }
                Some(Command::Stop(done)) => break Some(done),
                // The handle was dropped.
                None => break None,
            },
            // Reaps finished connections, so the set holds only open ones.
            Some(_) = open.join_next(), if !open.is_empty() => {}
        }
    };
    drop(listener);
    close(&mut open).await;
    if let Some(done) = stopped {
        done.send(()).ok();
    }
}

/// Ends the connections: each task's sockets close as it is dropped.
async fn close(open: &mut JoinSet<()>) {
    open.abort_all();
    while open.join_next().await.is_some() {}
}
