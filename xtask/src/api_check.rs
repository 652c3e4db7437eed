//! schemathesis (PyPI) against the live reference server with the committed
//! OpenAPI document: no 5xx, every response as documented, malformed input
//! refused.

use std::process::Command;

use anyhow::Result;

use crate::process::{self, available, workspace_root};
use crate::reference_server::{token_of, ServerDb};

const SCHEMATHESIS: &str = "schemathesis==4.32.5";

/// What schemathesis checks: the server's own contract, not its taste in
/// numbers (JSON Schema calls 1.0 an integer; the API, like serde, does not).
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
                      response_schema_conformance,negative_data_rejection";

pub fn run() -> Result<()> {
    if !available("schemathesis", "--version") {
        let mut pip = Command::new("python3");
        pip.args(["-m", "pip", "install", "--quiet", SCHEMATHESIS]);
        process::step("Installing schemathesis", pip)?;
    }
    let server = ServerDb::fresh(false, "api-check")?;
    server.cli(&["demo", "--tickets", "200"])?;
    let token = token_of(&server.cli(&["agent", "token", "--id", "1"])?)?;
    let running = server.serve()?;
    let mut check = Command::new("schemathesis");
    check
        .arg("run")
        .arg(workspace_root().join("docs/openapi.json"))
        .args(["--url", &running.base])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--checks", CHECKS, "--max-examples", "50", "--seed", "1"]);
    process::step("schemathesis against the live server", check)
}
