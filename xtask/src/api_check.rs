//! schemathesis (PyPI) against the live reference server with the committed
//! OpenAPI document: no 5xx, every response as documented, malformed input
//! refused.

use std::process::Command;

use anyhow::{Context, Result};

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
    // The agent API and opening a portal ticket, as agent 1.
    process::step(
        "schemathesis: the agent API and portal intake",
        schemathesis(&running.base, &token, "^/(v1/|portal/v1/tickets$)"),
    )?;
    // A customer's endpoints, with a real access key.
    let key = tokio::runtime::Runtime::new()?.block_on(portal_key(&running.base))?;
    process::step(
        "schemathesis: a portal customer's endpoints",
        schemathesis(&running.base, &key, "^/portal/v1/tickets/"),
    )
}

fn schemathesis(base: &str, credential: &str, paths: &str) -> Command {
    let mut check = Command::new("schemathesis");
    check
        .arg("run")
        .arg(workspace_root().join("docs/openapi.json"))
        .args(["--url", base])
        .args(["--header", &format!("Authorization: Bearer {credential}")])
        .args(["--include-path-regex", paths])
        .args(["--checks", CHECKS, "--max-examples", "50", "--seed", "1"]);
    check
}

/// Opens a portal ticket and returns its access key.
async fn portal_key(base: &str) -> Result<String> {
    let form = [
        ("name", "Schemathesis"),
        ("service", "Compute Cloud"),
        ("category", "platform_problem"),
        ("description", "A ticket for the API check."),
    ]
    .into_iter()
    .fold(reqwest::multipart::Form::new(), |form, (name, value)| {
        form.text(name, value)
    });
    let opened: shiftdesk_protocol::PortalTicketOpened = reqwest::Client::new()
        .post(format!("{base}/portal/v1/tickets"))
        .multipart(form)
        .send()
        .await?
        .error_for_status()?
        .json()
        .await
        .context("the portal answered no access key")?;
    Ok(opened.access_key)
}
