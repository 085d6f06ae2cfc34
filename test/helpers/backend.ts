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

/** The URL of database `name` on the test server. */
export function postgresUrl(name: string): string {
  const u = new URL(postgresAdminUrl());
  u.pathname = `/${name}`;
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
 * database of its own on the test server (named after the path), created on first use, so the
 * first leadjobs command creates its tables just as it creates a file.
 */
export function testDatabase(path: string): string {
  if (!onPostgres || path === ":memory:" || /^postgres(ql)?:\/\//.test(path)) return path;
  const name = `ljt_${createHash("sha1").update(path).digest("hex").slice(0, 20)}`;
  if (!created.has(name)) {
    const exists = postgresSync(postgresAdminUrl(), "select 1 from pg_database where datname = $1", [name]).length > 0;
    if (!exists) postgresSync(postgresAdminUrl(), `create database ${name}`);
    created.add(name);
  }
  return postgresUrl(name);
}
