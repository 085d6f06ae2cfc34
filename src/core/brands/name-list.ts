import { UsageError } from "../errors.ts";

/**
 * A brand's or competitor's aliases or domains after an edit: `add` joins the list (a name
 * already there, in any case, is kept once), `remove` takes it out (case-insensitive; removed and added again, it takes the new spelling); removing
 * what is not there is exit 2, so a typo does not pass for a change.
 */
export function editList(current: readonly string[], add: readonly string[], remove: readonly string[], what: string): string[] {
  const key = (s: string) => s.trim().toLowerCase();
  const missing = remove.filter((r) => !current.some((c) => key(c) === key(r)));
  if (missing.length > 0) throw new UsageError(`no ${what} ${missing.map((m) => `"${m.trim()}"`).join(", ")} to remove`);
  const gone = new Set(remove.map(key));
  const out: string[] = [];
  const kept = current.filter((c) => !gone.has(key(c)));
  for (const s of [...kept, ...add].map((x) => x.trim())) if (s !== "" && !out.some((o) => key(o) === key(s))) out.push(s);
  return out;
}
