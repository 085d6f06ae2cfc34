import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { chownSync, chmodSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeEach, describe, expect, it, onTestFinished } from "vitest";
import { runJson } from "../helpers/cli.ts";
import { query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";
import { ROOT } from "../helpers/cli.ts";
import { adaptExample, findProgram, installWrapper, letOthersTraverse, requireTools } from "../helpers/system.ts";

// Debian's real cron daemon, started by hand (no systemd), runs crontab.example installed for a
// user: the tick enqueues a schedule's noop job and the worker runs it (../shared recipe cron-ci.sh).
const USER = "leadjobs-ci";
// cron and useradd are in /usr/sbin, which PATH may lack: run the programs found.
const program = (name: string) => findProgram(name) ?? name;

describe("crontab.example under Debian cron", () => {
  beforeEach(requireTools(["cron", "crontab", "flock", "useradd"], { root: "to add a user and install a crontab" }));

  it("the tick enqueues and the worker processes a noop job", async () => {
    if (spawnSync("id", [USER]).status !== 0) expect(spawnSync(program("useradd"), ["-m", "-s", "/bin/sh", USER]).status).toBe(0);
    const uid = Number(spawnSync("id", ["-u", USER], { encoding: "utf8" }).stdout);
    const gid = Number(spawnSync("id", ["-g", USER], { encoding: "utf8" }).stdout);
    const dir = tempDir("leadjobs-cron-");
    const db = join(dir, "cron.db");
    const binDir = installWrapper(dir);
    onTestFinished(letOthersTraverse(ROOT));
    await runJson(["schedule", "add", "--name", "every-minute", "--type", "noop", "--cron", "* * * * *", "--as", USER], db);
    for (const f of [dir, binDir, ...readdirSync(dir).map((f) => join(dir, f))]) chownSync(f, uid, gid);
    chmodSync(dir, 0o755);

    const tab = join(dir, "crontab");
    writeFileSync(
      tab,
      adaptExample("crontab.example", {
        binDir,
        db,
        edit: (line) => (line.startsWith("@reboot") ? `# (not under test) ${line}` : line.replace(/^\*\/5 \* \* \* \*/, "* * * * *")),
      }),
    );
    const installed = spawnSync(program("crontab"), ["-u", USER, tab], { encoding: "utf8" });
    expect(installed.status, installed.stderr).toBe(0);
    onTestFinished(() => void spawnSync(program("crontab"), ["-u", USER, "-r"]));

    // Our own daemon; if one is already running (pid file locked), it picks the crontab up as well.
    const cron: ChildProcess = spawn(program("cron"), ["-f", "-L", "15"], { detached: true, stdio: "ignore" });
    onTestFinished(() => void (cron.exitCode === null && cron.pid && process.kill(cron.pid, "SIGTERM")));

    let done: Array<{ n: number }> = [];
    for (let i = 0; i < 150 && (done[0]?.n ?? 0) === 0; i++) {
      await new Promise((r) => setTimeout(r, 1000));
      done = query<{ n: number }>(db, "select count(*) as n from job where schedule_id is not null and state = 'completed'");
    }
    expect(done[0]?.n, "a scheduled noop job completed under cron").toBeGreaterThanOrEqual(1);
    const runs = query<{ command: string; owner: string; exit_code: number }>(
      db,
      "select command, owner, exit_code from command_run where exit_code is not null order by id",
    );
    expect(runs.map((r) => r.command)).toEqual(expect.arrayContaining(["enqueue", "process"]));
    expect(runs.every((r) => r.exit_code === 0)).toBe(true);
    const fires = query<{ kind: string; policy: string }>(db, "select kind, policy from schedule_fire");
    expect(fires[0]).toEqual({ kind: "run", policy: "coalesce" });
  }, 200_000);
});
