import { describe, expect, it } from "vitest";
import { formatBankgiro, formatPlusgiro, isBankgiro, isPlusgiro } from "../../src/core/domain/giro.ts";
import { isValidOcr, ocrReference } from "../../src/core/domain/ocr.ts";

describe("OCR references (Bankgirot)", () => {
  it("appends a Luhn check digit", () => {
    expect(ocrReference("12345", { lengthDigit: false })).toBe("123455");
    expect(ocrReference("1", { lengthDigit: false })).toBe("18");
    expect(ocrReference("4000", { lengthDigit: false })).toBe("40006");
  });

  it("with a length digit: base, total length mod 10, then the check digit over both", () => {
    // 12345 + length 7 + check digit: the example of the reference
    expect(ocrReference("12345", { lengthDigit: true })).toBe("1234574");
    expect(ocrReference("1", { lengthDigit: true })).toBe("133");
    // 8 digits + 2 = 10 -> length digit 0
    expect(ocrReference("12345678", { lengthDigit: true }).slice(8, 9)).toBe("0");
  });

  it("checks references, including the length digit when the agreement asks for it", () => {
    expect(isValidOcr("123455", { lengthDigit: false })).toBe(true);
    expect(isValidOcr("123456", { lengthDigit: false })).toBe(false);
    expect(isValidOcr("1234574", { lengthDigit: true })).toBe(true);
    expect(isValidOcr("1234574", { lengthDigit: false })).toBe(true); // still Luhn-valid
    expect(isValidOcr("123455", { lengthDigit: true })).toBe(false); // wrong length digit
    expect(isValidOcr("1", { lengthDigit: false })).toBe(false);
    expect(isValidOcr("1".repeat(26), { lengthDigit: false })).toBe(false);
    for (let n = 1; n < 3000; n += 7) {
      expect(isValidOcr(ocrReference(String(n), { lengthDigit: true }), { lengthDigit: true })).toBe(true);
      expect(isValidOcr(ocrReference(String(n), { lengthDigit: false }), { lengthDigit: false })).toBe(true);
    }
  });

  it("refuses bases that are not digits or too long", () => {
    expect(() => ocrReference("12a", { lengthDigit: false })).toThrow(/digits/);
    expect(() => ocrReference("1".repeat(24), { lengthDigit: true })).toThrow(/2 to 25/);
  });
});

describe("bankgiro and plusgiro", () => {
  it("validates with Luhn and formats", () => {
    expect(isBankgiro("5050-1055")).toBe(true);
    expect(isBankgiro("5050-1056")).toBe(false);
    expect(isBankgiro("991-2346")).toBe(true);
    expect(formatBankgiro("50501055")).toBe("5050-1055");
    expect(formatBankgiro("9912346")).toBe("991-2346");
    expect(isPlusgiro("4000-8")).toBe(false);
    expect(isPlusgiro("90 20 03-3")).toBe(true);
    expect(formatPlusgiro("9020033")).toBe("90 20 03-3");
    expect(formatPlusgiro("1234566")).toBe("12 34 56-6");
  });
});
