import { describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import OutboxTray from "./OutboxTray.svelte";
import type { OutboxItem, Resolution } from "../bindings";
import { NOW } from "../../test/fixtures";

function item(overrides: Partial<OutboxItem>): OutboxItem {
  return {
    id: "e1",
    ticket: 10001,
    mutation: { type: "reply", channel: "telegram", body: "Перезапустили узел.", attachments: [] },
    state: "queued",
    review: null,
    attempts: 0,
    created_at: NOW,
    ...overrides,
  };
}

const items: OutboxItem[] = [
  item({ id: "queued" }),
  item({ id: "held", ticket: 10002, state: "needs_review", review: { reason: "written_since" } }),
  item({
    id: "refused",
    ticket: 10003,
    mutation: { type: "set_status", status: "closed" },
    state: "failed",
    review: {
      reason: "refused",
      problem: {
        type: "urn:shiftdesk:problem:status.illegal_transition",
        title: "The ticket cannot move to that status",
        status: 422,
        detail: "a new ticket cannot be closed",
        code: "status.illegal_transition",
      },
    },
  }),
];

describe("OutboxTray", () => {
  it("says how many entries need the agent and why each waits", async () => {
    render(OutboxTray, { items, onresolve: vi.fn(), onopen: vi.fn() });
    const toggle = screen.getByTestId("outbox-toggle");
    expect(toggle.textContent?.trim()).toBe("Outbox: 2 need you");
    await fireEvent.click(toggle);

    const rows = screen.getAllByTestId("outbox-item");
    expect(rows.map((row) => row.dataset.state)).toEqual(["queued", "needs_review", "failed"]);
    const [queued, held, refused] = rows as [HTMLElement, HTMLElement, HTMLElement];
    expect(within(queued).queryByTestId("outbox-resend")).toBeNull();
    expect(within(held).getByTestId("outbox-reason").textContent).toContain("wrote since");
    expect(within(held).getByTestId("outbox-resend").textContent?.trim()).toBe("Send anyway");
    expect(within(refused).getByTestId("outbox-reason").textContent).toContain("a new ticket cannot be closed");
    expect(within(refused).queryByTestId("outbox-edit")).toBeNull();
  });

  it("edits a held reply and sends it, or discards a refusal", async () => {
    const resolved: [string, Resolution][] = [];
    const onresolve = vi.fn(async (id: string, resolution: Resolution) => {
      resolved.push([id, resolution]);
    });
    render(OutboxTray, { items, onresolve, onopen: vi.fn() });
    await fireEvent.click(screen.getByTestId("outbox-toggle"));
    const [, held, refused] = screen.getAllByTestId("outbox-item") as [HTMLElement, HTMLElement, HTMLElement];

    await fireEvent.click(within(held).getByTestId("outbox-edit"));
    const text = within(held).getByTestId("outbox-edit-text") as HTMLTextAreaElement;
    expect(text.value).toBe("Перезапустили узел.");
    await fireEvent.input(text, { target: { value: "Рады, что заработало!" } });
    await fireEvent.click(within(held).getByTestId("outbox-edit-send"));
    await fireEvent.click(within(refused).getByTestId("outbox-discard"));

    await waitFor(() => expect(resolved).toHaveLength(2));
    expect(resolved).toEqual([
      ["held", { action: "edit", body: "Рады, что заработало!" }],
      ["refused", { action: "discard" }],
    ]);
  });

  it("shows why a decision could not be carried out", async () => {
    const onresolve = vi.fn(async () => {
      throw { code: "outbox.not_settled", message: "outbox entry held is not waiting for the agent" };
    });
    render(OutboxTray, { items, onresolve, onopen: vi.fn() });
    await fireEvent.click(screen.getByTestId("outbox-toggle"));
    const held = screen.getAllByTestId("outbox-item")[1] as HTMLElement;
    await fireEvent.click(within(held).getByTestId("outbox-resend"));
    expect((await within(held).findByRole("alert")).textContent).toContain("not waiting for the agent");
  });
});
