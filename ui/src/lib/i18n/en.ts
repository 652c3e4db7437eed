// The English texts of the UI, and the shape every other language's table
// must have (see ru.ts): plain strings for fixed text, functions where a
// value is put into the sentence (word order differs between languages).
// Components read them through `strings` (../strings.ts), in the language
// the agent reads.

import type {
  Channel,
  Plan,
  Priority,
  QueueView,
  Role,
  SlaMetric,
  SlaState,
  Theme,
  TicketStatus,
} from "../bindings";
import { counted } from "./plural";

const tickets = counted("en", { one: "ticket", other: "tickets" });

export const en = {
  productName: "Shiftdesk",
  signedInAs: (agent: string) => `Signed in as ${agent}`,

  server: {
    label: "Server connection",
    checking: "Checking the server…",
    /** `fromCache`: the local cache is open, so the agent can work on. */
    notConfigured: (fromCache: boolean) =>
      fromCache ? "No server configured — working from the local cache" : "No server configured",
    signedIn: (server: string, agent: string, role: string) =>
      `Connected to ${server} as ${agent} (${role})`,
    refusedToken: (server: string, message: string) =>
      `Server ${server} refused the token: ${message}`,
    refused: (server: string, message: string) => `Server ${server} refused: ${message}`,
    unreachable: (server: string, reason: string, fromCache: boolean) =>
      fromCache
        ? `Server ${server} unreachable: ${reason} — working from the local cache`
        : `Server ${server} unreachable: ${reason}`,
    unexpected: (server: string, status: number, what: string) =>
      `Server ${server} gave an unexpected answer (HTTP ${status}): ${what}`,
    unknown: (message: string) => `Server status unknown: ${message}`,
  },

  roles: {
    agent: "agent",
    lead: "lead",
  } satisfies Record<Role, string>,

  cacheNotice: {
    body: (movedTo: string) =>
      `Your previous cache was damaged and was moved aside to ${movedTo}; a fresh cache was started. Nothing was deleted.`,
    reason: (reason: string) => `Reason: ${reason}`,
    dismiss: "Dismiss",
  },

  error: {
    title: "Shiftdesk could not do that",
    titleFor: {
      "cache.schema_too_new":
        "This cache was written by a newer version of Shiftdesk",
      "cache.unavailable": "The ticket cache cannot be opened",
      "queue.bad_cursor": "The queue changed while it was loading",
      "ipc.bad_request": "The window sent a request Shiftdesk does not understand",
      "ipc.unexpected": "Something unexpected went wrong",
    } as Readonly<Record<string, string>>,
    code: "Error code",
    retry: "Try again",
  },

  queue: {
    regionLabel: "Ticket queue",
    viewsLabel: "Queue views",
    caption: (view: string) => `Tickets: ${view}`,
    loading: "Loading tickets…",
    loadingMore: "Loading more tickets…",
    loadMore: "Load more",
    empty: "No tickets in this view.",
    shown: (shown: number, total: number) => `Showing ${shown} of ${total}`,
    /** A view's count of tickets, spelled out for its tooltip. */
    ticketCount: tickets,
    keyboardHint: "Use J and K to move between tickets and Enter to open one.",
    columns: {
      number: "№",
      subject: "Subject",
      customer: "Customer",
      channel: "Channel",
      status: "Status",
      priority: "Priority",
      slaDue: "SLA due",
    },
    prioritySupport: "Priority support",
    prioritySupportHint:
      "Professional Services plan: faster response targets",
    beta: "Beta",
    betaHint: "Beta service: no SLA and no guaranteed answer",
  },

  sla: {
    noSla: "no SLA",
    none: "—",
    noneLabel: "No SLA deadline",
    dueIn: (span: string) => `in ${span}`,
    overdue: (span: string) => `overdue ${span}`,
    lessThanAMinute: "<1 min",
    minutes: (n: number) => `${n} min`,
    hours: (n: number) => `${n} h`,
    days: (n: number) => `${n} d`,
    dueAt: (when: string) => `Due ${when}`,
    /** Time left on a clock that is stopped (paused, or outside service hours). */
    left: (span: string) => `${span} left`,
    /** A clock that stopped after its target: met late, or paused while overdue. */
    late: (span: string) => `${span} late`,
    metrics: {
      first_response: "First response",
      next_response: "Next response",
      resolution: "Resolution",
    } satisfies Record<SlaMetric, string>,
    /** The words on a state chip: the state is never told by colour alone. */
    states: {
      fulfilled: "Met",
      paused: "Paused",
      ok: "On track",
      warning: "Warning",
      breached: "Breached",
      no_sla: "No SLA",
    } satisfies Record<SlaState, string>,
    stopped: "Clock stopped",
  },

  pane: {
    label: (ticket: string) => `Ticket ${ticket}`,
    close: "Close",
    closeHint: "Close the ticket (Escape)",
    loading: "Loading the ticket…",
    notCached: (ticket: string) => `Ticket ${ticket} is not in the local cache.`,
    customer: "Customer",
    service: "Service",
    status: "Status",
    priority: "Priority",
    channel: "Channel",
    plan: "Plan",
    plans: {
      standard: "Standard plan",
      professional: "Professional plan",
    } satisfies Record<Plan, string>,
    betaNoSla: "Beta service: no SLA and no guaranteed answer.",
    slaTitle: "SLA",
    slaUnavailable: "Shiftdesk has no SLA clocks for this ticket.",
    slaLoadFailed: (message: string) => `SLA clocks not available: ${message}`,
    conversationTitle: "Conversation",
    conversationEmpty: "No messages yet.",
  },

  conversation: {
    system: "System",
    kinds: {
      inbound: "Customer",
      public_reply: "Public reply",
      internal_note: "Internal note",
      call_log: "Call log",
      system_event: "System event",
    } as Readonly<Record<string, string>>,
    message: "Message",
    delivery: {
      queued: "Queued",
      sending: "Sending…",
      sent: "Sent",
      delivered: "Delivered",
      failed: "Not delivered",
    } as Readonly<Record<string, string>>,
    deliveryHint: "Delivery to the customer",
    unsent: "Unsent",
    unsentHint: "Waiting in the outbox: Shiftdesk sends it when the server answers.",
  },

  board: {
    tab: "Breach board",
    tabCount: (breached: number) => `${breached} breached`,
    regionLabel: "Breach board",
    updated: (time: string) => `Updated ${time}`,
    refresh: "Refresh",
    loading: "Loading the breach board…",
    refreshFailed: (message: string) => `Could not refresh the board: ${message}`,
    sections: {
      breached: "Breached",
      warning: "Warning",
      forecast: "Due within 60 min",
    },
    sectionEmpty: "None.",
    empty: "No breaches, warnings or breaches due in the next hour",
    columns: {
      number: "№",
      subject: "Subject",
      assignee: "Assignee",
      channel: "Channel",
      metric: "Metric",
      due: "Due",
      reassign: "Reassign",
    },
    unassigned: "Unassigned",
    agentNumber: (id: number) => `Agent ${id}`,
    open: (ticket: string) => `Open ticket ${ticket}`,
    reassignLabel: (ticket: string) => `Reassign ticket ${ticket}`,
    reassignPlaceholder: "Reassign…",
    reassigning: "Reassigning…",
    queued: "Queued",
    queuedHint: "Saved in the outbox; sent to the server when it answers.",
    reassignFailed: (message: string) => `Not reassigned: ${message}`,
    summary: "Summary",
    byAgent: "By agent",
    byChannel: "By channel",
    counts: {
      breached: (n: number) => `${n} breached`,
      warning: (n: number) => `${n} warning`,
      forecast: (n: number) => `${n} due soon`,
    },
  },

  settings: {
    button: "Settings",
    title: "Settings",
    notifications: "Notifications",
    warning: "Warn me before a breach",
    breached: "Notify me of a breach",
    sound: "Play a sound",
    quiet_while_open: "Stay quiet about the ticket on screen",
    loading: "Loading the settings…",
    saving: "Saving…",
    loadFailed: (message: string) => `Settings not available: ${message}`,
    saveFailed: (message: string) => `Not saved: ${message}`,
    close: "Close",
    appearance: "Language and theme",
    language: "Language",
    theme: "Theme",
    /** The choice that follows the desktop, naming what it gives now. */
    followSystem: (current: string) => `System (${current})`,
    themes: {
      light: "Light",
      dark: "Dark",
    } satisfies Record<Theme, string>,
    themeSystem: "System",
  },

  views: {
    mine_open: "My open",
    waiting_on_customer: "Waiting on customer",
    all: "All",
  } satisfies Record<QueueView, string>,

  channels: {
    portal: "Portal",
    telegram: "Telegram",
    email: "Email",
    phone: "Phone",
  } satisfies Record<Channel, string>,

  statuses: {
    new: "New",
    open: "Open",
    pending: "Pending",
    on_hold: "On hold",
    solved: "Solved",
    closed: "Closed",
    reopened: "Reopened",
  } satisfies Record<TicketStatus, string>,

  priorities: {
    urgent: "Urgent",
    high: "High",
    normal: "Normal",
    low: "Low",
  } satisfies Record<Priority, string>,
};

/**
 * The shape every language's table has: the keys of the English one, with
 * any text where English has its literal, and each function taking the
 * same arguments and giving any text.
 */
export type Strings = Text<typeof en>;

type Text<T> = T extends string
  ? string
  : T extends (...args: infer A) => string
    ? (...args: A) => string
    : { readonly [K in keyof T]: Text<T[K]> };
