import { describe, expect, it } from "vitest";
import {
  asSentence,
  formatDeadline,
  formatMetric,
  formatServerError,
  formatServerStatus,
  formatShortDateTime,
  formatSlaDue,
  formatSpan,
  formatTicketNumber,
  serverName,
} from "./format";
import { IpcError } from "./ipc";
import { HOUR, MINUTE, NOW, metric } from "../test/fixtures";

const DAY = 24 * HOUR;

describe("formatSlaDue", () => {
  const ga = (sla_due_at: number | null) => ({ sla_due_at, service_stage: "ga" as const });

  it("says how long is left before a future deadline", () => {
    expect(formatSlaDue(ga(NOW + 42 * MINUTE), NOW)).toEqual({
      kind: "due",
      text: "in 42 min",
      at: NOW + 42 * MINUTE,
    });
    expect(formatSlaDue(ga(NOW + 42 * MINUTE + 59_000), NOW).text).toBe("in 42 min");
    expect(formatSlaDue(ga(NOW + 5 * HOUR + 10 * MINUTE), NOW).text).toBe("in 5 h");
    expect(formatSlaDue(ga(NOW + 30_000), NOW).text).toBe("in <1 min");
    expect(formatSlaDue(ga(NOW), NOW).kind).toBe("due");
  });

  it("says how long ago an overdue deadline passed", () => {
    expect(formatSlaDue(ga(NOW - 3 * HOUR - 20 * MINUTE), NOW)).toEqual({
      kind: "overdue",
      text: "overdue 3 h",
      at: NOW - 3 * HOUR - 20 * MINUTE,
    });
    expect(formatSlaDue(ga(NOW - 1), NOW).text).toBe("overdue <1 min");
    expect(formatSlaDue(ga(NOW - 17 * MINUTE), NOW).text).toBe("overdue 17 min");
    expect(formatSlaDue(ga(NOW - 3 * DAY), NOW).text).toBe("overdue 3 d");
  });

  it("shows no SLA for a Beta service, with or without a deadline", () => {
    expect(formatSlaDue({ sla_due_at: null, service_stage: "beta" }, NOW)).toEqual({
      kind: "no_sla",
      text: "no SLA",
    });
    expect(formatSlaDue({ sla_due_at: NOW - HOUR, service_stage: "beta" }, NOW).text).toBe("no SLA");
  });

  it("shows a dash when a GA ticket has no running deadline", () => {
    expect(formatSlaDue(ga(null), NOW)).toEqual({ kind: "none", text: "—" });
  });

  it("depends on the injected now, not the clock", () => {
    const due = ga(NOW + HOUR);
    expect(formatSlaDue(due, NOW).text).toBe("in 1 h");
    expect(formatSlaDue(due, NOW + 2 * HOUR).text).toBe("overdue 1 h");
  });
});

describe("formatSpan", () => {
  it("rounds down to the largest fitting unit", () => {
    expect(formatSpan(59 * MINUTE)).toBe("59 min");
    expect(formatSpan(60 * MINUTE)).toBe("1 h");
    expect(formatSpan(47 * HOUR)).toBe("47 h");
    expect(formatSpan(2 * DAY)).toBe("2 d");
  });
});

describe("formatTicketNumber", () => {
  it("prefixes the number with #", () => {
    expect(formatTicketNumber(10001)).toBe("#10001");
  });
});

describe("asSentence", () => {
  it("capitalises the first letter of a message from Rust", () => {
    expect(asSentence("the cache at /x was written by a newer Shiftdesk")).toBe(
      "The cache at /x was written by a newer Shiftdesk",
    );
    expect(asSentence("кэш повреждён")).toBe("Кэш повреждён");
    expect(asSentence("")).toBe("");
  });
});

describe("serverName", () => {
  it("names a server by host and port", () => {
    expect(serverName("http://127.0.0.1:8780/")).toBe("127.0.0.1:8780");
    expect(serverName("https://desk.example.com/api/")).toBe("desk.example.com");
    expect(serverName("https://desk.example.com:8443/")).toBe("desk.example.com:8443");
  });

  it("keeps what is not a URL as it is", () => {
    expect(serverName("desk")).toBe("desk");
  });
});

describe("formatServerStatus", () => {
  const url = "http://127.0.0.1:8780/";

  it("says which server and as whom when signed in", () => {
    expect(
      formatServerStatus({ state: "signed_in", url, agent_name: "Anna Petrova", role: "agent" }, true),
    ).toEqual({
      tone: "connected",
      text: "Connected to 127.0.0.1:8780 as Anna Petrova (agent)",
      code: null,
    });
    expect(
      formatServerStatus({ state: "signed_in", url, agent_name: "Мария Кузнецова", role: "lead" }, true)
        .text,
    ).toBe("Connected to 127.0.0.1:8780 as Мария Кузнецова (lead)");
  });

  it("says the token was refused, with the server's words and code", () => {
    expect(
      formatServerStatus({
        state: "refused",
        url,
        code: "auth.device_revoked",
        message: "This device was signed out; sign in again",
      }, true),
    ).toEqual({
      tone: "attention",
      text: "Server 127.0.0.1:8780 refused the token: This device was signed out; sign in again",
      code: "auth.device_revoked",
    });
  });

  it("does not blame the token for a refusal that is not about it", () => {
    const line = formatServerStatus({
      state: "refused",
      url,
      code: "server.internal",
      message: "The server could not complete the request; nothing was stored half-way",
    }, true);
    expect(line.text).toBe(
      "Server 127.0.0.1:8780 refused: The server could not complete the request; nothing was stored half-way",
    );
    expect(line.code).toBe("server.internal");
  });

  it("says an unreachable server leaves the agent on the local cache", () => {
    const down = { state: "unreachable", url, reason: "connection refused" } as const;
    expect(formatServerStatus(down, true)).toEqual({
      tone: "offline",
      text: "Server 127.0.0.1:8780 unreachable: connection refused — working from the local cache",
      code: null,
    });
    expect(formatServerStatus(down, false).text).toBe(
      "Server 127.0.0.1:8780 unreachable: connection refused",
    );
  });

  it("says when something else answered", () => {
    expect(
      formatServerStatus({
        state: "unexpected",
        url,
        status: 502,
        what: "not a problem document (content type text/html)",
      }, true).text,
    ).toBe(
      "Server 127.0.0.1:8780 gave an unexpected answer (HTTP 502): not a problem document (content type text/html)",
    );
  });
});

describe("formatServerError", () => {
  it("shows why the check could not run, with its code", () => {
    const error = new IpcError(
      "server.no_token",
      "SHIFTDESK_API_URL names a server but SHIFTDESK_API_TOKEN is not set",
    );
    expect(formatServerError(error)).toEqual({
      tone: "attention",
      text: "Server status unknown: SHIFTDESK_API_URL names a server but SHIFTDESK_API_TOKEN is not set",
      code: "server.no_token",
    });
  });
});

describe("formatDeadline", () => {
  it("counts to a deadline and past it", () => {
    expect(formatDeadline(NOW + 12 * MINUTE, NOW)).toEqual({ kind: "due", text: "in 12 min", at: NOW + 12 * MINUTE });
    expect(formatDeadline(NOW - 5 * MINUTE, NOW)).toEqual({ kind: "overdue", text: "overdue 5 min", at: NOW - 5 * MINUTE });
    expect(formatDeadline(null, NOW)).toEqual({ kind: "none", text: "—" });
  });
});

describe("formatMetric", () => {
  it("counts a running metric down from its deadline on the wall clock", () => {
    const running = metric({ state: "warning", due_at: NOW + 12 * MINUTE, left_ms: 99 * MINUTE });
    expect(formatMetric(running, NOW)).toEqual({
      state: "warning",
      label: "Warning",
      detail: "in 12 min",
      ticking: true,
      dueAt: NOW + 12 * MINUTE,
    });
    expect(formatMetric(running, NOW + 17 * MINUTE).detail).toBe("overdue 5 min");
  });

  it("says a running breach is overdue", () => {
    const breached = metric({ state: "breached", due_at: NOW - 3 * HOUR, left_ms: -3 * HOUR });
    expect(formatMetric(breached, NOW)).toMatchObject({ label: "Breached", detail: "overdue 3 h", ticking: true });
  });

  it("never says a breach is still ahead when this clock lags the evaluation", () => {
    const justBreached = metric({ state: "breached", due_at: NOW + 400, left_ms: 0 });
    expect(formatMetric(justBreached, NOW).detail).toBe("overdue <1 min");
  });

  it("shows the frozen time left of a paused metric, which does not tick", () => {
    const paused = metric({ state: "paused", running: false, due_at: NOW + 5 * HOUR, left_ms: 3 * HOUR });
    expect(formatMetric(paused, NOW)).toEqual({
      state: "paused",
      label: "Paused",
      detail: "3 h left",
      ticking: false,
      dueAt: NOW + 5 * HOUR,
    });
    expect(formatMetric(paused, NOW + 2 * HOUR).detail).toBe("3 h left");
  });

  it("says how late a stopped breach was", () => {
    const late = metric({ state: "breached", running: false, left_ms: -7 * MINUTE });
    expect(formatMetric(late, NOW)).toMatchObject({ label: "Breached", detail: "7 min late", ticking: false });
  });

  it("says met, with nothing left to count", () => {
    const met = metric({ state: "fulfilled", running: false, left_ms: 20 * MINUTE });
    expect(formatMetric(met, NOW)).toMatchObject({ label: "Met", detail: null, ticking: false });
  });

  it("says no SLA, and shows no deadline", () => {
    const none = metric({ state: "no_sla", running: false, due_at: null, left_ms: null });
    expect(formatMetric(none, NOW)).toEqual({
      state: "no_sla",
      label: "No SLA",
      detail: null,
      ticking: false,
      dueAt: null,
    });
  });

  it("says nothing is due when a metric has no deadline and no time left", () => {
    const idle = metric({ state: "ok", running: false, due_at: null, left_ms: null });
    expect(formatMetric(idle, NOW)).toMatchObject({ label: "On track", detail: null });
  });
});

describe("formatShortDateTime", () => {
  it("gives the time alone on the same day, and the day too otherwise", () => {
    const at = new Date(2025, 0, 15, 14, 5).getTime();
    const sameDay = formatShortDateTime(at, new Date(2025, 0, 15, 9, 0).getTime());
    const otherDay = formatShortDateTime(at, new Date(2025, 0, 14, 23, 0).getTime());
    expect(sameDay).not.toMatch(/Jan|15/);
    expect(sameDay).toMatch(/05/);
    expect(otherDay).toMatch(/Jan/);
    expect(otherDay).toMatch(/15/);
    expect(otherDay).toMatch(/05/);
  });
});
