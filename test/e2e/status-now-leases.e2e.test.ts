import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finished, runCli, runJson, spawnCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

// Leases run on the real clock whatever --now says (a worker's lease is not moved by it), so
// status --now must judge them on it too: a live worker's job is not "expired, a worker crashed".
describe("status --now and running jobs' leases", () => {
  it("judges a live worker's lease on the real clock, in the past and in the future", async () => {
    const db = join(tempDir(), "leases.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":60000}'], db);
    const worker = spawnCli(["process", "--lease", "30s", "--json"], db);
    try {
      for (let i = 0; i < 400; i++) {
        if ((await runJson(["jobs", "show", "1"], db)).job.state === "running") break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      for (const now of ["2027-06-01T00:00:00Z", "2026-01-01T00:00:00Z"]) {
        const check = await runCli(["status", "--check", "--json", "--now", now], db);
        const doc = JSON.parse(check.stdout);
        expect(doc.running, now).toEqual([expect.objectContaining({ id: 1, expired: false })]);
        expect(doc.expiredLeases, now).toBe(0);
        expect(doc.health.problems.join("\n"), now).not.toMatch(/lease/);
      }
    } finally {
      worker.kill("SIGTERM");
      await finished(worker);
    }
  }, 60_000);
});
