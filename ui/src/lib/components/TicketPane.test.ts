import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import TicketPane from "./TicketPane.svelte";
import type { ConversationMessage, QueueRow, SlaReport } from "../bindings";
import { HOUR, MINUTE, NOW, callLog, card, message, metric, preview, reply, row, slaReport } from "../../test/fixtures";
import { callsTo, fakeEvents, serveCommands, type Commands } from "../../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

type Ticket = { row: QueueRow | null; sla: SlaReport | null; messages: ConversationMessage[] };

function backend(tickets: Record<number, Ticket>, extra: Commands = {}) {
  const of = (args: Record<string, unknown>) => tickets[args.ticket as number];
  return serveCommands({
    ...composing,
    ticket_card: (args) => cardOf(of(args)?.row ?? null),
    ticket_sla: (args) => of(args)?.sla ?? null,
    ticket_conversation: (args) => of(args)?.messages ?? [],
    ticket_on_screen: () => null,
    ...extra,
  });
}

/** The card of a ticket the way the cache would give it for `r`. */
function cardOf(r: QueueRow | null) {
  if (r === null) return null;
  return card({
    number: r.number,
    subject: r.subject,
    status: r.status,
    priority: r.priority,
    plan: r.plan,
    channel: r.channel,
    service: { name: r.service_name, stage: r.service_stage },
    customer: { ...card().customer, name: r.customer_name },
  });
}

/** What the composer under the conversation asks for. */
const composing: Commands = {
  ticket_card: () => cardOf(row()),
  ticket_draft: () => null,
  compose_preview: () => preview(),
};

const metricRow = (name: string) => screen.getByTestId(`sla-metric-${name}`);
const text = (element: Element) => (element.textContent ?? "").replace(/\s+/g, " ").trim();

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  vi.mocked(listen).mockReset();
  fakeEvents();
});

describe("TicketPane", () => {
  it("shows the ticket's number, subject, status, priority and priority support", async () => {
    backend({
      10001: {
        row: row({
          number: 10001,
          subject: "VM stuck in provisioning",
          status: "open",
          priority: "urgent",
          plan: "professional",
          channel: "telegram",
        }),
        sla: slaReport(),
        messages: [],
      },
    });
    render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });

    const pane = screen.getByTestId("ticket-pane");
    expect(pane.dataset.ticket).toBe("10001");
    await waitFor(() => expect(screen.getByTestId("ticket-pane-subject").textContent).toBe("VM stuck in provisioning"));
    expect(screen.getByTestId("ticket-pane-number").textContent).toBe("#10001");
    expect(screen.getByTestId("ticket-pane-status").textContent).toBe("Open");
    expect(text(screen.getByTestId("ticket-pane-priority"))).toContain("Urgent");
    expect(text(screen.getByTestId("priority-support"))).toBe("Priority support");
    expect(screen.getByRole("region", { name: "#10001 VM stuck in provisioning" })).toBe(pane);
  });

  it("shows each SLA metric's state in words, its deadline and the time left", async () => {
    backend({
      10001: {
        row: row(),
        sla: {
          first_response: metric({ state: "fulfilled", running: false, left_ms: 20 * MINUTE }),
          next_response: metric({ state: "warning", due_at: NOW + 12 * MINUTE, left_ms: 12 * MINUTE }),
          resolution: metric({ state: "paused", running: false, due_at: NOW + 6 * HOUR, left_ms: 3 * HOUR }),
          next_change_at: null,
        },
        messages: [],
      },
    });
    render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });

    await screen.findByTestId("sla-metric-first_response");
    expect(metricRow("first_response").dataset.state).toBe("fulfilled");
    expect(within(metricRow("first_response")).getByTestId("sla-state").textContent).toBe("Met");
    expect(within(metricRow("first_response")).getByRole("rowheader").textContent).toBe("First response");

    expect(metricRow("next_response").dataset.state).toBe("warning");
    expect(within(metricRow("next_response")).getByTestId("sla-state").textContent).toBe("Warning");
    expect(within(metricRow("next_response")).getByTestId("sla-detail").textContent).toBe("in 12 min");
    expect(within(metricRow("next_response")).getByTestId("sla-due-at").textContent).toMatch(/^Due /);

    expect(within(metricRow("resolution")).getByTestId("sla-state").textContent).toBe("Paused");
    expect(within(metricRow("resolution")).getByTestId("sla-detail").textContent).toBe("3 h left");
  });

  it("counts a running clock down as time passes, and leaves a paused one frozen", async () => {
    backend({
      10001: {
        row: row(),
        sla: slaReport({
          next_response: metric({ state: "warning", due_at: NOW + 2 * MINUTE, left_ms: 2 * MINUTE }),
          resolution: metric({ state: "paused", running: false, left_ms: 40 * MINUTE }),
        }),
        messages: [],
      },
    });
    const view = render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });
    await screen.findByTestId("sla-metric-next_response");
    expect(within(metricRow("next_response")).getByTestId("sla-detail").textContent).toBe("in 2 min");

    await view.rerender({ ticket: 10001, now: NOW + 7 * MINUTE, onclose: () => {} });
    const detail = within(metricRow("next_response")).getByTestId("sla-detail");
    expect(detail.textContent).toBe("overdue 5 min");
    expect(detail.classList.contains("overdue")).toBe(true);
    expect(within(metricRow("resolution")).getByTestId("sla-detail").textContent).toBe("40 min left");
  });

  it("says a breach in words, not only in colour", async () => {
    backend({
      10001: {
        row: row(),
        sla: slaReport({
          first_response: metric({ state: "breached", due_at: NOW - 5 * MINUTE, left_ms: -5 * MINUTE }),
        }),
        messages: [],
      },
    });
    render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });
    await screen.findByTestId("sla-metric-first_response");
    expect(text(metricRow("first_response"))).toContain("Breached");
    expect(text(metricRow("first_response"))).toContain("overdue 5 min");
  });

  it("says a Beta service has no SLA and shows no clocks", async () => {
    backend({
      10001: {
        row: row({ service_stage: "beta", service_name: "Managed Kafka" }),
        sla: slaReport(),
        messages: [],
      },
    });
    render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });
    expect((await screen.findByTestId("sla-none")).textContent).toBe(
      "Beta service: no SLA and no guaranteed answer.",
    );
    expect(screen.getByTestId("ticket-pane-beta").textContent).toBe("Beta");
    expect(screen.queryByTestId("sla-metric-first_response")).toBeNull();
  });

  it("says so when Rust has no SLA clocks for the ticket", async () => {
    backend({ 10001: { row: row(), sla: null, messages: [] } });
    render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });
    expect((await screen.findByTestId("sla-none")).textContent).toBe(
      "Shiftdesk has no SLA clocks for this ticket.",
    );
  });

  it("shows the conversation with each kind of message told apart", async () => {
    backend({
      10001: {
        row: row(),
        sla: slaReport(),
        messages: [
          message({ id: 1, kind: "inbound", author: "Mia Chen", channel: "telegram", body: "Bucket says 403." }),
          message({ id: 2, kind: "internal_note", author: "Dana", body: "Key rotated at 08:10." }),
          callLog(
            { direction: "outbound", duration_secs: 245, outcome: "answered", callback_at: NOW + HOUR },
            { id: 3, body: "Walked through the key rotation." },
          ),
          reply({ state: "delivered" }, { id: 4, channel: "telegram", body: "Fixed." }),
          reply({ state: "failed", reason: "550 mailbox unavailable" }, { id: 5, channel: "email", body: "Details." }),
          reply({ state: "queued" }, { id: -6, body: "Anything else?", outbox: { entry: "e6", state: "queued" } }),
          message({ id: 7, kind: "system_event", author: "", body: "Status changed to Pending" }),
        ],
      },
    });
    render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });

    const items = await screen.findAllByTestId("message");
    expect(items.map((item) => item.dataset.kind)).toEqual([
      "inbound",
      "internal_note",
      "call_log",
      "public_reply",
      "public_reply",
      "public_reply",
      "system_event",
    ]);
    const kinds = items.map((item) => within(item).getByTestId("message-kind").textContent?.trim());
    expect(kinds).toEqual([
      "Customer",
      "Internal note",
      "Call log",
      "Public reply",
      "Public reply",
      "Public reply",
      "System event:",
    ]);

    const [inbound, note, call, delivered, failed, unsent, system] = items as [
      HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement, HTMLElement,
    ];
    expect(text(inbound)).toContain("Mia Chen");
    expect(text(inbound)).toContain("Telegram");
    expect(text(inbound)).toContain("Bucket says 403.");
    expect(within(inbound).queryByTestId("message-delivery")).toBeNull();
    expect(text(note)).toContain("Key rotated at 08:10.");
    expect(text(call)).toContain("Phone");
    expect(text(within(call).getByTestId("message-call"))).toContain("I called · Answered · 4:05");
    expect(within(call).getByTestId("message-callback")).toBeTruthy();

    expect(within(delivered).getByTestId("message-delivery").textContent?.trim()).toBe("Delivered");
    expect(within(failed).getByTestId("message-delivery").textContent?.trim()).toBe("Not delivered");
    expect(text(within(failed).getByTestId("delivery-failure"))).toContain("550 mailbox unavailable");
    expect(within(failed).queryByTestId("message-unsent")).toBeNull();
    expect(within(unsent).getByTestId("message-unsent").textContent?.trim()).toBe("Unsent");
    expect(within(unsent).queryByTestId("delivery-failure")).toBeNull();
    expect(text(system)).toContain("Status changed to Pending");

    for (const item of items) expect(item.querySelector("time")?.getAttribute("datetime")).toBeTruthy();
  });

  it("opens a long thread at its newest messages, the earlier ones a click away", async () => {
    const messages = Array.from({ length: 60 }, (_, i) => message({ id: i + 1, body: `message ${i + 1}` }));
    backend({ 10001: { row: row(), sla: slaReport(), messages } });
    render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });
    await waitFor(() => expect(screen.getAllByTestId("message")).toHaveLength(50));
    expect(screen.getByTestId("conversation").dataset.total).toBe("60");
    expect(text(screen.getAllByTestId("message").at(-1)!)).toContain("message 60");
    await fireEvent.click(screen.getByTestId("show-earlier"));
    expect(screen.getAllByTestId("message")).toHaveLength(60);
    expect(text(screen.getAllByTestId("message")[0]!)).toContain("message 1");
    expect(screen.queryByTestId("show-earlier")).toBeNull();
  });

  it("says when the ticket has no messages yet", async () => {
    backend({ 10001: { row: row(), sla: slaReport(), messages: [] } });
    render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });
    expect((await screen.findByTestId("conversation-empty")).textContent).toBe("No messages yet.");
  });

  it("says when the ticket is not in the local cache", async () => {
    backend({});
    render(TicketPane, { ticket: 10099, now: NOW, onclose: () => {} });
    expect((await screen.findByTestId("ticket-pane-missing")).textContent).toBe(
      "Ticket #10099 is not in the local cache.",
    );
  });

  it("tells the shell which ticket is on screen, and that none is once closed", async () => {
    const calls = backend({
      10001: { row: row({ number: 10001 }), sla: slaReport(), messages: [] },
      10002: { row: row({ number: 10002 }), sla: slaReport(), messages: [] },
    });
    const view = render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });
    await waitFor(() => expect(callsTo(calls, "ticket_on_screen")).toEqual([{ ticket: 10001 }]));

    await view.rerender({ ticket: 10002, now: NOW, onclose: () => {} });
    await waitFor(() =>
      expect(callsTo(calls, "ticket_on_screen")).toEqual([{ ticket: 10001 }, { ticket: 10002 }]),
    );

    view.unmount();
    expect(callsTo(calls, "ticket_on_screen")).toEqual([
      { ticket: 10001 },
      { ticket: 10002 },
      { ticket: null },
    ]);
  });

  it("reads the clocks again when Rust says this ticket's SLA changed", async () => {
    const events = fakeEvents();
    let report = slaReport({ next_response: metric({ state: "ok", due_at: NOW + 40 * MINUTE }) });
    const calls = serveCommands({
      ticket_sla: () => report,
      ticket_conversation: () => [],
      ticket_on_screen: () => null,
      ...composing,
    });
    render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });
    await screen.findByTestId("sla-metric-next_response");
    await waitFor(() => expect(events.listening("sla-changed")).toBe(1));

    events.emit("sla-changed", { tickets: [10077] });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(callsTo(calls, "ticket_sla")).toHaveLength(1);

    report = slaReport({ next_response: metric({ state: "breached", due_at: NOW - MINUTE }) });
    events.emit("sla-changed", { tickets: [10077, 10001] });
    await waitFor(() => expect(metricRow("next_response").dataset.state).toBe("breached"));
    expect(callsTo(calls, "ticket_sla")).toHaveLength(2);

    events.emit("sla-changed", { tickets: [] });
    await waitFor(() => expect(callsTo(calls, "ticket_sla")).toHaveLength(3));
  });

  it("stops listening when closed", async () => {
    const events = fakeEvents();
    backend({ 10001: { row: row(), sla: slaReport(), messages: [] } });
    const view = render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });
    await waitFor(() => expect(events.listening("sla-changed")).toBe(1));
    view.unmount();
    expect(events.listening("sla-changed")).toBe(0);
  });

  it("shows a failure to read the ticket with a retry", async () => {
    let fail = true;
    serveCommands({
      ...composing,
      ticket_card: () => {
        if (fail) throw { code: "cache.unavailable", message: "disk I/O error" };
        return cardOf(row({ subject: "Back again" }));
      },
      ticket_sla: () => slaReport(),
      ticket_conversation: () => [],
      ticket_on_screen: () => null,
    });
    render(TicketPane, { ticket: 10001, now: NOW, onclose: () => {} });
    const error = await screen.findByTestId("error-state");
    expect(error.textContent).toContain("cache.unavailable");

    fail = false;
    await fireEvent.click(within(error).getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(screen.getByTestId("ticket-pane-subject").textContent).toBe("Back again"));
    expect(screen.queryByTestId("error-state")).toBeNull();
  });

  it("closes from its close button, and takes the focus when opened", async () => {
    backend({ 10001: { row: row(), sla: slaReport(), messages: [] } });
    const onclose = vi.fn();
    render(TicketPane, { ticket: 10001, now: NOW, onclose });
    await waitFor(() => expect(document.activeElement?.id).toBe("ticket-pane-title"));
    await fireEvent.click(screen.getByTestId("ticket-pane-close"));
    expect(onclose).toHaveBeenCalledTimes(1);
    expect(screen.getByTestId("ticket-pane-close").getAttribute("aria-label")).toBe(
      "Close the ticket (Escape)",
    );
  });
});
