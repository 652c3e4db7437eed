// The English texts of the UI, and the shape every other language's table
// must have (see ru.ts): plain strings for fixed text, functions where a
// value is put into the sentence (word order differs between languages).
// Components read them through `strings` (../strings.ts), in the language
// the agent reads.

import type {
  CallDirection,
  CallOutcome,
  Category,
  Channel,
  ComposeMode,
  Connectivity,
  Credentials,
  DeliveryState,
  IntakeItem,
  KeepToken,
  MessageKind,
  OutboxState,
  Plan,
  Priority,
  QueueView,
  Role,
  ServiceStage,
  SlaMetric,
  SlaState,
  Theme,
  TicketStatus,
} from "../bindings";
import { counted } from "./plural";

const tickets = counted("en", { one: "ticket", other: "tickets" });
const changes = counted("en", { one: "change", other: "changes" });
const savedTo = counted("en", { one: "unsent change was saved to", other: "unsent changes were saved to" });
const discarded = counted("en", { one: "unsent change was discarded.", other: "unsent changes were discarded." });
const notSent = counted("en", {
  one: "change has not reached the server yet.",
  other: "changes have not reached the server yet.",
});
const held = counted("en", {
  one: "change cannot be sent as it is: the server refused it or it waits for you. Save it to a file or discard it.",
  other:
    "changes cannot be sent as they are: the server refused them or they wait for you. Save them to a file or discard them.",
});

const requestLines: Record<IntakeItem, string> = {
  account_login: "your account login;",
  project_name: "the name of the project;",
  diagnostics: "diagnostics: screenshots of the error and logs from the time it happened.",
};

export const en = {
  productName: "Shiftdesk",
  signedInAs: (agent: string) => `Signed in as ${agent}`,

  server: {
    label: "Server connection",
    checking: "Checking the server…",
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
    unread: "Unread",
    unreadHint: "The customer wrote since you last opened this ticket",
    /** A tab's count when a filter narrows it. */
    countFiltered: (count: number) => `, ${count} matching the filters`,
    count: (count: number) => `, ${tickets(count)}`,
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
    showEarlier: (count: number) => (count === 1 ? "Show 1 earlier message" : `Show ${count} earlier messages`),
  },

  conversation: {
    system: "System",
    kinds: {
      inbound: "Customer",
      public_reply: "Public reply",
      internal_note: "Internal note",
      call_log: "Call log",
      system_event: "System event",
    } satisfies Record<MessageKind["kind"], string>,
    delivery: {
      queued: "Queued",
      sending: "Sending…",
      sent: "Sent",
      delivered: "Delivered",
      failed: "Not delivered",
    } satisfies Record<DeliveryState["state"], string>,
    deliveryHint: "Delivery to the customer",
    unsent: {
      queued: "Unsent",
      failed: "Refused",
      needs_review: "Needs you",
    } satisfies Record<OutboxState, string>,
    unsentHint: {
      queued: "Waiting in the outbox: Shiftdesk sends it when the server answers.",
      failed: "The server refused it: open the outbox to edit, resend or discard it.",
      needs_review: "Held: the customer wrote since, or the ticket changed. Open the outbox to decide.",
    } satisfies Record<OutboxState, string>,
    call: (direction: string, outcome: string, duration: string) => `${direction} · ${outcome} · ${duration}`,
    callback: (when: string) => `Call back ${when}`,
    callbackOverdue: "Overdue",
    files: "Attached files",
    openFile: (name: string) => `Open ${name}`,
    openFailed: (message: string) => `Could not open the file: ${message}`,
    showFormatted: "Show formatted",
    showText: "Show text",
    formattedTitle: "The customer's mail as they formatted it",
    formattedLoading: "Preparing the formatted mail…",
    formattedNone: "This mail has no formatted version.",
    formattedFailed: (message: string) => `The formatted mail cannot be shown: ${message}`,
    blockedImages: (count: number) =>
      count === 1 ? "1 remote image blocked" : `${count} remote images blocked`,
    links: "Links in this mail",
    openLink: "Open in browser",
    openLinkFailed: (message: string) => `Could not open the link: ${message}`,
    viewerTitle: (name: string) => `Image: ${name}`,
    closeViewer: "Close",
    failedBecause: (reason: string) => `Not delivered: ${reason}`,
    retry: "Send again",
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

  signIn: {
    title: "Sign in to Shiftdesk",
    welcome: "Welcome. Sign in with the address of your team's Shiftdesk server.",
    noToken: (agent: string | null) =>
      agent === null
        ? "Sign in again. The tickets cached on this computer and the outbox are kept."
        : `Sign in again as ${agent}. The tickets cached on this computer and the outbox are kept.`,
    sessionExpired: "Your session expired. Sign in again to go on.",
    sessionRevoked: "This device's sign-in was revoked. Sign in again to go on.",
    sessionEnded: "The server ended your session. Sign in again to go on.",
    unsentKept: (count: number) => `The outbox is kept: ${changes(count)} will be sent once you sign in.`,
    wiped:
      "This device was signed out from another device or by a team lead, and its cache was erased from this computer.",
    signedOut: "You signed out.",
    /** Followed by the file's path. */
    exportedTo: (count: number) => `${savedTo(count)}:`,
    discarded,
    failed: (message: string) => `Shiftdesk could not open your account: ${message}`,
    server: "Server address",
    serverPlaceholder: "https://desk.example.com",
    serverMissing: "Enter the address of your team's server.",
    check: "Continue",
    checking: "Checking the server…",
    serverOk: (api: number, version: string) => `Shiftdesk server, API v${api} (${version})`,
    method: "Sign in with",
    methods: { password: "Password", code: "One-time code" } satisfies Record<Credentials["method"], string>,
    login: "Login or email",
    password: "Password",
    code: "One-time code",
    codePlaceholder: "ABCD-EFGH-JKLM-NPQR",
    newPassword: "New password",
    newPasswordAgain: "New password again",
    passwordRule: (min: number) => `At least ${min} characters.`,
    passwordsDiffer: "The two passwords are not the same.",
    keep: "Keep the sign-in in",
    keeps: {
      keyring: "System keyring",
      memory: "This session only (memory)",
    } satisfies Record<Exclude<KeepToken["in"], "file">, string>,
    submit: "Sign in",
    submitting: "Signing in…",
  },

  signOut: {
    title: "Sign out",
    erases: "Signing out erases this account's tickets, drafts and files from this computer.",
    loading: "Reading the outbox…",
    loadFailed: (message: string) => `The outbox cannot be read: ${message}`,
    nothingLeft: "Nothing is waiting to be sent.",
    confirm: "Sign out",
    unsent: notSent,
    listLabel: "Unsent changes",
    send: "Send them first",
    sending: (left: number) => `Sending ${left}…`,
    held,
    tokenRefused: "Shiftdesk cannot send now: the server no longer accepts this device's sign-in.",
    offline: "Shiftdesk cannot send now: the server has not answered for 30 seconds.",
    export: "Save them to a file and sign out",
    understood: (count: number) =>
      count === 1 ? "I understand this change will be lost" : `I understand these ${count} changes will be lost`,
    discard: "Discard them and sign out",
    signingOut: "Signing out…",
    failed: (message: string) => `Not signed out: ${message}`,
    cancel: "Cancel",
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
    account: "Account",
    server: (server: string) => `Server: ${server}`,
    memoryOnly: "You will have to sign in again the next time Shiftdesk starts.",
    accountFailed: (message: string) => `Account not available: ${message}`,
    signOut: "Sign out…",
  },

  customer: {
    label: "Customer and SLA",
    title: "Customer",
    name: "Name",
    login: "Login",
    project: "Project",
    email: "Email",
    phone: "Phone",
    service: "Service",
    plan: "Plan",
    category: "Category",
    unknown: "not given",
    stages: { beta: "Beta · no SLA", ga: "GA" } satisfies Record<ServiceStage, string>,
    missing: (items: string) => `Still missing: ${items}.`,
    items: {
      account_login: "account login",
      project_name: "project name",
      diagnostics: "logs or screenshots",
    } satisfies Record<IntakeItem, string>,
    ask: {
      account_login: "Ask for the login",
      project_name: "Ask for the project",
      diagnostics: "Ask for logs",
    } satisfies Record<IntakeItem, string>,
    askAll: "Ask for all of it",
    requestText: (items: IntakeItem[], name: string, ticket: string) => {
      const wanted = items.map((item) => `- ${requestLines[item]}`).join("\n");
      return `Hello ${name},\n\nSo that we can look into ${ticket}, please send us:\n${wanted}\n\nBest regards`;
    },
  },

  connection: {
    states: { online: "Online", degraded: "Connection unstable", offline: "Offline" } satisfies Record<Connectivity, string>,
    synced: (when: string) => `synced ${when}`,
    neverSynced: "not synced yet",
    pending: (n: number) => (n === 1 ? "1 change to send" : `${n} changes to send`),
  },

  outbox: {
    button: (all: number, waiting: number) =>
      waiting > 0 ? `Outbox: ${waiting} need${waiting === 1 ? "s" : ""} you` : `Outbox (${all})`,
    title: "Outbox",
    empty: "Everything has reached the server.",
    states: { queued: "Queued", failed: "Refused", needs_review: "Needs you" } satisfies Record<OutboxState, string>,
    queuedHint: (attempts: number) =>
      attempts === 0 ? "Sent when the server answers." : `Sent when the server answers (tried ${attempts}×).`,
    writtenSince: "The customer or a colleague wrote since you began this reply.",
    conflict: "The ticket changed on the server since you made this change.",
    refused: (detail: string) => `The server refused it: ${detail}`,
    changes: {
      reply: (channel: string) => `Reply via ${channel}`,
      note: "Internal note",
      call: "Call log",
      status: (status: string) => `Status → ${status}`,
      priority: (priority: string) => `Priority → ${priority}`,
      assign: "Reassignment",
      tags: (tags: string) => `Tags: ${tags || "none"}`,
      retry: "Delivery retry",
    },
    resend: "Send again",
    sendAnyway: "Send anyway",
    edit: "Edit",
    editLabel: "The text to send",
    saveAndSend: "Save and send",
    cancel: "Cancel",
    discard: "Discard",
  },

  layout: {
    queueSplitter: "Queue width",
    sideSplitter: "Customer panel width",
  },

  palette: {
    label: "Command palette",
    placeholder: "Type a command or a ticket number…",
    none: "No command matches.",
    openTicket: (ticket: string) => `Open ticket ${ticket}`,
    view: (view: string) => `Go to ${view}`,
    board: "Go to the breach board",
    reply: "Reply to the customer",
    note: "Write an internal note",
    call: "Log a call",
    status: (status: string) => `Set status: ${status}`,
    close: "Close the ticket",
    search: "Search tickets",
    outbox: "Open the outbox",
    settings: "Open settings",
    shortcuts: "Show keyboard shortcuts",
  },

  shortcuts: {
    title: "Keyboard shortcuts",
    move: "Next / previous ticket",
    open: "Open the selected ticket",
    reply: "Reply",
    note: "Internal note",
    send: "Send what you wrote",
    search: "Search tickets",
    palette: "Command palette",
    close: "Close a dialog or the ticket",
    help: "This card",
    closeButton: "Close",
  },

  fields: {
    assignee: "Assignee",
    tags: "Tags",
    addTag: "Add tag",
    removeTag: (tag: string) => `Remove tag ${tag}`,
  },

  files: {
    bytes: (n: number) => `${n} B`,
    kb: "KB",
    mb: "MB",
    gb: "GB",
  },

  composer: {
    label: "Write on the ticket",
    modeLabel: "What to write",
    modes: { reply: "Reply", note: "Internal note", call: "Log a call" } satisfies Record<ComposeMode, string>,
    via: "via",
    ticketsChannel: "the ticket's channel",
    canned: "Canned response",
    to: "To",
    subject: "Subject",
    noAddress: "No email address on file",
    cc: "Cc",
    ccPlaceholder: "Copies: addresses separated by commas",
    alreadyCopied: (addresses: string) => `Also goes to everyone on this ticket's mail: ${addresses}`,
    quoted: "The customer's last message is quoted under your reply; the subject keeps the ticket's tag for threading.",
    callLegend: "The call",
    direction: "Direction",
    directions: { outbound: "I called", inbound: "Customer called" } satisfies Record<CallDirection, string>,
    outcome: "Outcome",
    outcomes: {
      answered: "Answered",
      no_answer: "No answer",
      busy: "Busy",
      voicemail: "Voicemail",
    } satisfies Record<CallOutcome, string>,
    minutes: "Minutes",
    seconds: "Seconds",
    callback: "Call back at",
    textLabel: {
      reply: "Reply to the customer",
      note: "Internal note for the team",
      call: "Call notes",
    } satisfies Record<ComposeMode, string>,
    placeholder: {
      reply: "Write to the customer (Markdown)…",
      note: "A note only the team sees…",
      call: "What was said on the call…",
    } satisfies Record<ComposeMode, string>,
    telegramCount: (chars: number, parts: number) =>
      parts > 1 ? `${chars} characters · sent as ${parts} messages` : `${chars} / 4096 characters`,
    part: (n: number, of: number, chars: number) => `Message ${n} of ${of} · ${chars} characters`,
    previewTitle: "How the customer will see the reply",
    preview: "Preview",
    unfilled: (names: string) => `Fill in before sending: ${names}`,
    writtenSince: "The customer wrote again since you began this reply. Read it first?",
    sendAnyway: "Send anyway",
    attach: "Attach files",
    attached: "Attached files",
    attaching: "Attaching…",
    removeFile: (name: string) => `Remove ${name}`,
    fileTooLarge: (name: string, size: string, limit: string) =>
      `${name} is ${size}; a message's file is at most ${limit}.`,
    sendHint: "Ctrl+Enter to send",
    sending: "Queueing…",
    send: { reply: "Send reply", note: "Add note", call: "Log call" } satisfies Record<ComposeMode, string>,
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
