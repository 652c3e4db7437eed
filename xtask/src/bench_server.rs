//! `cargo xtask bench server`: the reference server as a release build in
//! its own process, driven from this one over loopback, on a desk of 10k
//! tickets and about 100k messages in one lead's scope.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use shiftdesk_domain::{AgentId, Channel, Ticket, TicketNumber};
use shiftdesk_protocol::{
    ChangeBody, ChangePage, Mutation, MutationOutcome, MutationRequest, PushResponse,
};
use uuid::Uuid;

use crate::bench::{emit, quantile_ms};
use crate::reference_server::{token_of, ServerDb};

const AGENTS: usize = 50;
const PUSHES_PER_AGENT: usize = 20;
const NUDGES: usize = 50;

pub async fn run() -> Result<()> {
    let server = ServerDb::fresh(true, "bench/server")?;
    server.cli(&["demo", "--tickets", "10000", "--seed", "42"])?;
    let lead_id = shiftdesk_demo::agents()
        .into_iter()
        .find(|a| a.role == shiftdesk_domain::Role::Lead)
        .context("the demo team has a lead")?
        .id;
    let lead = token_of(&server.cli(&["agent", "token", "--id", &lead_id.0.to_string()])?)?;
    let mut agents = Vec::new();
    for i in 0..AGENTS {
        let printed = server.cli(&[
            "agent",
            "add",
            "--name",
            &format!("Bench agent {i}"),
            "--login",
            &format!("bench{i}@shiftdesk.example"),
        ])?;
        let id: i64 = printed
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .context("agent add prints the new id")?;
        let token = token_of(&server.cli(&["agent", "token", "--id", &id.to_string()])?)?;
        agents.push((AgentId(id), token));
    }

    let running = server.serve()?;
    let base = running.base.clone();
    let http = reqwest::Client::new();

    // Pull: the lead's whole scope, 1,000 changes a page.
    let started = Instant::now();
    let mut after = 0;
    let mut tickets: Vec<Ticket> = Vec::new();
    let mut pulled = 0_usize;
    loop {
        let page: ChangePage = http
            .get(format!("{base}/v1/changes?after={after}&limit=1000"))
            .bearer_auth(&lead)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        pulled += page.changes.len();
        tickets.extend(page.changes.into_iter().filter_map(|c| match c.body {
            ChangeBody::Ticket(t) => Some(t),
            _ => None,
        }));
        after = page.next.0;
        if !page.more {
            break;
        }
    }
    let elapsed = started.elapsed();
    emit(
        "pull_changes_per_s",
        pulled as f64 / elapsed.as_secs_f64(),
        "changes/s",
    );
    emit("pull_changes", pulled as f64, "changes");

    // Give each bench agent a ticket of their own, then all reply at once.
    let mut latest: std::collections::HashMap<TicketNumber, Ticket> =
        std::collections::HashMap::new();
    for t in tickets {
        latest.insert(t.number, t);
    }
    let mut own: Vec<&Ticket> = latest.values().collect();
    own.sort_by_key(|t| t.number);
    let handover: Vec<MutationRequest> = own
        .iter()
        .zip(&agents)
        .map(|(t, (agent, _))| MutationRequest {
            id: Uuid::new_v4(),
            ticket: t.number,
            base_version: Some(t.version),
            mutation: Mutation::Assign {
                assignee: Some(*agent),
            },
        })
        .collect();
    let answer: PushResponse = http
        .post(format!("{base}/v1/mutations"))
        .bearer_auth(&lead)
        .json(&serde_json::json!({ "mutations": handover }))
        .send()
        .await?
        .error_for_status()?
        .json()
        .await?;
    if !answer
        .results
        .iter()
        .all(|r| matches!(r.outcome, MutationOutcome::Applied { .. }))
    {
        bail!(
            "handing tickets to the bench agents failed: {:?}",
            answer.results
        );
    }
    let mut tasks = Vec::new();
    for ((_, token), ticket) in agents.iter().zip(&own) {
        let (http, base, token, number) =
            (http.clone(), base.clone(), token.clone(), ticket.number);
        tasks.push(tokio::spawn(async move {
            let mut samples = Vec::new();
            for i in 0..PUSHES_PER_AGENT {
                let reply = MutationRequest {
                    id: Uuid::new_v4(),
                    ticket: number,
                    base_version: None,
                    mutation: Mutation::Reply {
                        channel: Channel::Portal,
                        body: format!("Ответ {i}: проверили, всё работает."),
                        attachments: vec![],
                        cc: vec![],
                    },
                };
                let started = Instant::now();
                let status = http
                    .post(format!("{base}/v1/mutations"))
                    .bearer_auth(&token)
                    .json(&serde_json::json!({ "mutations": [reply] }))
                    .send()
                    .await
                    .map(|r| r.status());
                samples.push(started.elapsed());
                if !status.as_ref().is_ok_and(|s| s.is_success()) {
                    return Err(anyhow::anyhow!("a push failed: {status:?}"));
                }
            }
            Ok(samples)
        }));
    }
    let mut samples = Vec::new();
    for task in tasks {
        samples.extend(task.await??);
    }
    emit(
        "push_p50_ms_50_agents",
        quantile_ms(&mut samples, 0.5),
        "ms",
    );
    emit(
        "push_p95_ms_50_agents",
        quantile_ms(&mut samples, 0.95),
        "ms",
    );

    // Event latency: from sending a push to the stream announcing it.
    let mut events = http
        .get(format!("{base}/v1/events"))
        .bearer_auth(&lead)
        .send()
        .await?
        .error_for_status()?;
    let mut buffer = String::new();
    let mut newest = next_event(&mut events, &mut buffer).await?;
    let ticket = own.last().context("a ticket")?.number;
    let mut samples = Vec::new();
    for i in 0..NUDGES {
        let note = MutationRequest {
            id: Uuid::new_v4(),
            ticket,
            base_version: None,
            mutation: Mutation::Note {
                body: format!("nudge {i}"),
                attachments: vec![],
            },
        };
        let started = Instant::now();
        let push = http
            .post(format!("{base}/v1/mutations"))
            .bearer_auth(&lead)
            .json(&serde_json::json!({ "mutations": [note] }))
            .send();
        let (pushed, seen) = tokio::join!(push, async {
            loop {
                let seq = next_event(&mut events, &mut buffer).await?;
                if seq > newest {
                    return Ok::<_, anyhow::Error>((seq, started.elapsed()));
                }
            }
        });
        pushed?.error_for_status()?;
        let (seq, latency) = seen?;
        newest = seq;
        samples.push(latency);
    }
    emit("sse_nudge_p50_ms", quantile_ms(&mut samples, 0.5), "ms");
    emit("sse_nudge_p95_ms", quantile_ms(&mut samples, 0.95), "ms");
    Ok(())
}

/// The sequence number of the next `changes` event on the stream.
async fn next_event(response: &mut reqwest::Response, buffer: &mut String) -> Result<i64> {
    loop {
        if let Some(end) = buffer.find("\n\n") {
            let event: String = buffer.drain(..end + 2).collect();
            if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                return Ok(data.parse()?);
            }
            continue;
        }
        let chunk = tokio::time::timeout(Duration::from_secs(10), response.chunk())
            .await
            .context("no event within 10 s")??
            .context("the event stream ended")?;
        buffer.push_str(std::str::from_utf8(&chunk)?);
    }
}
