// Presentation of values that Rust computed. No business rule lives here: the
// SLA deadline itself comes from the engine; this only says it in words.

import type {
  MetricReport,
  Mutation,
  QueueRow,
  ServerStatus,
  SlaState,
  TicketNumber,
  Timestamp,
} from "./bindings";
import type { IpcError } from "./ipc";
import { preferences } from "./preferences.svelte";
import { strings } from "./strings";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A count of things, grouped the way the window's language writes numbers. */
export function formatCount(count: number): string {
  return count.toLocaleString(preferences.locale);
}

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
  return formatDeadline(row.sla_due_at, now);
}

/** A deadline (ms since epoch, or none) relative to `now`: "in 12 min", "overdue 5 min". */
export function formatDeadline(
  at: Timestamp | null,
  now: Timestamp,
): Exclude<SlaDue, { kind: "no_sla" }> {
  if (at === null) return { kind: "none", text: strings.sla.none };
  const left = at - now;
  if (left < 0) return { kind: "overdue", text: strings.sla.overdue(formatSpan(left)), at };
  return { kind: "due", text: strings.sla.dueIn(formatSpan(left)), at };
}

/** How one SLA metric of a ticket reads in the ticket pane. */
export type MetricLine = {
  state: SlaState;
  /** The state in words, for the chip. */
  label: string;
  /** "in 12 min", "overdue 5 min", "12 min left", "3 min late"; null when nothing is due. */
  detail: string | null;
  /** Counts down with the clock: only a running metric with a deadline does. */
  ticking: boolean;
  /** The deadline on the wall clock, when there is one. */
  dueAt: Timestamp | null;
};

/**
 * One metric as Rust reported it, in words. A running metric counts down
 * from its deadline against `now`; a stopped one shows the time left that
 * Rust froze (`left_ms`, service-hours time). Nothing is recomputed here.
 */
export function formatMetric(metric: MetricReport, now: Timestamp): MetricLine {
  const label = strings.sla.states[metric.state];
  const line = { state: metric.state, label, detail: null, ticking: false, dueAt: metric.due_at };
  if (metric.state === "no_sla") return { ...line, dueAt: null };
  if (metric.state === "fulfilled") return { ...line, dueAt: null };
  if (metric.running && metric.due_at !== null) {
    // Rust said breached: never "in <1 min", even when this window's clock
    // ticks a moment behind the one that evaluated it.
    const at = metric.state === "breached" ? Math.max(now, metric.due_at + 1) : now;
    return { ...line, detail: formatDeadline(metric.due_at, at).text, ticking: true };
  }
  if (metric.left_ms !== null) {
    const span = formatSpan(metric.left_ms);
    return { ...line, detail: metric.left_ms < 0 ? strings.sla.late(span) : strings.sla.left(span) };
  }
  return line;
}

/** How each kind of moment is written; the words and order come from the window's locale. */
const DATE_STYLES = {
  absolute: { dateStyle: "medium", timeStyle: "short" },
  clock: { timeStyle: "medium" },
  timeOfDay: { timeStyle: "short" },
  dayAndTime: { month: "short", day: "numeric", hour: "numeric", minute: "2-digit" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date format in the window's locale, made once per locale and style. */
function dateFormat(style: keyof typeof DATE_STYLES): Intl.DateTimeFormat {
  const key = `${preferences.locale} ${style}`;
  let format = dateFormats.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(preferences.locale, DATE_STYLES[style]);
    dateFormats.set(key, format);
  }
  return format;
}

/** A moment as local date and time, for tooltips. */
export function formatDateTime(at: Timestamp): string {
  return dateFormat("absolute").format(new Date(at));
}

/** A moment in few characters: the time alone on the day of `now`, else day and time. */
export function formatShortDateTime(at: Timestamp, now: Timestamp): string {
  const day = new Date(at);
  const today = new Date(now);
  const sameDay =
    day.getFullYear() === today.getFullYear() &&
    day.getMonth() === today.getMonth() &&
    day.getDate() === today.getDate();
  return dateFormat(sameDay ? "timeOfDay" : "dayAndTime").format(day);
}

/** A moment as local time of day, e.g. when the board was computed. */
export function formatTime(at: Timestamp): string {
  return dateFormat("clock").format(new Date(at));
}

/** How the status bar reads: its words, and how much attention they ask for. */
export type ServerLine = {
  tone: "connected" | "offline" | "attention";
  text: string;
  /** The stable code behind a refusal or failure, shown beside the words. */
  code: string | null;
};

/** A server's base URL as a person names it: host and port, e.g. "127.0.0.1:8780". */
export function serverName(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/**
 * The status bar's line for the last answer of the server check.
 * `fromCache`: the local cache is open, so the line may say the agent can
 * work on from it.
 */
export function formatServerStatus(status: ServerStatus, fromCache: boolean): ServerLine {
  switch (status.state) {
    case "signed_in":
      return {
        tone: "connected",
        text: strings.server.signedIn(
          serverName(status.url),
          status.agent_name,
          strings.roles[status.role],
        ),
        code: null,
      };
    case "refused": {
      const name = serverName(status.url);
      const text = status.code.startsWith("auth.")
        ? strings.server.refusedToken(name, status.message)
        : strings.server.refused(name, status.message);
      return { tone: "attention", text, code: status.code };
    }
    case "unreachable":
      return {
        tone: "offline",
        text: strings.server.unreachable(serverName(status.url), status.reason, fromCache),
        code: null,
      };
    case "unexpected":
      return {
        tone: "attention",
        text: strings.server.unexpected(serverName(status.url), status.status, status.what),
        code: null,
      };
  }
}

/** The status bar's line when the check itself failed, e.g. half-set server settings. */
export function formatServerError(error: IpcError): ServerLine {
  return { tone: "attention", text: strings.server.unknown(error.message), code: error.code };
}

/** What an outbox entry changes, in a few words: "Reply via Telegram", "Status → Solved". */
export function formatChange(mutation: Mutation): string {
  const t = strings.outbox.changes;
  switch (mutation.type) {
    case "reply":
      return t.reply(strings.channels[mutation.channel]);
    case "note":
      return t.note;
    case "call_log":
      return t.call;
    case "set_status":
      return t.status(strings.statuses[mutation.status]);
    case "set_priority":
      return t.priority(strings.priorities[mutation.priority]);
    case "assign":
      return t.assign;
    case "set_tags":
      return t.tags(mutation.tags.join(", "));
    case "retry_delivery":
      return t.retry;
  }
}

/** A file's size as people read it: "812 B", "4.2 KB", "17 MB". */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return strings.files.bytes(bytes);
  const units = [strings.files.kb, strings.files.mb, strings.files.gb];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = value < 10 ? value.toFixed(1) : Math.round(value).toString();
  return `${shown} ${units[unit]}`;
}

/** A call's length as a clock reads it: "0:45", "4:05", "1:02:00". */
export function formatCallDuration(secs: number): string {
  const whole = Math.max(0, Math.floor(secs));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = String(whole % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}
