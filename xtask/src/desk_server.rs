//! The reference server `cargo xtask run` starts beside the app: its
//! database under the app's data folder, seeded with the demo desk on first
//! start, a fresh device token for the demo agent each run (kept where the
//! app finds a signed-in account's: the keyring), the simulator writing
//! in as customers while the app is open, and its channel gateways on the
//! local channel peers or on the ones a configuration file names.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};

use crate::channel_peers::{self, ChannelPeers};
use crate::reference_server::{token_of, Background, Running, ServerDb};

/// The server's usual address, when it is free.
const PORT: u16 = 8780;
/// Customer messages a minute the simulator writes in.
const SIMULATOR_RATE: &str = "6";

/// The running server and simulator; both are stopped when this is dropped.
pub struct DeskServer {
    // Dropped in this order: the simulator stops before the server.
    _simulator: Background,
    serving: Running,
    _peers: Option<ChannelPeers>,
    token: String,
}

impl DeskServer {
    /// Signs the demo agent in on this server in the data folder's account
    /// book, as `shiftdesk login --token-stdin` would: the app starts as
    /// them, and no token travels in its environment. The token goes to
    /// the keyring; with none, to a file only the user reads, beside the
    /// server's database.
    pub fn sign_in_demo_agent(&self, data_dir: &Path) -> Result<()> {
        use shiftdesk_engine::accounts::{Account, AccountBook};
        use shiftdesk_engine::credentials::{ApiToken, Storage, TokenVault, Where};
        let me = shiftdesk_demo::agents()
            .into_iter()
            .find(|a| a.id == shiftdesk_demo::ME)
            .context("the demo desk has its agent")?;
        let mut account = Account::new(&self.serving.base, me.id, me.name, None)?;
        let mut vault = TokenVault::open(account.token_key()?, Storage::Keyring)?;
        if let Where::MemoryOnly { .. } = vault.kept() {
            let file = data_dir.join("server").join("demo-agent-token.json");
            println!(
                "    {}: the demo agent's token goes to {}",
                vault.kept(),
                file.display()
            );
            account.token_file = Some(file.clone());
            vault = TokenVault::open(account.token_key()?, Storage::File(file))?;
        }
        vault.save(&ApiToken::new(self.token.clone()))?;
        AccountBook::open(data_dir)?.enter(account)?;
        Ok(())
    }
}

/// Starts the server binary `bin` on `<data_dir>/server/server.sqlite`,
/// with the gateways `config` describes, or on local channel peers.
pub fn start(bin: PathBuf, data_dir: &Path, config: Option<PathBuf>) -> Result<DeskServer> {
    let dir = data_dir.join("server");
    std::fs::create_dir_all(&dir)?;
    let db = dir.join("server.sqlite");
    if !db.exists() {
        seed(&bin, &dir, &db)?;
    }
    let (peers, config) = match config {
        Some(config) => {
            println!("\n==> Channel gateways as {} says", config.display());
            (None, config)
        }
        None => {
            println!("\n==> Starting local channel peers");
            let peers = channel_peers::start(&dir)?;
            let config = peers.config.clone();
            (Some(peers), config)
        }
    };
    let server = ServerDb::at(bin, db.clone()).with_config(config);
    let agent = shiftdesk_demo::ME.0.to_string();
    let token = token_of(&server.cli(&["agent", "token", "--id", &agent])?)?;

    let log = dir.join("server.log");
    let serving = server.serve_on(port()?, Some(&log))?;
    println!(
        "\n==> Reference server at {} (database {}, log {})",
        serving.base,
        db.display(),
        log.display()
    );
    if let Some(peers) = &peers {
        peers.describe(&serving.base);
    }
    let simulator_log = dir.join("simulator.log");
    let mut simulator = server.spawn(
        &["simulate", "--rate", SIMULATOR_RATE],
        Some(&simulator_log),
    )?;
    // A simulator that cannot start fails within moments; the desk still
    // works without it, so say so and go on.
    let settling = Instant::now();
    let stopped = loop {
        if let Some(status) = simulator.exited()? {
            break Some(status);
        }
        if settling.elapsed() >= Duration::from_secs(1) {
            break None;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    match stopped {
        None => println!(
            "    Simulator: customers write in {SIMULATOR_RATE} times a minute (log {})",
            simulator_log.display()
        ),
        Some(status) => println!(
            "    The simulator stopped at once ({status}), so no customer writes in this run: see {}",
            simulator_log.display()
        ),
    }
    Ok(DeskServer {
        _simulator: simulator,
        serving,
        _peers: peers,
        token,
    })
}

/// Seeds the demo desk under another name first, so a seeding cut short is
/// never taken for a seeded database on the next start.
fn seed(bin: &Path, dir: &Path, db: &Path) -> Result<()> {
    println!(
        "\n==> Seeding the reference server's demo desk in {}",
        db.display()
    );
    let partial = dir.join("seeding.sqlite");
    let sidecars = ["", "-wal", "-shm"];
    for suffix in sidecars {
        let _ = std::fs::remove_file(with_suffix(&partial, suffix));
    }
    let printed =
        ServerDb::at(bin.to_owned(), partial.clone()).cli(&["demo", "--tickets", "2000"])?;
    print!("    {printed}");
    for suffix in sidecars {
        let from = with_suffix(&partial, suffix);
        if from.exists() {
            std::fs::rename(&from, with_suffix(db, suffix))
                .with_context(|| format!("could not move {} into place", from.display()))?;
        }
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// 8780 when it is free, else any free loopback port.
fn port() -> Result<u16> {
    if TcpListener::bind(("127.0.0.1", PORT)).is_ok() {
        return Ok(PORT);
    }
    let port = TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    println!("\n==> Port {PORT} is taken: the reference server takes {port}");
    Ok(port)
}
