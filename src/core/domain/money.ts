/**
 * Money is integer öre. These helpers keep every rounding in one place:
 * - `divRound`: an exact integer quotient rounded half away from zero (1.5 -> 2, -1.5 -> -2),
 *   computed with BigInt so large products never lose precision;
 * - `oresavrundning`: the total rounded to whole kronor (1-49 öre down, 50-99 up, negative
 *   amounts symmetrically), as Lag (1970:1029) om avrundning av vissa öresbelopp prescribes.
 */

/** round(numerator / denominator), half away from zero; denominator > 0. */
export function divRound(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("denominator must be positive");
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = (n * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}

export function toSafeNumber(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) throw new RangeError(`${what} is too large`);
  return Number(v);
}

/** Öresavrundning: the amount rounded to whole kronor (still in öre). */
export function roundToKrona(ore: number): number {
  return toSafeNumber(divRound(BigInt(ore), 100n) * 100n, "amount");
}

const NBSP = "\u00a0";

/** 1234567 öre -> "12 345,67" (non-breaking spaces between thousands, minus sign for negatives). */
export function formatOre(ore: number): string {
  const negative = ore < 0;
  const abs = Math.abs(ore);
  const kronor = Math.floor(abs / 100);
  const rest = String(abs % 100).padStart(2, "0");
  return `${negative ? "-" : ""}${groupThousands(String(kronor))},${rest}`;
}

/** "12 345,67 kr" */
export function formatKronor(ore: number): string {
  return `${formatOre(ore)}${NBSP}kr`;
}

function groupThousands(digits: string): string {
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += NBSP;
    out += digits[i];
  }
  return out;
}

/** 7500 thousandths -> "7,5"; 2000 -> "2". */
export function formatQuantity(milli: number): string {
  const negative = milli < 0;
  const abs = Math.abs(milli);
  const whole = Math.floor(abs / 1000);
  const frac = String(abs % 1000)
    .padStart(3, "0")
    .replace(/0+$/, "");
  return `${negative ? "-" : ""}${groupThousands(String(whole))}${frac ? `,${frac}` : ""}`;
}

/** 2500 basis points -> "25 %", 1250 -> "12,5 %". */
export function formatRate(bp: number): string {
  const whole = Math.floor(bp / 100);
  const frac = String(bp % 100)
    .padStart(2, "0")
    .replace(/0+$/, "");
  return `${whole}${frac ? `,${frac}` : ""}${NBSP}%`;
}

/**
 * An exact decimal ("7,5", "650.25", "-2") scaled to an integer with `decimals` places
 * (kronor to öre: 2; quantities to thousandths: 3); undefined when it is not one or has more places.
 */
export function parseDecimal(text: string, decimals: number): number | undefined {
  const m = /^(-)?(\d+)(?:[.,](\d+))?$/.exec(text.trim().replace(/[\s\u00a0]/g, ""));
  if (!m) return undefined;
  const fraction = m[3] ?? "";
  if (fraction.length > decimals) return undefined;
  const v = Number(`${m[2]}${fraction.padEnd(decimals, "0")}`);
  if (!Number.isSafeInteger(v)) return undefined;
  return m[1] && v !== 0 ? -v : v;
}
