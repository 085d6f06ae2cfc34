// The command's clock (no database code: the light `status` path uses it too).
import { parseInstantOption } from "../../core/time.ts";
import type { Clock } from "../../core/types.ts";

/**
 * `--now ISO` pins the clock (previews and tests); the pinned clock still advances in real time.
 * Without it, `real` (this machine's clock, or the database server's on PostgreSQL).
 */
export function clockFrom(now: string | undefined, real: Clock = Date.now): Clock {
  if (now === undefined) return real;
  const offset = parseInstantOption(now, "--now") - real();
  return () => real() + offset;
}
