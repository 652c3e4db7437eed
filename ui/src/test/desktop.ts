// The desktop the window runs on, as a test wants it: its language, told
// to the window the way a webview tells it (a `languagechange` event).

/** Makes `navigator.language` answer `tag` and tells the window. */
export function setDesktopLanguage(tag: string): void {
  Object.defineProperty(navigator, "language", { value: tag, configurable: true });
  window.dispatchEvent(new Event("languagechange"));
}
