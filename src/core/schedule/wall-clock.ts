// An instant's wall clock in a zone, read through V8's own Date with the process's zone set to
// that zone for the length of one synchronous call. V8 and Intl read the same ICU zone data, so
// the offsets are Intl's. Why not Intl.DateTimeFormat: its first use in a process sets up ICU's
// date formatting, 20–30 ms, more than the rest of an idle `status`; a switch of TZ costs about
// 60 µs (2 ms the first time). Node documents assigning `process.env.TZ` as changing the zone.

export interface WallClock {
  year: number;
  /** 1–12. */
  month: number;
  day: number;
  /** 0 = Sunday. */
  weekday: number;
  hour: number;
  minute: number;
  /** Wall time minus UTC, in minutes. */
  offsetMinutes: number;
}

/** The wall clock at instant `t` in IANA zone `tz`; `tz` must be a zone V8 knows (an unknown one reads as UTC). */
export function wallClockIn(t: number, tz: string): WallClock {
  const previous = process.env.TZ;
  process.env.TZ = tz;
  try {
    const d = new Date(t);
    return {
      year: d.getFullYear(),
      month: d.getMonth() + 1,
      day: d.getDate(),
      weekday: d.getDay(),
      hour: d.getHours(),
      minute: d.getMinutes(),
      offsetMinutes: -d.getTimezoneOffset(),
    };
  } finally {
    if (previous === undefined) delete process.env.TZ;
    else process.env.TZ = previous;
  }
}
