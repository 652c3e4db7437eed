import { beforeEach, describe, expect, it, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import {
  IpcError,
  accountState,
  alertSettings,
  checkServer,
  devices,
  onAccountChanged,
  revokeDevice,
  signIn,
  signOut,
  breachBoard,
  deskAgent,
  onOpenTicket,
  onSlaChanged,
  queueCounts,
  queuePage,
  reassign,
  serverStatus,
  setAlertSettings,
  startupReport,
  teamAgents,
  ticketConversation,
  ticketOnScreen,
  ticketSla,
  toIpcError,
  whenDeskStarted,
} from "./ipc";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

const mockedInvoke = vi.mocked(invoke);
const mockedListen = vi.mocked(listen);

beforeEach(() => {
  mockedInvoke.mockReset();
  mockedListen.mockReset();
});

describe("toIpcError", () => {
  it("keeps the code and message of an AppError object", () => {
    const error = toIpcError({ code: "cache.schema_too_new", message: "schema 9 is newer than 3" });
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("cache.schema_too_new");
    expect(error.message).toBe("schema 9 is newer than 3");
    expect(error.name).toBe("IpcError");
  });

  it("maps a bare string to ipc.unexpected with the text", () => {
    const error = toIpcError("command queue_page not found");
    expect(error.code).toBe("ipc.unexpected");
    expect(error.message).toBe("command queue_page not found");
  });

  it("maps objects that are not an AppError to ipc.unexpected", () => {
    expect(toIpcError({ code: 7, message: "x" }).code).toBe("ipc.unexpected");
    expect(toIpcError({ message: "no code" }).message).toBe('{"message":"no code"}');
    expect(toIpcError(new TypeError("boom")).message).toBe("boom");
    expect(toIpcError(null).code).toBe("ipc.unexpected");
    expect(toIpcError(undefined).code).toBe("ipc.unexpected");
  });

  it("passes an IpcError through unchanged", () => {
    const original = new IpcError("queue.bad_cursor", "stale cursor");
    expect(toIpcError(original)).toBe(original);
  });
});

describe("commands", () => {
  it("rejects with an IpcError carrying the AppError code", async () => {
    mockedInvoke.mockRejectedValueOnce({ code: "cache.unavailable", message: "disk full" });
    const failure = startupReport();
    await expect(failure).rejects.toBeInstanceOf(IpcError);
    await expect(failure).rejects.toMatchObject({ code: "cache.unavailable", message: "disk full" });
  });

  it("rejects with ipc.unexpected when Tauri rejects with a string", async () => {
    mockedInvoke.mockRejectedValueOnce("invalid args `request` for command `queue_page`");
    await expect(queueCounts()).rejects.toMatchObject({
      code: "ipc.unexpected",
      message: "invalid args `request` for command `queue_page`",
    });
  });

  it("sends queue_page its request and returns the page", async () => {
    const page = { rows: [], next: null };
    mockedInvoke.mockResolvedValueOnce(page);
    const request = {
      view: "waiting_on_customer" as const,
      after: { urgency: 1, created_at: 2, number: 3 },
      limit: 50,
    };
    await expect(queuePage(request)).resolves.toBe(page);
    expect(mockedInvoke).toHaveBeenCalledWith("queue_page", { request });
  });

  it("calls the argument-less commands by name", async () => {
    mockedInvoke.mockResolvedValue({});
    await startupReport();
    await queueCounts();
    await serverStatus();
    expect(mockedInvoke.mock.calls.map((call) => call[0])).toEqual([
      "startup_report",
      "queue_counts",
      "server_status",
    ]);
  });
});

describe("account commands", () => {
  it("sends each its named argument", async () => {
    mockedInvoke.mockResolvedValue(null);
    const form = {
      server: "https://desk.example.com",
      credentials: { method: "code", code: "ABCD-EFGH-JKLM-NPQR", new_password: "a long new password" },
      keep: { in: "memory" },
    } as const;
    await accountState();
    await checkServer("https://desk.example.com");
    await signIn(form);
    await signOut("export");
    await devices();
    await revokeDevice(12);
    expect(mockedInvoke.mock.calls).toEqual([
      ["account_state", undefined],
      ["check_server", { server: "https://desk.example.com" }],
      ["sign_in", { form }],
      ["sign_out", { unsent: "export" }],
      ["devices", undefined],
      ["revoke_device", { device: 12 }],
    ]);
  });

  it("turns a refused check into an IpcError", async () => {
    mockedInvoke.mockRejectedValueOnce({ code: "server.unexpected", message: "https://x.example is not a Shiftdesk server" });
    await expect(checkServer("https://x.example")).rejects.toMatchObject({ code: "server.unexpected" });
  });
});

describe("SLA and ticket commands", () => {
  it("passes the ticket as a named argument", async () => {
    mockedInvoke.mockResolvedValue(null);
    await expect(ticketConversation(10002)).resolves.toBeNull();
    await ticketSla(10003);
    await ticketOnScreen(10004);
    await ticketOnScreen(null);
    expect(mockedInvoke.mock.calls).toEqual([
      ["ticket_conversation", { ticket: 10002 }],
      ["ticket_sla", { ticket: 10003 }],
      ["ticket_on_screen", { ticket: 10004 }],
      ["ticket_on_screen", { ticket: null }],
    ]);
  });

  it("sends reassign the ticket and the assignee, null meaning nobody", async () => {
    mockedInvoke.mockResolvedValue(null);
    await reassign(10001, 7);
    await reassign(10002, null);
    expect(mockedInvoke.mock.calls).toEqual([
      ["reassign", { ticket: 10001, assignee: 7 }],
      ["reassign", { ticket: 10002, assignee: null }],
    ]);
  });

  it("sends the whole settings object to set_alert_settings", async () => {
    mockedInvoke.mockResolvedValue(null);
    const settings = { warning: true, breached: true, sound: false, quiet_while_open: true };
    await setAlertSettings(settings);
    expect(mockedInvoke).toHaveBeenCalledWith("set_alert_settings", { settings });
  });

  it("calls the argument-less SLA commands by name and returns their answers", async () => {
    const agent = { agent: { id: 3, name: "Lena", team: "L2", role: "lead" }, lead: true };
    mockedInvoke.mockImplementation(async (command: string) => (command === "desk_agent" ? agent : []));
    await expect(deskAgent()).resolves.toEqual(agent);
    await breachBoard();
    await alertSettings();
    await teamAgents();
    expect(mockedInvoke.mock.calls).toEqual([
      ["desk_agent", undefined],
      ["breach_board", undefined],
      ["alert_settings", undefined],
      ["team_agents", undefined],
    ]);
  });

  it("turns a refused reassignment into an IpcError", async () => {
    mockedInvoke.mockRejectedValueOnce({ code: "outbox.unknown_ticket", message: "no ticket 99" });
    await expect(reassign(99, 7)).rejects.toMatchObject({ code: "outbox.unknown_ticket" });
  });
});

describe("whenDeskStarted", () => {
  const starting = { code: "desk.starting", message: "Shiftdesk is still reading the cache" };

  it("asks again while the desk is starting, then answers", async () => {
    const agent = { agent: { id: 3, name: "Lena", team: "L2", role: "lead" }, lead: true };
    mockedInvoke
      .mockRejectedValueOnce(starting)
      .mockRejectedValueOnce(starting)
      .mockResolvedValueOnce(agent);
    await expect(whenDeskStarted(deskAgent, { delayMs: 1 })).resolves.toEqual(agent);
    expect(mockedInvoke).toHaveBeenCalledTimes(3);
  });

  it("waits between tries", async () => {
    vi.useFakeTimers();
    try {
      mockedInvoke.mockRejectedValueOnce(starting).mockResolvedValueOnce({ lead: false });
      const answer = whenDeskStarted(deskAgent, { delayMs: 500 });
      await vi.advanceTimersByTimeAsync(499);
      expect(mockedInvoke).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1);
      await expect(answer).resolves.toEqual({ lead: false });
      expect(mockedInvoke).toHaveBeenCalledTimes(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it("gives up after the last try with the desk.starting error", async () => {
    mockedInvoke.mockRejectedValue(starting);
    await expect(whenDeskStarted(deskAgent, { tries: 3, delayMs: 1 })).rejects.toMatchObject({
      code: "desk.starting",
    });
    expect(mockedInvoke).toHaveBeenCalledTimes(3);
  });

  it("does not ask again after any other failure", async () => {
    mockedInvoke.mockRejectedValue({ code: "cache.unavailable", message: "disk full" });
    await expect(whenDeskStarted(deskAgent, { delayMs: 1 })).rejects.toMatchObject({
      code: "cache.unavailable",
    });
    expect(mockedInvoke).toHaveBeenCalledTimes(1);
  });
});

describe("events", () => {
  /** Makes listen resolve when the test says so, keeping the handler it was given. */
  function pendingListen() {
    const unlisten = vi.fn();
    let handler: (event: { event: string; id: number; payload: unknown }) => void = () => {};
    let resolve: () => void = () => {};
    mockedListen.mockImplementationOnce((_event, callback) => {
      handler = callback as typeof handler;
      return new Promise((done) => (resolve = () => done(unlisten)));
    });
    return {
      unlisten,
      deliver: (payload: unknown) => handler({ event: "", id: 1, payload }),
      listening: () => resolve(),
    };
  }

  it("delivers the open-ticket payload and stops when told", async () => {
    const fake = pendingListen();
    const seen: number[] = [];
    const stop = onOpenTicket((ticket) => seen.push(ticket));
    expect(mockedListen).toHaveBeenCalledWith("open-ticket", expect.any(Function));
    fake.listening();
    await Promise.resolve();

    fake.deliver(10042);
    expect(seen).toEqual([10042]);

    stop();
    expect(fake.unlisten).toHaveBeenCalledTimes(1);
    fake.deliver(10043);
    expect(seen).toEqual([10042]);
    stop();
    expect(fake.unlisten).toHaveBeenCalledTimes(1);
  });

  it("unlistens once listening begins when stopped before", async () => {
    const fake = pendingListen();
    const handler = vi.fn();
    const stop = onSlaChanged(handler);
    expect(mockedListen).toHaveBeenCalledWith("sla-changed", expect.any(Function));
    stop();
    fake.deliver({ tickets: [1] });
    fake.listening();
    await Promise.resolve();
    await Promise.resolve();
    expect(fake.unlisten).toHaveBeenCalledTimes(1);
    expect(handler).not.toHaveBeenCalled();
  });

  it("delivers the sla-changed update as sent", async () => {
    const fake = pendingListen();
    const updates: unknown[] = [];
    onSlaChanged((update) => updates.push(update));
    fake.listening();
    fake.deliver({ tickets: [] });
    fake.deliver({ tickets: [10001, 10002] });
    expect(updates).toEqual([{ tickets: [] }, { tickets: [10001, 10002] }]);
  });

  it("tells of account-changed, which carries nothing", async () => {
    const fake = pendingListen();
    const handler = vi.fn();
    onAccountChanged(handler);
    expect(mockedListen).toHaveBeenCalledWith("account-changed", expect.any(Function));
    fake.listening();
    fake.deliver(null);
    expect(handler).toHaveBeenCalledExactlyOnceWith();
  });

  it("keeps working when listening is refused", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    mockedListen.mockRejectedValueOnce("event.listen not allowed");
    const stop = onSlaChanged(() => {});
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(warn).toHaveBeenCalledWith("could not listen to sla-changed: event.listen not allowed");
    expect(() => stop()).not.toThrow();
    warn.mockRestore();
  });
});
