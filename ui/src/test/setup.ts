// Every test starts on an English desktop with no saved language or theme,
// whatever the machine's own locale: the tests read English text.

import { afterEach } from "vitest";
import { setDesktopLanguage } from "./desktop";

setDesktopLanguage("en-US");

afterEach(async () => {
  // Imported here, not above: a test file's mocks of the Tauri API must be
  // in place before the preferences module (and ipc.ts) first loads.
  const { preferences } = await import("../lib/preferences.svelte");
  preferences.chosen = { language: null, theme: null };
  setDesktopLanguage("en-US");
});

// jsdom lays nothing out, so it has no scrolling into view; the window's
// lists call it to keep the active item visible.
Element.prototype.scrollIntoView ??= function scrollIntoView() {};
