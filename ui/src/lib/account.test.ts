import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { listen } from "@tauri-apps/api/event";
import type { AccountState } from "./bindings";
import { STARTING_RETRY_MS, watchAccount } from "./account";
import { callsTo, fakeEvents, serveCommands, type FakeEvents } from "../test/tauri";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));
vi.mock("@tauri-apps/api/event", () => ({ listen: vi.fn() }));

const SIGNED_IN: AccountState = {
  state: "signed_in",
  account: { server: "https://desk.example.com/", agent: 7, agent_name: "Dana", token_file: null },
  kept: "The token is kept in the system keyring",
  memory_only: false,
};
const FIRST_RUN: AccountState = { state: "signed_out", last: null, reason: "first_run" };

let events: FakeEvents;
let stop = () => {};

beforeEach(() => {
  vi.mocked(invoke).mockReset();
  vi.mocked(listen).mockReset();
  events = fakeEvents();
  vi.useFakeTimers();
});

afterEach(() => {
  stop();
  vi.useRealTimers();
});

describe("watchAccount", () => {
  it("waits while the shell starts, asks again on account-changed, then reports each later change", async () => {
    let state: AccountState = { state: "starting" };
    const calls = serveCommands({ account_state: () => state });
    const known = vi.fn();
    const changed = vi.fn();
    stop = watchAccount(known, changed);
    await vi.advanceTimersByTimeAsync(0);
    expect(known).not.toHaveBeenCalled();

    state = SIGNED_IN;
    events.emit("account-changed", null);
    await vi.advanceTimersByTimeAsync(0);
    expect(known).toHaveBeenCalledExactlyOnceWith(SIGNED_IN);
    expect(callsTo(calls, "account_state")).toHaveLength(2);
    expect(changed).not.toHaveBeenCalled();

    events.emit("account-changed", null);
    expect(changed).toHaveBeenCalledOnce();
    expect(known).toHaveBeenCalledOnce();
  });

  it("asks again every half second should the event be missed", async () => {
    let state: AccountState = { state: "starting" };
    const calls = serveCommands({ account_state: () => state });
    const known = vi.fn();
    stop = watchAccount(known, () => {});
    await vi.advanceTimersByTimeAsync(STARTING_RETRY_MS);
    expect(callsTo(calls, "account_state")).toHaveLength(2);

    state = FIRST_RUN;
    await vi.advanceTimersByTimeAsync(STARTING_RETRY_MS);
    expect(known).toHaveBeenCalledExactlyOnceWith(FIRST_RUN);
    await vi.advanceTimersByTimeAsync(10 * STARTING_RETRY_MS);
    expect(callsTo(calls, "account_state")).toHaveLength(3);
  });

  it("does not start on an answer the session changed under", async () => {
    let answer: (state: AccountState) => void = () => {};
    const calls = serveCommands({
      account_state: () => new Promise<AccountState>((resolve) => (answer = resolve)),
    });
    const known = vi.fn();
    stop = watchAccount(known, () => {});
    await vi.advanceTimersByTimeAsync(0);

    events.emit("account-changed", null);
    answer(SIGNED_IN);
    await vi.advanceTimersByTimeAsync(0);
    expect(known).not.toHaveBeenCalled();
    answer(FIRST_RUN);
    await vi.advanceTimersByTimeAsync(0);
    expect(known).toHaveBeenCalledExactlyOnceWith(FIRST_RUN);
    expect(callsTo(calls, "account_state")).toHaveLength(2);
  });

  it("opens the sign-in screen with the reason when the shell cannot be asked", async () => {
    serveCommands({
      account_state: () => {
        throw { code: "ipc.bad_request", message: "account_state is not allowed" };
      },
    });
    const known = vi.fn();
    stop = watchAccount(known, () => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(known).toHaveBeenCalledExactlyOnceWith({
      state: "signed_out",
      last: null,
      reason: "failed",
      code: "ipc.bad_request",
      message: "account_state is not allowed",
    });
  });
});
