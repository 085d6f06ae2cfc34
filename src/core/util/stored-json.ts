/**
 * Parses JSON text read from the database with every object's keys in one order on both
 * backends: PostgreSQL's jsonb keeps keys in an order of its own (shorter names first by their
 * UTF-8 length, then bytewise), and SQLite keeps the text as written. The same order is applied
 * here, so --json prints stored payloads, results and reports alike whichever backend stored them.
 */
export function parseStoredJson(text: string): unknown {
  return inJsonbOrder(JSON.parse(text));
}

const encoder = new TextEncoder();

function inJsonbOrder(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(inJsonbOrder);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).map(([k, v]) => ({ k, bytes: encoder.encode(k), v }));
  entries.sort((a, b) => compareKeys(a.bytes, b.bytes));
  return Object.fromEntries(entries.map((e) => [e.k, inJsonbOrder(e.v)]));
}

function compareKeys(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return 0;
}
