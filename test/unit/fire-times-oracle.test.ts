import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { parseCron } from "../../src/core/schedule/cron.ts";
import { firesBetween } from "../../src/core/schedule/fire-times.ts";
import { zoneRules } from "../../src/core/schedule/zone.ts";
import { Picker, seededRandom } from "../../src/core/seed/random.ts";

// Differential test: our fire times against croner (an independent implementation) over random
// expressions, zones and dates. Instants within 3 hours of a UTC-offset change are excluded:
// there our own DST policy applies (fixed tests in fire-times.test.ts) and libraries disagree.
const ZONES = [
  "Europe/Stockholm",
  "UTC",
  "America/New_York",
  "Australia/Sydney",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "America/St_Johns",
  "Pacific/Chatham",
  "America/Santiago",
  "Europe/London",
  "Asia/Tokyo",
  "America/Sao_Paulo",
  "Africa/Casablanca",
  "Asia/Tehran",
  "Pacific/Auckland",
  "America/Los_Angeles",
];
const HOUR = 3_600_000;
const CASES = Number(process.env.ORACLE_CASES ?? 1500);
const FIRES = 25;

function randomField(p: Picker, min: number, max: number, names?: readonly string[]): string {
  const v = () => p.int(min, max);
  const name = (n: number) => (names && p.chance(0.3) ? (names[n - min] as string) : String(n));
  switch (p.int(0, 7)) {
    case 0:
      return "*";
    case 1:
      return name(v());
    case 2: {
      const a = v();
      const b = p.int(a, max);
      return `${name(a)}-${b === 0 ? b : name(b)}`; // croner reads "x-sun" as x-7 even for sun-sun
    }
    case 3:
      return `*/${p.int(1, Math.min(max - min + 1, 20))}`;
    case 4: {
      const a = v();
      return `${a}-${p.int(a, max)}/${p.int(1, Math.max(1, Math.floor((max - min) / 2)))}`;
    }
    case 5:
      return `${v()}/${p.int(1, Math.max(1, Math.floor((max - min) / 2)))}`;
    default:
      return [...new Set(Array.from({ length: p.int(2, 4) }, v))].map(name).join(",");
  }
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

function randomExpression(p: Picker): string {
  const minute = p.chance(0.3) ? String(p.int(0, 59)) : randomField(p, 0, 59);
  const hour = randomField(p, 0, 23);
  let dom = p.chance(0.45) ? "*" : p.chance(0.15) ? "L" : randomField(p, 1, 28);
  const month = p.chance(0.6) ? "*" : randomField(p, 1, 12, MONTHS);
  let dow = p.chance(0.5)
    ? "*"
    : p.chance(0.2)
      ? `${p.int(0, 7)}#${p.int(1, 5)}`
      : p.chance(0.15)
        ? `${p.pick(DAYS)}L`
        : randomField(p, 0, 6, DAYS);
  if (dom.includes("/") && !dom.startsWith("*") && dow !== "*" && p.chance(0.5)) dom = "*";
  if (dow === "*" && dom === "*" && p.chance(0.3)) dow = `${p.int(1, 5)}`;
  return `${minute} ${hour} ${dom} ${month} ${dow}`;
}

describe("fire times agree with croner outside DST transitions", () => {
  it(`${CASES} random expressions, zones and dates`, () => {
    const p = new Picker(seededRandom(Number(process.env.ORACLE_SEED ?? 20260329)));
    let compared = 0;
    let fires = 0;
    for (let i = 0; i < CASES; i++) {
      const expr = randomExpression(p);
      const tz = p.pick(ZONES);
      const start = Date.UTC(p.int(2000, 2040), p.int(0, 11), p.int(1, 28), p.int(0, 23), p.int(0, 59), p.int(0, 59));
      const [, , dom, , dow] = expr.split(" ") as [string, string, string, string, string];
      // Vixie: a day field starting with "*" (e.g. */2) combines with the other by AND; croner needs that said.
      const vixieAnd = dom !== "*" && dow !== "*" && (dom.startsWith("*") || dow.startsWith("*"));
      const theirs = new Cron(expr, { timezone: tz, sloppyRanges: true, domAndDow: vixieAnd })
        .nextRuns(FIRES, new Date(start))
        .map((d) => d.getTime());
      if (theirs.length === 0) continue;
      const end = theirs[theirs.length - 1] as number;
      const ours = firesBetween({ cron: parseCron(expr), zone: zoneRules(tz) }, start, end);

      const zone = zoneRules(tz);
      const windows: Array<[number, number]> = [];
      for (
        let t = start - 4 * HOUR, tr = zone.nextTransition(t, end - t + 4 * HOUR);
        tr;
        tr = zone.nextTransition(tr.at, end - tr.at + 4 * HOUR)
      ) {
        windows.push([tr.at - 3 * HOUR, tr.at + 3 * HOUR]);
      }
      const outside = (t: number) => !windows.some(([a, b]) => t >= a && t <= b);
      if (!outside(start)) continue;
      const a = ours.filter(outside).map((t) => new Date(t).toISOString());
      const b = theirs.filter(outside).map((t) => new Date(t).toISOString());
      expect(a, `${expr} in ${tz} after ${new Date(start).toISOString()}`).toEqual(b);
      compared++;
      fires += b.length;
    }
    expect(compared).toBeGreaterThan(CASES * 0.8);
    expect(fires).toBeGreaterThan(CASES * 10);
  });
});
