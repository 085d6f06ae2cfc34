import { UsageError } from "../errors.ts";

/**
 * Parses NDJSON: every non-blank line must be one JSON value. The first bad line rejects the
 * whole input, naming its line number (so nothing is enqueued from a half-valid file).
 */
export function parseNdjson(text: string, source: string): Array<{ line: number; value: unknown }> {
  const out: Array<{ line: number; value: unknown }> = [];
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end).trim();
    start = end + 1;
    if (raw === "") continue;
    try {
      out.push({ line, value: JSON.parse(raw) });
    } catch (e) {
      throw new UsageError(`line ${line} of ${source} is not valid JSON: ${(e as Error).message}`);
    }
  }
  return out;
}
