import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { finished, ROOT, runCli, spawnCli } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("companies import stopped by SIGTERM (Ctrl-C, systemd, a shutdown)", () => {
  it("closes its own row as failed with what was saved, says so in one line, and a rerun finishes it", async () => {
    const dir = tempDir();
    const file = join(dir, "bolagsverket.txt");
    const db = await createDb(join(dir, "register.db")); // made first, so the import starts at once
    const gen = spawnSync(process.execPath, [join(ROOT, "bench", "generate-register.mjs"), "--rows", "300000", "--out", file]);
    expect(gen.status).toBe(0);

    const child = spawnCli(["companies", "import", file], db);
    const done = finished(child);
    // Stopped in the middle: once it is recorded as running and has had a moment to write.
    for (let i = 0; i < 200 && query(db, "select id from company_import").length === 0; i++) await sleep(50);
    await sleep(700);
    child.kill("SIGTERM");
    const r = await done;

    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    const line =
      /^leadjobs: companies import of \S+bolagsverket\.txt interrupted \(SIGTERM\) after [\d,]+ rows: (nothing was saved \(the first import into an empty register is one transaction\)|[\d,]+ companies saved \([\d,]+ new, 0 updated, 0 unchanged\)); run the same import again to finish it/;
    expect(r.stderr).toMatch(line);
    expect(r.stderr.split("\n")).toHaveLength(2);
    const [row] = query<{ state: string; error: string; imported: number }>(db, "select state, error, imported from company_import");
    expect(row?.state).toBe("failed");
    expect(`leadjobs: ${row?.error}\n`).toBe(r.stderr);
    const [{ n } = { n: -1 }] = query<{ n: number }>(db, "select count(*) as n from company");
    expect(Number(n)).toBe(Number(row?.imported));
    expect(Number(n)).toBeLessThan(290_000);

    const rerun = await runCli(["companies", "import", file, "--json"], db);
    expect(rerun.code).toBe(0);
    expect(query(db, "select state from company_import order by id")).toEqual([{ state: "failed" }, { state: "completed" }]);
  }, 120_000);
});
