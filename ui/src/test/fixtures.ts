import type {
  BoardCounts,
  BoardRow,
  CallRecord,
  ComposePreview,
  ConversationMessage,
  DeliveryState,
  MetricReport,
  QueueRow,
  SlaReport,
  TicketCard,
} from "../lib/bindings";

export const NOW = Date.UTC(2025, 0, 15, 9, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** A queue row with plausible values; override what a test is about. */
export function row(overrides: Partial<QueueRow> = {}): QueueRow {
  return {
    number: 10001,
    subject: "Object storage bucket returns 403 after key rotation",
    customer_name: "Northwind Logistics",
    channel: "portal",
    status: "open",
    priority: "normal",
    plan: "standard",
    service_name: "Object Storage",
    service_stage: "ga",
    sla_due_at: NOW + 42 * MINUTE,
    created_at: NOW - 3 * HOUR,
    updated_at: NOW - HOUR,
    unread: false,
    ...overrides,
  };
}

/** A running metric with time left; override what a test is about. */
export function metric(overrides: Partial<MetricReport> = {}): MetricReport {
  return {
    state: "ok",
    due_at: NOW + 42 * MINUTE,
    left_ms: 42 * MINUTE,
    started_at: NOW - 18 * MINUTE,
    running: true,
    ...overrides,
  };
}

export function slaReport(overrides: Partial<SlaReport> = {}): SlaReport {
  return {
    first_response: metric({ state: "fulfilled", running: false, left_ms: 20 * MINUTE }),
    next_response: metric(),
    resolution: metric({ due_at: NOW + 20 * HOUR, left_ms: 20 * HOUR }),
    next_change_at: null,
    ...overrides,
  };
}

type Common = Omit<ConversationMessage, "kind" | "delivery" | "call">;

const common = (overrides: Partial<Common>): Common => ({
  id: 1,
  channel: "portal",
  author: "Mia Chen",
  body: "Our bucket returns 403 since this morning.",
  created_at: NOW - 2 * HOUR,
  attachments: [],
  html_part: null,
  outbox: null,
  callback_owed: false,
  ...overrides,
});

/** A message with no delivery or call record: inbound by default, or a note or system event. */
export function message(
  overrides: Partial<Common> & { kind?: "inbound" | "internal_note" | "system_event" } = {},
): ConversationMessage {
  const { kind = "inbound", ...rest } = overrides;
  return { ...common(rest), kind };
}

/** A public reply that got as far as `delivery`. */
export function reply(delivery: DeliveryState, overrides: Partial<Common> = {}): ConversationMessage {
  return { ...common({ author: "Dana", ...overrides }), kind: "public_reply", delivery };
}

/** A logged call. */
export function callLog(call: CallRecord, overrides: Partial<Common> = {}): ConversationMessage {
  return { ...common({ author: "Dana", channel: "phone", ...overrides }), kind: "call_log", call };
}

/** A ticket card with plausible values; override what a test is about. */
export function card(overrides: Partial<TicketCard> = {}): TicketCard {
  return {
    number: 10001,
    subject: "Object storage bucket returns 403 after key rotation",
    status: "open",
    priority: "normal",
    category: "platform_problem",
    plan: "standard",
    service: { name: "Object Storage", stage: "ga" },
    channel: "portal",
    assignee: 7,
    assignee_name: "Dana Reyes",
    team: "L2",
    tags: [],
    email_cc: [],
    next_statuses: ["pending", "on_hold", "solved"],
    created_at: NOW - 3 * HOUR,
    updated_at: NOW - HOUR,
    customer: {
      id: 3,
      name: "Northwind Logistics",
      account_login: "northwind-ops",
      project: "nw-prod",
      email: "ops@northwind.example",
      telegram_chat: null,
      phone: null,
    },
    missing: { items: [] },
    ...overrides,
  };
}

export function boardRow(overrides: Partial<BoardRow> = {}): BoardRow {
  return {
    ticket: 10001,
    subject: "Object storage bucket returns 403 after key rotation",
    assignee: 7,
    channel: "portal",
    priority: "high",
    plan: "standard",
    metric: "first_response",
    state: "breached",
    due_at: NOW - 5 * MINUTE,
    ...overrides,
  };
}

export function counts(breached: number, warning: number, forecast: number): BoardCounts {
  return { breached, warning, forecast };
}

/** A preview of a composer's text with nothing to warn about. */
export function preview(overrides: Partial<ComposePreview> = {}): ComposePreview {
  return {
    telegram_parts: [],
    email_subject: null,
    email_to: null,
    html: null,
    unfilled: [],
    problem: null,
    written_since: false,
    ...overrides,
  };
}
