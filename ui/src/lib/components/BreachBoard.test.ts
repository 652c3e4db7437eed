import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import BreachBoard from "./BreachBoard.svelte";
import type { Agent, BreachBoard as Board } from "../bindings";
import { IpcError } from "../ipc";
import { MINUTE, NOW, boardRow, counts } from "../../test/fixtures";
import { pretendWidth } from "../../test/resize";
import { callsTo, serveCommands } from "../../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const AGENTS: Agent[] = [
  { id: 7, name: "Dana Ortiz", team: "L1", role: "agent" },
  { id: 8, name: "Boris Lee", team: "L1", role: "agent" },
  { id: 3, name: "Lena Park", team: "L1", role: "lead" },
];

const BOARD: Board = {
  at: NOW,
  breached: [
    boardRow({ ticket: 10001, subject: "VM stuck in provisioning", assignee: 7, channel: "telegram", metric: "first_response", due_at: NOW - 25 * MINUTE }),
    boardRow({ ticket: 10002, subject: "Invoice shows double charge", assignee: null, channel: "email", metric: "resolution", due_at: NOW - 5 * MINUTE }),
  ],
  warning: [
    boardRow({ ticket: 10003, subject: "Cannot log in after password reset", assignee: 8, channel: "phone", metric: "next_response", state: "warning", due_at: NOW + 4 * MINUTE, plan: "professional" }),
  ],
  forecast: [
    boardRow({ ticket: 10004, subject: "Kafka quota question", assignee: 7, channel: "portal", metric: "resolution", state: "ok", due_at: NOW + 50 * MINUTE }),
  ],
  by_agent: [
    { agent: 7, name: "Dana Ortiz", counts: counts(1, 0, 1) },
    { agent: 8, name: "Boris Lee", counts: counts(0, 1, 0) },
    { agent: null, name: null, counts: counts(1, 0, 0) },
  ],
  by_channel: [
    { channel: "telegram", counts: counts(1, 0, 0) },
    { channel: "email", counts: counts(1, 0, 0) },
    { channel: "phone", counts: counts(0, 1, 0) },
    { channel: "portal", counts: counts(0, 0, 1) },
  ],
};

const EMPTY: Board = { at: NOW, breached: [], warning: [], forecast: [], by_agent: [], by_channel: [] };

const text = (element: Element) => (element.textContent ?? "").replace(/\s+/g, " ").trim();

function boardRowOf(ticket: number): HTMLElement {
  const found = screen.getAllByTestId("board-row").find((r) => r.dataset.ticket === String(ticket));
  if (found === undefined) throw new Error(`no board row ${ticket}`);
  return found;
}

function cells(ticket: number): string[] {
  return Array.from(boardRowOf(ticket).children, text);
}

beforeEach(() => {
  vi.mocked(invoke).mockReset();
});

describe("BreachBoard", () => {
  it("puts each row in its section, most urgent first, with its cells", () => {
    render(BreachBoard, { board: BOARD, agents: AGENTS, now: NOW });

    const section = (name: string) => screen.getByTestId(`board-section-${name}`);
    const tickets = (name: string) =>
      within(section(name)).getAllByTestId("board-row").map((r) => r.dataset.ticket);
    expect(tickets("breached")).toEqual(["10001", "10002"]);
    expect(tickets("warning")).toEqual(["10003"]);
    expect(tickets("forecast")).toEqual(["10004"]);

    expect(within(section("breached")).getByRole("heading", { level: 2 }).textContent).toMatch(/^\s*Breached\s*2\s*$/);
    expect(within(section("warning")).getByRole("heading", { level: 2 }).textContent).toMatch(/^\s*Warning\s*1\s*$/);
    expect(within(section("forecast")).getByRole("heading", { level: 2 }).textContent).toMatch(/^\s*Due within 60 min\s*1\s*$/);

    const headers = within(section("breached")).getAllByRole("columnheader").map((h) => h.textContent);
    expect(headers).toEqual(["№", "Subject", "Assignee", "Channel", "Metric", "Due", "Reassign"]);

    expect(cells(10001).slice(0, 6)).toEqual([
      "#10001",
      "VM stuck in provisioning",
      "Dana Ortiz",
      "Telegram",
      "First response",
      "overdue 25 min",
    ]);
    expect(cells(10002).slice(0, 6)).toEqual([
      "#10002",
      "Invoice shows double charge",
      "Unassigned",
      "Email",
      "Resolution",
      "overdue 5 min",
    ]);
    expect(cells(10003).slice(0, 6)).toEqual([
      "#10003",
      "Cannot log in after password reset Priority support",
      "Boris Lee",
      "Phone",
      "Next response",
      "in 4 min",
    ]);
    expect(cells(10004)[5]).toBe("in 50 min");
  });

  it("ticks the due and overdue times with the clock", async () => {
    const view = render(BreachBoard, { board: BOARD, agents: AGENTS, now: NOW });
    await view.rerender({ board: BOARD, agents: AGENTS, now: NOW + 6 * MINUTE });
    expect(within(boardRowOf(10001)).getByTestId("board-row-due").textContent).toBe("overdue 31 min");
    expect(within(boardRowOf(10003)).getByTestId("board-row-due").textContent).toBe("overdue 2 min");
    expect(within(boardRowOf(10004)).getByTestId("board-row-due").textContent).toBe("in 44 min");
  });

  it("sums up per agent and per channel in words", () => {
    render(BreachBoard, { board: BOARD, agents: AGENTS, now: NOW });

    const agents = screen.getAllByTestId("board-agent-count");
    expect(agents.map((a) => a.dataset.agent)).toEqual(["7", "8", "none"]);
    expect(agents.map(text)).toEqual([
      "Dana Ortiz 1 breached 1 due soon",
      "Boris Lee 1 warning",
      "Unassigned 1 breached",
    ]);

    const channels = screen.getAllByTestId("board-channel-count");
    expect(channels.map((c) => c.dataset.channel)).toEqual(["telegram", "email", "phone", "portal"]);
    expect(channels.map(text)).toEqual([
      "Telegram 1 breached",
      "Email 1 breached",
      "Phone 1 warning",
      "Portal 1 due soon",
    ]);
  });

  it("reassigns through the outbox and confirms it was queued", async () => {
    const calls = serveCommands({ reassign: () => null });
    const onreassigned = vi.fn();
    render(BreachBoard, { board: BOARD, agents: AGENTS, now: NOW, onreassigned });

    const select = within(boardRowOf(10001)).getByTestId("reassign-select") as HTMLSelectElement;
    expect(select.getAttribute("aria-label")).toBe("Reassign ticket #10001");
    const options = Array.from(select.options, (o) => [o.value, o.text.trim(), o.disabled]);
    expect(options).toEqual([
      ["", "Reassign…", false],
      ["none", "Unassigned", false],
      ["8", "Boris Lee", false],
      ["7", "Dana Ortiz", true],
      ["3", "Lena Park", false],
    ]);

    await fireEvent.change(select, { target: { value: "8" } });
    expect(callsTo(calls, "reassign")).toEqual([{ ticket: 10001, assignee: 8 }]);
    const status = within(boardRowOf(10001)).getByTestId("reassign-status");
    await waitFor(() => expect(status.textContent?.trim()).toBe("Queued"));
    expect(status.dataset.state).toBe("queued");
    expect(select.value).toBe("");
    expect(onreassigned).toHaveBeenCalledWith(10001, 8);
  });

  it("gives a ticket to nobody with Unassigned", async () => {
    const calls = serveCommands({ reassign: () => null });
    render(BreachBoard, { board: BOARD, agents: AGENTS, now: NOW });
    const select = within(boardRowOf(10004)).getByTestId("reassign-select");
    await fireEvent.change(select, { target: { value: "none" } });
    expect(callsTo(calls, "reassign")).toEqual([{ ticket: 10004, assignee: null }]);

    const unassigned = within(boardRowOf(10002)).getByTestId("reassign-select") as HTMLSelectElement;
    expect(Array.from(unassigned.options).find((o) => o.value === "none")?.disabled).toBe(true);
  });

  it("says inline why a reassignment failed", async () => {
    serveCommands({
      reassign: () => {
        throw { code: "outbox.unknown_ticket", message: "ticket 10002 is not in the cache" };
      },
    });
    const onreassigned = vi.fn();
    render(BreachBoard, { board: BOARD, agents: AGENTS, now: NOW, onreassigned });
    await fireEvent.change(within(boardRowOf(10002)).getByTestId("reassign-select"), {
      target: { value: "7" },
    });

    const error = await screen.findByTestId("reassign-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.dataset.ticket).toBe("10002");
    expect(error.textContent?.trim()).toBe("Not reassigned: ticket 10002 is not in the cache");
    expect(within(boardRowOf(10002)).getByTestId("reassign-status").textContent?.trim()).toBe("");
    expect(onreassigned).not.toHaveBeenCalled();
  });

  it("opens a ticket from its row or its number, not from the select", async () => {
    serveCommands({ reassign: () => null });
    const onopen = vi.fn();
    render(BreachBoard, { board: BOARD, agents: AGENTS, now: NOW, onopen });

    await fireEvent.click(within(boardRowOf(10003)).getByText("Cannot log in after password reset"));
    expect(onopen).toHaveBeenLastCalledWith(10003);

    const open = within(boardRowOf(10001)).getByRole("button", { name: "Open ticket #10001" });
    await fireEvent.click(open);
    expect(onopen).toHaveBeenLastCalledWith(10001);
    expect(onopen).toHaveBeenCalledTimes(2);

    await fireEvent.click(within(boardRowOf(10002)).getByTestId("reassign-select"));
    expect(onopen).toHaveBeenCalledTimes(2);
  });

  it("marks the ticket open in the pane", () => {
    render(BreachBoard, { board: BOARD, agents: AGENTS, now: NOW, opened: 10002 });
    expect(boardRowOf(10002).getAttribute("aria-current")).toBe("true");
    expect(boardRowOf(10001).getAttribute("aria-current")).toBeNull();
  });

  it("names assignees from the board's counts when the team is not known", () => {
    render(BreachBoard, { board: BOARD, agents: [], now: NOW });
    expect(within(boardRowOf(10003)).getByTestId("board-row-assignee").textContent?.trim()).toBe("Boris Lee");
    const select = within(boardRowOf(10003)).getByTestId("reassign-select") as HTMLSelectElement;
    expect(Array.from(select.options, (o) => o.text.trim())).toEqual([
      "Reassign…",
      "Unassigned",
      "Boris Lee",
      "Dana Ortiz",
    ]);
  });

  it("says honestly when there is nothing to watch", () => {
    render(BreachBoard, { board: EMPTY, agents: AGENTS, now: NOW });
    expect(screen.getByTestId("board-empty").textContent).toBe(
      "No breaches, warnings or breaches due in the next hour",
    );
    expect(screen.queryAllByTestId("board-row")).toHaveLength(0);
    expect(screen.queryByTestId("board-section-breached")).toBeNull();
    expect(screen.queryByTestId("board-summary")).toBeNull();
  });

  it("says None in a section with nothing in it", () => {
    render(BreachBoard, { board: { ...BOARD, warning: [] }, agents: AGENTS, now: NOW });
    const warning = screen.getByTestId("board-section-warning");
    expect(within(warning).queryAllByTestId("board-row")).toHaveLength(0);
    expect(within(warning).getByText("None.")).toBeTruthy();
  });

  it("keeps the last board and says a refresh failed", async () => {
    const onrefresh = vi.fn();
    render(BreachBoard, {
      board: BOARD,
      agents: AGENTS,
      now: NOW,
      error: new IpcError("sla.watcher_stopped", "the SLA watcher stopped; restart Shiftdesk"),
      onrefresh,
    });
    expect(screen.getByTestId("board-refresh-error").textContent).toContain(
      "Could not refresh the board: the SLA watcher stopped; restart Shiftdesk",
    );
    expect(screen.getAllByTestId("board-row")).toHaveLength(4);
    await fireEvent.click(screen.getByTestId("board-refresh"));
    expect(onrefresh).toHaveBeenCalledTimes(1);
  });

  it("shows the failure with a retry when no board came yet", async () => {
    const onrefresh = vi.fn();
    render(BreachBoard, {
      board: null,
      now: NOW,
      error: new IpcError("desk.starting", "Shiftdesk is still reading the cache; try again in a moment"),
      onrefresh,
    });
    const error = screen.getByTestId("error-state");
    expect(error.textContent).toContain("desk.starting");
    await fireEvent.click(within(error).getByRole("button", { name: "Try again" }));
    expect(onrefresh).toHaveBeenCalledTimes(1);
  });

  it("puts the assignee, channel and metric on second lines when narrow", () => {
    const restore = pretendWidth(520);
    try {
      render(BreachBoard, { board: BOARD, agents: AGENTS, now: NOW });
      const headers = within(screen.getByTestId("board-section-breached")).getAllByRole("columnheader");
      expect(headers.map((h) => h.textContent)).toEqual(["№", "Subject", "Due", "Reassign"]);
      const row = boardRowOf(10002);
      expect(within(row).getByTestId("board-row-assignee").textContent?.trim()).toBe("Unassigned");
      expect(within(row).getByTestId("board-row-channel").textContent?.trim()).toBe("Email");
      expect(within(row).getByTestId("board-row-metric").textContent?.trim()).toBe("Resolution");
      expect(within(row).getByTestId("board-row-due").textContent?.trim()).toBe("overdue 5 min");
      expect(within(row).getByTestId("reassign-select")).toBeTruthy();
    } finally {
      restore();
    }
  });
});
