// The one door from the UI to the Rust shell: a typed function per Tauri
// command. Every failure leaves here as an IpcError with a stable code.

import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import { FILE_NAME_HEADER, MEDIA_TYPE_HEADER } from "./bindings";
import type {
  AccountState,
  AttachedFile,
  Agent,
  AgentId,
  AttachmentId,
  AlertSettings,
  AppError,
  BreachBoard,
  ComposePreview,
  ConversationMessage,
  DeskAgent,
  Device,
  Draft,
  FilledCanned,
  MessageId,
  Mutation,
  OpenedAttachment,
  OutboxItem,
  QueueFilter,
  Resolution,
  SyncStatus,
  TicketCard,
  QueuePage,
  QueueRequest,
  SafeHtml,
  SearchHit,
  ServerMeta,
  ServerStatus,
  SignedOut,
  SignInForm,
  SlaReport,
  SlaUpdate,
  StartupReport,
  TicketNumber,
  UiPreferences,
  UnsentChoice,
  ViewCounts,
} from "./bindings";

/** A stable dotted code such as "cache.schema_too_new". */
export type ErrorCode = AppError["code"];

/** The code given to a failure that did not come as a `{code, message}` object. */
export const UNEXPECTED: ErrorCode = "ipc.unexpected";

export class IpcError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "IpcError";
    this.code = code;
  }
}

function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && code !== "" && typeof message === "string";
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  if (value === undefined) return "no error detail";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Turns whatever a command rejected with into an IpcError. */
export function toIpcError(value: unknown): IpcError {
  if (value instanceof IpcError) return value;
  if (isAppError(value)) return new IpcError(value.code, value.message);
  return new IpcError(UNEXPECTED, describe(value));
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error: unknown) {
    throw toIpcError(error);
  }
}

/** Who the window works as: still starting, signed in, or nobody and why. */
export function accountState(): Promise<AccountState> {
  return call<AccountState>("account_state");
}

/** That `server` is a Shiftdesk server a password may be sent to; rejects with `server.*` otherwise. */
export function checkServer(server: string): Promise<ServerMeta> {
  return call<ServerMeta>("check_server", { server });
}

/** Signs in; the window is told by `account-changed` when the session is the new account's. */
export function signIn(form: SignInForm): Promise<AccountState> {
  return call<AccountState>("sign_in", { form });
}

/** Signs out with the outbox's unsent entries handled as `unsent`; "none_left" rejects with `account.unsent` if any are. */
export function signOut(unsent: UnsentChoice): Promise<SignedOut> {
  return call<SignedOut>("sign_out", { unsent });
}

/** The agent's devices (a lead's: the team's), this one marked `current`. */
export function devices(): Promise<Device[]> {
  return call<Device[]>("devices");
}

/** Signs `device` out on the server; if it is this one, the shell wipes it at its next request. */
export function revokeDevice(device: number): Promise<void> {
  return call<void>("revoke_device", { device });
}

export function startupReport(): Promise<StartupReport> {
  return call<StartupReport>("startup_report");
}

/** How many tickets each view holds, narrowed by `filter` when given. */
export function queueCounts(filter?: QueueFilter): Promise<ViewCounts> {
  return call<ViewCounts>("queue_counts", filter === undefined ? undefined : { filter });
}

export function queuePage(request: QueueRequest): Promise<QueuePage> {
  return call<QueuePage>("queue_page", { request });
}

export function serverStatus(): Promise<ServerStatus> {
  return call<ServerStatus>("server_status");
}

/** A ticket's messages, oldest first. */
export function ticketConversation(ticket: TicketNumber): Promise<ConversationMessage[]> {
  return call<ConversationMessage[]>("ticket_conversation", { ticket });
}

/** The agent has seen `ticket` up to `message`, the newest one shown. */
export function markTicketRead(ticket: TicketNumber, message: MessageId): Promise<void> {
  return call<void>("mark_ticket_read", { ticket, message });
}

/** The best `limit` tickets in the cache for the words in `query`, best first. */
export function searchTickets(query: string, limit: number): Promise<SearchHit[]> {
  return call<SearchHit[]>("search_tickets", { query, limit });
}

/** Who is signed in on this desk; rejects with `desk.starting` just after launch. */
export function deskAgent(): Promise<DeskAgent> {
  return call<DeskAgent>("desk_agent");
}

export function breachBoard(): Promise<BreachBoard> {
  return call<BreachBoard>("breach_board");
}

/** The ticket's three SLA clocks; null when the watcher has none for it. */
export function ticketSla(ticket: TicketNumber): Promise<SlaReport | null> {
  return call<SlaReport | null>("ticket_sla", { ticket });
}

export function alertSettings(): Promise<AlertSettings> {
  return call<AlertSettings>("alert_settings");
}

export function setAlertSettings(settings: AlertSettings): Promise<void> {
  return call<void>("set_alert_settings", { settings });
}

/** Tells the shell which ticket is on screen (null: none), for "quiet while open". */
export function ticketOnScreen(ticket: TicketNumber | null): Promise<void> {
  return call<void>("ticket_on_screen", { ticket });
}

export function teamAgents(): Promise<Agent[]> {
  return call<Agent[]>("team_agents");
}

/** Gives `ticket` to `assignee` (null: nobody); resolves once the change is durable in the outbox. */
export function reassign(ticket: TicketNumber, assignee: AgentId | null): Promise<void> {
  return call<void>("reassign", { ticket, assignee });
}

/** The ticket with its customer and missing intake; null when not cached. */
export function ticketCard(ticket: TicketNumber): Promise<TicketCard | null> {
  return call<TicketCard | null>("ticket_card", { ticket });
}

/**
 * What `mutation` would look like and whether it would be refused, before it
 * is queued; `seen` is the newest message the agent had seen when they began.
 */
export function composePreview(
  ticket: TicketNumber,
  mutation: Mutation,
  seen: MessageId | null,
): Promise<ComposePreview> {
  return call<ComposePreview>("compose_preview", { ticket, mutation, seen });
}

/** The team's canned responses filled in for `ticket`, those for its category first. */
export function cannedResponses(ticket: TicketNumber): Promise<FilledCanned[]> {
  return call<FilledCanned[]>("canned_responses", { ticket });
}

export function ticketDraft(ticket: TicketNumber): Promise<Draft | null> {
  return call<Draft | null>("ticket_draft", { ticket });
}

export function saveDraft(draft: Draft): Promise<void> {
  return call<void>("save_draft", { draft });
}

export function clearDraft(ticket: TicketNumber): Promise<void> {
  return call<void>("clear_draft", { ticket });
}

/**
 * Queues a reply, note, call log or field change; resolves once it is
 * durable in the outbox (the draft of a message is gone with it). `seen` is
 * the newest message the agent had seen when they began writing.
 */
export function queueChange(ticket: TicketNumber, mutation: Mutation, seen: MessageId | null): Promise<void> {
  return call<void>("queue_change", { ticket, mutation, seen });
}

export function outboxItems(): Promise<OutboxItem[]> {
  return call<OutboxItem[]>("outbox_items");
}

/** Sends again, edits or discards an entry that failed or waits for the agent. */
export function resolveOutboxEntry(id: string, resolution: Resolution): Promise<void> {
  return call<void>("resolve_outbox_entry", { id, resolution });
}

/** How sync is doing; null while sync has not started (or could not). */
export function syncStatus(): Promise<SyncStatus | null> {
  return call<SyncStatus | null>("sync_status");
}

/** The window's language and theme as saved in the cache; null fields follow the desktop. */
export function uiPreferences(): Promise<UiPreferences> {
  return call<UiPreferences>("ui_preferences");
}

export function setUiPreferences(preferences: UiPreferences): Promise<void> {
  return call<void>("set_ui_preferences", { preferences });
}

/** A customer's mail as sanitized HTML for a sandboxed frame; null when it has no HTML part. */
export function messageHtml(message: MessageId): Promise<SafeHtml | null> {
  return call<SafeHtml | null>("message_html", { message });
}

/** Opens a file: an image comes back for the window's viewer, anything else opens in the system's app. */
export function openAttachment(attachment: AttachmentId): Promise<OpenedAttachment> {
  return call<OpenedAttachment>("open_attachment", { attachment });
}

/**
 * Keeps a file the agent attached in the cache until its message is sent.
 * The bytes go raw, not as JSON; the name and type in headers.
 */
export async function attachFile(file: File): Promise<AttachedFile> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const headers = {
    [FILE_NAME_HEADER]: encodeURIComponent(file.name),
    [MEDIA_TYPE_HEADER]: encodeURIComponent(file.type),
  };
  return invoke<AttachedFile>("attach_file", bytes, { headers }).catch((error: unknown) => {
    throw toIpcError(error);
  });
}

/** Opens a web or mail link in the system's browser or mail app. */
export function openLink(url: string): Promise<void> {
  return call<void>("open_link", { url });
}

/** The code the shell answers with while its engine parts are still starting. */
export const DESK_STARTING: ErrorCode = "desk.starting";

/**
 * Runs `command`, and again after `delayMs` while it fails with
 * `desk.starting`, at most `tries` times in all. Any other failure, or the
 * last `desk.starting`, rejects as usual.
 */
export async function whenDeskStarted<T>(
  command: () => Promise<T>,
  { tries = 5, delayMs = 500 }: { tries?: number; delayMs?: number } = {},
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await command();
    } catch (error: unknown) {
      const failure = toIpcError(error);
      if (failure.code !== DESK_STARTING || attempt >= tries) throw failure;
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
  }
}

/** The shell's events the window listens to. */
export const ACCOUNT_CHANGED_EVENT = "account-changed";
export const OPEN_TICKET_EVENT = "open-ticket";
export const SLA_CHANGED_EVENT = "sla-changed";
export const SYNC_CHANGED_EVENT = "sync-changed";
export const TICKETS_CHANGED_EVENT = "tickets-changed";

/** Stops listening; safe to call more than once, also before listening began. */
export type Unlisten = () => void;

function subscribe<T>(event: string, handler: (payload: T) => void): Unlisten {
  let stopped = false;
  let stop: (() => void) | null = null;
  listen<T>(event, (message) => {
    if (!stopped) handler(message.payload);
  }).then(
    (unlisten) => {
      if (stopped) unlisten();
      else stop = unlisten;
    },
    (error: unknown) => {
      console.warn(`could not listen to ${event}: ${toIpcError(error).message}`);
    },
  );
  return () => {
    stopped = true;
    stop?.();
    stop = null;
  };
}

/** The session changed (resumed, signed in or out, wiped, ended): the window starts over. */
export function onAccountChanged(handler: () => void): Unlisten {
  return subscribe<null>(ACCOUNT_CHANGED_EVENT, () => handler());
}

/** A notification was clicked: the window should show that ticket. */
export function onOpenTicket(handler: (ticket: TicketNumber) => void): Unlisten {
  return subscribe<TicketNumber>(OPEN_TICKET_EVENT, handler);
}

/** The SLA state of some tickets changed; an empty list means "redraw everything". */
export function onSlaChanged(handler: (update: SlaUpdate) => void): Unlisten {
  return subscribe<SlaUpdate>(SLA_CHANGED_EVENT, handler);
}

/** Sync's status changed (connection, outbox counts). */
export function onSyncChanged(handler: (status: SyncStatus) => void): Unlisten {
  return subscribe<SyncStatus>(SYNC_CHANGED_EVENT, handler);
}

/** The cache changed these tickets; an empty list means "read everything again". */
export function onTicketsChanged(handler: (tickets: TicketNumber[]) => void): Unlisten {
  return subscribe<TicketNumber[]>(TICKETS_CHANGED_EVENT, handler);
}
