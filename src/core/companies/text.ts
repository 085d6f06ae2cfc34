/** Small normalisers for register text: names, places, postcodes, dates. */

/** "UPPLANDS VÄSBY" -> "Upplands Väsby"; "sankt olof" -> "Sankt Olof". */
export function titleCase(text: string): string {
  return text
    .toLocaleLowerCase("sv-SE")
    .replace(/(^|[\s\-/(])(\p{L})/gu, (_m, sep: string, ch: string) => sep + ch.toLocaleUpperCase("sv-SE"));
}

/** Lower case without diacritics, for matching words ("Göteborg" -> "goteborg"). */
export function fold(text: string): string {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Control characters (except tab and newline) and surrounding blanks removed; null when empty. */
export function cleanText(text: string | undefined | null): string | null {
  if (text === undefined || text === null) return null;
  // eslint-disable-next-line no-control-regex
  const out = text
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, " ")
    .replace(/[ \t]+/g, " ")
    .trim();
  return out === "" ? null : out;
}

/** "11122", "111 22" -> "111 22"; null when it is not a Swedish postcode. */
export function normalisePostcode(text: string | null | undefined): string | null {
  if (!text) return null;
  const digits = text.replace(/\s/g, "");
  return /^\d{5}$/.test(digits) ? `${digits.slice(0, 3)} ${digits.slice(3)}` : null;
}

/** "2023-05-05", "2023-05-05T00:00:00.000+00:00", "20230505" -> "2023-05-05"; null otherwise. */
export function normaliseDate(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = text.trim();
  const m = /^(\d{4})-?(\d{2})-?(\d{2})(?:$|[T ])/.exec(t);
  if (!m) return null;
  const [, y, mo, d] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d));
  const check = new Date(ms);
  if (Number.isNaN(ms) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return null;
  return `${y}-${mo}-${d}`;
}

/** Valid SNI codes (2 to 5 digits), duplicates and the "unknown" code 00000 removed. */
export function cleanSniCodes(codes: ReadonlyArray<string | null | undefined>): string[] {
  const out: string[] = [];
  for (const raw of codes) {
    const c = raw?.trim().replace(/\./g, "");
    if (!c || !/^\d{2,5}$/.test(c) || /^0+$/.test(c) || out.includes(c)) continue;
    out.push(c);
  }
  return out;
}
