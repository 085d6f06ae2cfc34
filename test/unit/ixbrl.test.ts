import { describe, expect, it } from "vitest";
import { hundredths, ixNumber, rounded } from "../../src/core/companies/ixbrl-number.ts";
import { readAnnualReport } from "../../src/core/companies/ixbrl.ts";
import { k2Report, k3Report } from "../fakes/annual-reports.ts";

const value = (text: string, a: { format?: string; scale?: string; sign?: string }) => {
  const r = ixNumber(text, a);
  if (!r.ok) throw new Error(r.error);
  return hundredths(r.value);
};

describe("ixNumber: ixt formats, scale and sign", () => {
  it.each([
    ["12 345 678", { format: "ixt:numspacecomma" }, 1_234_567_800],
    ["12\u00a0345,50", { format: "ixt:numspacecomma" }, 1_234_550],
    ["1 234", { format: "ixt:numspacecomma", scale: "3" }, 123_400_000],
    ["1,234.5", { format: "ixt:numdotdecimal" }, 123_450],
    ["48.2", { format: "ixt4:num-dot-decimal", scale: "6" }, 4_820_000_000],
    ["1.234,5", { format: "ixt:numcommadecimal" }, 123_450],
    ["3,1", { format: "ixt4:num-comma-decimal", sign: "-" }, -310],
    ["-", { format: "ixt:zerodash" }, 0],
    ["1500", {}, 150_000],
    ["1 500", { format: "ixt:numspacecomma", scale: "-2" }, 1500],
    ["0,005", { format: "ixt:numspacecomma" }, 1],
  ])("%s %o → %d öre", (text, a, ore) => {
    expect(value(text, a)).toBe(ore);
  });

  it("rounds half away from zero and refuses what is not a number", () => {
    expect(rounded((ixNumber("41,5", { format: "ixt:numcommadecimal" }) as { ok: true; value: never }).value)).toBe(42);
    expect(rounded((ixNumber("41,5", { format: "ixt:numcommadecimal", sign: "-" }) as { ok: true; value: never }).value)).toBe(-42);
    expect(ixNumber("12 tkr", { format: "ixt:numspacecomma" })).toMatchObject({ ok: false, error: expect.stringMatching(/not a number/) });
    expect(ixNumber("1 000", {})).toMatchObject({ ok: false });
    expect(ixNumber("10", { format: "ixt:datedaymonthyear" })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not a number format/),
    });
    expect(ixNumber("10", { sign: "+" })).toMatchObject({ ok: false });
    expect(ixNumber("10", { scale: "x" })).toMatchObject({ ok: false });
  });
});

describe("readAnnualReport", () => {
  it("a K2 report: the year and its comparative, in kronor from the income statement (INF beats TKR)", () => {
    const r = readAnnualReport(
      k2Report({
        orgnr: "5560160680",
        name: "Åkesson AB",
        year: 2025,
        revenue: 12_345_678,
        previousRevenue: 9_876_543,
        employees: 14,
        previousEmployees: 11,
        loss: 250_000,
      }),
    );
    expect(r).toEqual({
      entity: "5560160680",
      framework: "K2",
      years: [
        { start: "2025-01-01", end: "2025-12-31", revenueOre: 1_234_567_800, employees: 14 },
        { start: "2024-01-01", end: "2024-12-31", revenueOre: 987_654_300, employees: 11 },
      ],
      notes: [],
    });
  });

  it("a K3 report: a broken financial year, other prefixes, MSEK, sign, a dimension left out, a fractional average", () => {
    const r = readAnnualReport(
      k3Report({
        orgnr: "5566778899",
        name: "Norrhamn AB",
        endYear: 2025,
        revenueMsek: "48.2",
        previousRevenueMsek: "1.3",
        employees: "41,5",
      }),
    );
    expect(r).toEqual({
      entity: "5566778899",
      framework: "K3",
      years: [
        { start: "2024-05-01", end: "2025-04-30", revenueOre: 4_820_000_000, employees: 42 },
        { start: "2023-05-01", end: "2024-04-30", revenueOre: -130_000_000, employees: null },
      ],
      notes: [],
    });
  });

  it("a revenue not in SEK, duplicates that disagree, an unreadable value and xsi:nil are left out with notes", () => {
    const doc = `<html xmlns:ix="http://www.xbrl.org/2013/inlineXBRL" xmlns:xbrli="http://www.xbrl.org/2003/instance"
      xmlns:iso4217="http://www.xbrl.org/2003/iso4217" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
      xmlns:se-gen-base="http://www.taxonomier.se/se/fr/gen-base/2021-10-31"><body>
      <xbrli:context id="p0"><xbrli:entity><xbrli:identifier scheme="http://www.bolagsverket.se">5560160680</xbrli:identifier></xbrli:entity>
        <xbrli:period><xbrli:startDate>2025-01-01</xbrli:startDate><xbrli:endDate>2025-12-31</xbrli:endDate></xbrli:period></xbrli:context>
      <xbrli:context id="p1"><xbrli:entity><xbrli:identifier scheme="http://www.bolagsverket.se">5560160680</xbrli:identifier></xbrli:entity>
        <xbrli:period><xbrli:startDate>2024-01-01</xbrli:startDate><xbrli:endDate>2024-12-31</xbrli:endDate></xbrli:period></xbrli:context>
      <xbrli:unit id="EUR"><xbrli:measure>iso4217:EUR</xbrli:measure></xbrli:unit>
      <xbrli:unit id="SEK"><xbrli:measure>iso4217:SEK</xbrli:measure></xbrli:unit>
      <ix:nonFraction name="se-gen-base:Nettoomsattning" contextRef="p0" unitRef="EUR" decimals="0">1000</ix:nonFraction>
      <ix:nonFraction name="se-gen-base:Nettoomsattning" contextRef="p1" unitRef="SEK" decimals="0">1000</ix:nonFraction>
      <ix:nonFraction name="se-gen-base:Nettoomsattning" contextRef="p1" unitRef="SEK" decimals="0">2000</ix:nonFraction>
      <ix:nonFraction name="se-gen-base:MedelantaletAnstallda" contextRef="p0" unitRef="n" format="ixt:numspacecomma">tolv</ix:nonFraction>
      <ix:nonFraction name="se-gen-base:MedelantaletAnstallda" contextRef="p1" unitRef="n" xsi:nil="true"/>
      <ix:nonFraction name="other:Nettoomsattning" contextRef="p1" unitRef="SEK">5</ix:nonFraction>
    </body></html>`;
    const r = readAnnualReport(doc);
    expect(r.years).toEqual([]);
    expect(r.framework).toBeNull();
    expect(r.notes).toEqual([
      'medelantalet anställda (p0): "tolv" is not a number in format numspacecomma',
      "nettoomsättning for 2025-01-01–2025-12-31 is not in SEK (iso4217:EUR): not used",
      "nettoomsättning for 2024-01-01–2024-12-31 is tagged twice with different values: not used",
    ]);
  });
});
