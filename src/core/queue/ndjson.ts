import { parseJsonText } from "../util/json-text.ts";

/**
 * Parses NDJSON: every non-blank line must be one JSON value. The first bad line rejects the
 * whole input, naming its line and column (so nothing is enqueued from a half-valid file).
 * A byte order mark before the first line is skipped.
 */
export function parseNdjson(text: string, source: string): Array<{ line: number; value: unknown }> {
  const out: Array<{ line: number; value: unknown }> = [];
  let start = 0;
  for (let line = 1; start <= text.length; line++) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const raw = text.slice(start, end);
    start = end + 1;
    if (raw.trim() === "") continue;
    out.push({ line, value: parseJsonText(raw, source, { line }) });
  }
  return out;
}
