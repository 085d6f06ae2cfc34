/**
 * The value of an Inline XBRL `ix:nonFraction`: its displayed text read by its `format` (an ixt
 * transformation), times 10^`scale`, negated by `sign="-"`. Exact: a value is an integer
 * mantissa and a power of ten, so "1 234,5" at scale 3 is 12345 × 10^2, never a float.
 */
export interface IxDecimal {
  mantissa: bigint;
  exponent: number;
}

// The ixt transformations of numbers, by local name (the registry versions 1–5 name them differently).
const DOT_DECIMAL = new Set(["numdotdecimal", "num-dot-decimal", "numcommadot", "numspacedot", "numdotdecimalin"]);
const COMMA_DECIMAL = new Set(["numcommadecimal", "num-comma-decimal", "numdotcomma", "numspacecomma", "numcommadecimalin"]);
const ZERO = new Set(["zerodash", "fixed-zero", "fixedzero", "numzerodash"]);
/** Separators of digit groups: spaces (also no-break and thin), apostrophes. */
const GROUP = /[\s\u00a0\u202f\u2009']/g;

export type IxNumberResult = { ok: true; value: IxDecimal } | { ok: false; error: string };

export function ixNumber(
  text: string,
  a: { format?: string | undefined; scale?: string | undefined; sign?: string | undefined },
): IxNumberResult {
  const format = a.format?.trim() ? (a.format.trim().split(":").pop() ?? "").toLowerCase() : null;
  const shown = text.trim();
  let plain: string;
  if (format === null) plain = shown;
  else if (ZERO.has(format)) plain = "0";
  else if (DOT_DECIMAL.has(format)) plain = shown.replace(GROUP, "").replace(/,/g, "");
  else if (COMMA_DECIMAL.has(format)) plain = shown.replace(GROUP, "").replace(/\./g, "").replace(",", ".");
  else return { ok: false, error: `format ${a.format} is not a number format this reader knows` };
  const m = /^(\d+)(?:\.(\d+))?$/.exec(plain);
  if (!m) return { ok: false, error: `"${shown.slice(0, 40)}" is not a number${format ? ` in format ${format}` : ""}` };
  let scale = 0;
  if (a.scale !== undefined && a.scale.trim() !== "") {
    if (!/^-?\d{1,2}$/.test(a.scale.trim())) return { ok: false, error: `scale "${a.scale}" is not a whole number` };
    scale = Number(a.scale.trim());
  }
  const fraction = m[2] ?? "";
  let mantissa = BigInt(`${m[1]}${fraction}`);
  if (a.sign?.trim() === "-") mantissa = -mantissa;
  else if (a.sign !== undefined && a.sign.trim() !== "") return { ok: false, error: `sign "${a.sign}" is not "-"` };
  return { ok: true, value: { mantissa, exponent: scale - fraction.length } };
}

/** The value in hundredths (kronor → öre), rounded half away from zero; null beyond ±2^53. */
export function hundredths(v: IxDecimal): number | null {
  return safe(shift(v.mantissa, v.exponent + 2));
}

/** The value rounded to a whole number, half away from zero; null beyond ±2^53. */
export function rounded(v: IxDecimal): number | null {
  return safe(shift(v.mantissa, v.exponent));
}

/** Whether two values are equal (1.50 and 15 × 10^-1 are). */
export function sameValue(a: IxDecimal, b: IxDecimal): boolean {
  const e = Math.min(a.exponent, b.exponent);
  return a.mantissa * 10n ** BigInt(a.exponent - e) === b.mantissa * 10n ** BigInt(b.exponent - e);
}

function shift(m: bigint, by: number): bigint {
  if (by >= 0) return m * 10n ** BigInt(by);
  const d = 10n ** BigInt(-by);
  const q = m / d;
  const r = m % d;
  const twice = (r < 0n ? -r : r) * 2n;
  return twice >= d ? q + (m < 0n ? -1n : 1n) : q;
}

function safe(n: bigint): number | null {
  return n > BigInt(Number.MAX_SAFE_INTEGER) || n < -BigInt(Number.MAX_SAFE_INTEGER) ? null : Number(n);
}
