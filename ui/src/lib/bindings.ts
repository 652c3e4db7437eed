// Generated from the Rust types by src-tauri/src/bindings.rs. Do not edit:
// run `UPDATE_BINDINGS=1 cargo test -p shiftdesk bindings` after changing them.

export type TicketNumber = number;

export type Timestamp = number;

export type Channel = "portal" | "telegram" | "email" | "phone";

export type TicketStatus = "new" | "open" | "pending" | "on_hold" | "solved" | "closed" | "reopened";

export type Priority = "urgent" | "high" | "normal" | "low";

export type Plan = "standard" | "professional";

export type ServiceStage = "beta" | "ga";

export type Role = "agent" | "lead";

export type QueueView = "mine_open" | "waiting_on_customer" | "all";

export type QueueCursor = { urgency: number, created_at: number, number: number, };

export type QueueRequest = { view: QueueView, after: QueueCursor | null, limit: number, };

export type QueueRow = { number: TicketNumber, subject: string, customer_name: string, channel: Channel, status: TicketStatus, priority: Priority, plan: Plan, service_name: string, service_stage: ServiceStage, sla_due_at: Timestamp | null, created_at: Timestamp, updated_at: Timestamp, };

export type QueuePage = { rows: Array<QueueRow>, 
/**
 * Pass back as `after` for the next page; `None` on the last page.
 */
next: QueueCursor | null, };

export type ViewCounts = { mine_open: number, waiting_on_customer: number, all: number, };

export type MovedAside = { moved_to: string, reason: string, };

export type StartupReport = { cache_path: string, agent_name: string | null, notice: MovedAside | null, };

export type ServerStatus = { "state": "not_configured" } | { "state": "signed_in", url: string, agent_name: string, role: Role, } | { "state": "refused", url: string, code: string, message: string, } | { "state": "unreachable", url: string, reason: string, } | { "state": "unexpected", url: string, status: number, what: string, };

export type AppError = { code: string, message: string, };

export type Agent = { id: AgentId, name: string, team: string, role: Role, };

export type AgentId = number;

export type MessageId = number;

export type ConversationMessage = { id: MessageId, 
/**
 * `inbound`, `public_reply`, `internal_note`, `call_log`, `system_event`.
 */
kind: string, channel: Channel, 
/**
 * The customer's or agent's name; empty for the system.
 */
author: string, body: string, created_at: Timestamp, 
/**
 * A reply's delivery state (`queued`, `sent`, `delivered`, `failed`).
 */
delivery: string | null, 
/**
 * Still in the outbox: the server has not confirmed it.
 */
unsent: boolean, };

export type SlaMetric = "first_response" | "next_response" | "resolution";

export type SlaState = "fulfilled" | "paused" | "ok" | "warning" | "breached" | "no_sla";

export type MetricReport = { state: SlaState, 
/**
 * When the target is (or was) used up; `None` while paused before that,
 * when met in time, or when the calendar never gets there.
 */
due_at: number | null, 
/**
 * Calendar time left, in ms (negative: overdue); frozen once met or
 * while paused; `None` when no clock ever ran.
 */
left_ms: number | null, 
/**
 * When the clock behind this metric last started (the ticket opened or
 * reopened, the customer wrote again); `None` when none ever started.
 * One clock run is one chance to warn and to breach.
 */
started_at: number | null, 
/**
 * Whether the clock counts right now: a breached metric that still
 * runs keeps the customer waiting; one met late or waiting does not.
 */
running: boolean, };

export type SlaReport = { first_response: MetricReport, next_response: MetricReport, resolution: MetricReport, 
/**
 * The earliest instant a metric's state changes if nothing else happens
 * (ok → warning or → breached); always inside the calendar's hours.
 */
next_change_at: number | null, };

export type AlertSettings = { 
/**
 * Notify when less than the warning margin is left.
 */
warning: boolean, 
/**
 * Notify when a target is missed.
 */
breached: boolean, 
/**
 * Ask the desktop to play its notification sound.
 */
sound: boolean, 
/**
 * Stay quiet about the ticket the agent has open on screen.
 */
quiet_while_open: boolean, };

export type SlaUpdate = { tickets: Array<TicketNumber>, };

export type BoardRow = { ticket: TicketNumber, subject: string, assignee: AgentId | null, channel: Channel, priority: Priority, plan: Plan, metric: SlaMetric, state: SlaState, due_at: number | null, };

export type BoardCounts = { breached: number, warning: number, forecast: number, };

export type AgentCounts = { 
/**
 * `None`: tickets nobody is assigned to.
 */
agent: AgentId | null, name: string | null, counts: BoardCounts, };

export type ChannelCounts = { channel: Channel, counts: BoardCounts, };

export type BreachBoard = { at: number, 
/**
 * Most overdue first.
 */
breached: Array<BoardRow>, 
/**
 * Soonest due first.
 */
warning: Array<BoardRow>, 
/**
 * Running fine now, due within [`FORECAST_MINUTES`]; soonest first.
 */
forecast: Array<BoardRow>, 
/**
 * Agents with something on the board, most breaches first.
 */
by_agent: Array<AgentCounts>, by_channel: Array<ChannelCounts>, };

export type DeskAgent = { agent: Agent, 
/**
 * A lead sees the team's breach board.
 */
lead: boolean, };

export type Language = "en" | "ru";

export type Theme = "light" | "dark";

export type UiPreferences = { language: Language | null, theme: Theme | null, };
