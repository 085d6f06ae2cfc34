import { defineConfig } from "vitest/config";
import { postgresAvailable } from "./test/helpers/postgres-server.ts";

// LEADJOBS_TEST_REPORT=FILE also writes a JSON report (used by .ci/run for its summary line).
const report = process.env.LEADJOBS_TEST_REPORT;
// Ends the run with what was skipped and why (tests that need a missing system program).
const skipSummary = "./test/skip-summary.ts";
// LEADJOBS_TEST_ONLY=sqlite|postgres runs one backend's project.
const only = process.env.LEADJOBS_TEST_ONLY;

/**
 * Two projects: every test on SQLite, and the integration and e2e suites again on PostgreSQL
 * (test/helpers/backend.ts maps each test's database to one of its own on the test server). Where
 * no PostgreSQL server can be had, the postgres project is one test that says so and skips.
 */
const projects = [
  {
    extends: true as const,
    test: { name: "sqlite", include: ["test/**/*.test.ts"], exclude: ["test/postgres/**", "test/postgres-missing.test.ts"] },
  },
  postgresAvailable()
    ? {
        extends: true as const,
        test: {
          name: "postgres",
          include: ["test/integration/**/*.test.ts", "test/e2e/**/*.test.ts", "test/postgres/**/*.test.ts"],
          exclude: ["**/*.sqlite.test.ts"], // what only SQLite has: files, pragmas, the raw handle
          env: { LEADJOBS_TEST_BACKEND: "postgres" },
        },
      }
    : { extends: true as const, test: { name: "postgres", include: ["test/postgres-missing.test.ts"] } },
].filter((p) => !only || p.test.name === only);

export default defineConfig({
  test: {
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    clearMocks: true,
    restoreMocks: true,
    pool: "forks",
    reporters: report ? ["default", skipSummary, ["json", { outputFile: report }]] : ["default", skipSummary],
    projects,
  },
});
