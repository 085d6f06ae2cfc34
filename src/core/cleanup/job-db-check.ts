import { z } from "zod";
import { dialectOf } from "../db/dialect.ts";
import { quickCheck } from "../db/integrity.sqlite.ts";
import { PermanentJobError } from "../errors.ts";
import type { JobDefinition } from "../jobs/types.ts";

const payload = z.strictObject({});

/** What a check found: SQLite's first problems, none when the file is sound. */
export interface DbCheckResult {
  problems: string[];
}

/**
 * Checks the SQLite file's structure (PRAGMA quick_check) and records what it found; `status
 * --check` reads the latest record. Damage is a finding, not a failure of the job: the job
 * completes with the problems as its result, and `cleanup` exits 1 on them.
 */
export const dbCheckJob: JobDefinition<z.infer<typeof payload>, DbCheckResult> = {
  type: "db.check",
  summary: "checks the SQLite database file for damage (PRAGMA quick_check; `leadjobs cleanup` runs it nightly)",
  payload,
  async run(ctx) {
    if (dialectOf(ctx.db) !== "sqlite")
      throw new PermanentJobError("db.check checks a SQLite database file; a PostgreSQL server checks its own pages");
    const problems = await quickCheck(ctx.db);
    return { result: { problems } };
  },
};
