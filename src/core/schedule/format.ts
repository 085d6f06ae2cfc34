import { fromInstant } from "../time.ts";

const formats = new Map<string, Intl.DateTimeFormat>();

/** An instant as wall time in a zone, for people: `Sun 2026-03-29 03:00 CEST`. */
export function formatInZone(t: number | string, tz: string): string {
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
  for (const part of f.formatToParts(typeof t === "number" ? t : fromInstant(t))) p[part.type] = part.value;
  return `${p.weekday} ${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute} ${p.timeZoneName}`;
}

/** Just the wall clock time in a zone: `08:02`. */
export function clockInZone(t: number | string, tz: string): string {
  return formatInZone(t, tz).split(" ")[2] as string;
}
