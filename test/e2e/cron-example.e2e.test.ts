import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { testDatabaseEnv } from "../helpers/backend.ts";
import { describe, expect, it } from "vitest";
import { ROOT, runJson } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";
import { installWrapper } from "../helpers/system.ts";

/** The entries of a crontab: [schedule, command], without comments and variable lines. */
function entries(text: string): Array<[string, string]> {
  return text
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#") && !/^[A-Z_]+=/.test(l))
    .map((l) => {
      const m = /^(@\w+|(?:\S+\s+){4}\S+)\s+(.*)$/.exec(l);
      if (!m) throw new Error(`not a crontab entry: ${l}`);
      return [m[1]!.replace(/\s+/g, " "), m[2]!];
    });
}

describe("crontab.example is the seed's schedule, runnable as is", () => {
  const tab = entries(readFileSync(join(ROOT, "crontab.example"), "utf8"));

  it("has the tick and worker, alerts, invoice PDFs, the 02:00 cleanup and a health check", () => {
    const at = (re: RegExp) => tab.filter(([, c]) => re.test(c)).map(([s]) => s);
    expect(at(/leadjobs enqueue; flock .* leadjobs process/)).toEqual(["*/5 * * * *", "@reboot"]);
    expect(at(/leadjobs alerts/)).toEqual(["*/15 * * * *"]);
    expect(at(/leadjobs invoice-pdf --pending/)).toEqual(["*/5 * * * *"]);
    expect(at(/leadjobs cleanup/)).toEqual(["0 2 * * *"]);
    expect(at(/leadjobs status --check/)).toHaveLength(1);
    for (const [, command] of tab) expect(command, "a bare % is a newline to cron").not.toMatch(/(^|[^\\])%/);
  });

  it("every line runs with exit 0 and prints nothing when all is well; the health line prints the reasons when not", async () => {
    const dir = tempDir("leadjobs-crontab-");
    const db = join(dir, "cron.db");
    const env = {
      PATH: `${installWrapper(dir)}:/usr/local/bin:/usr/bin:/bin`,
      HOME: dir,
      ...testDatabaseEnv(db),
      NO_COLOR: "1",
      XDG_CONFIG_HOME: "/nonexistent",
    };
    const sh = (command: string) => spawnSync("/bin/sh", ["-c", command], { encoding: "utf8", env, cwd: dir, timeout: 120_000 });
    await runJson(["schedule", "add", "--name", "nightly", "--type", "noop", "--cron", "0 2 * * *"], db);
    const health = tab.find(([, c]) => c.includes("status --check"))![1];

    const unhealthy = sh(health); // a schedule, and no worker has ever run
    expect(unhealthy.stdout).toMatch(/health: UNHEALTHY/);

    for (const [schedule, command] of tab) {
      if (schedule === "@reboot") continue; // the same commands after a sleep
      const r = sh(command);
      expect({ command, code: r.status, stdout: r.stdout, stderr: r.stderr }).toEqual({ command, code: 0, stdout: "", stderr: "" });
    }
  }, 300_000);
});
