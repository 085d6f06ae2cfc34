import { describe, expect, it } from "vitest";
import { formatDuration, fromInstant, parseDuration, parseInstantOption, toInstant } from "../../src/core/time.ts";

describe("durations", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["10m", 600_000],
    ["2h", 7_200_000],
    ["7d", 604_800_000],
    ["1h30m", 5_400_000],
    ["1.5s", 1500],
  ])("parses %s", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "10", "ten minutes", "5x", "-3s", "1h 30m", "99999999d", "36501d", `${"9".repeat(400)}s`])(
    "rejects %j with a usage error",
    (text) => {
      expect(() => parseDuration(text, "--lease")).toThrow(/invalid --lease/);
    },
  );

  it("formats for humans", () => {
    expect(formatDuration(950)).toBe("950ms");
    expect(formatDuration(12_000)).toBe("12s");
    expect(formatDuration(250_000)).toBe("4m 10s");
    expect(formatDuration(2 * 86_400_000 + 4 * 3_600_000 + 5000)).toBe("2d 4h");
  });
});

describe("instants on the command line", () => {
  it.each([
    ["2026-11-22T08:00:00Z", "2026-11-22T08:00:00.000Z"],
    ["2026-11-22T09:00:00+01:00", "2026-11-22T08:00:00.000Z"],
    ["2026-11-22T09:00+0100", "2026-11-22T08:00:00.000Z"],
    ["2026-11-22 08:00:00.123456z", "2026-11-22T08:00:00.123Z"],
    ["2026-11-22", "2026-11-22T00:00:00.000Z"],
    ["2028-02-29T12:00:00Z", "2028-02-29T12:00:00.000Z"],
    ["1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z"],
    ["9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"],
  ])("reads %s as %s", (text, iso) => expect(new Date(parseInstantOption(text, "--now")).toISOString()).toBe(iso));

  it.each([
    ["2026-02-30T00:00:00Z", /no such date as 2026-02-30/],
    ["2026-02-29", /no such date/],
    ["2026-13-01T00:00:00Z", /no such date/],
    ["2026-04-31", /no such date/],
    ["2026-03-01T24:00:00Z", /no such time of day/],
    ["2026-03-01T12:60Z", /no such time of day/],
    ["2026-03-01T08:00:00", /give the time zone/],
    ["2026-03-01T08:00:00+25:00", /no such zone offset/],
    ["yesterday", /expected an ISO-8601 time/],
    ["2026-03-01Tnoon", /expected an ISO-8601 time/],
    // Zone rules before 1970 are local mean times (GMT+0:53:28), and a year past 9999 is no longer sortable text.
    ["0001-01-01T00:00:00Z", /give a time from 1970-01-01 to 9999-12-31 \(UTC\)/],
    ["1969-12-31", /from 1970-01-01/],
    ["1970-01-01T00:30:00+01:00", /from 1970-01-01/],
    ["9999-12-31T23:00:00-05:00", /to 9999-12-31/],
  ])("refuses %s", (text, why) => expect(() => parseInstantOption(text, "--run-at")).toThrow(why));
});

describe("stored instants", () => {
  it("convert the same way however calls repeat and interleave (the last answers are remembered)", () => {
    const texts = ["2026-11-22T08:00:00.000Z", "2026-11-22T08:00:05.123Z", "2026-12-31T23:59:59.999Z"];
    for (const order of [
      [0, 0, 1, 1, 0, 1],
      [0, 1, 2, 0, 1, 2],
      [2, 1, 0, 0, 2, 2],
    ]) {
      for (const i of order) {
        const text = texts[i] as string;
        expect(fromInstant(text)).toBe(Date.parse(text));
        expect(toInstant(Date.parse(text))).toBe(text);
      }
    }
    expect(fromInstant("not a date")).toBeNaN();
    expect(() => toInstant(Number.NaN)).toThrow(RangeError);
    expect(() => toInstant(Number.NaN)).toThrow(RangeError);
  });
});
