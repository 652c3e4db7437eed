//! `cargo xtask package`: what agents and operators install, in
//! target/packages. The desktop app as .deb and .rpm (Tauri's bundler):
//! the window, its desktop entry and icons, and the `shiftdesk` command.
//! The server as a .deb (cargo-deb): a systemd unit with its own user,
//! data under /var/lib/shiftdesk, /etc/shiftdesk/server.toml. AppImage is
//! left out: its bundler downloads tools at build time.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, ensure, Context, Result};
use serde_json::json;

use crate::process::{self, workspace_root};
use crate::setup::{self, Needs};

/// The app's libraries to build it; lintian and rpm to check what was built.
pub const NEEDS: Needs = Needs {
    packages: &[setup::APP_PACKAGES, &["lintian", "rpm"]],
    ui: true,
    peers: false,
    tauri_driver: false,
};

/// The packages one run built.
#[derive(Debug)]
pub struct Packages {
    pub desktop_deb: PathBuf,
    pub desktop_rpm: PathBuf,
    pub server_deb: PathBuf,
}

impl Packages {
    pub fn all(&self) -> [&Path; 3] {
        [&self.desktop_deb, &self.desktop_rpm, &self.server_deb]
    }
}

/// Builds every package in release, as they ship; prints each one's size
/// and the time the whole took.
pub fn build() -> Result<Packages> {
    cargo_deb()?;
    let started = Instant::now();
    let release = process::build_dir().join("release");
    // Tauri's CLI builds the desktop app with its own features and
    // environment, as `cargo build --bins` of the workspace's default
    // members: shiftdesk and shiftdesk-server come out of the same build
    // (built apart, cargo would unify features differently and build
    // everything twice).
    let tauri = || {
        let mut tauri = Command::new(workspace_root().join("ui/node_modules/.bin/tauri"));
        tauri.current_dir(workspace_root());
        tauri
    };
    let mut build = tauri();
    build.args(["build", "--ci", "--no-bundle"]);
    process::step(
        "Building shiftdesk-desktop, shiftdesk and shiftdesk-server (release)",
        build,
    )?;
    let cli = release.join("shiftdesk");
    let desktop = release.join("shiftdesk-desktop");
    // What the binaries link, as the distribution's packages name it:
    // read off the binaries, so a new library cannot go undeclared.
    let depends = shlib_depends(&[&desktop, &cli])?;
    let packaging = workspace_root().join("packaging/desktop");
    // Tauri's own changelog option files it under the product's name
    // (Shiftdesk), not the package's.
    let changelog = gzipped(&packaging.join("changelog"))?;
    let config = json!({
        "bundle": {
            "linux": {
                "deb": {
                    "depends": depends,
                    // A keyring keeps the token between runs.
                    "recommends": ["gnome-keyring | kwalletmanager"],
                    "section": "net",
                    "files": {
                        "/usr/bin/shiftdesk": cli,
                        "/usr/share/doc/shiftdesk/copyright": packaging.join("copyright"),
                        "/usr/share/doc/shiftdesk/changelog.gz": changelog,
                    },
                },
                "rpm": {
                    "depends": RPM_DEPENDS,
                    "files": { "/usr/bin/shiftdesk": cli },
                },
            },
        },
    });
    let bundle = release.join("bundle");
    // Only this run's bundles.
    let _ = std::fs::remove_dir_all(&bundle);
    let mut bundling = tauri();
    bundling
        .args(["bundle", "--ci", "--bundles", "deb,rpm", "--config"])
        .arg(config.to_string());
    process::step("Bundling the desktop app (.deb, .rpm)", bundling)?;

    let out = process::build_dir().join("packages");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out)?;
    let desktop_deb = copy_one(&bundle.join("deb"), "deb", &out)?;
    let desktop_rpm = copy_one(&bundle.join("rpm"), "rpm", &out)?;
    let mut deb = process::cargo(&["deb", "-p", "shiftdesk-server", "--no-build", "--output"]);
    deb.arg(&out);
    process::step("Packaging the server (.deb)", deb)?;
    let server_deb = find_one(&out, |name| {
        name.starts_with("shiftdesk-server_") && name.ends_with(".deb")
    })?;
    let packages = Packages {
        desktop_deb,
        desktop_rpm,
        server_deb,
    };
    lintian(&[&packages.desktop_deb, &packages.server_deb])?;
    rpm_contents(&packages.desktop_rpm)?;
    println!();
    for package in packages.all() {
        let size = std::fs::metadata(package)?.len();
        println!(
            "{:>8.1} MiB  {}",
            size as f64 / (1024.0 * 1024.0),
            package.display()
        );
    }
    println!(
        "cargo xtask package: {:.0} s",
        started.elapsed().as_secs_f64()
    );
    Ok(packages)
}

/// `file` compressed as Debian wants a changelog: gzip -9n (no name or
/// time inside, so the package builds the same twice).
fn gzipped(file: &Path) -> Result<PathBuf> {
    let out = process::build_dir().join("packaging").join(format!(
        "{}.gz",
        file.file_name().context("a file name")?.to_string_lossy()
    ));
    std::fs::create_dir_all(out.parent().context("a folder")?)?;
    let gzip = Command::new("gzip")
        .args(["-9n", "--stdout"])
        .arg(file)
        .output()?;
    if !gzip.status.success() {
        bail!(
            "gzip {}: {}",
            file.display(),
            String::from_utf8_lossy(&gzip.stderr)
        );
    }
    std::fs::write(&out, gzip.stdout)?;
    Ok(out)
}

/// Fedora's names for the libraries the app links (no dpkg-shlibdeps
/// there to read them off the binary).
const RPM_DEPENDS: &[&str] = &["webkit2gtk4.1", "gtk3", "dbus-libs"];

/// cargo-deb (crates.io) builds the server's package.
fn cargo_deb() -> Result<()> {
    if setup::cargo_bin("cargo-deb").exists() || process::available("cargo-deb", "--version") {
        return Ok(());
    }
    process::step(
        "Installing cargo-deb",
        process::cargo(&["install", "cargo-deb", "--version", "^3", "--locked"]),
    )
}

/// The Debian packages `binaries` need at run time, by dpkg-shlibdeps
/// (dpkg-dev, part of build-essential).
fn shlib_depends(binaries: &[&Path]) -> Result<Vec<String>> {
    // dpkg-shlibdeps wants a source package around it; an empty control
    // file is enough.
    let dir = process::build_dir().join("packaging/shlibdeps");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("debian"))?;
    std::fs::write(dir.join("debian/control"), "")?;
    let out = Command::new("dpkg-shlibdeps")
        .arg("-O")
        .args(binaries)
        .current_dir(&dir)
        .output()
        .context("dpkg-shlibdeps (dpkg-dev) is needed to package the app")?;
    let _ = std::fs::remove_dir_all(&dir);
    if !out.status.success() {
        bail!(
            "dpkg-shlibdeps failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let stdout = String::from_utf8(out.stdout)?;
    let depends = stdout
        .lines()
        .find_map(|l| l.strip_prefix("shlibs:Depends="))
        .context("dpkg-shlibdeps named no dependencies")?;
    Ok(depends.split(", ").map(str::to_owned).collect())
}

/// Copies the one file ending in `.{ext}` in `from` to `to`, named in
/// lower case like the package inside (the bundler names it after the
/// product, Shiftdesk).
fn copy_one(from: &Path, ext: &str, to: &Path) -> Result<PathBuf> {
    let found = find_one(from, |name| name.ends_with(&format!(".{ext}")))?;
    let name = found
        .file_name()
        .context("a file name")?
        .to_string_lossy()
        .to_lowercase();
    let copy = to.join(name);
    std::fs::copy(&found, &copy)?;
    Ok(copy)
}

fn find_one(dir: &Path, wanted: impl Fn(&str) -> bool) -> Result<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("{}", dir.display()))? {
        let path = entry?.path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(&wanted)
        {
            found.push(path);
        }
    }
    match found.as_slice() {
        [one] => Ok(one.clone()),
        _ => bail!("expected one package in {}, found {found:?}", dir.display()),
    }
}

/// lintian on each .deb: errors fail the test; warnings are shown.
fn lintian(debs: &[&Path]) -> Result<()> {
    for deb in debs {
        let mut lintian = Command::new("lintian");
        lintian
            .args(["--fail-on", "error", "--no-tag-display-limit"])
            .arg(deb);
        process::step(&format!("lintian {}", deb.display()), lintian)?;
    }
    Ok(())
}

/// The .rpm cannot be installed on Debian; read its contents and needs.
fn rpm_contents(rpm: &Path) -> Result<()> {
    println!("\n==> {}", rpm.display());
    let query = |flag: &str| -> Result<String> {
        let out = Command::new("rpm").args(["-qp", flag]).arg(rpm).output()?;
        ensure!(
            out.status.success(),
            "rpm -qp {flag}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        Ok(String::from_utf8(out.stdout)?)
    };
    let files = query("--list")?;
    let requires = query("--requires")?;
    println!("{files}requires:\n{requires}");
    for file in [
        "/usr/bin/shiftdesk",
        "/usr/bin/shiftdesk-desktop",
        "/usr/share/applications/Shiftdesk.desktop",
    ] {
        ensure!(files.lines().any(|l| l == file), "the .rpm lacks {file}");
    }
    ensure!(
        requires.lines().any(|l| l.starts_with("webkit2gtk4.1")),
        "the .rpm does not require WebKitGTK"
    );
    Ok(())
}
