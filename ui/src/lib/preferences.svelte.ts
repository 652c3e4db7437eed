// The window's language and theme: the agent's choice from the settings
// (saved in the local cache by the shell), else the desktop's. Markup and
// `$derived` values that read `preferences.language` or `strings` (which
// reads it) update at once when either changes.

import type { Language, UiPreferences } from "./bindings";
import { setUiPreferences, toIpcError, uiPreferences } from "./ipc";

/** The language Shiftdesk speaks for a BCP 47 tag: Russian for "ru…", else English. */
export function languageOf(tag: string): Language {
  return tag.toLowerCase().startsWith("ru") ? "ru" : "en";
}

/** Whether `tag` is a locale of `language` that Intl takes; a C locale ("c") is not one. */
function isVariantOf(tag: string, language: Language): boolean {
  try {
    return new Intl.Locale(tag).language === language;
  } catch {
    return false;
  }
}

class Preferences {
  /** What the agent chose; a null field follows the desktop. */
  chosen: UiPreferences = $state({ language: null, theme: null });
  /** The desktop's language; a webview tells when it changes. */
  #desktop = $state(navigator.language);

  /** The language the window is in. */
  get language(): Language {
    return this.chosen.language ?? this.desktopLanguage;
  }

  /** The desktop's language, for the choice that follows it. */
  get desktopLanguage(): Language {
    return languageOf(this.#desktop);
  }

  /**
   * The locale dates and numbers are written in: the desktop's own when it is
   * a variant of the window's language (en-GB keeps its day-month order),
   * else the bare language.
   */
  get locale(): string {
    const language = this.language;
    return isVariantOf(this.#desktop, language) ? this.#desktop : language;
  }

  /** Reads the saved choice; without one (or without a cache) the desktop's stands. */
  async load(): Promise<void> {
    try {
      this.#apply(await uiPreferences());
    } catch (error: unknown) {
      console.warn(`the saved language and theme are not available: ${toIpcError(error).message}`);
      this.#apply(this.chosen);
    }
  }

  /** Shows `next` at once and saves it; a refused save puts the previous choice back and rejects. */
  async choose(next: UiPreferences): Promise<void> {
    const before = this.chosen;
    this.#apply(next);
    try {
      await setUiPreferences(next);
    } catch (error: unknown) {
      this.#apply(before);
      throw toIpcError(error);
    }
  }

  /** Follows a change of the desktop's language (the `languagechange` event). */
  desktopChanged(): void {
    this.#desktop = navigator.language;
    this.#apply(this.chosen);
  }

  #apply(next: UiPreferences): void {
    this.chosen = next;
    const root = document.documentElement;
    // Screen readers and hyphenation go by `lang`; app.css picks the
    // palette by `data-theme`, else by the desktop's colour scheme.
    root.lang = this.language;
    if (next.theme === null) delete root.dataset.theme;
    else root.dataset.theme = next.theme;
  }
}

export const preferences = new Preferences();

window.addEventListener("languagechange", () => preferences.desktopChanged());
