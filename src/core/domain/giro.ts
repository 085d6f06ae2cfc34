import { luhnValid } from "./luhn.ts";

const digitsOf = (s: string): string => s.replace(/[\s-]/g, "");

/** A bankgiro number: 7 or 8 digits, the last a Luhn check digit. */
export function isBankgiro(input: string): boolean {
  const d = digitsOf(input);
  return /^\d{7,8}$/.test(d) && luhnValid(d);
}

/** NNN-NNNN or NNNN-NNNN. */
export function formatBankgiro(input: string): string {
  const d = digitsOf(input);
  return `${d.slice(0, -4)}-${d.slice(-4)}`;
}

/** A plusgiro number: 2 to 8 digits, the last a Luhn check digit. */
export function isPlusgiro(input: string): boolean {
  const d = digitsOf(input);
  return /^\d{2,8}$/.test(d) && luhnValid(d);
}

/** Pairs from the right with a hyphen before the check digit: 12 34 56-7. */
export function formatPlusgiro(input: string): string {
  const d = digitsOf(input);
  const body = d.slice(0, -1);
  const pairs: string[] = [];
  for (let end = body.length; end > 0; end -= 2) pairs.unshift(body.slice(Math.max(0, end - 2), end));
  return `${pairs.join(" ")}-${d.slice(-1)}`;
}
