import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

/**
 * Which backend this test run uses. vitest.config.ts runs the integration and e2e suites twice:
 * project "sqlite" (files, the default) and project "postgres" (LEADJOBS_TEST_BACKEND=postgres),
 * against the server test/global-setup.ts started or LEADJOBS_TEST_POSTGRES names.
 */
export const BACKEND: "sqlite" | "postgres" = process.env.LEADJOBS_TEST_BACKEND === "postgres" ? "postgres" : "sqlite";
export const onPostgres = BACKEND === "postgres";

/** The test server's admin URL (…/postgres). */
export function postgresAdminUrl(): string {
  const url = process.env.LEADJOBS_TEST_POSTGRES;
  if (!url) throw new Error("LEADJOBS_TEST_POSTGRES is not set (test/global-setup.ts starts a server when PostgreSQL is installed)");
  return url;
}

/**
 * The database on the test server that holds this run's schemas: test/global-setup.ts creates it
 * (one per run, so runs sharing a server do not meet) and names it in LEADJOBS_TEST_DATABASE.
 */
export const testDatabaseName = (): string => process.env.LEADJOBS_TEST_DATABASE ?? "leadjobs_test";

/** The URL of database `name` on the test server; with `schema`, connections use that schema (search_path). */
export function postgresUrl(name: string, schema?: string): string {
  const u = new URL(postgresAdminUrl());
  u.pathname = `/${name}`;
  if (schema) u.searchParams.set("options", `-c search_path=${schema}`);
  return u.toString();
}

const created = new Set<string>();
const SQL = fileURLToPath(new URL("./pg-sql.mjs", import.meta.url));

/** Runs SQL on the test server synchronously (a child process: the helpers that call this are synchronous). */
export function postgresSync<T = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): T[] {
  const out = execFileSync(process.execPath, [SQL], { input: JSON.stringify({ url, sql, params }), encoding: "utf8" });
  return JSON.parse(out) as T[];
}

/**
 * The database a test names by a file path: the path itself on SQLite; on PostgreSQL an empty
 * schema of its own in the test database (named after the path; a schema is made in
 * milliseconds, a database in a second), created on first use, so the first leadjobs command
 * creates its tables just as it creates a file. psql (postgresql-client) creates it: this is
 * called from synchronous helpers.
 */
export function testDatabase(path: string): string {
  if (!onPostgres || path === ":memory:" || /^postgres(ql)?:\/\//.test(path)) return path;
  const schema = `ljt_${createHash("sha1").update(path).digest("hex").slice(0, 20)}`;
  if (!created.has(schema)) {
    execFileSync("psql", ["-qX", "-v", "ON_ERROR_STOP=1", "-c", `create schema if not exists ${schema}`, postgresUrl(testDatabaseName())], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    created.add(schema);
  }
  return postgresUrl(testDatabaseName(), schema);
}

/**
 * The environment that names a test's database to a leadjobs that cron or a shell starts: on
 * PostgreSQL the URL of the run's database and its schema in PGOPTIONS (node-postgres reads it),
 * since a `%` in a crontab line is a newline to cron.
 */
export function testDatabaseEnv(path: string): Record<string, string> {
  const url = testDatabase(path);
  if (!onPostgres || !/^postgres/.test(url)) return { LEADJOBS_DB: url };
  const u = new URL(url);
  const options = u.searchParams.get("options") ?? "";
  u.search = "";
  return { LEADJOBS_DB: u.toString(), PGOPTIONS: options };
}
