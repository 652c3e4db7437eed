import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import axe from "axe-core";
import SignOutDialog from "./SignOutDialog.svelte";
import type { OutboxItem, SignedOut, SyncStatus } from "../bindings";
import { NOW } from "../../test/fixtures";
import { callsTo, serveCommands } from "../../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const OUT: SignedOut = { last: null, reason: "signed_out", unsent: 0, exported: null };
const LONG_REPLY =
  "We restarted the storage node that served your bucket, and the 403 answers stopped at 09:12; please try the upload again and tell us.";

function entry(overrides: Partial<OutboxItem>): OutboxItem {
  return {
    id: "e1",
    ticket: 10001,
    mutation: { type: "reply", channel: "telegram", body: LONG_REPLY, attachments: [] },
    state: "queued",
    review: null,
    attempts: 0,
    created_at: NOW,
    ...overrides,
  };
}

const TWO: OutboxItem[] = [
  entry({ id: "reply" }),
  entry({ id: "status", ticket: 10002, mutation: { type: "set_status", status: "solved" } }),
];

function sync(overrides: Partial<SyncStatus>): SyncStatus {
  return {
    connectivity: "online",
    last_good_sync: NOW,
    pending: 0,
    needs_agent: 0,
    next_retry: null,
    problem: null,
    token_refused: null,
    ...overrides,
  };
}

const button = (id: string) => screen.getByTestId(`signout-${id}`) as HTMLButtonElement;

beforeEach(() => {
  vi.mocked(invoke).mockReset();
});

afterEach(() => {
  vi.useRealTimers();
});

describe("SignOutDialog", () => {
  it("is a labelled modal that signs out at once when nothing is waiting", async () => {
    const calls = serveCommands({ outbox_items: () => [], sign_out: () => new Promise(() => {}) });
    render(SignOutDialog, { onclose: vi.fn() });
    const dialog = screen.getByRole("dialog", { name: "Sign out" });
    expect(dialog.dataset.testid).toBe("signout-dialog");
    expect(dialog.getAttribute("aria-modal")).toBe("true");
    await waitFor(() => expect(document.activeElement?.textContent?.trim()).toBe("Cancel"));

    expect(await screen.findByText("Nothing is waiting to be sent.")).toBeTruthy();
    expect(screen.queryByTestId("signout-send")).toBeNull();
    await fireEvent.click(button("confirm"));
    await waitFor(() => expect(callsTo(calls, "sign_out")).toEqual([{ unsent: "none_left" }]));
    await waitFor(() => expect(button("confirm").disabled).toBe(true));
    expect(within(dialog).getByText("Signing out…")).toBeTruthy();
  });

  it("lists what is unsent and discards it only once the agent ticked that it will be lost", async () => {
    const calls = serveCommands({ outbox_items: () => TWO, sign_out: () => OUT });
    render(SignOutDialog, { onclose: vi.fn() });

    const count = await screen.findByTestId("signout-unsent-count");
    expect(count.textContent?.trim()).toBe("2 changes have not reached the server yet.");
    const listed = screen.getAllByTestId("signout-unsent-item").map((item) => item.textContent?.replace(/\s+/g, " ").trim());
    expect(listed).toEqual([`#10001 ${[...LONG_REPLY].slice(0, 80).join("")}…`, "#10002 Status → Solved"]);

    const discard = button("discard");
    expect(discard.disabled).toBe(true);
    const understood = screen.getByLabelText("I understand these 2 changes will be lost") as HTMLInputElement;
    expect(understood).toBe(screen.getByTestId("signout-discard-confirm"));
    await fireEvent.click(discard);
    expect(callsTo(calls, "sign_out")).toEqual([]);

    await fireEvent.click(understood);
    expect(discard.disabled).toBe(false);
    await fireEvent.click(discard);
    await waitFor(() => expect(callsTo(calls, "sign_out")).toEqual([{ unsent: "discard" }]));
  });

  it("passes axe with the choices on screen", async () => {
    serveCommands({ outbox_items: () => TWO });
    render(SignOutDialog, { onclose: vi.fn() });
    await screen.findByTestId("signout-unsent-count");
    // jsdom lays nothing out: contrast is checked on the real window.
    const results = await axe.run(document.body, { rules: { "color-contrast": { enabled: false } } });
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
  });

  it("saves the unsent entries to a file and signs out", async () => {
    const calls = serveCommands({ outbox_items: () => TWO, sign_out: () => OUT });
    render(SignOutDialog, { onclose: vi.fn() });
    await fireEvent.click(await screen.findByTestId("signout-export"));
    await waitFor(() => expect(callsTo(calls, "sign_out")).toEqual([{ unsent: "export" }]));
  });

  it("sends the outbox first, then signs out with nothing left", async () => {
    const answers = [sync({ pending: 2 }), sync({ pending: 1 }), sync({ pending: 0 })];
    const calls = serveCommands({
      outbox_items: () => TWO,
      sync_status: () => answers.shift() ?? sync({}),
      sign_out: () => OUT,
    });
    vi.useFakeTimers();
    render(SignOutDialog, { onclose: vi.fn() });
    await vi.waitFor(() => screen.getByTestId("signout-send"));

    await fireEvent.click(button("send"));
    await vi.waitFor(() => expect(screen.getByTestId("signout-send-note").textContent?.trim()).toBe("Sending 2…"));
    expect(button("send").disabled).toBe(true);
    expect(button("export").disabled).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(screen.getByTestId("signout-send-note").textContent?.trim()).toBe("Sending 1…");
    expect(callsTo(calls, "sign_out")).toEqual([]);
    await vi.advanceTimersByTimeAsync(500);
    await vi.waitFor(() => expect(callsTo(calls, "sign_out")).toEqual([{ unsent: "none_left" }]));
  });

  it("does not offer to send entries that wait for the agent", async () => {
    serveCommands({ outbox_items: () => [...TWO, entry({ id: "held", state: "needs_review", review: { reason: "written_since" } })] });
    render(SignOutDialog, { onclose: vi.fn() });
    await screen.findByTestId("signout-send");
    expect(button("send").disabled).toBe(true);
    expect(screen.getByTestId("signout-send-note").textContent).toContain(
      "1 change cannot be sent as it is: the server refused it or it waits for you. Save it to a file or discard it.",
    );
    expect(button("export").disabled).toBe(false);
  });

  it("stops sending when the server refuses the token, or has not answered for 30 s", async () => {
    let status = sync({ pending: 2, token_refused: "auth.token_expired" });
    const calls = serveCommands({ outbox_items: () => TWO, sync_status: () => status, sign_out: () => OUT });
    vi.useFakeTimers();
    render(SignOutDialog, { onclose: vi.fn() });
    await vi.waitFor(() => screen.getByTestId("signout-send"));

    await fireEvent.click(button("send"));
    await vi.waitFor(() =>
      expect(screen.getByTestId("signout-send-note").textContent).toContain(
        "Shiftdesk cannot send now: the server no longer accepts this device's sign-in.",
      ),
    );
    expect(button("send").disabled).toBe(false);

    status = sync({ pending: 2, connectivity: "offline" });
    await fireEvent.click(button("send"));
    await vi.advanceTimersByTimeAsync(29_000);
    expect(screen.getByTestId("signout-send-note").textContent?.trim()).toBe("Sending 2…");
    await vi.advanceTimersByTimeAsync(1_500);
    expect(screen.getByTestId("signout-send-note").textContent?.trim()).toBe(
      "Shiftdesk cannot send now: the server has not answered for 30 seconds.",
    );
    expect(callsTo(calls, "sign_out")).toEqual([]);
  });

  it("says why it did not sign out, and shows what was queued meanwhile", async () => {
    let queued: OutboxItem[] = [];
    serveCommands({
      outbox_items: () => queued,
      sign_out: () => {
        queued = TWO;
        throw { code: "account.unsent", message: "2 outbox entries are not sent yet" };
      },
    });
    render(SignOutDialog, { onclose: vi.fn() });
    await fireEvent.click(await screen.findByTestId("signout-confirm"));

    const error = await screen.findByTestId("signout-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toContain("Not signed out: 2 outbox entries are not sent yet");
    expect((await screen.findByTestId("signout-unsent-count")).textContent).toContain("2 changes");
  });

  it("closes with Escape, and keeps Tab inside", async () => {
    serveCommands({ outbox_items: () => [] });
    const onclose = vi.fn();
    render(SignOutDialog, { onclose });
    const confirm = await screen.findByTestId("signout-confirm");
    const cancel = screen.getByRole("button", { name: "Cancel" });
    await waitFor(() => expect(document.activeElement).toBe(cancel));

    const tab = new KeyboardEvent("keydown", { key: "Tab", bubbles: true, cancelable: true });
    cancel.dispatchEvent(tab);
    expect(tab.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(confirm);

    const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    confirm.dispatchEvent(escape);
    expect(escape.defaultPrevented).toBe(true);
    expect(onclose).toHaveBeenCalledOnce();
  });
});
