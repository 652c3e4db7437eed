// Every piece of text the UI shows, in one place, so that a translation only
// has to replace this module. Plain strings for fixed text, functions where a
// value is put into the sentence (word order differs between languages).

import type {
  Category,
  Channel,
  Plan,
  Priority,
  QueueView,
  Role,
  SlaMetric,
  SlaState,
  TicketStatus,
} from "./bindings";

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
    unread: "Unread",
    unreadHint: "The customer wrote since you last opened this ticket",
    /** A tab's count when a filter narrows it. */
    countFiltered: (count: number) => `, ${count} matching the filters`,
    count: (count: number) => (count === 1 ? ", 1 ticket" : `, ${count} tickets`),
  },

  filters: {
    label: "Filters",
    clear: "Clear filters",
    /** A filter menu's button: its name, and how many values are ticked. */
    button: (kind: string, chosen: number) => (chosen === 0 ? kind : `${kind} (${chosen})`),
    active: (count: number) => (count === 1 ? "1 filter on; counts show matching tickets" : `${count} filters on; counts show matching tickets`),
    empty: "No tickets in this view match the filters.",
    kinds: {
      channels: "Channel",
      statuses: "Status",
      priorities: "Priority",
      categories: "Category",
      plans: "Plan",
    },
  },

  search: {
    label: "Search tickets",
    placeholder: "Search tickets (/ or Ctrl+F)",
    clear: "Clear search",
    searching: "Searching…",
    results: (count: number) => (count === 1 ? "1 ticket found" : `${count} tickets found`),
    none: "No tickets match.",
    resultsLabel: "Search results",
    open: (ticket: string) => `Open ticket ${ticket}`,
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
    button: "Notification settings",
    title: "Notifications",
    warning: "Warn me before a breach",
    breached: "Notify me of a breach",
    sound: "Play a sound",
    quiet_while_open: "Stay quiet about the ticket on screen",
    loading: "Loading the settings…",
    saving: "Saving…",
    loadFailed: (message: string) => `Settings not available: ${message}`,
    saveFailed: (message: string) => `Not saved: ${message}`,
    close: "Close",
  },

  views: {
    mine_open: "My open",
    breaching_soon: "Breaching soon",
    waiting_on_customer: "Waiting on customer",
    team: "Team",
  } satisfies Record<QueueView, string>,

  categories: {
    architecture_consulting: "Architecture consulting",
    resource_diagnostics: "Resource diagnostics",
    access_recovery: "Access recovery",
    billing: "Billing",
    platform_problem: "Platform problem",
    service_setup: "Service setup",
    out_of_scope: "Out of scope",
  } satisfies Record<Category, string>,

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
