import { fromInstant } from "../time.ts";
import { wallClockIn } from "./wall-clock.ts";

const formats = new Map<string, Intl.DateTimeFormat>();

/** An instant as wall time in a zone, for people: `Sun 2026-03-29 03:00 CEST`. */
export function formatInZone(t: number | string, tz: string): string {
  const ms = typeof t === "number" ? t : fromInstant(t);
  return withoutIntl(ms, tz) ?? formatWithIntl(ms, tz);
}

/** Just the wall clock time in a zone: `08:02`. */
export function clockInZone(t: number | string, tz: string): string {
  return formatInZone(t, tz).split(" ")[2] as string;
}

const CENTRAL = { 60: "CET", 120: "CEST" };
const EASTERN = { 120: "EET", 180: "EEST" };
const WESTERN = { 0: "WET", 60: "WEST" };
const zonesOf = (names: string, byOffset: Record<number, string>) => names.split(" ").map((z) => [z, byOffset] as const);

/**
 * The short zone names Intl's en-GB gives zones of Europe (and UTC), by UTC offset in minutes,
 * as it gives them from 2000 to 2100: test/unit/zone-format.test.ts compares every zone here with
 * Intl. Other zones, other offsets and other years are formatted by Intl.
 */
export const SHORT_NAMES = new Map<string, Record<number, string>>([
  ...zonesOf(
    "Europe/Stockholm Europe/Oslo Europe/Copenhagen Europe/Berlin Europe/Amsterdam Europe/Andorra Europe/Belgrade Europe/Bratislava " +
      "Europe/Brussels Europe/Budapest Europe/Busingen Europe/Gibraltar Europe/Ljubljana Europe/Luxembourg Europe/Madrid Europe/Malta " +
      "Europe/Monaco Europe/Paris Europe/Podgorica Europe/Prague Europe/Rome Europe/San_Marino Europe/Sarajevo Europe/Skopje " +
      "Europe/Tirane Europe/Vaduz Europe/Vatican Europe/Vienna Europe/Warsaw Europe/Zagreb Europe/Zurich Arctic/Longyearbyen",
    CENTRAL,
  ),
  ...zonesOf(
    "Europe/Helsinki Europe/Mariehamn Europe/Tallinn Europe/Riga Europe/Vilnius Europe/Athens Europe/Bucharest Europe/Chisinau " +
      "Europe/Kiev Europe/Sofia",
    EASTERN,
  ),
  ...zonesOf("Europe/Lisbon Atlantic/Canary Atlantic/Faeroe Atlantic/Madeira", WESTERN),
  ["Europe/London", { 0: "GMT", 60: "BST" }],
  ["UTC", { 0: "UTC" }],
]);

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const two = (n: number) => String(n).padStart(2, "0");

function withoutIntl(ms: number, tz: string): string | undefined {
  const names = SHORT_NAMES.get(tz);
  if (!names) return undefined;
  const w = wallClockIn(ms, tz);
  const name = names[w.offsetMinutes];
  if (name === undefined || w.year < 2000 || w.year > 2100) return undefined;
  return `${WEEKDAYS[w.weekday]} ${w.year}-${two(w.month)}-${two(w.day)} ${two(w.hour)}:${two(w.minute)} ${name}`;
}

/** formatInZone through Intl, as every zone was formatted before the table (and the test's yardstick). */
export function formatWithIntl(ms: number, tz: string): string {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone: tz,
      weekday: "short",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
      timeZoneName: "short",
    });
    formats.set(tz, f);
  }
  const p: Record<string, string> = {};
  for (const part of f.formatToParts(ms)) p[part.type] = part.value;
  return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}
