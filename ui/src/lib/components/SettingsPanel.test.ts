import { beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { invoke } from "@tauri-apps/api/core";
import SettingsPanel from "./SettingsPanel.svelte";
import type { AccountState, AlertSettings } from "../bindings";
import { callsTo, serveCommands } from "../../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const SAVED: AlertSettings = { warning: true, breached: true, sound: false, quiet_while_open: true };

const DANA: AccountState = {
  state: "signed_in",
  account: { server: "https://desk.example.com/", agent: 7, agent_name: "Dana", token_file: null },
  kept: "The token is kept in the system keyring",
  memory_only: false,
};

const box = (key: string) => screen.getByTestId(`setting-${key}`) as HTMLInputElement;

beforeEach(() => {
  vi.mocked(invoke).mockReset();
});

describe("SettingsPanel", () => {
  it("opens from a gear button with an accessible name and shows the saved settings", async () => {
    serveCommands({ alert_settings: () => SAVED });
    render(SettingsPanel);

    const button = screen.getByRole("button", { name: "Settings" });
    expect(button.dataset.testid).toBe("settings-button");
    expect(button.getAttribute("aria-expanded")).toBe("false");
    expect(screen.queryByTestId("settings-dialog")).toBeNull();

    await fireEvent.click(button);
    const dialog = screen.getByRole("dialog", { name: "Settings" });
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
    render(SettingsPanel);
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
    render(SettingsPanel);
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
    render(SettingsPanel);
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
    render(SettingsPanel);
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
    render(SettingsPanel);
    await fireEvent.click(screen.getByTestId("settings-button"));
    await fireEvent.pointerDown(document.body);
    expect(screen.queryByTestId("settings-dialog")).toBeNull();
  });

  it("switches the language at once, labelled and saved, without closing", async () => {
    const calls = serveCommands({ alert_settings: () => SAVED, set_ui_preferences: () => null });
    render(SettingsPanel);
    await fireEvent.click(screen.getByTestId("settings-button"));
    await waitFor(() => expect(box("warning").disabled).toBe(false));

    const language = screen.getByLabelText("Language") as HTMLSelectElement;
    expect(language.value).toBe("system");
    expect(language.selectedOptions[0]?.textContent).toBe("System (English)");
    expect([...language.options].map((option) => option.textContent)).toEqual([
      "System (English)",
      "English",
      "Русский",
    ]);

    await fireEvent.change(language, { target: { value: "ru" } });
    await waitFor(() =>
      expect(callsTo(calls, "set_ui_preferences")).toEqual([{ preferences: { language: "ru", theme: null } }]),
    );
    expect(screen.getByRole("dialog", { name: "Настройки" })).toBeTruthy();
    expect(screen.getByLabelText("Предупреждать до нарушения SLA")).toBe(box("warning"));
    expect(screen.getByRole("button", { name: "Настройки" }).getAttribute("aria-expanded")).toBe("true");
    const inRussian = screen.getByLabelText("Язык") as HTMLSelectElement;
    expect(inRussian.value).toBe("ru");
    expect(inRussian.options[0]?.textContent).toBe("Как в системе (English)");
    expect(document.documentElement.lang).toBe("ru");
  });

  it("applies the theme to the whole window, and back to the desktop's", async () => {
    const calls = serveCommands({ alert_settings: () => SAVED, set_ui_preferences: () => null });
    render(SettingsPanel);
    await fireEvent.click(screen.getByTestId("settings-button"));
    const theme = screen.getByLabelText("Theme") as HTMLSelectElement;
    expect([...theme.options].map((option) => option.textContent)).toEqual(["System", "Light", "Dark"]);

    await fireEvent.change(theme, { target: { value: "dark" } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe("dark"));
    await fireEvent.change(theme, { target: { value: "system" } });
    await waitFor(() => expect(document.documentElement.dataset.theme).toBeUndefined());
    expect(callsTo(calls, "set_ui_preferences")).toEqual([
      { preferences: { language: null, theme: "dark" } },
      { preferences: { language: null, theme: null } },
    ]);
  });

  it("offers language and theme even when the notification settings cannot be read, and says why a choice was not saved", async () => {
    serveCommands({
      alert_settings: () => {
        throw { code: "desk.starting", message: "Shiftdesk is still reading the cache" };
      },
      set_ui_preferences: () => {
        throw { code: "cache.unavailable", message: "the ticket cache cannot be opened" };
      },
    });
    render(SettingsPanel);
    await fireEvent.click(screen.getByTestId("settings-button"));
    await screen.findByTestId("settings-error");

    const language = screen.getByLabelText("Language") as HTMLSelectElement;
    expect(language.disabled).toBe(false);
    await fireEvent.change(language, { target: { value: "ru" } });
    const error = await screen.findByTestId("appearance-error");
    expect(error.getAttribute("role")).toBe("alert");
    expect(error.textContent).toContain("Not saved: the ticket cache cannot be opened");
    expect(language.value).toBe("system");
    expect(document.documentElement.lang).toBe("en");
  });

  it("keeps the focus on a select while its choice is saved, and undoes a second choice made meanwhile", async () => {
    let saved: () => void = () => {};
    const calls = serveCommands({
      alert_settings: () => SAVED,
      set_ui_preferences: () => new Promise<null>((resolve) => (saved = () => resolve(null))),
    });
    render(SettingsPanel);
    await fireEvent.click(screen.getByTestId("settings-button"));
    const language = screen.getByTestId("setting-language") as HTMLSelectElement;
    const theme = screen.getByTestId("setting-theme") as HTMLSelectElement;
    await waitFor(() => expect(document.activeElement).toBe(box("warning")));

    language.focus();
    await fireEvent.change(language, { target: { value: "ru" } });
    await waitFor(() => expect(callsTo(calls, "set_ui_preferences")).toHaveLength(1));
    expect(document.activeElement).toBe(language);
    expect(language.disabled).toBe(false);

    await fireEvent.change(theme, { target: { value: "dark" } });
    expect(theme.value).toBe("system");
    saved();
    await waitFor(() => expect(screen.getByRole("status").textContent?.trim()).toBe(""));
    expect(callsTo(calls, "set_ui_preferences")).toEqual([{ preferences: { language: "ru", theme: null } }]);
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(document.activeElement).toBe(language);
  });

  it("shows who is signed in, where the token is, and signs out from a dialog that gives the focus back", async () => {
    serveCommands({ alert_settings: () => SAVED, account_state: () => DANA, outbox_items: () => [] });
    render(SettingsPanel);
    await fireEvent.click(screen.getByTestId("settings-button"));

    const account = await screen.findByRole("region", { name: "Account" });
    await waitFor(() => expect(account.textContent).toContain("Signed in as Dana"));
    expect(account.textContent).toContain("Server: https://desk.example.com/");
    const kept = screen.getByTestId("settings-kept");
    expect(kept.textContent).toContain("The token is kept in the system keyring");
    expect(kept.classList.contains("memory")).toBe(false);

    const signOut = screen.getByTestId("settings-sign-out");
    expect(signOut.textContent?.trim()).toBe("Sign out…");
    await fireEvent.click(signOut);
    const dialog = screen.getByTestId("signout-dialog");
    await screen.findByTestId("signout-confirm");

    const escape = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    dialog.dispatchEvent(escape);
    await waitFor(() => expect(screen.queryByTestId("signout-dialog")).toBeNull());
    expect(screen.getByTestId("settings-dialog")).toBeTruthy();
    expect(document.activeElement).toBe(signOut);
  });

  it("makes a token kept in memory only stand out", async () => {
    serveCommands({
      alert_settings: () => SAVED,
      account_state: () => ({ ...DANA, kept: "The token is kept in memory until Shiftdesk closes", memory_only: true }),
    });
    render(SettingsPanel);
    await fireEvent.click(screen.getByTestId("settings-button"));
    const kept = await screen.findByTestId("settings-kept");
    await waitFor(() => expect(kept.classList.contains("memory")).toBe(true));
    expect(kept.textContent).toContain("The token is kept in memory until Shiftdesk closes");
    expect(kept.textContent).toContain("You will have to sign in again the next time Shiftdesk starts.");
  });
});
