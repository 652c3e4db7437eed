// Every piece of text the UI shows, in one place, so that a translation only
// has to replace this module. Plain strings for fixed text, functions where a
// value is put into the sentence (word order differs between languages).

import type { Channel, Priority, QueueView, Role, TicketStatus } from "./bindings";

export const strings = {
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
    keyboardHint: "Use J and K to move between tickets.",
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
} as const;
