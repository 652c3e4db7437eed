import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import SignIn from "./lib/components/SignIn.svelte";
import { watchAccount } from "./lib/account";
import { preferences } from "./lib/preferences.svelte";

const target = document.getElementById("app");
if (target === null) throw new Error("the page has no #app element");
const app = target;

// The saved language and theme come first, so the window never shows in
// the desktop's language and then switches. load() never rejects.
void preferences.load().then(() =>
  watchAccount(
    (account) => {
      if (account.state === "signed_in") mount(App, { target: app });
      else mount(SignIn, { target: app, props: { signedOut: account } });
    },
    // The window starts over as the new account: nothing of the old one
    // stays in memory.
    () => location.reload(),
  ),
);
