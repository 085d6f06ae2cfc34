import * as z from "zod";
import { parseDuration } from "../time.ts";

/** A payload field written like the command line's durations: "90d", "12h", "1h30m". */
export const durationField = z.string().refine(
  (v) => {
    try {
      return parseDuration(v) > 0;
    } catch {
      return false;
    }
  },
  { message: "expected a duration such as 30d, 12h or 1h30m" },
);
