//! `cargo xtask` must build on a bare machine, with the Rust toolchain and
//! a C compiler alone: it installs the system libraries the rest needs, so
//! nothing it is built from may link one. Read from `cargo metadata`.

#![allow(clippy::unwrap_used)] // a test that cannot go on should stop loudly

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Crates with a `links` key that build their native part from sources
/// they carry, and what makes that so.
const BUILT_FROM_SOURCE: &[(&str, Option<&str>)] = &[
    // SQLite's amalgamation, compiled by cc, only with this feature.
    ("libsqlite3-sys", Some("bundled")),
    // Its own C and assembly, compiled by cc.
    ("ring", None),
];

struct Graph {
    packages: BTreeMap<String, Value>,
    nodes: BTreeMap<String, Value>,
}

fn graph() -> Graph {
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let host = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .arg("-vV")
        .output()
        .expect("rustc runs");
    let host = String::from_utf8(host.stdout).unwrap();
    let host = host
        .lines()
        .find_map(|l| l.strip_prefix("host: "))
        .expect("rustc -vV names the host")
        .to_owned();
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked"])
        .args(["--filter-platform", &host])
        .current_dir(workspace)
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let by_id = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .map(|v| (v["id"].as_str().unwrap().to_owned(), v.clone()))
            .collect()
    };
    Graph {
        packages: by_id(&meta["packages"]),
        nodes: by_id(&meta["resolve"]["nodes"]),
    }
}

impl Graph {
    fn id_of(&self, name: &str) -> String {
        self.packages
            .iter()
            .find(|(_, p)| p["name"] == name && p["source"].is_null())
            .map(|(id, _)| id.clone())
            .unwrap_or_else(|| panic!("no workspace package {name}"))
    }

    /// Every package `root` builds with (normal and build dependencies,
    /// not dev ones), each with the chain that pulls it in.
    fn built_with(&self, root: &str) -> BTreeMap<String, Vec<String>> {
        let root = self.id_of(root);
        let mut chains = BTreeMap::from([(root.clone(), vec![self.name(&root)])]);
        let mut todo = VecDeque::from([root]);
        while let Some(id) = todo.pop_front() {
            for dep in self.nodes[&id]["deps"].as_array().unwrap() {
                let built = dep["dep_kinds"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|k| k["kind"].is_null() || k["kind"] == "build");
                let dep_id = dep["pkg"].as_str().unwrap().to_owned();
                if built && !chains.contains_key(&dep_id) {
                    let mut chain = chains[&id].clone();
                    chain.push(self.name(&dep_id));
                    chains.insert(dep_id.clone(), chain);
                    todo.push_back(dep_id);
                }
            }
        }
        chains
    }

    fn name(&self, id: &str) -> String {
        self.packages[id]["name"].as_str().unwrap().to_owned()
    }

    /// The packages `root` builds with that link a library the machine
    /// must provide, each as the chain that pulls it in.
    fn system_links(&self, root: &str) -> BTreeSet<String> {
        self.built_with(root)
            .into_iter()
            .filter(|(id, _)| self.packages[id]["links"].is_string())
            .filter(|(id, _)| {
                let features = self.nodes[id]["features"].as_array().unwrap();
                !BUILT_FROM_SOURCE.iter().any(|(name, feature)| {
                    self.name(id) == *name
                        && feature.is_none_or(|f| features.iter().any(|have| have == f))
                })
            })
            .map(|(id, chain)| {
                format!(
                    "{} (links {}): {}",
                    self.name(&id),
                    self.packages[&id]["links"],
                    chain.join(" -> ")
                )
            })
            .collect()
    }
}

#[test]
fn xtask_builds_without_system_libraries() {
    let linked = graph().system_links("xtask");
    assert!(
        linked.is_empty(),
        "xtask would need system libraries before it could install them:\n{}",
        linked.into_iter().collect::<Vec<_>>().join("\n")
    );
}

/// The check sees what it is there to see: the desktop shell does link
/// system libraries (the webview's), and SQLite is bundled everywhere.
#[test]
fn the_check_finds_the_desktop_shells_system_libraries() {
    let graph = graph();
    let linked = graph.system_links("shiftdesk");
    assert!(
        linked.iter().any(|l| l.starts_with("webkit2gtk-sys ")),
        "{linked:?}"
    );
    assert!(
        !linked.iter().any(|l| l.starts_with("libsqlite3-sys ")),
        "{linked:?}"
    );
}
