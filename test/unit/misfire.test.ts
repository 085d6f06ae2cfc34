import { describe, expect, it } from "vitest";
import { planFires } from "../../src/core/schedule/misfire.ts";
import { parseRankBands, refreshInterval } from "../../src/core/tracking/rank-cadence.ts";

const H = 3_600_000;
const D = 24 * H;
// A daily 02:00 schedule; the machine was off from Monday to Thursday 08:02.
const now = Date.parse("2026-03-05T07:02:00Z");
const fires = [1, 2, 3, 4].map((d) => Date.parse(`2026-03-0${d + 1}T01:00:00Z`));

describe("misfire policies", () => {
  it("coalesce: any number of due fires run once, as the latest; the others are missed", () => {
    const p = planFires(fires, now, { policy: "coalesce", graceMs: H, cap: 10 });
    expect(p.run).toEqual([fires[3]]);
    expect(p.missed).toEqual(fires.slice(0, 3));
    expect(p.reason).toMatch(/coalesced into the run for 2026-03-05T01:00:00.000Z/);
  });

  it("skip: fires older than the grace window are missed, fresher ones run", () => {
    expect(planFires(fires, now, { policy: "skip", graceMs: H, cap: 10 })).toMatchObject({ run: [], missed: fires });
    const p = planFires(fires, now, { policy: "skip", graceMs: 7 * H, cap: 10 });
    expect(p.run).toEqual([fires[3]]);
    expect(p.missed).toHaveLength(3);
    expect(p.reason).toBe("later than the 7h grace window");
  });

  it("all: every due fire runs, the latest `cap` of them", () => {
    expect(planFires(fires, now, { policy: "all", graceMs: H, cap: 10 }).run).toEqual(fires);
    const p = planFires(fires, now, { policy: "all", graceMs: H, cap: 2 });
    expect(p.run).toEqual(fires.slice(2));
    expect(p.missed).toEqual(fires.slice(0, 2));
    expect(p.reason).toBe("over the catch-up cap of 2");
  });

  it("one fire on time runs with every policy; no fire, nothing", () => {
    const onTime = [now - 60_000];
    for (const policy of ["coalesce", "skip", "all"] as const) {
      expect(planFires(onTime, now, { policy, graceMs: H, cap: 1 })).toEqual({ run: onTime, missed: [], reason: null });
      expect(planFires([], now, { policy, graceMs: H, cap: 1 })).toEqual({ run: [], missed: [], reason: null });
    }
  });
});

describe("rank bands", () => {
  const bands = parseRankBands("81-100:1d,61-80:2d,31-60:3d,11-30:4d,1-10:5d");

  it("maps every band boundary to its interval", () => {
    const expected: Array<[number, number]> = [
      [100, 1],
      [81, 1],
      [80, 2],
      [61, 2],
      [60, 3],
      [31, 3],
      [30, 4],
      [11, 4],
      [10, 5],
      [1, 5],
    ];
    for (const [rank, days] of expected) expect(refreshInterval(bands, rank), `rank ${rank}`).toBe(days * D);
  });

  it("rejects bands that leave a gap, overlap or are malformed", () => {
    expect(() => parseRankBands("81-100:1d,1-79:2d")).toThrow(/rank 80 is in 0 bands/);
    expect(() => parseRankBands("50-100:1d,1-50:2d")).toThrow(/rank 50 is in 2 bands/);
    expect(() => parseRankBands("1-100:soon")).toThrow(/invalid refreshBands interval of 1-100 "soon"/);
    expect(() => parseRankBands("1-101:1d")).toThrow(/not within 1-100/);
    expect(() => parseRankBands("all:1d")).toThrow(/is not MIN-MAX:INTERVAL/);
    expect(parseRankBands("1-100:12h")).toEqual([{ min: 1, max: 100, intervalMs: 12 * H }]);
  });
});
