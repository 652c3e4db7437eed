import { describe, expect, it } from "vitest";
import { asSentence, formatSlaDue, formatSpan, formatTicketNumber } from "./format";
import { HOUR, MINUTE, NOW } from "../test/fixtures";

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
