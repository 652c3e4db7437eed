// Which account the window starts as. The shell may still be opening one
// (reading the keyring, asking the server) when the window loads; it says
// `account-changed` once it knows, and again whenever the session changes.

import type { AccountState } from "./bindings";
import { accountState, onAccountChanged, toIpcError, type Unlisten } from "./ipc";

/** An answer the window can start on: signed in, or signed out and why. */
export type KnownAccount = Exclude<AccountState, { state: "starting" }>;

/** How often the shell is asked again while it is starting, should its event be missed. */
export const STARTING_RETRY_MS = 500;

async function ask(): Promise<AccountState> {
  try {
    return await accountState();
  } catch (error: unknown) {
    // The sign-in screen says why and lets the agent try.
    const { code, message } = toIpcError(error);
    return { state: "signed_out", last: null, reason: "failed", code, message };
  }
}

/**
 * Calls `onknown` once with the account the shell settled on, then
 * `onchanged` on every later change of it. Returns the function that
 * stops listening.
 */
export function watchAccount(onknown: (account: KnownAccount) => void, onchanged: () => void): Unlisten {
  let known = false;
  let changes = 0;
  let wake = () => {};
  const stop = onAccountChanged(() => {
    if (known) {
      onchanged();
      return;
    }
    changes += 1;
    wake();
  });

  void (async () => {
    for (;;) {
      const before = changes;
      const account = await ask();
      // A change while the answer was on its way may have made it stale: ask again.
      if (changes !== before) continue;
      if (account.state !== "starting") {
        known = true;
        onknown(account);
        return;
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, STARTING_RETRY_MS);
        function done() {
          clearTimeout(timer);
          wake = () => {};
          resolve();
        }
        wake = done;
      });
    }
  })();

  return stop;
}
