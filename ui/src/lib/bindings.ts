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

export type AgentId = number;

export type Agent = { id: AgentId, name: string, team: string, role: Role, };

export type MessageId = number;

export type ConversationMessage = { id: MessageId, kind: string, channel: Channel, author: string, body: string, created_at: Timestamp, delivery: string | null, unsent: boolean, };

export type SlaMetric = "first_response" | "next_response" | "resolution";

export type SlaState = "fulfilled" | "paused" | "ok" | "warning" | "breached" | "no_sla";

export type MetricReport = { state: SlaState, due_at: number | null, left_ms: number | null, started_at: number | null, running: boolean, };

export type SlaReport = { first_response: MetricReport, next_response: MetricReport, resolution: MetricReport, next_change_at: number | null, };

export type AlertSettings = { warning: boolean, breached: boolean, sound: boolean, quiet_while_open: boolean, };

export type SlaUpdate = { tickets: Array<TicketNumber>, };

export type BoardRow = { ticket: TicketNumber, subject: string, assignee: AgentId | null, channel: Channel, priority: Priority, plan: Plan, metric: SlaMetric, state: SlaState, due_at: number | null, };

export type BoardCounts = { breached: number, warning: number, forecast: number, };

export type AgentCounts = { agent: AgentId | null, name: string | null, counts: BoardCounts, };

export type ChannelCounts = { channel: Channel, counts: BoardCounts, };

export type BreachBoard = { at: number, breached: Array<BoardRow>, warning: Array<BoardRow>, forecast: Array<BoardRow>, by_agent: Array<AgentCounts>, by_channel: Array<ChannelCounts>, };

export type DeskAgent = { agent: Agent, lead: boolean, };
