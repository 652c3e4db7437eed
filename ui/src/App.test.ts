import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import App from "./App.svelte";
import type {
  BreachBoard,
  ConversationMessage,
  DeskAgent,
  QueuePage,
  QueueRequest,
  QueueRow,
  QueueView,
  SearchHit,
  ServerStatus,
  StartupReport,
  ViewCounts,
} from "./lib/bindings";
import { MINUTE, NOW, boardRow, card, counts, message, preview, row, slaReport } from "./test/fixtures";
import { fakeEvents, type FakeEvents } from "./test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

const mockedInvoke = vi.mocked(invoke);

type Backend = {
  report?: StartupReport;
  counts?: ViewCounts;
  page?: (request: QueueRequest) => QueuePage | Promise<QueuePage>;
  server?: () => ServerStatus | Promise<ServerStatus>;
  desk?: () => DeskAgent;
  board?: () => BreachBoard;
  search?: (query: string) => SearchHit[] | Promise<SearchHit[]>;
  conversation?: () => ConversationMessage[];
  fail?: Partial<Record<string, unknown>>;
};

const AGENT: DeskAgent = { agent: { id: 7, name: "Dana", team: "L1", role: "agent" }, lead: false };
const LEAD: DeskAgent = { agent: { id: 3, name: "Lena", team: "L1", role: "lead" }, lead: true };
const BOARD: BreachBoard = {
  at: NOW,
  breached: [
    boardRow({ ticket: 20001, subject: "Disk full on db-3", assignee: 7, due_at: Date.now() - 5 * MINUTE }),
    boardRow({ ticket: 20002, subject: "Lost access to the console", assignee: null, due_at: Date.now() - MINUTE }),
  ],
  warning: [],
  forecast: [boardRow({ ticket: 20003, state: "ok", due_at: Date.now() + 30 * MINUTE })],
  by_agent: [
    { agent: 7, name: "Dana", counts: counts(1, 0, 1) },
    { agent: null, name: null, counts: counts(1, 0, 0) },
  ],
  by_channel: [{ channel: "portal", counts: counts(2, 0, 1) }],
};

/** Every command the window sent, in order. */
let sent: { command: string; args: unknown }[] = [];
let events: FakeEvents;
const sentTo = (command: string) => sent.filter((c) => c.command === command).map((c) => c.args);

const REPORT: StartupReport = { cache_path: "/home/agent/.cache/shiftdesk/cache.sqlite", agent_name: "Dana", notice: null };
const COUNTS: ViewCounts = { mine_open: 2, breaching_soon: 1, waiting_on_customer: 1, team: 75 };
const SIGNED_IN: ServerStatus = {
  state: "signed_in",
  url: "http://127.0.0.1:8780/",
  agent_name: "Dana",
  role: "agent",
};

function rowsFor(view: QueueView, from: number, count: number): QueueRow[] {
  return Array.from({ length: count }, (_, i) =>
    row({ number: from + i, subject: `${view} ticket ${from + i}` }),
  );
}

function serve(backend: Backend = {}) {
  const requests: QueueRequest[] = [];
  mockedInvoke.mockImplementation(async (command: string, args?: InvokeArgs) => {
    sent.push({ command, args });
    const failure = backend.fail?.[command];
    if (failure !== undefined) throw failure;
    switch (command) {
      case "desk_agent":
        return backend.desk?.() ?? AGENT;
      case "breach_board":
        return backend.board?.() ?? BOARD;
      case "team_agents":
        return [LEAD.agent, AGENT.agent];
      case "ticket_card": {
        const { ticket } = args as { ticket: number };
        return card({ number: ticket, subject: `Ticket ${ticket} in the pane` });
      }
      case "ticket_draft":
        return null;
      case "compose_preview":
        return preview();
      case "ticket_sla":
        return slaReport();
      case "ticket_conversation":
        return backend.conversation?.() ?? [];
      case "search_tickets":
        return backend.search?.((args as { query: string }).query) ?? [];
      case "mark_ticket_read":
      case "ticket_on_screen":
      case "reassign":
        return null;
      case "startup_report":
        return backend.report ?? REPORT;
      case "queue_counts":
        return backend.counts ?? COUNTS;
      case "server_status":
        return backend.server?.() ?? SIGNED_IN;
      case "queue_page": {
        const { request } = args as { request: QueueRequest };
        requests.push(request);
        return backend.page?.(request) ?? { rows: rowsFor(request.view, 10001, 2), next: null };
      }
      default:
        throw `unknown command ${command}`;
    }
  });
  return requests;
}

const numbers = () => screen.getAllByTestId("queue-row").map((r) => Number(r.dataset.number));
/** How many rows the queue holds, rendered or not (the header row aside). */
const rowCount = () => Number(screen.getByTestId("queue-table").getAttribute("aria-rowcount")) - 1;

async function scrollQueueToEnd() {
  const scroller = screen.getByTestId("queue-table").parentElement!;
  scroller.scrollTop = scroller.scrollHeight + 1_000_000;
  await fireEvent.scroll(scroller);
}

beforeEach(() => {
  mockedInvoke.mockReset();
  vi.mocked(listen).mockReset();
  events = fakeEvents();
  sent = [];
});

describe("App", () => {
  it("shows the first page of My open with the view counts", async () => {
    const requests = serve();
    render(App);

    expect(await screen.findAllByTestId("queue-row")).toHaveLength(2);
    expect(requests).toEqual([{ view: "mine_open", after: null, limit: 50 }]);
    expect(screen.getByRole("heading", { level: 1 }).textContent).toContain("Shiftdesk");
    expect(screen.getByTestId("view-count-mine_open").textContent).toBe("2");
    expect(screen.getByTestId("view-count-waiting_on_customer").textContent).toBe("1");
    expect(screen.getByTestId("view-count-breaching_soon").textContent).toBe("1");
    // An agent's cache holds only their own tickets: no team view to offer.
    expect(screen.queryByTestId("view-tab-team")).toBeNull();
    expect(screen.getByTestId("view-tab-mine_open").getAttribute("aria-selected")).toBe("true");
    expect(screen.queryByTestId("cache-notice")).toBeNull();
    expect(screen.queryByTestId("error-state")).toBeNull();
  });

  it("shows the cache notice when the cache was moved aside", async () => {
    serve({
      report: { ...REPORT, notice: { moved_to: "/home/agent/.cache/shiftdesk/cache.damaged-1", reason: "integrity check failed" } },
    });
    render(App);

    const notice = await screen.findByTestId("cache-notice");
    expect(notice.textContent).toContain(
      "Your previous cache was damaged and was moved aside to /home/agent/.cache/shiftdesk/cache.damaged-1; a fresh cache was started. Nothing was deleted.",
    );
    expect(notice.textContent).toContain("integrity check failed");
    await fireEvent.click(screen.getByRole("button", { name: "Dismiss" }));
    expect(screen.queryByTestId("cache-notice")).toBeNull();
  });

  it("shows a full error state when the cache is newer than the app", async () => {
    serve({
      fail: { startup_report: { code: "cache.schema_too_new", message: "The cache has schema 7; this Shiftdesk knows up to 4." } },
    });
    render(App);

    const error = await screen.findByTestId("error-state");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toContain("This cache was written by a newer version of Shiftdesk");
    expect(error.textContent).toContain("The cache has schema 7; this Shiftdesk knows up to 4.");
    expect(error.textContent).toContain("cache.schema_too_new");
    expect(screen.queryByTestId("queue-table")).toBeNull();
  });

  it("starts again from the error state", async () => {
    serve({ fail: { queue_counts: "connection to the shell lost" } });
    render(App);
    const error = await screen.findByTestId("error-state");
    expect(error.textContent).toContain("ipc.unexpected");

    serve();
    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findAllByTestId("queue-row")).toHaveLength(2);
    expect(screen.queryByTestId("error-state")).toBeNull();
  });

  it("switches views from the tabs", async () => {
    const requests = serve({
      page: (request) => ({
        rows: rowsFor(request.view, request.view === "mine_open" ? 10001 : 20001, 1),
        next: null,
      }),
    });
    render(App);
    await screen.findAllByTestId("queue-row");

    await fireEvent.click(screen.getByTestId("view-tab-waiting_on_customer"));
    await waitFor(() => expect(numbers()).toEqual([20001]));
    expect(requests.at(-1)).toEqual({ view: "waiting_on_customer", after: null, limit: 50 });
    expect(screen.getByTestId("view-tab-waiting_on_customer").getAttribute("aria-selected")).toBe("true");
  });

  it("drops a page that arrives after the view changed", async () => {
    let releaseAll: (page: QueuePage) => void = () => {};
    serve({
      page: (request) => {
        if (request.view === "breaching_soon") return new Promise<QueuePage>((resolve) => (releaseAll = resolve));
        return { rows: rowsFor(request.view, request.view === "mine_open" ? 10001 : 20001, 1), next: null };
      },
    });
    render(App);
    await screen.findAllByTestId("queue-row");

    await fireEvent.click(screen.getByTestId("view-tab-breaching_soon"));
    await fireEvent.click(screen.getByTestId("view-tab-waiting_on_customer"));
    await waitFor(() => expect(numbers()).toEqual([20001]));

    releaseAll({ rows: rowsFor("breaching_soon", 30001, 3), next: null });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(numbers()).toEqual([20001]);
  });

  it("loads the next page after the cursor and appends it", async () => {
    const cursor = { urgency: 3, created_at: 1_736_900_000_000, number: 10050 };
    const requests = serve({
      page: (request) =>
        request.after === null
          ? { rows: rowsFor(request.view, 10001, 50), next: cursor }
          : { rows: rowsFor(request.view, 10051, 25), next: null },
    });
    render(App);
    await screen.findAllByTestId("queue-row");
    expect(rowCount()).toBe(50);

    await fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    await waitFor(() => expect(rowCount()).toBe(75));
    expect(requests[1]).toEqual({ view: "mine_open", after: cursor, limit: 50 });
    await scrollQueueToEnd();
    expect(numbers().at(-1)).toBe(10075);
    expect(screen.queryByRole("button", { name: "Load more" })).toBeNull();
  });

  it("keeps the loaded rows and offers a retry when the next page fails", async () => {
    const cursor = { urgency: 3, created_at: 1, number: 10050 };
    let failNext = true;
    serve({
      page: (request) => {
        if (request.after === null) return { rows: rowsFor(request.view, 10001, 50), next: cursor };
        if (failNext) {
          failNext = false;
          throw { code: "queue.bad_cursor", message: "the cursor no longer points into this view" };
        }
        return { rows: rowsFor(request.view, 10051, 1), next: null };
      },
    });
    render(App);
    await screen.findAllByTestId("queue-row");

    await fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    const error = await screen.findByTestId("error-state");
    expect(error.textContent).toContain("queue.bad_cursor");
    expect(rowCount()).toBe(50);

    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(rowCount()).toBe(51));
    expect(screen.queryByTestId("error-state")).toBeNull();
  });

  it("says in the status bar which server it is connected to and as whom", async () => {
    serve();
    render(App);

    const status = await screen.findByTestId("server-status");
    await waitFor(() =>
      expect(status.textContent).toContain("Connected to 127.0.0.1:8780 as Dana (agent)"),
    );
    expect(status.dataset.tone).toBe("connected");
    expect(status.getAttribute("role")).toBe("status");
    expect(screen.getByText("Signed in as Dana")).toBeTruthy();
  });

  it("shows the queue from the cache while the server has not answered yet", async () => {
    let answer: (status: ServerStatus) => void = () => {};
    serve({ server: () => new Promise<ServerStatus>((resolve) => (answer = resolve)) });
    render(App);

    expect(await screen.findAllByTestId("queue-row")).toHaveLength(2);
    expect(screen.getByTestId("server-status").textContent).toContain("Checking the server…");
    answer({ state: "unreachable", url: "http://127.0.0.1:8780/", reason: "no answer within 10 s" });
    await waitFor(() =>
      expect(screen.getByTestId("server-status").textContent).toContain(
        "Server 127.0.0.1:8780 unreachable: no answer within 10 s — working from the local cache",
      ),
    );
  });

  it("shows a refused token with the server's code, the queue still there", async () => {
    serve({
      server: () => ({
        state: "refused",
        url: "http://127.0.0.1:8780/",
        code: "auth.device_revoked",
        message: "This device was signed out; sign in again",
      }),
    });
    render(App);

    const status = await screen.findByTestId("server-status");
    await waitFor(() => expect(status.dataset.tone).toBe("attention"));
    expect(status.textContent).toContain(
      "Server 127.0.0.1:8780 refused the token: This device was signed out; sign in again",
    );
    expect(status.textContent).toContain("auth.device_revoked");
    expect(screen.queryByText(/Signed in as/)).toBeNull();
    expect(await screen.findAllByTestId("queue-row")).toHaveLength(2);
    expect(screen.queryByTestId("error-state")).toBeNull();
  });

  it("says why the server could not be checked", async () => {
    serve({
      fail: {
        server_status: {
          code: "server.no_token",
          message: "SHIFTDESK_API_URL names a server but SHIFTDESK_API_TOKEN is not set",
        },
      },
    });
    render(App);

    const status = await screen.findByTestId("server-status");
    await waitFor(() => expect(status.textContent).toContain("server.no_token"));
    expect(status.textContent).toContain(
      "Server status unknown: SHIFTDESK_API_URL names a server but SHIFTDESK_API_TOKEN is not set",
    );
  });

  it("does not promise the local cache when it could not be opened", async () => {
    serve({
      server: () => ({ state: "unreachable", url: "http://127.0.0.1:8780/", reason: "connection refused" }),
      fail: { startup_report: { code: "cache.unavailable", message: "disk full" } },
    });
    render(App);

    await screen.findByTestId("error-state");
    await waitFor(() =>
      expect(screen.getByTestId("server-status").textContent?.trim()).toBe(
        "Server 127.0.0.1:8780 unreachable: connection refused",
      ),
    );
  });

  it("asks the server again every minute", async () => {
    vi.useFakeTimers();
    try {
      let calls = 0;
      serve({
        server: () => {
          calls += 1;
          return calls === 1
            ? SIGNED_IN
            : { state: "unreachable", url: "http://127.0.0.1:8780/", reason: "connection refused" };
        },
      });
      render(App);
      await vi.waitFor(() =>
        expect(screen.getByTestId("server-status").textContent).toContain("Connected to"),
      );
      await vi.advanceTimersByTimeAsync(60_000);
      expect(calls).toBe(2);
      expect(screen.getByTestId("server-status").textContent).toContain(
        "Server 127.0.0.1:8780 unreachable: connection refused",
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it("offers no breach board to an agent", async () => {
    serve();
    render(App);
    await screen.findAllByTestId("queue-row");
    await waitFor(() => expect(sentTo("desk_agent")).toHaveLength(1));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(screen.queryByTestId("view-tab-board")).toBeNull();
    expect(sentTo("breach_board")).toHaveLength(0);
  });

  it("offers a lead the breach board, with the breach count on its tab", async () => {
    serve({ desk: () => LEAD });
    render(App);

    const tab = await screen.findByTestId("view-tab-board");
    expect(tab.getAttribute("role")).toBe("tab");
    await waitFor(() => expect(screen.getByTestId("view-count-board").textContent).toBe("2"));
    expect(tab.textContent).toContain("Breach board");
    expect(tab.getAttribute("aria-selected")).toBe("false");

    await fireEvent.click(tab);
    expect(tab.getAttribute("aria-selected")).toBe("true");
    expect(screen.queryByTestId("queue-table")).toBeNull();
    const breached = screen.getByTestId("board-section-breached");
    expect(within(breached).getAllByTestId("board-row").map((r) => r.dataset.ticket)).toEqual(["20001", "20002"]);
    expect(screen.getByRole("tabpanel").getAttribute("aria-labelledby")).toBe("view-tab-board");

    await fireEvent.click(screen.getByTestId("view-tab-mine_open"));
    expect(await screen.findByTestId("queue-table")).toBeTruthy();
    expect(screen.queryByTestId("breach-board")).toBeNull();
  });

  it("asks again who is signed in while the desk is starting", async () => {
    let tries = 0;
    serve({
      desk: () => {
        tries += 1;
        if (tries === 1) throw { code: "desk.starting", message: "Shiftdesk is still reading the cache" };
        return LEAD;
      },
    });
    render(App);
    expect(await screen.findByTestId("view-tab-board", {}, { timeout: 2_000 })).toBeTruthy();
    expect(tries).toBe(2);
  });

  it("brings the board up to date when Rust says an SLA changed", async () => {
    serve({ desk: () => LEAD });
    render(App);
    await screen.findByTestId("view-tab-board");
    await waitFor(() => expect(sentTo("breach_board")).toHaveLength(1));
    await waitFor(() => expect(events.listening("sla-changed")).toBeGreaterThan(0));

    events.emit("sla-changed", { tickets: [20001] });
    await waitFor(() => expect(sentTo("breach_board")).toHaveLength(2));
  });

  it("reads the queue and its counts again when the cache changed, keeping the view", async () => {
    let first = 10001;
    const requests = serve({ page: (request) => ({ rows: rowsFor(request.view, first, 2), next: null }) });
    render(App);
    await screen.findAllByTestId("queue-row");
    await waitFor(() => expect(events.listening("tickets-changed")).toBeGreaterThan(0));
    const counted = sentTo("queue_counts").length;

    first = 10500; // sync brought a more urgent ticket
    events.emit("tickets-changed", [10500]);
    events.emit("tickets-changed", [10501]);
    await waitFor(() =>
      expect(screen.getAllByTestId("queue-row").map((r) => r.dataset.number)).toEqual(["10500", "10501"]),
    );
    expect(requests.at(-1)).toMatchObject({ view: "mine_open", after: null });
    expect(sentTo("queue_counts").length).toBe(counted + 1);
  });

  it("opens the ticket pane with Enter on a row and closes it with Escape", async () => {
    serve();
    render(App);
    const [first] = await screen.findAllByTestId("queue-row");
    first!.focus();
    await fireEvent.keyDown(first!, { key: "Enter" });

    const pane = await screen.findByTestId("ticket-pane");
    expect(pane.dataset.ticket).toBe("10001");
    expect(screen.getByTestId("queue-table")).toBeTruthy();
    await waitFor(() => expect(screen.getByTestId("ticket-pane-subject").textContent).toBe("Ticket 10001 in the pane"));
    await waitFor(() => expect(sentTo("ticket_on_screen")).toEqual([{ ticket: 10001 }]));
    expect(first!.dataset.opened).toBe("true");

    await fireEvent.keyDown(document.activeElement ?? window, { key: "Escape" });
    await waitFor(() => expect(screen.queryByTestId("ticket-pane")).toBeNull());
    expect(sentTo("ticket_on_screen")).toEqual([{ ticket: 10001 }, { ticket: null }]);
    expect(document.activeElement).toBe(first);
  });

  it("opens the ticket pane from a click on a row", async () => {
    serve();
    render(App);
    const rows = await screen.findAllByTestId("queue-row");
    await fireEvent.click(rows[1]!);
    expect((await screen.findByTestId("ticket-pane")).dataset.ticket).toBe("10002");
    expect(rows[1]!.getAttribute("aria-current")).toBe("true");

    await fireEvent.click(screen.getByTestId("ticket-pane-close"));
    await waitFor(() => expect(screen.queryByTestId("ticket-pane")).toBeNull());
  });

  it("shows the ticket of a clicked notification", async () => {
    serve();
    render(App);
    await screen.findAllByTestId("queue-row");
    await waitFor(() => expect(events.listening("open-ticket")).toBe(1));

    events.emit("open-ticket", 10777);
    const pane = await screen.findByTestId("ticket-pane");
    expect(pane.dataset.ticket).toBe("10777");
    await waitFor(() => expect(sentTo("ticket_on_screen")).toEqual([{ ticket: 10777 }]));

    events.emit("open-ticket", 10778);
    await waitFor(() => expect(screen.getByTestId("ticket-pane").dataset.ticket).toBe("10778"));
  });

  it("opens a ticket from the breach board beside the board", async () => {
    serve({ desk: () => LEAD });
    render(App);
    await fireEvent.click(await screen.findByTestId("view-tab-board"));
    const rows = await screen.findAllByTestId("board-row");
    await fireEvent.click(within(rows[1]!).getByTestId("board-row-open"));

    expect((await screen.findByTestId("ticket-pane")).dataset.ticket).toBe("20002");
    expect(screen.getByTestId("breach-board")).toBeTruthy();
  });

  it("refreshes the board every 30 seconds", async () => {
    vi.useFakeTimers();
    try {
      serve({ desk: () => LEAD });
      render(App);
      await vi.waitFor(() => expect(sentTo("breach_board")).toHaveLength(1));
      await vi.advanceTimersByTimeAsync(30_000);
      expect(sentTo("breach_board")).toHaveLength(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("narrows the view and every count with the filters, and clears them", async () => {
    const requests = serve();
    render(App);
    await screen.findAllByTestId("queue-row");

    await fireEvent.click(screen.getByRole("button", { name: "Channel" }));
    await fireEvent.click(screen.getByRole("checkbox", { name: "Telegram" }));
    const telegram = { channels: ["telegram"], statuses: [], priorities: [], categories: [], plans: [] };
    await waitFor(() =>
      expect(requests.at(-1)).toEqual({ view: "mine_open", after: null, limit: 50, filter: telegram }),
    );
    await waitFor(() => expect(sentTo("queue_counts").at(-1)).toEqual({ filter: telegram }));
    expect(screen.getByTestId("view-count-mine_open").classList.contains("filtered")).toBe(true);

    await fireEvent.click(screen.getByRole("button", { name: "Clear filters" }));
    await waitFor(() => expect(requests.at(-1)).toEqual({ view: "mine_open", after: null, limit: 50 }));
    expect(sentTo("queue_counts").at(-1)).toBeUndefined();
  });

  it("marks a ticket read when the pane shows it, and drops its unread marker", async () => {
    serve({
      page: () => ({ rows: [row({ number: 10001, unread: true }), row({ number: 10002 })], next: null }),
      conversation: () => [message({ id: 5 }), message({ id: 9 })],
    });
    render(App);
    const [first] = await screen.findAllByTestId("queue-row");
    expect(first!.dataset.unread).toBe("true");

    await fireEvent.click(first!);
    await waitFor(() => expect(sentTo("mark_ticket_read")).toEqual([{ ticket: 10001, message: 9 }]));
    await waitFor(() => expect(screen.getAllByTestId("queue-row")[0]!.dataset.unread).toBeUndefined());
  });

  it("searches the cache as the agent types, asks only for the latest text meanwhile, and goes back with Escape", async () => {
    const answers = new Map<string, (hits: SearchHit[]) => void>();
    serve({ search: (query) => new Promise<SearchHit[]>((resolve) => answers.set(query, resolve)) });
    render(App);
    await screen.findAllByTestId("queue-row");

    await fireEvent.keyDown(window, { key: "/" });
    const input = screen.getByTestId("search-input");
    expect(document.activeElement).toBe(input);

    // The first keystroke asks at once: no wait after typing.
    await fireEvent.input(input, { target: { value: "дис" } });
    await waitFor(() => expect(sentTo("search_tickets")).toEqual([{ query: "дис", limit: 50 }]));
    expect(screen.queryByTestId("queue-table")).toBeNull();

    // Typed while it is answered: only the latest text is asked next.
    await fireEvent.input(input, { target: { value: "диск" } });
    await fireEvent.input(input, { target: { value: "диск 502" } });
    const hit = (number: number, word: string): SearchHit => ({
      number,
      subject: [{ text: word, hit: true }],
      snippet: [],
      customer_name: "Анна",
      status: "open",
    });
    // The answer to what was typed before is never shown over it.
    answers.get("дис")!([hit(10001, "диск"), hit(10002, "диск")]);
    await waitFor(() => expect(answers.has("диск 502")).toBe(true));
    expect(sentTo("search_tickets")).toEqual([
      { query: "дис", limit: 50 },
      { query: "диск 502", limit: 50 },
    ]);
    expect(screen.queryAllByTestId("search-hit")).toHaveLength(0);
    answers.get("диск 502")!([hit(10005, "502")]);
    await waitFor(() => expect(screen.getAllByTestId("search-hit")).toHaveLength(1));
    expect(screen.getAllByTestId("search-hit").map((h) => h.dataset.number)).toEqual(["10005"]);
    expect(screen.getByTestId("search-hit").querySelector("mark")?.textContent).toBe("502");

    await fireEvent.keyDown(input, { key: "Enter" });
    expect((await screen.findByTestId("ticket-pane")).dataset.ticket).toBe("10005");

    input.focus();
    await fireEvent.keyDown(input, { key: "Escape" });
    expect((input as HTMLInputElement).value).toBe("");
    expect(await screen.findByTestId("queue-table")).toBeTruthy();
    expect(screen.getByTestId("ticket-pane")).toBeTruthy();
  });

  it("offers a lead the team view", async () => {
    const requests = serve({ desk: () => LEAD });
    render(App);
    await fireEvent.click(await screen.findByTestId("view-tab-team"));
    await waitFor(() => expect(requests.at(-1)).toEqual({ view: "team", after: null, limit: 50 }));
    expect(screen.getByTestId("view-count-team").textContent).toBe("75");
  });
});
