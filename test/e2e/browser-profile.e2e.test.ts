import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { finished, spawnCli } from "../helpers/cli.ts";
import { processTree } from "../helpers/memory.ts";
import { tempDir } from "../helpers/store.ts";
import { chromiumPath, requireTools } from "../helpers/system.ts";

// Chromium creates its default profile (about 3 MB of SQLite files and caches) on every start:
// on a Raspberry Pi's SD card, most of what a day of cron runs wrote. It belongs in memory.
let server: Server;
let url: string;
beforeAll(async () => {
  // Slow enough that the test sees Chromium running.
  server = createServer((_req, res) => void setTimeout(() => res.end("<html><body><p>Butik</p></body></html>"), 1500));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The --user-data-dir of the Chromium processes under `pid` now. */
function profileDirs(pid: number): string[] {
  const dirs = new Set<string>();
  for (const p of processTree(pid)) {
    try {
      for (const arg of readFileSync(`/proc/${p}/cmdline`, "utf8").split("\0"))
        if (arg.startsWith("--user-data-dir=")) dirs.add(arg.slice("--user-data-dir=".length));
    } catch {
      // gone meanwhile
    }
  }
  return [...dirs];
}

describe("Chromium's profile", () => {
  it("lives in /dev/shm while the browser runs, not in the temporary folder, and is gone afterwards", async (ctx) => {
    requireTools(["chromium"])(ctx);
    if (!existsSync("/dev/shm")) return ctx.skip("this machine has no /dev/shm");
    const tmp = tempDir();
    const db = join(tempDir(), "w.db");
    const args = ["run-batch", "--type", "tech_analysis", "--browser", "always", "--allow-private", "--url", url, "--json"];
    const child = spawnCli([...args, "--chromium", chromiumPath()], db, { env: { TMPDIR: tmp } });
    const seen = new Set<string>();
    const poll = setInterval(() => {
      for (const d of profileDirs(child.pid as number)) seen.add(d);
    }, 50);
    const r = await finished(child);
    clearInterval(poll);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).batches[0].items[0].status).toBe("ok");
    expect(seen.size).toBe(1);
    const [profile] = [...seen] as [string];
    expect(profile).toMatch(new RegExp(`^/dev/shm/leadjobs-chromium-${child.pid}-\\w+/profile$`));
    expect(readdirSync(tmp)).toEqual([]);
    // The folder is removed once Chromium has exited, which the command does not wait for.
    await expect.poll(() => existsSync(join(profile, "..")), { timeout: 5000 }).toBe(false);
  });
});
