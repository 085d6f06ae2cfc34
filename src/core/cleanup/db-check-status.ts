// The latest check of the database file (the db.check job that `cleanup` runs nightly), for
// `status`: its shape and health verdict, without database code, so the light path (its raw
// twin, db-check-status.sqlite.ts) loads no Kysely; core/dashboard/status.ts queries it.

export interface DbCheckStatus {
  lastJobId: number | null;
  lastCheckedAt: string | null;
  /** What the latest check found (PRAGMA quick_check's first problems); [] when sound or never checked. */
  problems: string[];
}

export interface DbCheckRow {
  id: number;
  finishedAt: string | null;
  result: string | null;
}

export function shapeDbCheck(row: DbCheckRow | undefined): DbCheckStatus {
  const result = row?.result ? (JSON.parse(row.result) as { problems?: unknown }) : {};
  const problems = Array.isArray(result.problems) ? result.problems.map(String) : [];
  return { lastJobId: row?.id ?? null, lastCheckedAt: row?.finishedAt ?? null, problems };
}

/** The one line that says the file is damaged, for `status` and `cleanup`. */
export function damagedDatabase(problems: readonly string[], path: string): string {
  return `the database file is damaged (PRAGMA quick_check: ${problems.join("; ")}): stop cron's leadjobs runs and restore ${path} from a backup`;
}

export function dbCheckProblems(s: DbCheckStatus, path: string): string[] {
  return s.problems.length > 0 ? [`${damagedDatabase(s.problems, path)} (found by job ${s.lastJobId} at ${s.lastCheckedAt})`] : [];
}
