// Finding and reading the numbered migrations (portable). Each dialect has its own folder,
// migrations/sqlite/ and migrations/postgres/, with the same numbers and names: migrate.sqlite.ts
// and migrate.postgres.ts apply them.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ExitCode, LeadjobsError } from "../errors.ts";
import type { Dialect } from "./dialect.ts";

const FILE_NAME = /^(\d{4})_[a-z0-9_]+\.sql$/;

export interface Migration {
  name: string;
  /** Read only when the migration has to be applied: most starts apply nothing. */
  sql: () => string;
}

/** Finds the package's `migrations/<dialect>/` folder from this module (works from src/ and from the bundle). */
export function findMigrationsDir(dialect: Dialect = "sqlite", from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, "migrations", dialect);
    if (existsSync(join(candidate, "0001_queue.sql"))) return candidate;
    if (dirname(dir) === dir)
      throw new LeadjobsError("cannot find the migrations/ folder of leadjobs", "MIGRATION", { exitCode: ExitCode.Internal });
  }
}

export function readMigrations(dir: string): Migration[] {
  return readdirSync(dir)
    .filter((f) => FILE_NAME.test(f))
    .sort()
    .map((f) => ({ name: f.slice(0, -4), sql: () => readFileSync(join(dir, f), "utf8") }));
}
