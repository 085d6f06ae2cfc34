import { describe, expect, it } from "vitest";
import { parseCron } from "../../src/core/schedule/cron.ts";
import { firesBetween, nextFires } from "../../src/core/schedule/fire-times.ts";
import { simpleFormToCron } from "../../src/core/schedule/simple-form.ts";
import { zoneRules } from "../../src/core/schedule/zone.ts";

const timing = (expr: string, tz = "Europe/Stockholm") => ({ cron: parseCron(expr), zone: zoneRules(tz) });
/** The next n fires after `from`, as ISO UTC strings. */
const next = (expr: string, from: string, n: number, tz?: string) =>
  nextFires(timing(expr, tz), Date.parse(from), n).map((t) => new Date(t).toISOString().replace(".000Z", "Z"));

// Europe/Stockholm 2026: 29 March 02:00 CET -> 03:00 CEST (01:00Z); 25 October 03:00 CEST -> 02:00 CET (01:00Z).
describe("DST policy in Europe/Stockholm, spring forward 2026-03-29", () => {
  it("a fixed-time fire in the skipped hour runs once at the first instant after the gap (02:30 -> 03:00)", () => {
    expect(next("30 2 * * *", "2026-03-28T12:00:00Z", 3)).toEqual([
      "2026-03-29T01:00:00Z", // 03:00 CEST
      "2026-03-30T00:30:00Z", // 02:30 CEST
      "2026-03-31T00:30:00Z",
    ]);
    expect(next("0 2 * * *", "2026-03-28T12:00:00Z", 1)).toEqual(["2026-03-29T01:00:00Z"]);
    expect(next("30 2 * * 0L", "2026-03-01T00:00:00Z", 2)).toEqual(["2026-03-29T01:00:00Z", "2026-04-26T00:30:00Z"]);
  });

  it("several wall times in the gap still fire once", () => {
    expect(next("*/15 2 * * *", "2026-03-28T12:00:00Z", 2)).toEqual(["2026-03-29T01:00:00Z", "2026-03-30T00:00:00Z"]);
    expect(next("0 2,3 * * *", "2026-03-28T12:00:00Z", 3)).toEqual([
      "2026-03-29T01:00:00Z",
      "2026-03-30T00:00:00Z",
      "2026-03-30T01:00:00Z",
    ]);
  });

  it("hourly-or-faster schedules keep their real-time interval", () => {
    expect(next("0 * * * *", "2026-03-28T23:30:00Z", 3)).toEqual(["2026-03-29T00:00:00Z", "2026-03-29T01:00:00Z", "2026-03-29T02:00:00Z"]);
    expect(next("30 * * * *", "2026-03-28T23:45:00Z", 2)).toEqual(["2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z"]);
    expect(next("*/15 * * * *", "2026-03-29T00:40:00Z", 3)).toEqual([
      "2026-03-29T00:45:00Z",
      "2026-03-29T01:00:00Z",
      "2026-03-29T01:15:00Z",
    ]);
  });

  it("fires next to the gap are unaffected", () => {
    expect(next("45 1 * * *", "2026-03-28T12:00:00Z", 1)).toEqual(["2026-03-29T00:45:00Z"]);
    expect(next("0 4 * * *", "2026-03-28T12:00:00Z", 1)).toEqual(["2026-03-29T02:00:00Z"]);
  });
});

describe("DST policy in Europe/Stockholm, fall back 2026-10-25", () => {
  it("a fixed-time fire in the repeated hour runs once, at its first occurrence", () => {
    expect(next("30 2 * * *", "2026-10-24T12:00:00Z", 2)).toEqual(["2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"]);
    expect(next("*/15 2 * * *", "2026-10-24T12:00:00Z", 5)).toEqual([
      "2026-10-25T00:00:00Z",
      "2026-10-25T00:15:00Z",
      "2026-10-25T00:30:00Z",
      "2026-10-25T00:45:00Z",
      "2026-10-26T01:00:00Z",
    ]);
    expect(next("0 3 * * *", "2026-10-24T12:00:00Z", 1)).toEqual(["2026-10-25T02:00:00Z"]);
  });

  it("starting inside the second occurrence does not fire the repeated wall time again", () => {
    expect(next("30 2 * * *", "2026-10-25T01:10:00Z", 1)).toEqual(["2026-10-26T01:30:00Z"]);
  });

  it("hourly-or-faster schedules fire in both occurrences", () => {
    expect(next("0 * * * *", "2026-10-24T23:30:00Z", 3)).toEqual(["2026-10-25T00:00:00Z", "2026-10-25T01:00:00Z", "2026-10-25T02:00:00Z"]);
    expect(next("30 * * * *", "2026-10-25T01:10:00Z", 1)).toEqual(["2026-10-25T01:30:00Z"]);
    expect(firesBetween(timing("*/15 * * * *"), Date.parse("2026-10-24T23:59:00Z"), Date.parse("2026-10-25T02:00:00Z"))).toHaveLength(9);
  });
});

describe("cron fields", () => {
  it("L: the last day of the month, across month lengths and DST", () => {
    expect(next("0 18 L * *", "2026-02-01T00:00:00Z", 3)).toEqual(["2026-02-28T17:00:00Z", "2026-03-31T16:00:00Z", "2026-04-30T16:00:00Z"]);
    expect(next("0 0 L 2 *", "2027-06-01T00:00:00Z", 2, "UTC")).toEqual(["2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z"]);
  });

  it("# and nL: the n-th and the last weekday of the month", () => {
    expect(next("0 9 * * 1#2", "2026-01-01T00:00:00Z", 2)).toEqual(["2026-01-12T08:00:00Z", "2026-02-09T08:00:00Z"]);
    expect(next("0 9 * * 5L", "2026-01-01T00:00:00Z", 2)).toEqual(["2026-01-30T08:00:00Z", "2026-02-27T08:00:00Z"]);
    expect(next("0 9 * * fri#5", "2026-01-01T00:00:00Z", 2)).toEqual(["2026-01-30T08:00:00Z", "2026-05-29T07:00:00Z"]);
  });

  it("ranges, steps, lists and names", () => {
    expect(next("0 9-17/4 * * 1-5", "2026-01-02T00:00:00Z", 4, "UTC")).toEqual([
      "2026-01-02T09:00:00Z",
      "2026-01-02T13:00:00Z",
      "2026-01-02T17:00:00Z",
      "2026-01-05T09:00:00Z",
    ]);
    expect(next("5,35 */12 * jan-mar MON-FRI", "2026-03-31T20:00:00Z", 2, "UTC")).toEqual(["2027-01-01T00:05:00Z", "2027-01-01T00:35:00Z"]);
    expect(next("0 0 29 2 *", "2026-01-01T00:00:00Z", 1)).toEqual(["2028-02-28T23:00:00Z"]);
    expect(next("0 12 15/10 * *", "2026-01-01T00:00:00Z", 3, "UTC")).toEqual([
      "2026-01-15T12:00:00Z",
      "2026-01-25T12:00:00Z",
      "2026-02-15T12:00:00Z",
    ]);
  });

  it("day-of-month and day-of-week: either when both are restricted, both when one starts with *", () => {
    // 2026-06-01 is a Monday.
    expect(next("0 9 1 * 1", "2026-05-30T00:00:00Z", 3, "UTC")).toEqual([
      "2026-06-01T09:00:00Z",
      "2026-06-08T09:00:00Z",
      "2026-06-15T09:00:00Z",
    ]);
    expect(next("0 9 13 * 5", "2026-02-01T00:00:00Z", 3, "UTC")).toEqual([
      "2026-02-06T09:00:00Z",
      "2026-02-13T09:00:00Z",
      "2026-02-20T09:00:00Z",
    ]);
    expect(next("0 9 */2 * 1", "2026-06-01T00:00:00Z", 2, "UTC")).toEqual(["2026-06-01T09:00:00Z", "2026-06-15T09:00:00Z"]);
  });

  it("macros", () => {
    expect(next("@daily", "2026-01-01T12:00:00Z", 1, "UTC")).toEqual(["2026-01-02T00:00:00Z"]);
    expect(next("@hourly", "2026-01-01T12:00:00Z", 1, "UTC")).toEqual(["2026-01-01T13:00:00Z"]);
  });

  it("the time+days form", () => {
    expect(simpleFormToCron("22:00", "weekdays")).toBe("0 22 * * 1-5");
    expect(simpleFormToCron("7:05", "weekends")).toBe("5 7 * * 0,6");
    expect(simpleFormToCron("08:30", "daily")).toBe("30 8 * * *");
    expect(simpleFormToCron("08:30", "Mon,wed,fredag")).toBe("30 8 * * 1,3,5");
    // Friday 2026-01-02 22:00 CET, then Monday.
    expect(next(simpleFormToCron("22:00", "weekdays"), "2026-01-02T12:00:00Z", 2)).toEqual([
      "2026-01-02T21:00:00Z",
      "2026-01-05T21:00:00Z",
    ]);
    expect(next(simpleFormToCron("02:30", "sun"), "2026-03-28T00:00:00Z", 1)).toEqual(["2026-03-29T01:00:00Z"]);
  });
});
