import { UsageError } from "../errors.ts";

/**
 * The row a reference names: its id, its name (case-insensitive), or the start of exactly one
 * name ("stockholm" for "Stockholm City"). One resolver for every command and payload that takes
 * a name of `what` (a terminal: the singular of its command group), so `leads list --terminal` and `run-batch --terminal` agree.
 */
export function pickNamed<T extends { id: number; name: string }>(rows: readonly T[], ref: string, what: string): T {
  const t = ref.trim().toLowerCase();
  const byId = /^\d+$/.test(t) ? rows.find((r) => r.id === Number(t)) : undefined;
  const named = rows.filter((r) => r.name.toLowerCase() === t);
  // Names made before all-digit names and names differing only in case were refused can still
  // clash: with an id, or with each other (then the exact spelling decides).
  const byName = named.length > 1 ? named.find((r) => r.name === ref.trim()) : named[0];
  const clash = byId ? named.find((r) => r.id !== byId.id) : named.length > 1 && !byName ? named[1] : undefined;
  if (clash) {
    const candidates = byId ? [byId, ...named.filter((r) => r.id !== byId.id)] : named;
    throw new UsageError(`${what} "${ref}" is ambiguous: ${candidates.map((r) => `"${r.name}" (id ${r.id})`).join(", ")}`, {
      hint: `rename one of them with \`leadjobs ${what}s rename ID NEW\``,
    });
  }
  const exact = byId ?? byName;
  if (exact) return exact;
  const starts = t === "" ? [] : rows.filter((r) => r.name.toLowerCase().startsWith(t));
  if (starts.length === 1) return starts[0] as T;
  if (starts.length > 1) {
    throw new UsageError(`${what} "${ref}" is ambiguous: ${starts.map((r) => `"${r.name}"`).join(", ")}`);
  }
  const names = rows.map((r) => r.name);
  throw new UsageError(`no ${what} "${ref}"`, {
    code: "NOT_FOUND",
    hint: names.length > 0 ? `${what}s: ${names.join(", ")}` : `add one with \`leadjobs ${what}s add NAME\``,
  });
}
