import * as z from "zod";
import { dialectOf } from "../db/dialect.ts";
import { quickCheck } from "../db/integrity.sqlite.ts";
import { UsageError } from "../errors.ts";
import type { JobDefinition } from "../jobs/types.ts";

const payload = z.strictObject({});

const ON_POSTGRES = "it checks a SQLite database file; a PostgreSQL server checks its own pages";

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
  // Reads the whole file: minutes for a register of gigabytes on an SD card.
  timeoutMs: 60 * 60_000,
  payload,
  // Refused when it is added (jobs add, schedule add: exit 2), and dead if one was queued anyway.
  async checkReferences(_payload, ctx) {
    if (dialectOf(ctx.db) !== "sqlite") throw new UsageError(ON_POSTGRES);
  },
  async run(ctx) {
    const problems = await quickCheck(ctx.db);
    return { result: { problems } };
  },
};
