import { luhnCheckDigit, luhnValid } from "./luhn.ts";

export interface OcrOptions {
  /** Add a length digit before the check digit (the bank agreement's "variable length" check). */
  lengthDigit: boolean;
}

/**
 * A Bankgirot OCR reference from a base of digits (an invoice number): the base, then with
 * `lengthDigit` the total length including both control digits mod 10, then a Luhn check digit
 * over everything before it. 12345 gives 123455 without and 1234574 with a length digit.
 */
export function ocrReference(base: string, o: OcrOptions): string {
  if (!/^\d+$/.test(base)) throw new RangeError(`OCR base "${base}" must be digits`);
  const withLength = o.lengthDigit ? base + String((base.length + 2) % 10) : base;
  const ref = withLength + String(luhnCheckDigit(withLength));
  if (ref.length < 2 || ref.length > 25) throw new RangeError(`OCR reference ${ref} must have 2 to 25 digits`);
  return ref;
}

/** True when `ref` is 2-25 digits with a correct check digit (and length digit, when asked for). */
export function isValidOcr(ref: string, o: OcrOptions): boolean {
  if (!/^\d{2,25}$/.test(ref) || !luhnValid(ref)) return false;
  if (!o.lengthDigit) return true;
  return ref.length >= 3 && Number(ref[ref.length - 2]) === ref.length % 10;
}
