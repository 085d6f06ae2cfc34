import { existsSync, readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, spawnCli } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

// cron's first run creates the database; killed while it does, it must not leave a file that every
// later run refuses (an empty one was "a truncated copy?", exit 2, until someone deleted it).
describe("a first run killed while it creates the database", () => {
  it("leaves nothing a later run refuses, and no temporary files once a later run has created it", async () => {
    const dir = tempDir();
    const db = join(dir, "first.db");
    const started = () => existsSync(db) || readdirSync(dir).some((f) => f.endsWith(".new"));
    for (let round = 0; round < 25; round++) {
      const child = spawnCli(["jobs", "add", "noop"], db);
      const gone = new Promise((resolve) => child.once("exit", resolve));
      while (!started() && child.exitCode === null) await new Promise((resolve) => setTimeout(resolve, 1));
      child.kill("SIGKILL");
      await gone;
      if (existsSync(db)) expect(statSync(db).size, `round ${round}`).toBeGreaterThan(0);
      const next = await runCli(["jobs", "add", "noop"], db);
      expect(next.stderr, `round ${round}`).toBe("");
      expect(next.code, `round ${round}`).toBe(0);
      expect(
        readdirSync(dir).filter((f) => f.startsWith(".")),
        `round ${round}`,
      ).toEqual([]);
      for (const f of readdirSync(dir)) if (f.startsWith("first.db")) rmSync(join(dir, f), { force: true });
    }
  }, 120_000);
});
