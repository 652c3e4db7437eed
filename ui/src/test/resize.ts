// jsdom lays nothing out: these make a component believe its box is `width`
// pixels wide, as a ResizeObserver would report it in the real window.

import { vi } from "vitest";

export function pretendWidth(width: number): () => void {
  const original = Object.getOwnPropertyDescriptor(HTMLElement.prototype, "clientWidth");
  Object.defineProperty(HTMLElement.prototype, "clientWidth", { configurable: true, get: () => width });
  vi.stubGlobal(
    "ResizeObserver",
    class {
      #callback: ResizeObserverCallback;
      constructor(callback: ResizeObserverCallback) {
        this.#callback = callback;
      }
      observe() {
        this.#callback([], this as unknown as ResizeObserver);
      }
      unobserve() {}
      disconnect() {}
    },
  );
  return () => {
    vi.unstubAllGlobals();
    if (original) Object.defineProperty(HTMLElement.prototype, "clientWidth", original);
  };
}
