import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { postgresServerBinaries } from "./helpers/postgres-server.ts";

const SERVER = fileURLToPath(new URL("../scripts/postgres-test-server.sh", import.meta.url));

/**
 * CLI tests spawn the real bundled binary, so build it once before any test runs. The postgres
 * project (vitest.config.ts) needs a server: LEADJOBS_TEST_POSTGRES names one, or a throwaway
 * cluster is started here (scripts/postgres-test-server.sh) and removed at the end.
 */
export default function setup(): () => void {
  // Each vitest project runs the global setup; the first one does it for the whole run.
  const run = globalThis as { leadjobsTestSetup?: boolean };
  if (run.leadjobsTestSetup) return () => undefined;
  run.leadjobsTestSetup = true;
  execFileSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
  if (!process.env.LEADJOBS_TEST_POSTGRES && !postgresServerBinaries()) return () => undefined;
  let dir: string | undefined;
  if (!process.env.LEADJOBS_TEST_POSTGRES) {
    dir = mkdtempSync(join(tmpdir(), "leadjobs-pg-"));
    process.env.LEADJOBS_TEST_POSTGRES = execFileSync("bash", [SERVER, dir], { encoding: "utf8" }).trim();
  }
  // The tests' schemas (helpers/backend.ts) live in one database of this run's own.
  const admin = process.env.LEADJOBS_TEST_POSTGRES;
  const TEST_DATABASE = `leadjobs_test_${process.pid}`;
  process.env.LEADJOBS_TEST_DATABASE = TEST_DATABASE;
  const psql = (sql: string) =>
    execFileSync("psql", ["-qX", "-v", "ON_ERROR_STOP=1", "-c", sql, admin], { stdio: ["ignore", "ignore", "inherit"] });
  psql(`drop database if exists ${TEST_DATABASE} with (force)`);
  psql(`create database ${TEST_DATABASE}`);
  return () => {
    psql(`drop database if exists ${TEST_DATABASE} with (force)`);
    if (!dir) return;
    try {
      execFileSync("bash", [SERVER, "stop", dir], { stdio: "ignore" });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
