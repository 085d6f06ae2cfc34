// The command's clock (no database code: the light `status` path uses it too).
import { parseInstantOption } from "../../core/time.ts";
import type { Clock } from "../../core/types.ts";

/** `--now ISO` pins the clock (previews and tests); the pinned clock still advances in real time. */
export function clockFrom(now: string | undefined): Clock {
  if (now === undefined) return Date.now;
  const offset = parseInstantOption(now, "--now") - Date.now();
  return () => Date.now() + offset;
}
