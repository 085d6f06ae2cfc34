import { plural } from "../../core/util/plural.ts";

/** " (also renamed in schedule "x" and 2 unfinished jobs)" after a rename's line, or "". */
export function renameFollowers(r: { schedules: readonly string[]; jobs: readonly number[] }): string {
  const parts: string[] = [];
  if (r.schedules.length > 0)
    parts.push(`${r.schedules.length === 1 ? "schedule" : "schedules"} ${r.schedules.map((n) => `"${n}"`).join(", ")}`);
  if (r.jobs.length > 0) parts.push(plural(r.jobs.length, "unfinished job"));
  return parts.length > 0 ? ` (also renamed in ${parts.join(" and ")})` : "";
}
