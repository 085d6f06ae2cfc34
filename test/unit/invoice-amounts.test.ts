import { describe, expect, it } from "vitest";
import { divRound, formatKronor, formatOre, formatQuantity, formatRate, roundToKrona } from "../../src/core/domain/money.ts";
import { computeInvoiceAmounts, InexactAmountError, lineAmount, vatAmount } from "../../src/core/invoice/amounts.ts";
import { vatRateFor } from "../../src/core/invoice/vat-rates.ts";
import type { VatRateRow } from "../../src/core/invoice/schema.ts";

describe("rounding", () => {
  it("rounds half away from zero", () => {
    expect(divRound(15n, 10n)).toBe(2n);
    expect(divRound(14n, 10n)).toBe(1n);
    expect(divRound(-15n, 10n)).toBe(-2n);
    expect(divRound(-14n, 10n)).toBe(-1n);
    expect(divRound(25n, 10n)).toBe(3n); // not banker's rounding
  });

  it("öresavrundning: 1-49 öre down, 50-99 up, negatives symmetric", () => {
    expect(roundToKrona(10_049)).toBe(10_000);
    expect(roundToKrona(10_050)).toBe(10_100);
    expect(roundToKrona(10_099)).toBe(10_100);
    expect(roundToKrona(10_001)).toBe(10_000);
    expect(roundToKrona(10_000)).toBe(10_000);
    expect(roundToKrona(-10_050)).toBe(-10_100);
    expect(roundToKrona(-10_049)).toBe(-10_000);
  });
});

describe("line and VAT amounts in öre", () => {
  it("a line is quantity × unit price rounded to öre", () => {
    expect(lineAmount(7500, 84_550)).toBe(634_125); // 7,5 h × 845,50 kr
    expect(lineAmount(333, 100)).toBe(33); // 0,333 × 1,00 kr = 0,333 kr
    expect(lineAmount(335, 100)).toBe(34); // 0,335 kr -> 0,34 kr (half up)
    expect(lineAmount(-335, 100)).toBe(-34);
    expect(lineAmount(1000, 0)).toBe(0);
  });

  it("VAT per rate on the sum of its lines, not per line", () => {
    // three lines of 0,02 kr at 25 %: per line 0,005 would round to 0,01 each (0,03);
    // on the sum 0,06 kr it is 0,015 -> 0,02.
    const a = computeInvoiceAmounts(
      [1, 2, 3].map(() => ({ quantityMilli: 1000, unitPriceOre: 2, rateBp: 2500 })),
      { reverseCharge: false },
    );
    expect(a.groups).toEqual([{ rateBp: 2500, taxableOre: 6, vatOre: 2 }]);
    expect(vatAmount(6, 2500)).toBe(2);
  });

  it("taxable amount and VAT for each of 25, 12, 6 and 0 %", () => {
    const a = computeInvoiceAmounts(
      [
        { quantityMilli: 2000, unitPriceOre: 10_000, rateBp: 2500 },
        { quantityMilli: 1000, unitPriceOre: 33_333, rateBp: 1200 },
        { quantityMilli: 3000, unitPriceOre: 4_999, rateBp: 600 },
        { quantityMilli: 1000, unitPriceOre: 50_000, rateBp: 0 },
        { quantityMilli: 1000, unitPriceOre: 1_001, rateBp: 2500 },
      ],
      { reverseCharge: false },
    );
    expect(a.groups).toEqual([
      { rateBp: 2500, taxableOre: 21_001, vatOre: 5_250 }, // 5250,25 -> 5250
      { rateBp: 1200, taxableOre: 33_333, vatOre: 4_000 }, // 3999,96 -> 4000
      { rateBp: 600, taxableOre: 14_997, vatOre: 900 }, // 899,82 -> 900
      { rateBp: 0, taxableOre: 50_000, vatOre: 0 },
    ]);
    expect(a.netOre).toBe(119_331);
    expect(a.vatOre).toBe(10_150);
    expect(a.totalOre).toBe(129_481);
    expect(a.payableOre).toBe(129_500);
    expect(a.roundingOre).toBe(19);
    expect(a.lineAmountsOre).toEqual([20_000, 33_333, 14_997, 50_000, 1_001]);
  });

  it("reverse charge: no VAT on any line, one 0 % group", () => {
    const a = computeInvoiceAmounts(
      [
        { quantityMilli: 10_000, unitPriceOre: 64_550, rateBp: 2500 },
        { quantityMilli: 1000, unitPriceOre: 99_990, rateBp: 2500 },
      ],
      { reverseCharge: true },
    );
    expect(a.groups).toEqual([{ rateBp: 0, taxableOre: 745_490, vatOre: 0 }]);
    expect(a.totalOre).toBe(745_490);
    expect(a.payableOre).toBe(745_500);
  });

  it("a credit note's negative lines give negative totals, rounded symmetrically", () => {
    const a = computeInvoiceAmounts([{ quantityMilli: -1000, unitPriceOre: 10_050, rateBp: 2500 }], { reverseCharge: false });
    expect(a.netOre).toBe(-10_050);
    expect(a.vatOre).toBe(-2_513); // -2512,5 -> -2513
    expect(a.totalOre).toBe(-12_563);
    expect(a.payableOre).toBe(-12_600);
    expect(a.roundingOre).toBe(-37);
  });

  it("300 lines sum exactly", () => {
    const lines = Array.from({ length: 300 }, (_, i) => ({
      quantityMilli: 1500 + i,
      unitPriceOre: 12_345 + i,
      rateBp: i % 3 === 0 ? 600 : 2500,
    }));
    const a = computeInvoiceAmounts(lines, { reverseCharge: false });
    expect(a.lineAmountsOre.reduce((s, x) => s + x, 0)).toBe(a.netOre);
    expect(a.groups.map((g) => g.rateBp)).toEqual([2500, 600]);
    expect(a.totalOre).toBe(a.netOre + a.vatOre);
    expect(Math.abs(a.roundingOre)).toBeLessThanOrEqual(50);
  });
});

describe("amounts stored before input was bounded", () => {
  it("a sum past 2^53 öre is refused, naming it, not rounded silently (two rates' lines each just within)", () => {
    const half = 2 ** 52 + 1; // exact on its own; the two together are not
    const lines = [
      { quantityMilli: 1000, unitPriceOre: half, rateBp: 0 },
      { quantityMilli: 1000, unitPriceOre: half, rateBp: 600 },
    ];
    expect(() => computeInvoiceAmounts(lines, { reverseCharge: true })).toThrow(InexactAmountError); // one group of 0 %
    expect(() => computeInvoiceAmounts([{ ...lines[0]!, rateBp: 2500 }], { reverseCharge: false })).not.toThrow();
    expect(() => computeInvoiceAmounts(lines, { reverseCharge: false })).toThrow(/^the sum of the lines is too large to compute exactly/);
    expect(() => computeInvoiceAmounts([lines[0]!, lines[0]!], { reverseCharge: false })).toThrow(
      /^the taxable amount at 0\u00a0% is too large/,
    );
  });

  it("a quantity or price that is not an exact whole number names its line", () => {
    const line = { quantityMilli: 1000, unitPriceOre: 100, rateBp: 2500 };
    expect(() => computeInvoiceAmounts([line, { ...line, quantityMilli: 1.5 }], { reverseCharge: false })).toThrow(
      "line 2: quantity (thousandths) is 1.5, not a whole number",
    );
    expect(() => computeInvoiceAmounts([{ ...line, unitPriceOre: 2 ** 60 }], { reverseCharge: false })).toThrow(
      /^line 1: unit price \(öre\) is 1152921504606847000, beyond ±9007199254740991/,
    );
  });
});

describe("VAT rates are data with validity dates", () => {
  const rates: VatRateRow[] = [
    { id: 1, category: "food", rate_bp: 1200, valid_from: "1996-01-01", valid_to: "2026-03-31", label: "", invoice_note: null },
    { id: 2, category: "food", rate_bp: 600, valid_from: "2026-04-01", valid_to: "2027-12-31", label: "", invoice_note: null },
    { id: 3, category: "food", rate_bp: 1200, valid_from: "2028-01-01", valid_to: null, label: "", invoice_note: null },
  ];
  it("the food rate change of 2026-04-01 .. 2027-12-31, at its boundaries", () => {
    expect(vatRateFor(rates, "food", "2026-03-31")?.rate_bp).toBe(1200);
    expect(vatRateFor(rates, "food", "2026-04-01")?.rate_bp).toBe(600);
    expect(vatRateFor(rates, "food", "2027-12-31")?.rate_bp).toBe(600);
    expect(vatRateFor(rates, "food", "2028-01-01")?.rate_bp).toBe(1200);
    expect(vatRateFor(rates, "books", "2026-05-01")).toBeUndefined();
  });
});

describe("Swedish number formats", () => {
  it("formats öre, quantities and rates", () => {
    const plain = (s: string) => s.replace(/\u00a0/g, " ");
    expect(plain(formatOre(123_456_789))).toBe("1 234 567,89");
    expect(plain(formatOre(-5))).toBe("-0,05");
    expect(plain(formatKronor(100))).toBe("1,00 kr");
    expect(formatQuantity(7500)).toBe("7,5");
    expect(formatQuantity(2000)).toBe("2");
    expect(formatQuantity(-1250)).toBe("-1,25");
    expect(plain(formatRate(2500))).toBe("25 %");
    expect(plain(formatRate(1250))).toBe("12,5 %");
  });
});

describe("parseDecimal (kronor and quantities given on the command line)", () => {
  it("scales exact decimals with a point or a comma, and refuses more places than asked", async () => {
    const { parseDecimal } = await import("../../src/core/domain/money.ts");
    expect(parseDecimal("650", 2)).toBe(65_000);
    expect(parseDecimal("1200,50", 2)).toBe(120_050);
    expect(parseDecimal("7.5", 3)).toBe(7500);
    expect(parseDecimal("-2", 3)).toBe(-2000);
    expect(parseDecimal("1 200", 2)).toBe(120_000);
    expect(parseDecimal("1,005", 2)).toBeUndefined();
    expect(parseDecimal("", 2)).toBeUndefined();
    expect(parseDecimal("12kr", 2)).toBeUndefined();
  });
});
