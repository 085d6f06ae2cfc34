import { luhnCheckDigit, luhnValid } from "./luhn.ts";

export type OrgnrCheck = { ok: true; orgnr: string } | { ok: false; reason: string };

/**
 * Validates a Swedish organisationsnummer and normalises it to 10 digits.
 * Accepts NNNNNNNNNN, NNNNNN-NNNN and the 12-digit legal-person form 16NNNNNNNNNN.
 * The third digit must be >= 2 (that is what tells it from a personnummer) and the
 * last digit is a Luhn check digit.
 */
export function checkOrgnr(input: string): OrgnrCheck {
  const compact = input.trim().replace(/[\s-]/g, "");
  if (!/^\d+$/.test(compact)) return { ok: false, reason: `"${input}" is not a number` };
  let digits = compact;
  if (digits.length === 12) {
    if (!digits.startsWith("16")) return { ok: false, reason: `"${input}": a 12-digit organisationsnummer starts with 16` };
    digits = digits.slice(2);
  }
  if (digits.length !== 10)
    return { ok: false, reason: `"${input}" has ${compact.length} digits; an organisationsnummer has 10 (or 12 with 16)` };
  if (Number(digits[2]) < 2) return { ok: false, reason: `"${input}": the third digit must be 2 or more (this looks like a personnummer)` };
  if (!luhnValid(digits)) return { ok: false, reason: `"${input}": wrong check digit` };
  return { ok: true, orgnr: digits };
}

/** NNNNNN-NNNN */
export function formatOrgnr(orgnr: string): string {
  return `${orgnr.slice(0, 6)}-${orgnr.slice(6)}`;
}

/** The Swedish VAT number of a company: SE + orgnr + 01. */
export function vatNumber(orgnr: string): string {
  return `SE${orgnr}01`;
}

/** Completes nine digits with their Luhn check digit (seed data, tests). */
export function withCheckDigit(nine: string): string {
  return nine + String(luhnCheckDigit(nine));
}
