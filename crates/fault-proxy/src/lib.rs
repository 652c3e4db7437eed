//! A fault-injecting TCP proxy for tests: it sits on a loopback port between
//! a client and its server and makes the network between them misbehave on
//! demand. It knows nothing of the protocol it carries.
//!
//! [`FaultProxy::start`] listens on `127.0.0.1:0` and forwards each accepted
//! connection to the upstream address, both ways, passing a half-close
//! (FIN) from either side to the other and a broken side to the other as a
//! reset. A test switches [`Fault`] modes at runtime with [`FaultProxy::set`]:
//!
//! - [`Fault::None`]: pass through;
//! - [`Fault::Latency`]: hold each chunk back, in each direction;
//! - [`Fault::Close`]: accept, then close before any answer (end of file);
//! - [`Fault::Reset`]: accept, then reset (`ConnectionReset`);
//! - [`Fault::ResetMidResponse`]: forward the request and the first bytes of
//!   the answer, then reset the client's connection;
//! - [`Fault::BlackHole`]: accept and never answer nor close;
//! - [`Fault::Random`]: per connection, one of those at a rate, drawn from a
//!   seeded generator, so a failing run replays exactly.
//!
//! [`FaultProxy::stats`] counts the connections accepted and what each got.
//! Dropping the proxy, or [`FaultProxy::stop`], stops accepting and ends
//! every open connection.
//!
//! # Which connections a fault hits
//!
//! A fault is decided once per connection, when it is accepted. Only latency
//! also acts on data in flight: while the proxy is set to `Latency`, every
//! chunk forwarded on any connection is held back, including connections
//! opened before.
//!
//! An HTTP client keeps connections alive and reuses them, so after `set` its
//! next requests may still ride an old connection that the new fault never
//! sees. The proxy does not apply faults per request: finding where a request
//! or a response ends needs the HTTP framing (lengths, chunks, event streams,
//! upgrades), and a proxy that parses it is no longer a plain network. Instead
//! [`FaultProxy::close_all`] ends the open connections, as a server dropping
//! idle connections would, so the client must reconnect and its next
//! connection gets the fault in force. A test that wants every request to hit
//! the fault calls `set` then `close_all`, or runs a client that keeps no idle
//! connections.
//!
//! ```no_run
//! use std::time::Duration;
//! use shiftdesk_fault_proxy::{Fault, FaultProxy, RandomFaults};
//!
//! # async fn example(server: std::net::SocketAddr) -> std::io::Result<()> {
//! let proxy = FaultProxy::start(server).await?;
//! let base = format!("http://{}", proxy.addr()); // the client's server URL
//! proxy.set(Fault::ResetMidResponse { after_bytes: 300 });
//! proxy.close_all().await; // kept-alive connections must reconnect
//! // ... a request to `base` now loses its answer part way ...
//! assert_eq!(proxy.stats().reset_mid_response, 1);
//! proxy.set(Fault::Random(RandomFaults::new(0.3, 7))); // a soak's weather
//! # Ok(())
//! # }
//! ```

mod connection;
mod fault;
mod proxy;
#[cfg(test)]
mod tests;

pub use fault::{Fault, RandomFaults, Stats};
pub use proxy::FaultProxy;
