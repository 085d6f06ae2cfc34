import { describe, expect, it } from "vitest";
import { parseCron } from "../../src/core/schedule/cron.ts";
import { simpleFormToCron } from "../../src/core/schedule/simple-form.ts";
import { canonicalZone } from "../../src/core/schedule/zone.ts";

describe("cron expressions: a bad one names the field and says why", () => {
  it.each([
    ["61 * * * *", /minute field "61": 61 is out of range 0-59/],
    ["0 24 * * *", /hour field "24": 24 is out of range 0-23/],
    ["0 0 0 * *", /day-of-month field "0": 0 is out of range 1-31/],
    ["0 0 * 13 *", /month field "13": 13 is out of range 1-12/],
    ["0 0 * foo *", /month field "foo": unknown month name "foo"/],
    ["0 0 * * funday", /day-of-week field "funday": unknown day name "funday"/],
    ["*/0 * * * *", /minute field "\*\/0": step 0 must be from 1 to 60/],
    ["0 5-2 * * *", /hour field "5-2": range 5-2 goes backwards/],
    ["0 0 * * 1#6", /day-of-week field "1#6": #6: the week of the month must be 1 to 5/],
    ["0 0 * * L", /day-of-week field "L": L alone is ambiguous/],
    ["0 0 15W * *", /day-of-month field "15W": W \(nearest weekday\) is not supported/],
    ["0 0 1,,2 * *", /day-of-month field "1,,2": empty list item/],
    ["0 0 * *", /expected 5 fields \(minute hour day-of-month month day-of-week\), got 4/],
    ["0 0 0 * * *", /expected 5 fields .* got 6/],
    ["0 0 30 2 *", /it never fires/],
    ["@reboot", /@reboot is not a schedule/],
    ["@sometimes", /unknown macro @sometimes/],
  ])("%s", (expr, message) => {
    expect(() => parseCron(expr)).toThrow(message);
  });

  it("accepts the common forms", () => {
    for (const expr of [
      "*/15 * * * *",
      "30 14 * * 1-5",
      "0 2 * * *",
      "0 18 L * *",
      "0 9 * * 5L",
      "0 9 * * MON#2",
      "0 0 1,15 jan-jun/2 *",
      "0 8 * * sat-sun",
      "@weekly",
    ]) {
      expect(() => parseCron(expr)).not.toThrow();
    }
    expect(parseCron("0 8 * * sat-sun").weekdays).toEqual([0, 6]);
    expect(parseCron("0 8 * * mon-sun").weekdays).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });
});

describe("the simple form and zones", () => {
  it("rejects a bad time or an unknown day name", () => {
    expect(() => simpleFormToCron("25:00", "daily")).toThrow(/invalid --at "25:00": expected a time HH:MM/);
    expect(() => simpleFormToCron("8", "daily")).toThrow(/invalid --at "8"/);
    expect(() => simpleFormToCron("08:00", "mon,funday")).toThrow(/unknown day name "funday"/);
    expect(() => simpleFormToCron("08:00", "")).toThrow(/empty day name/);
    expect(() => simpleFormToCron("08:00", "mon-wed-fri")).toThrow(/"mon-wed-fri" is not a day or a range of days/);
  });

  it("takes ranges of day names, wrapping past Sunday", () => {
    expect(simpleFormToCron("08:00", "mon-fri")).toBe("0 8 * * 1-5");
    expect(simpleFormToCron("08:00", "Mån-Ons,fredag")).toBe("0 8 * * 1-3,5");
    expect(simpleFormToCron("08:00", "fri-mon")).toBe("0 8 * * 0,1,5,6");
    expect(simpleFormToCron("08:00", "sat - sun")).toBe("0 8 * * 0,6");
    expect(simpleFormToCron("08:00", "sun-sat")).toBe("0 8 * * *");
  });

  it("knows IANA zones and canonicalises their names", () => {
    expect(canonicalZone("europe/stockholm")).toBe("Europe/Stockholm");
    expect(canonicalZone("UTC")).toBe("UTC");
    expect(() => canonicalZone("Europe/Stokholm")).toThrow(/unknown time zone "Europe\/Stokholm"/);
    expect(() => canonicalZone("+01:00")).toThrow(/unknown time zone/);
  });
});
