import { beforeEach, describe, expect, it, vi } from "vitest";
import { invoke } from "@tauri-apps/api/core";
import { IpcError, queueCounts, queuePage, serverStatus, startupReport, toIpcError } from "./ipc";

vi.mock("@tauri-apps/api/core", () => ({ invoke: vi.fn() }));

const mockedInvoke = vi.mocked(invoke);

beforeEach(() => {
  mockedInvoke.mockReset();
});

describe("toIpcError", () => {
  it("keeps the code and message of an AppError object", () => {
    const error = toIpcError({ code: "cache.schema_too_new", message: "schema 9 is newer than 3" });
    expect(error).toBeInstanceOf(IpcError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe("cache.schema_too_new");
    expect(error.message).toBe("schema 9 is newer than 3");
    expect(error.name).toBe("IpcError");
  });

  it("maps a bare string to ipc.unexpected with the text", () => {
    const error = toIpcError("command queue_page not found");
    expect(error.code).toBe("ipc.unexpected");
    expect(error.message).toBe("command queue_page not found");
  });

  it("maps objects that are not an AppError to ipc.unexpected", () => {
    expect(toIpcError({ code: 7, message: "x" }).code).toBe("ipc.unexpected");
    expect(toIpcError({ message: "no code" }).message).toBe('{"message":"no code"}');
    expect(toIpcError(new TypeError("boom")).message).toBe("boom");
    expect(toIpcError(null).code).toBe("ipc.unexpected");
    expect(toIpcError(undefined).code).toBe("ipc.unexpected");
  });

  it("passes an IpcError through unchanged", () => {
    const original = new IpcError("queue.bad_cursor", "stale cursor");
    expect(toIpcError(original)).toBe(original);
  });
});

describe("commands", () => {
  it("rejects with an IpcError carrying the AppError code", async () => {
    mockedInvoke.mockRejectedValueOnce({ code: "cache.unavailable", message: "disk full" });
    const failure = startupReport();
    await expect(failure).rejects.toBeInstanceOf(IpcError);
    await expect(failure).rejects.toMatchObject({ code: "cache.unavailable", message: "disk full" });
  });

  it("rejects with ipc.unexpected when Tauri rejects with a string", async () => {
    mockedInvoke.mockRejectedValueOnce("invalid args `request` for command `queue_page`");
    await expect(queueCounts()).rejects.toMatchObject({
      code: "ipc.unexpected",
      message: "invalid args `request` for command `queue_page`",
    });
  });

  it("sends queue_page its request and returns the page", async () => {
    const page = { rows: [], next: null };
    mockedInvoke.mockResolvedValueOnce(page);
    const request = {
      view: "waiting_on_customer" as const,
      after: { urgency: 1, created_at: 2, number: 3 },
      limit: 50,
    };
    await expect(queuePage(request)).resolves.toBe(page);
    expect(mockedInvoke).toHaveBeenCalledWith("queue_page", { request });
  });

  it("calls the argument-less commands by name", async () => {
    mockedInvoke.mockResolvedValue({});
    await startupReport();
    await queueCounts();
    await serverStatus();
    expect(mockedInvoke.mock.calls.map((call) => call[0])).toEqual([
      "startup_report",
      "queue_counts",
      "server_status",
    ]);
  });
});
