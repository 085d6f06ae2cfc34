import { defineConfig } from "vitest/config";

// LEADJOBS_TEST_REPORT=FILE also writes a JSON report (used by .ci/run for its summary line).
const report = process.env.LEADJOBS_TEST_REPORT;
// Ends the run with what was skipped and why (tests that need a missing system program).
const skipSummary = "./test/skip-summary.ts";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    clearMocks: true,
    restoreMocks: true,
    pool: "forks",
    reporters: report ? ["default", skipSummary, ["json", { outputFile: report }]] : ["default", skipSummary],
  },
});
