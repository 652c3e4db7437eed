//! An X display for the app: the user's own, or a private Xvfb when there is
//! none (CI, a headless server).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

#[derive(Debug)]
pub struct Display {
    name: String,
    xvfb: Option<Child>,
}

impl Display {
    pub fn apply(&self, cmd: &mut Command) {
        cmd.env("DISPLAY", &self.name);
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        if let Some(child) = &mut self.xvfb {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// The current display, or a new Xvfb on a free display number.
pub fn ensure() -> Result<Display> {
    if let Ok(name) = std::env::var("DISPLAY") {
        if !name.is_empty() {
            return Ok(Display { name, xvfb: None });
        }
    }
    let number = (90..200)
        .find(|n| {
            !Path::new(&format!("/tmp/.X11-unix/X{n}")).exists()
                && !Path::new(&format!("/tmp/.X{n}-lock")).exists()
        })
        .context("no free X display number")?;
    let name = format!(":{number}");
    println!("\n==> No display: starting Xvfb on {name}");
    let child = Command::new("Xvfb")
        .args([&name, "-screen", "0", "1440x900x24", "-nolisten", "tcp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("could not start Xvfb (Debian package xvfb)")?;
    let display = Display {
        name: name.clone(),
        xvfb: Some(child),
    };
    let socket = format!("/tmp/.X11-unix/X{number}");
    let started = Instant::now();
    while !Path::new(&socket).exists() {
        if started.elapsed() > Duration::from_secs(15) {
            bail!("Xvfb did not open {socket} within 15 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(display)
}
