// Links to the outside world open in the system's browser, never in the
// window: a click on a web or mail link anywhere in the app is handed to
// the shell instead of navigating the page.

import { openLink, toIpcError } from "./ipc";

const OUTSIDE = /^(https?|mailto):/i;

/** Hands clicks on outside links in `root` to the system's browser; returns how to stop. */
export function openOutsideLinksInBrowser(root: Document | HTMLElement): () => void {
  const onClick = (event: Event) => {
    if (!(event.target instanceof Element)) return;
    const link = event.target.closest("a[href]");
    const href = link?.getAttribute("href") ?? "";
    if (!OUTSIDE.test(href)) return;
    event.preventDefault();
    openLink(href).catch((error: unknown) => {
      console.warn(`could not open ${href}: ${toIpcError(error).message}`);
    });
  };
  // A middle click would ask for a new window: refused the same way.
  root.addEventListener("click", onClick);
  root.addEventListener("auxclick", onClick);
  return () => {
    root.removeEventListener("click", onClick);
    root.removeEventListener("auxclick", onClick);
  };
}
