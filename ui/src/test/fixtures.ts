import type { QueueRow } from "../lib/bindings";

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
    ...overrides,
  };
}
