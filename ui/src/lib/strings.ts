// Every piece of text the UI shows, in the language the agent reads. The
// tables live in i18n/ (one per language, all of one shape); `strings`
// reads the active one on each access, so `strings.x.y` in markup or in a
// `$derived` re-renders when the language changes. A value copied into a
// plain variable once does not: read it where it is shown.

import type { Language } from "./bindings";
import { en, type Strings } from "./i18n/en";
import { ru } from "./i18n/ru";
import { preferences } from "./preferences.svelte";

const tables: Record<Language, Strings> = { en, ru };

export const strings: Strings = Object.defineProperties(
  {} as Strings,
  Object.fromEntries(
    (Object.keys(en) as (keyof Strings)[]).map((key) => [
      key,
      { get: () => tables[preferences.language][key], enumerable: true },
    ]),
  ),
);

/** Each language by its own name, whatever the window's language: the agent finds theirs. */
export const languageNames: Readonly<Record<Language, string>> = {
  en: "English",
  ru: "Русский",
};
