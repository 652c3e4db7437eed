import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, within } from "@testing-library/svelte";
import QueueTable from "./QueueTable.svelte";
import { HOUR, MINUTE, NOW, row } from "../../test/fixtures";
import { pretendWidth } from "../../test/resize";

const rows = [
  row({
    number: 10001,
    subject: "VM stuck in provisioning",
    customer_name: "Contoso Cloud",
    channel: "telegram",
    status: "new",
    priority: "urgent",
    plan: "professional",
    service_name: "Compute",
    sla_due_at: NOW - 3 * HOUR,
  }),
  row({
    number: 10002,
    subject: "Question about managed Kafka quotas",
    customer_name: "Fabrikam",
    channel: "email",
    status: "pending",
    priority: "low",
    plan: "standard",
    service_name: "Managed Kafka",
    service_stage: "beta",
    sla_due_at: null,
  }),
  row({ number: 10003, subject: "Invoice shows double charge", sla_due_at: NOW + 42 * MINUTE }),
];

function cells(number: number): string[] {
  const tr = screen.getAllByTestId("queue-row").find((r) => r.dataset.number === String(number));
  if (tr === undefined) throw new Error(`no row ${number}`);
  return Array.from(tr.children, (cell) => (cell.textContent ?? "").replace(/\s+/g, " ").trim());
}

describe("QueueTable", () => {
  it("shows one row per ticket with its cells", () => {
    render(QueueTable, { rows, now: NOW, view: "mine_open" });

    expect(screen.getByTestId("queue-table")).toBeTruthy();
    const shown = screen.getAllByTestId("queue-row");
    expect(shown.map((r) => r.dataset.number)).toEqual(["10001", "10002", "10003"]);

    const headers = within(screen.getByTestId("queue-table")).getAllByRole("columnheader");
    expect(headers.map((h) => h.textContent)).toEqual([
      "№",
      "Subject",
      "Customer",
      "Channel",
      "Status",
      "Priority",
      "SLA due",
    ]);

    expect(cells(10001)).toEqual([
      "#10001",
      "VM stuck in provisioning Compute",
      "Contoso Cloud Priority support",
      "Telegram",
      "New",
      "Urgent",
      "overdue 3 h",
    ]);
    expect(cells(10003)[6]).toBe("in 42 min");
  });

  it("marks Professional plan rows with priority support, and only those", () => {
    render(QueueTable, { rows, now: NOW, view: "mine_open" });
    const markers = screen.getAllByTestId("priority-support");
    expect(markers).toHaveLength(1);
    expect(markers[0]?.textContent?.trim()).toBe("Priority support");
    expect(markers[0]?.closest("tr")?.dataset.number).toBe("10001");
  });

  it("says no SLA for a Beta service", () => {
    render(QueueTable, { rows, now: NOW, view: "mine_open" });
    expect(cells(10002)).toEqual([
      "#10002",
      "Question about managed Kafka quotas Managed Kafka Beta",
      "Fabrikam",
      "Email",
      "Pending",
      "Low",
      "no SLA",
    ]);
  });

  it("names the channel in text, the icon being decoration", () => {
    render(QueueTable, { rows, now: NOW, view: "team" });
    const channel = within(screen.getAllByTestId("queue-row")[1]!).getByText("Email");
    const icon = channel.parentElement?.querySelector("svg");
    expect(icon?.getAttribute("aria-hidden")).toBe("true");
  });

  it("moves the selection with j and k and focuses the row", async () => {
    render(QueueTable, { rows, now: NOW, view: "mine_open" });
    const [first, second] = screen.getAllByTestId("queue-row");

    // Before any selection the first row is the tab stop.
    expect(first?.tabIndex).toBe(0);
    expect(second?.tabIndex).toBe(-1);

    await fireEvent.keyDown(window, { key: "j" });
    expect(first?.getAttribute("aria-current")).toBe("true");
    expect(document.activeElement).toBe(first);

    await fireEvent.keyDown(document.activeElement!, { key: "j" });
    expect(second?.getAttribute("aria-current")).toBe("true");
    expect(first?.getAttribute("aria-current")).toBeNull();
    expect(second?.tabIndex).toBe(0);
    expect(document.activeElement).toBe(second);

    await fireEvent.keyDown(document.activeElement!, { key: "k" });
    expect(document.activeElement).toBe(first);
  });

  it("ignores j and k while the user types", async () => {
    render(QueueTable, { rows, now: NOW, view: "mine_open" });
    const input = document.createElement("input");
    document.body.append(input);
    input.focus();
    await fireEvent.keyDown(input, { key: "j" });
    expect(document.activeElement).toBe(input);
    input.remove();
  });

  it("asks for the next page when j goes past the last loaded row", async () => {
    const onloadmore = vi.fn();
    render(QueueTable, { rows, now: NOW, view: "team", done: false, onloadmore, selected: 10003 });
    await fireEvent.keyDown(window, { key: "j" });
    expect(onloadmore).toHaveBeenCalledTimes(1);
    expect(document.activeElement?.getAttribute("data-number")).toBe("10003");
  });

  it("offers a Load more button while pages remain", async () => {
    const onloadmore = vi.fn();
    render(QueueTable, { rows, now: NOW, view: "team", done: false, total: 120, onloadmore });
    expect(screen.getByText("Showing 3 of 120")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Load more" }));
    expect(onloadmore).toHaveBeenCalledTimes(1);
  });

  it("says so when the view is empty", () => {
    render(QueueTable, { rows: [], now: NOW, view: "waiting_on_customer" });
    expect(screen.getByText("No tickets in this view.")).toBeTruthy();
    expect(screen.queryAllByTestId("queue-row")).toHaveLength(0);
  });

  it("opens the selected ticket with Enter, and any ticket with a click", async () => {
    const onopen = vi.fn();
    render(QueueTable, { rows, now: NOW, view: "mine_open", onopen });
    const [first, , third] = screen.getAllByTestId("queue-row");

    await fireEvent.keyDown(window, { key: "Enter" });
    expect(onopen).not.toHaveBeenCalled();

    first!.focus();
    await fireEvent.keyDown(first!, { key: "Enter" });
    expect(onopen).toHaveBeenLastCalledWith(10001);

    await fireEvent.click(within(third!).getByText("Invoice shows double charge"));
    expect(onopen).toHaveBeenLastCalledWith(10003);
    expect(third!.getAttribute("aria-current")).toBe("true");
  });

  it("marks the ticket shown in the pane", () => {
    render(QueueTable, { rows, now: NOW, view: "mine_open", opened: 10002 });
    const opened = screen.getAllByTestId("queue-row").filter((r) => r.dataset.opened === "true");
    expect(opened.map((r) => r.dataset.number)).toEqual(["10002"]);
  });

  it("keeps the subject and the SLA column when narrow beside the pane", async () => {
    const restore = pretendWidth(520);
    try {
      render(QueueTable, { rows, now: NOW, view: "mine_open" });
      const headers = within(screen.getByTestId("queue-table")).getAllByRole("columnheader");
      expect(headers.map((h) => h.textContent)).toEqual(["№", "Subject", "SLA due"]);
      expect(cells(10001)).toEqual(["#10001", "VM stuck in provisioning Compute Priority support", "overdue 3 h"]);
    } finally {
      restore();
    }
  });

  it("spans its spacer rows over the columns shown, so no empty column takes the subject's width", () => {
    const restore = pretendWidth(400);
    try {
      const many = Array.from({ length: 500 }, (_, i) => row({ number: 30_000 + i }));
      render(QueueTable, { rows: many, now: NOW, view: "team" });
      const table = screen.getByTestId("queue-table");
      const spans = Array.from(table.querySelectorAll("tr.spacer td"), (td) => (td as HTMLTableCellElement).colSpan);
      expect(spans.length).toBeGreaterThan(0);
      expect(spans.every((span) => span === 3)).toBe(true);
      expect(table.querySelectorAll("col")).toHaveLength(3);
    } finally {
      restore();
    }
  });
});

describe("QueueTable with many rows", () => {
  const many = Array.from({ length: 10_000 }, (_, i) => row({ number: 20_000 + i, subject: `Ticket ${i}` }));

  function pretendHeight(height: number): () => void {
    const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientHeight");
    Object.defineProperty(HTMLElement.prototype, "clientHeight", { configurable: true, get: () => height });
    const restoreWidth = pretendWidth(1200);
    return () => {
      restoreWidth();
      if (original) Object.defineProperty(HTMLElement.prototype, "clientHeight", original);
    };
  }

  const shown = () => screen.getAllByTestId("queue-row");

  it("renders only the rows in view, and tells screen readers how many there are", () => {
    const restore = pretendHeight(720);
    try {
      render(QueueTable, { rows: many, now: NOW, view: "team", total: 10_000 });
      const rendered = shown();
      expect(rendered.length).toBeGreaterThan(20);
      expect(rendered.length).toBeLessThan(40);
      expect(rendered[0]?.dataset.number).toBe("20000");
      expect(rendered[0]?.getAttribute("aria-rowindex")).toBe("2");
      expect(screen.getByTestId("queue-table").getAttribute("aria-rowcount")).toBe("10001");
    } finally {
      restore();
    }
  });

  it("renders the rows scrolled to, with their place in the whole list", async () => {
    const restore = pretendHeight(720);
    try {
      render(QueueTable, { rows: many, now: NOW, view: "team", total: 10_000 });
      const scroller = screen.getByTestId("queue-table").parentElement!;
      scroller.scrollTop = 5_000 * 36;
      await fireEvent.scroll(scroller);

      const rendered = shown();
      expect(rendered.length).toBeLessThan(50);
      const numbers = rendered.map((r) => Number(r.dataset.number));
      expect(numbers).toContain(25_000);
      expect(numbers).toContain(25_019);
      expect(numbers).not.toContain(20_000);
      const at = rendered.find((r) => r.dataset.number === "25000");
      expect(at?.getAttribute("aria-rowindex")).toBe("5002");
      // Consecutive: no row skipped or doubled inside the window.
      expect(numbers).toEqual(numbers.map((_, i) => numbers[0]! + i));
    } finally {
      restore();
    }
  });

  it("keeps keyboard selection across the window: End reaches the last ticket, k steps back", async () => {
    const restore = pretendHeight(720);
    try {
      render(QueueTable, { rows: many, now: NOW, view: "team", total: 10_000 });
      const [first] = shown();
      first!.focus();
      await fireEvent.keyDown(first!, { key: "End" });
      await vi.waitFor(() => expect(document.activeElement?.getAttribute("data-number")).toBe("29999"));
      expect(document.activeElement?.getAttribute("aria-rowindex")).toBe("10001");
      await fireEvent.keyDown(document.activeElement!, { key: "k" });
      expect(document.activeElement?.getAttribute("data-number")).toBe("29998");
      await fireEvent.keyDown(document.activeElement!, { key: "Home" });
      await vi.waitFor(() => expect(document.activeElement?.getAttribute("data-number")).toBe("20000"));
    } finally {
      restore();
    }
  });
});

describe("QueueTable unread markers", () => {
  it("marks a ticket with unread customer messages in bold with a dot and a label", () => {
    render(QueueTable, {
      rows: [row({ number: 1, unread: true, subject: "Disk full" }), row({ number: 2, subject: "Quota" })],
      now: NOW,
      view: "mine_open",
    });
    const [unread, read] = screen.getAllByTestId("queue-row");
    expect(unread?.dataset.unread).toBe("true");
    expect(unread?.classList.contains("unread")).toBe(true);
    expect(within(unread!).getByTestId("unread-label").textContent).toBe("Unread");
    expect(unread?.querySelector(".unread-dot")?.getAttribute("aria-hidden")).toBe("true");
    expect(read?.dataset.unread).toBeUndefined();
    expect(within(read!).queryByTestId("unread-label")).toBeNull();
  });
});
