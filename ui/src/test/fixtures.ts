import type {
  BoardCounts,
  BoardRow,
  ConversationMessage,
  MetricReport,
  QueueRow,
  SlaReport,
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

export function message(overrides: Partial<ConversationMessage> = {}): ConversationMessage {
  return {
    id: 1,
    kind: "inbound",
    channel: "portal",
    author: "Mia Chen",
    body: "Our bucket returns 403 since this morning.",
    created_at: NOW - 2 * HOUR,
    delivery: null,
    unsent: false,
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
