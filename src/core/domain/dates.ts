/** Calendar dates as YYYY-MM-DD (invoice, delivery and due dates): no time zone involved. */

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === text;
}

export function addDays(date: string, days: number): string {
  if (!isIsoDate(date)) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The calendar date of an instant in Sweden (what an invoice dated "today" shows). */
export function swedishDate(ms: number): string {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" }).format(ms);
}
