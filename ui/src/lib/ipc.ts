// The one door from the UI to the Rust shell: a typed function per Tauri
// command. Every failure leaves here as an IpcError with a stable code.

import { invoke, type InvokeArgs } from "@tauri-apps/api/core";
import type {
  AppError,
  QueuePage,
  QueueRequest,
  ServerStatus,
  StartupReport,
  ViewCounts,
} from "./bindings";

/** A stable dotted code such as "cache.schema_too_new". */
export type ErrorCode = AppError["code"];

/** The code given to a failure that did not come as a `{code, message}` object. */
export const UNEXPECTED: ErrorCode = "ipc.unexpected";

export class IpcError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = "IpcError";
    this.code = code;
  }
}

function isAppError(value: unknown): value is AppError {
  if (typeof value !== "object" || value === null) return false;
  const { code, message } = value as Record<string, unknown>;
  return typeof code === "string" && code !== "" && typeof message === "string";
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (value instanceof Error) return value.message;
  if (value === undefined) return "no error detail";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Turns whatever a command rejected with into an IpcError. */
export function toIpcError(value: unknown): IpcError {
  if (value instanceof IpcError) return value;
  if (isAppError(value)) return new IpcError(value.code, value.message);
  return new IpcError(UNEXPECTED, describe(value));
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error: unknown) {
    throw toIpcError(error);
  }
}

export function startupReport(): Promise<StartupReport> {
  return call<StartupReport>("startup_report");
}

export function queueCounts(): Promise<ViewCounts> {
  return call<ViewCounts>("queue_counts");
}

export function queuePage(request: QueueRequest): Promise<QueuePage> {
  return call<QueuePage>("queue_page", { request });
}

export function serverStatus(): Promise<ServerStatus> {
  return call<ServerStatus>("server_status");
}
