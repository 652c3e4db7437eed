// Presentation of values that Rust computed. No business rule lives here: the
// SLA deadline itself comes from the engine; this only says it in words.

import type { QueueRow, TicketNumber, Timestamp } from "./bindings";
import { strings } from "./strings";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A message from Rust as a sentence: Rust's error texts start lowercase. */
export function asSentence(text: string): string {
  return text.charAt(0).toLocaleUpperCase() + text.slice(1);
}

export function formatTicketNumber(number: TicketNumber): string {
  return `#${number}`;
}

/** A duration as a short, rounded-down span: "<1 min", "42 min", "3 h", "2 d". */
export function formatSpan(ms: number): string {
  const span = Math.abs(ms);
  if (span < MINUTE) return strings.sla.lessThanAMinute;
  if (span < HOUR) return strings.sla.minutes(Math.floor(span / MINUTE));
  if (span < 2 * DAY) return strings.sla.hours(Math.floor(span / HOUR));
  return strings.sla.days(Math.floor(span / DAY));
}

/** How an SLA deadline reads in the queue. */
export type SlaDue =
  | { kind: "no_sla"; text: string }
  | { kind: "none"; text: string }
  | { kind: "due"; text: string; at: Timestamp }
  | { kind: "overdue"; text: string; at: Timestamp };

/**
 * The "SLA due" cell: relative to `now` (ms since epoch, injected so the
 * result is deterministic). A Beta service has no SLA whatever the row says.
 */
export function formatSlaDue(
  row: Pick<QueueRow, "sla_due_at" | "service_stage">,
  now: Timestamp,
): SlaDue {
  if (row.service_stage === "beta") return { kind: "no_sla", text: strings.sla.noSla };
  const at = row.sla_due_at;
  if (at === null) return { kind: "none", text: strings.sla.none };
  const left = at - now;
  if (left < 0) return { kind: "overdue", text: strings.sla.overdue(formatSpan(left)), at };
  return { kind: "due", text: strings.sla.dueIn(formatSpan(left)), at };
}

const absolute = new Intl.DateTimeFormat(undefined, {
  dateStyle: "medium",
  timeStyle: "short",
});

/** A moment as local date and time, for tooltips. */
export function formatDateTime(at: Timestamp): string {
  return absolute.format(new Date(at));
}
