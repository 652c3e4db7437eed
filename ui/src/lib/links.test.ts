import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { openOutsideLinksInBrowser } from "./links";
import { callsTo, serveCommands } from "../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

let stop: () => void = () => {};

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  document.body.innerHTML = `
    <a id="web" href="https://status.example.com/incident/7"><span id="inner">status</span></a>
    <a id="mail" href="mailto:ops@example.com">ops</a>
    <a id="app" href="#queue">queue</a>`;
  stop = openOutsideLinksInBrowser(document);
});

afterEach(() => {
  stop();
});

function click(id: string, button = 0): boolean {
  const event = new MouseEvent(button === 1 ? "auxclick" : "click", { bubbles: true, cancelable: true, button });
  return document.getElementById(id)!.dispatchEvent(event);
}

describe("outside links", () => {
  it("open in the system's browser and never navigate the window", () => {
    const calls = serveCommands({ open_link: () => null });
    expect(click("inner")).toBe(false);
    expect(click("mail")).toBe(false);
    expect(click("web", 1)).toBe(false);
    expect(callsTo(calls, "open_link")).toEqual([
      { url: "https://status.example.com/incident/7" },
      { url: "mailto:ops@example.com" },
      { url: "https://status.example.com/incident/7" },
    ]);
  });

  it("leave the app's own links alone, and stop when asked", () => {
    const calls = serveCommands({ open_link: () => null });
    expect(click("app")).toBe(true);
    stop();
    expect(click("web")).toBe(true);
    expect(callsTo(calls, "open_link")).toEqual([]);
  });
});
