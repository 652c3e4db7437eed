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

export type Category = "architecture_consulting" | "resource_diagnostics" | "access_recovery" | "billing" | "platform_problem" | "service_setup" | "out_of_scope";

export type QueueView = "mine_open" | "breaching_soon" | "waiting_on_customer" | "team";

export type QueueFilter = { channels: Array<Channel>, statuses: Array<TicketStatus>, priorities: Array<Priority>, categories: Array<Category>, plans: Array<Plan>, };

export type QueueCursor = { urgency: number, created_at: number, number: number, };

export type QueueRequest = { view: QueueView, after: QueueCursor | null, limit: number, filter?: QueueFilter | null, };

export type QueueRow = { number: TicketNumber, subject: string, customer_name: string, channel: Channel, status: TicketStatus, priority: Priority, plan: Plan, service_name: string, service_stage: ServiceStage, sla_due_at: Timestamp | null, created_at: Timestamp, updated_at: Timestamp, 
/**
 * The customer wrote after the newest message the agent has seen.
 */
unread: boolean, };

export type QueuePage = { rows: Array<QueueRow>, 
/**
 * Pass back as `after` for the next page; `None` on the last page.
 */
next: QueueCursor | null, };

export type ViewCounts = { mine_open: number, breaching_soon: number, waiting_on_customer: number, team: number, };

export type SnippetPart = { text: string, hit: boolean, };

export type SearchHit = { number: TicketNumber, subject: Array<SnippetPart>, snippet: Array<SnippetPart>, customer_name: string, status: TicketStatus, };

export type MovedAside = { moved_to: string, reason: string, };

export type StartupReport = { cache_path: string, agent_name: string | null, notice: MovedAside | null, };

export type ServerStatus = { "state": "signed_in", url: string, agent_name: string, role: Role, } | { "state": "refused", url: string, code: string, message: string, } | { "state": "unreachable", url: string, reason: string, } | { "state": "unexpected", url: string, status: number, what: string, };

export type AppError = { code: string, message: string, };

export type Agent = { id: AgentId, name: string, team: string, role: Role, };

export type AgentId = number;

export type MessageId = number;

export type ConversationMessage = { id: MessageId, channel: Channel, 
/**
 * The customer's or agent's name; empty for the system.
 */
author: string, body: string, created_at: Timestamp, attachments: Array<Attachment>, 
/**
 * Of a customer's mail, the file that holds its HTML part: shown
 * formatted on request rather than listed as a file.
 */
html_part: AttachmentId | null, 
/**
 * Not confirmed by the server yet: the outbox entry it waits in.
 */
outbox: Unsent | null, 
/**
 * A call's promised callback is still owed: the ticket is not solved
 * or closed and no call with the customer was logged since. Overdue
 * once its time has passed.
 */
callback_owed: boolean, } & ({ "kind": "inbound" } | { "kind": "public_reply", delivery: DeliveryState, } | { "kind": "internal_note" } | { "kind": "call_log", call: CallRecord, } | { "kind": "system_event" });

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

export type MessageKind = { "kind": "inbound" } | { "kind": "public_reply", delivery: DeliveryState, } | { "kind": "internal_note" } | { "kind": "call_log", call: CallRecord, } | { "kind": "system_event" };

export type DeliveryState = { "state": "queued" } | { "state": "sending" } | { "state": "sent" } | { "state": "delivered" } | { "state": "failed", reason: string, };

export type CallRecord = { direction: CallDirection, 
/**
 * At most a day: anything longer is a mistake in the log.
 */
duration_secs: number, outcome: CallOutcome, 
/**
 * When the agent promised to call the customer back, if they did.
 */
callback_at?: Timestamp, };

export type CallDirection = "inbound" | "outbound";

export type CallOutcome = "answered" | "no_answer" | "busy" | "voicemail";

export type Attachment = { id: AttachmentId, message: MessageId, name: string, size_bytes: number, content_hash: ContentHash, media_type: string, };

export type AttachmentId = number;

export type ContentHash = string;

export type Unsent = { 
/**
 * The outbox entry's id, for retry, edit or discard.
 */
entry: string, state: OutboxState, };

export type OutboxState = "queued" | "failed" | "needs_review";

export type Customer = { id: CustomerId, name: string, account_login: string | null, project: string | null, email: string | null, telegram_chat: number | null, phone: string | null, };

export type CustomerId = number;

export type Service = { name: string, stage: ServiceStage, };

export type IntakeItem = "account_login" | "project_name" | "diagnostics";

export type MissingIntake = { items: Array<IntakeItem>, };

export type TicketCard = { number: TicketNumber, subject: string, status: TicketStatus, priority: Priority, category: Category, plan: Plan, service: Service, channel: Channel, assignee: AgentId | null, 
/**
 * The assignee's name as last synced; `None` when unassigned or unknown.
 */
assignee_name: string | null, team: string, tags: Array<string>, 
/**
 * The other people on the ticket's mail: an email reply goes to them too.
 */
email_cc: Array<string>, 
/**
 * The statuses the ticket may move to from its own.
 */
next_statuses: Array<TicketStatus>, created_at: Timestamp, updated_at: Timestamp, customer: Customer, 
/**
 * What support still has to ask the customer for.
 */
missing: MissingIntake, };

export type ComposeMode = "reply" | "note" | "call";

export type Draft = { ticket: TicketNumber, mode: ComposeMode, 
/**
 * The channel a reply goes out on.
 */
channel: Channel, body: string, 
/**
 * Email copies.
 */
cc: Array<string>, 
/**
 * A call being logged.
 */
call?: CallRecord, 
/**
 * Files attached so far, kept in the cache's file store.
 */
files: Array<AttachedFile>, 
/**
 * The newest message the agent had seen when they began: the traffic
 * cop asks before a reply goes out over what was written since.
 */
seen_message: MessageId | null, updated_at: Timestamp, };

export type AttachedFile = { content_hash: ContentHash, name: string, media_type: string, size_bytes: number, };

export type Mutation = { "type": "reply", channel: Channel, body: string, 
/**
 * Files uploaded first with `PUT /v1/files/{content_hash}`.
 */
attachments: Array<NewAttachment>, 
/**
 * Email only: addresses copied on this reply and on the ticket's
 * mail from now on.
 */
cc?: Array<string>, } | { "type": "note", body: string, attachments: Array<NewAttachment>, } | { "type": "call_log", call: CallRecord, notes: string, } | { "type": "set_status", status: TicketStatus, } | { "type": "assign", assignee: AgentId | null, } | { "type": "set_priority", priority: Priority, } | { "type": "set_tags", tags: Array<string>, } | { "type": "retry_delivery", message: MessageId, };

export type NewAttachment = { content_hash: ContentHash, 
/**
 * The file name shown to readers, 1 to 255 characters.
 */
name: string, 
/**
 * The MIME type, e.g. `text/plain` or `image/png`.
 */
media_type: string, };

export type Problem = { 
/**
 * A URI naming the problem type: `urn:shiftdesk:problem:<code>`.
 */
type: string, title: string, status: number, detail: string, code: ErrorCode, };

export type ErrorCode = "request.invalid" | "request.too_large" | "request.not_utf8" | "request.not_found" | "auth.unauthenticated" | "auth.token_expired" | "auth.device_revoked" | "auth.sign_in_failed" | "auth.code_invalid" | "auth.locked" | "auth.weak_password" | "device.not_found" | "ticket.not_found" | "ticket.closed" | "mutation.conflict" | "status.illegal_transition" | "message.invalid" | "message.invalid_cc" | "message.active_content" | "message.phone_reply" | "call.callback_out_of_range" | "call.mismatch" | "message.not_retryable" | "attachment.too_large" | "attachment.hash_mismatch" | "attachment.not_uploaded" | "attachment.not_found" | "attachment.range_not_satisfiable" | "request.rate_limited" | "server.internal";

export type TelegramPart = { 
/**
 * The text with Telegram's HTML tags, ready for `parse_mode=HTML`.
 */
html: string, 
/**
 * What the customer sees, in UTF-16 code units (what the limit counts).
 */
chars: number, };

export type ComposePreview = { 
/**
 * The messages a Telegram reply is sent as, in order.
 */
telegram_parts: Array<TelegramPart>, 
/**
 * The subject an email reply goes under, with the ticket's tag.
 */
email_subject: string | null, 
/**
 * Where an email reply goes.
 */
email_to: string | null, 
/**
 * A portal or email reply's Markdown as HTML (typed HTML shown as
 * text), for a preview in a frame that runs nothing.
 */
html: string | null, 
/**
 * `{{variables}}` of a canned response still in the text.
 */
unfilled: Array<string>, 
/**
 * Why it would be refused as it is.
 */
problem: Problem | null, 
/**
 * The customer or a colleague wrote since the agent began: the
 * traffic cop asks before a reply goes out.
 */
written_since: boolean, };

export type FilledCanned = { id: number, title: string, 
/**
 * The body with the ticket's values in.
 */
body: string, 
/**
 * Fits the ticket's category (offered first).
 */
suggested: boolean, };

export type OutboxItem = { id: string, ticket: TicketNumber, mutation: Mutation, state: OutboxState, 
/**
 * Why it failed or waits; `None` while queued.
 */
review: Review | null, attempts: number, created_at: Timestamp, };

export type Review = { "reason": "written_since" } | { "reason": "conflict", current: Ticket, } | { "reason": "refused", problem: Problem, };

export type Resolution = { "action": "resend" } | { "action": "edit", body: string, } | { "action": "discard" };

export type Ticket = { number: TicketNumber, subject: string, status: TicketStatus, priority: Priority, category: Category, plan: Plan, service: Service, customer: CustomerId, 
/**
 * The channel the customer opened the ticket on; replies default to it.
 */
channel: Channel, assignee: AgentId | null, team: string, tags: Array<string>, 
/**
 * The other people on the ticket's mail (the To and Cc of the
 * customer's mails, and the copies agents added), lower-cased and
 * sorted: every email reply goes to them too.
 */
email_cc?: Array<string>, 
/**
 * Bumped by the server on every field change; edits carry it as their base.
 */
version: number, created_at: Timestamp, updated_at: Timestamp, 
/**
 * The earliest deadline of the ticket's running SLA metrics, as last
 * computed; `None` when no clock runs (Beta, solved, paused).
 */
sla_due_at: Timestamp | null, 
/**
 * Every status change, oldest first, so SLA pauses and reopenings can
 * be replayed. The ticket starts as `new` at `created_at`; that is
 * implied, not logged.
 */
status_log: Array<StatusChange>, };

export type StatusChange = { at: Timestamp, status: TicketStatus, };

export type SyncStatus = { connectivity: Connectivity, last_good_sync: Timestamp | null, 
/**
 * Outbox entries still to send (queued; failed and needs-review wait
 * for the agent).
 */
pending: number, needs_agent: number, 
/**
 * When the next attempt is due while the server does not answer.
 */
next_retry: Timestamp | null, 
/**
 * What went wrong last, in words.
 */
problem: string | null, 
/**
 * The server no longer takes this device's token (`auth.device_revoked`,
 * `auth.token_expired`, `auth.unauthenticated`): the app must sign the
 * agent out or ask them to sign in again. Nothing queued was settled.
 */
token_refused: ErrorCode | null, };

export type Connectivity = "online" | "degraded" | "offline";

export type Language = "en" | "ru";

export type Theme = "light" | "dark";

export type UiPreferences = { language: Language | null, theme: Theme | null, };

export type SafeHtml = { html: string, 
/**
 * The web and mail links in it, in order, each once: the frame cannot
 * open them, so the agent opens them from this list.
 */
links: Array<string>, 
/**
 * Images whose source was on the network and was dropped.
 */
blocked_images: number, };

export type OpenedAttachment = { "opened": "image", data_url: string, } | { "opened": "system_app" };

export type Account = { 
/**
 * The server's base URL as the API client calls it (ends in `/`).
 */
server: string, agent: number, 
/**
 * As the server named the agent at sign-in, for the sign-in screen.
 */
agent_name: string, 
/**
 * Where the token is when not in the keyring: a file only its owner
 * reads.
 */
token_file: string | null, };

export type AccountState = { "state": "starting" } | { "state": "signed_in", account: Account, 
/**
 * Where the token is kept, in words to show.
 */
kept: string, 
/**
 * The token lives only as long as this run.
 */
memory_only: boolean, } | { "state": "signed_out" } & SignedOut;

export type SignedOut = { last: Account | null, } & ({ "reason": "first_run" } | { "reason": "no_token" } | { "reason": "session_ended", code: ErrorCode, unsent: number, } | { "reason": "wiped", unsent: number, exported: string | null, } | { "reason": "signed_out", unsent: number, exported: string | null, } | { "reason": "failed", code: string, message: string, });

export type SignedOutReason = { "reason": "first_run" } | { "reason": "no_token" } | { "reason": "session_ended", code: ErrorCode, unsent: number, } | { "reason": "wiped", unsent: number, exported: string | null, } | { "reason": "signed_out", unsent: number, exported: string | null, } | { "reason": "failed", code: string, message: string, };

export type UnsentChoice = "none_left" | "export" | "discard";

export type SignInForm = { server: string, credentials: Credentials, keep: KeepToken, };

export type KeepToken = { "in": "keyring" } | { "in": "memory" } | { "in": "file", path: string, };

export type Credentials = { "method": "password", login: string, password: string, } | { "method": "code", code: string, new_password: string, };

export type ServerMeta = { 
/**
 * Always [`ServerMeta::PRODUCT`].
 */
product: string, 
/**
 * The API's major version; a client refuses one it does not speak.
 */
api_version: number, 
/**
 * The server's own version, for people.
 */
server_version: string, };

export type Device = { id: number, agent: AgentId, agent_name: string, name: string, signed_in_at: Timestamp, last_seen_at: Timestamp, 
/**
 * The token stops working then unless the device is used before:
 * each use moves it on.
 */
expires_at: Timestamp, 
/**
 * The device asking.
 */
current: boolean, };

/** The largest file a message carries, in bytes. */
export const MAX_ATTACHMENT_BYTES = 52428800;

/** IPC headers of `attach_file`: the file's name (percent-encoded) and type. */
export const FILE_NAME_HEADER = "shiftdesk-file-name";
export const MEDIA_TYPE_HEADER = "shiftdesk-media-type";
