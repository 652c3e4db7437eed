import { mount } from "svelte";
import "./app.css";
import App from "./App.svelte";
import { preferences } from "./lib/preferences.svelte";

const target = document.getElementById("app");
if (target === null) throw new Error("the page has no #app element");
const app = target;

// The saved language and theme come first, so the window never shows in
// the desktop's language and then switches. load() never rejects.
void preferences.load().then(() => mount(App, { target: app }));
