import { beforeEach, describe, expect, it, vi } from "vitest";
import { render, screen } from "@testing-library/svelte";
import { tick } from "svelte";
import { invoke } from "@tauri-apps/api/core";
import ViewTabs from "./components/ViewTabs.svelte";
import { formatDateTime, formatSpan, formatTime } from "./format";
import { en } from "./i18n/en";
import { ru } from "./i18n/ru";
import { languageOf, preferences } from "./preferences.svelte";
import { strings } from "./strings";
import { NOW, MINUTE } from "../test/fixtures";
import { setDesktopLanguage } from "../test/desktop";
import { callsTo, serveCommands } from "../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

beforeEach(() => {
  vi.mocked(invoke).mockReset();
});

/** Every key path of a table, e.g. "queue.columns.subject". */
function keyPaths(table: object, prefix = ""): string[] {
  return Object.entries(table).flatMap(([key, value]) =>
    typeof value === "object" && value !== null
      ? keyPaths(value as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

describe("the window's language", () => {
  it("follows the desktop: Russian for any ru locale, English for every other", () => {
    expect(["ru", "ru-RU", "RU-ua", "en-US", "en-GB", "de-DE", ""].map(languageOf)).toEqual([
      "ru",
      "ru",
      "ru",
      "en",
      "en",
      "en",
      "en",
    ]);

    expect(preferences.language).toBe("en");
    expect(strings.queue.loadMore).toBe("Load more");

    setDesktopLanguage("ru-RU");
    expect(preferences.language).toBe("ru");
    expect(strings.queue.loadMore).toBe("Загрузить ещё");
    expect(document.documentElement.lang).toBe("ru");
    expect(preferences.locale).toBe("ru-RU");

    setDesktopLanguage("de-DE");
    expect(strings.queue.loadMore).toBe("Load more");
    expect(document.documentElement.lang).toBe("en");
  });

  it("writes dates in plain English on a desktop whose locale Intl refuses (C, POSIX)", () => {
    for (const tag of ["c", "C", "POSIX", "en_US", ""]) {
      setDesktopLanguage(tag);
      expect(preferences.language).toBe("en");
      expect(preferences.locale).toBe("en");
      expect(formatDateTime(NOW)).toMatch(/2025/);
    }
  });

  it("takes the agent's choice over the desktop's, and saves it in the cache", async () => {
    const calls = serveCommands({ set_ui_preferences: () => null });
    setDesktopLanguage("en-GB");

    await preferences.choose({ language: "ru", theme: null });
    expect(strings.settings.title).toBe("Настройки");
    // A desktop in another language writes dates the Russian way, not its own.
    expect(preferences.locale).toBe("ru");
    expect(callsTo(calls, "set_ui_preferences")).toEqual([
      { preferences: { language: "ru", theme: null } },
    ]);

    await preferences.choose({ language: null, theme: null });
    expect(strings.settings.title).toBe("Settings");
    expect(preferences.locale).toBe("en-GB");
  });

  it("reads the saved choice at start, and keeps the desktop's when the cache cannot say", async () => {
    serveCommands({ ui_preferences: () => ({ language: "ru", theme: "dark" }) });
    await preferences.load();
    expect(preferences.language).toBe("ru");
    expect(document.documentElement.dataset.theme).toBe("dark");

    preferences.chosen = { language: null, theme: null };
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    serveCommands({
      ui_preferences: () => {
        throw { code: "cache.unavailable", message: "the cache cannot be opened" };
      },
    });
    await preferences.load();
    expect(preferences.language).toBe("en");
    expect(document.documentElement.dataset.theme).toBeUndefined();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it("puts the previous choice back when the cache refuses to save", async () => {
    serveCommands({
      set_ui_preferences: () => {
        throw { code: "cache.unavailable", message: "the cache cannot be opened" };
      },
    });
    await expect(preferences.choose({ language: "ru", theme: "light" })).rejects.toMatchObject({
      code: "cache.unavailable",
    });
    expect(preferences.language).toBe("en");
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });

  it("re-renders a component's text at once when the language changes", async () => {
    serveCommands({ set_ui_preferences: () => null });
    render(ViewTabs, {
      view: "mine_open",
      counts: { mine_open: 5, breaching_soon: 0, waiting_on_customer: 1, team: 1042 },
      controls: "queue",
      team: true,
      onselect: () => {},
    });
    expect(screen.getByTestId("view-tab-mine_open").textContent).toContain("My open");
    expect(screen.getByTestId("view-count-mine_open").title).toBe("5 tickets");
    expect(screen.getByTestId("view-count-team").textContent).toBe("1,042");

    await preferences.choose({ language: "ru", theme: null });
    await tick();
    expect(screen.getByTestId("view-tab-mine_open").textContent).toContain("Мои открытые");
    expect(screen.getByTestId("view-count-mine_open").title).toBe("5 тикетов");
    expect(screen.getByTestId("view-count-waiting_on_customer").title).toBe("1 тикет");
    expect(screen.getByTestId("view-count-team").textContent).toBe("1\u00a0042");
    expect(screen.getByRole("tablist").getAttribute("aria-label")).toBe("Разделы очереди");
  });

  it("writes dates and spans in the window's language", async () => {
    serveCommands({ set_ui_preferences: () => null });
    const at = NOW + 42 * MINUTE;
    expect(formatSpan(42 * MINUTE)).toBe("42 min");
    expect(formatDateTime(at)).toMatch(/Jan/);

    await preferences.choose({ language: "ru", theme: null });
    expect(formatSpan(42 * MINUTE)).toBe("42 мин");
    expect(formatSpan(3 * 24 * 60 * MINUTE)).toBe("3 дн.");
    expect(formatDateTime(at)).toMatch(/янв/);
    expect(formatTime(at)).not.toMatch(/AM|PM/);
  });
});

describe("the Russian table", () => {
  it("has every key of the English one, and no other", () => {
    // The type checks this at build time; this guards a cast slipping in.
    // Error titles are keyed by codes and may differ.
    const comparable = (table: object) => keyPaths(table).filter((path) => !path.startsWith("error.titleFor."));
    expect(comparable(ru)).toEqual(comparable(en));
  });

  it("counts tickets and breaches with the Russian plural forms", () => {
    expect([1, 2, 4, 5, 11, 12, 21, 22, 25, 101, 111, 1000].map(ru.queue.ticketCount)).toEqual([
      "1 тикет",
      "2 тикета",
      "4 тикета",
      "5 тикетов",
      "11 тикетов",
      "12 тикетов",
      "21 тикет",
      "22 тикета",
      "25 тикетов",
      "101 тикет",
      "111 тикетов",
      "1\u00a0000 тикетов",
    ]);
    expect([1, 3, 5].map(ru.board.tabCount)).toEqual(["1 нарушение", "3 нарушения", "5 нарушений"]);
    expect([1, 2, 14].map(ru.board.counts.warning)).toEqual([
      "1 предупреждение",
      "2 предупреждения",
      "14 предупреждений",
    ]);
    expect([1, 2].map(en.queue.ticketCount)).toEqual(["1 ticket", "2 tickets"]);
  });

  it("agrees the words around a count of unsent changes with it", () => {
    expect([1, 3, 5, 21].map(ru.signIn.unsentKept)).toEqual([
      "Исходящие сохранены: 1 изменение уйдёт на сервер после входа.",
      "Исходящие сохранены: 3 изменения уйдут на сервер после входа.",
      "Исходящие сохранены: 5 изменений уйдут на сервер после входа.",
      "Исходящие сохранены: 21 изменение уйдёт на сервер после входа.",
    ]);
    expect([1, 2, 11].map(ru.signOut.understood)).toEqual([
      "Я понимаю, что 1 изменение будет потеряно",
      "Я понимаю, что 2 изменения будут потеряны",
      "Я понимаю, что 11 изменений будут потеряны",
    ]);
    expect([1, 4].map(ru.signIn.exportedTo)).toEqual([
      "1 неотправленное изменение сохранено в файл:",
      "4 неотправленных изменения сохранены в файл:",
    ]);
  });
});
