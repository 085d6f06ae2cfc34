import { afterEach, describe, expect, it } from "vitest";
import { formatInZone, formatWithIntl as intlFormat, SHORT_NAMES } from "../../src/core/schedule/format.ts";

/** A day in every quarter, and a minute either side of every offset change, 2000 to 2100. */
function instants(tz: string): number[] {
  const out: number[] = [];
  for (let y = 2000; y <= 2100; y++) for (let m = 0; m < 12; m += 3) out.push(Date.UTC(y, m, 1 + m, 7 + (m % 5), 13 * m));
  // The changes, found with the process in the zone (Intl would take minutes for 100 years of days).
  const saved = process.env.TZ;
  process.env.TZ = tz;
  const offset = (t: number) => new Date(t).getTimezoneOffset();
  for (let t = Date.UTC(2000, 0, 1); t < Date.UTC(2101, 0, 1); t += 86_400_000) {
    if (offset(t) === offset(t + 86_400_000)) continue;
    let [lo, hi] = [t, t + 86_400_000];
    while (hi - lo > 60_000) {
      const mid = lo + Math.floor((hi - lo) / 120_000) * 60_000;
      if (offset(mid) === offset(lo)) lo = mid;
      else hi = mid;
    }
    out.push(lo, hi);
  }
  if (saved === undefined) delete process.env.TZ;
  else process.env.TZ = saved;
  return out;
}

describe("formatInZone", () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it("prints what Intl prints for every zone it formats itself, 2000 to 2100, transitions included", () => {
    for (const zone of SHORT_NAMES.keys()) {
      const wrong = instants(zone)
        .map((t) => [new Date(t).toISOString(), formatInZone(t, zone), intlFormat(t, zone)])
        .filter(([, ours, intl]) => ours !== intl);
      expect(wrong.slice(0, 3), zone).toEqual([]);
    }
  });

  it("leaves other zones, offsets and years to Intl", () => {
    for (const [t, zone] of [
      [Date.UTC(2026, 2, 29, 1, 30), "America/New_York"],
      [Date.UTC(2026, 6, 1), "Asia/Kolkata"],
      [Date.UTC(1890, 0, 1), "Europe/Stockholm"],
      [Date.UTC(2150, 6, 1), "Europe/Stockholm"],
      [Date.UTC(2026, 6, 1), "Europe/Istanbul"],
    ] as const)
      expect(formatInZone(t, zone)).toBe(intlFormat(t, zone));
  });

  it("formats the spring-forward and fall-back hours of Stockholm", () => {
    expect(formatInZone("2026-03-29T00:59:00.000Z", "Europe/Stockholm")).toBe("Sun 2026-03-29 01:59 CET");
    expect(formatInZone("2026-03-29T01:00:00.000Z", "Europe/Stockholm")).toBe("Sun 2026-03-29 03:00 CEST");
    expect(formatInZone("2026-10-25T00:30:00.000Z", "Europe/Stockholm")).toBe("Sun 2026-10-25 02:30 CEST");
    expect(formatInZone("2026-10-25T01:30:00.000Z", "Europe/Stockholm")).toBe("Sun 2026-10-25 02:30 CET");
  });

  it("gives the process its own zone back, set or not", () => {
    const noon = Date.UTC(2026, 0, 15, 12);
    process.env.TZ = "Asia/Tokyo";
    formatInZone(noon, "Europe/London");
    expect(process.env.TZ).toBe("Asia/Tokyo");
    expect(new Date(noon).getHours()).toBe(21);
    delete process.env.TZ;
    formatInZone(noon, "Europe/Stockholm");
    expect("TZ" in process.env).toBe(false);
  });
});
