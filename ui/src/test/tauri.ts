// A stand-in for the Rust shell in component tests. The test file mocks
// "@tauri-apps/api/core" (invoke) and "@tauri-apps/api/event" (listen);
// these helpers answer commands and deliver events through those mocks.

import { vi } from "vitest";
import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { listen, type Event } from "@tauri-apps/api/event";

export type Call = { command: string; args: Record<string, unknown> };

/** Answers per command; a thrown value is what the command rejects with. */
export type Commands = Record<string, (args: Record<string, unknown>) => unknown>;

/** Serves `commands` through the mocked invoke; returns every call made, in order. */
export function serveCommands(commands: Commands): Call[] {
  const calls: Call[] = [];
  vi.mocked(invoke).mockImplementation(async (command: string, args?: InvokeArgs) => {
    const named = (args ?? {}) as Record<string, unknown>;
    calls.push({ command, args: named });
    const answer = commands[command];
    if (answer === undefined) throw `command ${command} not found`;
    return answer(named);
  });
  return calls;
}

/** The calls made to one command. */
export function callsTo(calls: readonly Call[], command: string): Record<string, unknown>[] {
  return calls.filter((call) => call.command === command).map((call) => call.args);
}

export type FakeEvents = {
  /** Delivers `payload` to everyone listening to `event`. */
  emit: (event: string, payload: unknown) => void;
  /** How many handlers listen to `event` right now. */
  listening: (event: string) => number;
};

/** Lets the mocked listen register handlers, and the test emit events to them. */
export function fakeEvents(): FakeEvents {
  const handlers = new Map<string, Set<(event: Event<unknown>) => void>>();
  vi.mocked(listen).mockImplementation(async (event, handler) => {
    const set = handlers.get(event) ?? new Set();
    const callback = handler as (event: Event<unknown>) => void;
    set.add(callback);
    handlers.set(event, set);
    return () => {
      set.delete(callback);
    };
  });
  return {
    emit(event, payload) {
      for (const handler of [...(handlers.get(event) ?? [])]) handler({ event, id: 1, payload });
    },
    listening(event) {
      return handlers.get(event)?.size ?? 0;
    },
  };
}
