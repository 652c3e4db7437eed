import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import NotificationSettings from "./NotificationSettings.svelte";
import type { AlertSettings } from "../bindings";
import { callsTo, serveCommands } from "../../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const SAVED: AlertSettings = { warning: true, breached: true, sound: false, quiet_while_open: true };

const box = (key: string) => screen.getByTestId(`setting-${key}`) as HTMLInputElement;

beforeEach(() => {
  vi.mocked(invoke).mockReset();
});

describe("NotificationSettings", () => {
  it("opens from a gear button with an accessible name and shows the saved settings", async () => {
    serveCommands({ alert_settings: () => SAVED });
    render(NotificationSettings);

    const button = screen.getByRole("button", { name: "Notification settings" });
    expect(button.dataset.testid).toBe("settings-button");
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByTestId("settings-dialog")).toBeNull();

    await fireEvent.click(button);
    const dialog = screen.getByRole("dialog", { name: "Notifications" });
    expect(dialog.dataset.testid).toBe("settings-dialog");
    expect(button.getAttribute("aria-expanded")).toBe("true");
    await waitFor(() => expect(box("warning").disabled).toBe(false));

    expect(screen.getByLabelText("Warn me before a breach")).toBe(box("warning"));
    expect(screen.getByLabelText("Notify me of a breach")).toBe(box("breached"));
    expect(screen.getByLabelText("Play a sound")).toBe(box("sound"));
    expect(screen.getByLabelText("Stay quiet about the ticket on screen")).toBe(box("quiet_while_open"));
    expect([box("warning"), box("breached"), box("sound"), box("quiet_while_open")].map((b) => b.checked)).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(document.activeElement).toBe(box("warning"));
  });

  it("saves each change at once with all four settings", async () => {
    const calls = serveCommands({ alert_settings: () => SAVED, set_alert_settings: () => null });
    render(NotificationSettings);
    await fireEvent.click(screen.getByTestId("settings-button"));
    await waitFor(() => expect(box("sound").disabled).toBe(false));

    await fireEvent.click(box("sound"));
    await waitFor(() =>
      expect(callsTo(calls, "set_alert_settings")).toEqual([{ settings: { ...SAVED, sound: true } }]),
    );
    await waitFor(() => expect(screen.getByRole("status").textContent?.trim()).toBe(""));

    await fireEvent.click(box("warning"));
    await waitFor(() =>
      expect(callsTo(calls, "set_alert_settings")).toEqual([
        { settings: { ...SAVED, sound: true } },
        { settings: { ...SAVED, sound: true, warning: false } },
      ]),
    );
    expect(box("sound").checked).toBe(true);
    expect(box("warning").checked).toBe(false);
    expect(screen.queryByTestId("settings-error")).toBeNull();
  });

  it("puts the box back and says why when saving fails", async () => {
    serveCommands({
      alert_settings: () => SAVED,
      set_alert_settings: () => {
        throw { code: "sla.watcher_stopped", message: "the SLA watcher stopped; restart Shiftdesk" };
      },
    });
    render(NotificationSettings);
    await fireEvent.click(screen.getByTestId("settings-button"));
    await waitFor(() => expect(box("breached").disabled).toBe(false));

    await fireEvent.click(box("breached"));
    const error = await screen.findByTestId("settings-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toContain("Not saved: the SLA watcher stopped; restart Shiftdesk");
    expect(error.textContent).toContain("sla.watcher_stopped");
    expect(box("breached").checked).toBe(true);
  });

  it("says why the settings could not be read, and tries again", async () => {
    let starting = true;
    serveCommands({
      alert_settings: () => {
        if (starting) throw { code: "desk.starting", message: "Shiftdesk is still reading the cache" };
        return SAVED;
      },
    });
    render(NotificationSettings);
    await fireEvent.click(screen.getByTestId("settings-button"));
    expect((await screen.findByTestId("settings-error")).textContent).toContain(
      "Settings not available: Shiftdesk is still reading the cache",
    );

    starting = false;
    await fireEvent.click(screen.getByRole("button", { name: "Try again" }));
    await waitFor(() => expect(box("warning").checked).toBe(true));
    expect(screen.queryByTestId("settings-error")).toBeNull();
  });

  it("closes with Escape and gives the focus back to the gear", async () => {
    serveCommands({ alert_settings: () => SAVED });
    render(NotificationSettings);
    const button = screen.getByTestId("settings-button");
    await fireEvent.click(button);
    await waitFor(() => expect(document.activeElement).toBe(box("warning")));

    const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    box("warning").dispatchEvent(escape);
    await waitFor(() => expect(screen.queryByTestId("settings-dialog")).toBeNull());
    expect(escape.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(button);
    expect(button.getAttribute("aria-expanded")).toBe("false");
  });

  it("closes on a click elsewhere", async () => {
    serveCommands({ alert_settings: () => SAVED });
    render(NotificationSettings);
    await fireEvent.click(screen.getByTestId("settings-button"));
    await fireEvent.pointerDown(document.body);
    expect(screen.queryByTestId("settings-dialog")).toBeNull();
  });
});
