import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { finished, runCli, runJson, spawnCli } from "../helpers/cli.ts";

/** A small tmpfs on a new folder (root only), unmounted after the test; null where it cannot be mounted. */
function smallDisk(): string | null {
  if (process.getuid?.() !== 0) return null;
  const dir = mkdtempSync(join(tmpdir(), "leadjobs-rofs-"));
  if (spawnSync("mount", ["-t", "tmpfs", "-o", "size=4m", "tmpfs", dir], { stdio: "ignore" }).status !== 0) {
    rmSync(dir, { recursive: true });
    return null;
  }
  onTestFinished(() => {
    if (spawnSync("umount", [dir], { stdio: "ignore" }).status === 0) rmSync(dir, { recursive: true });
  });
  return dir;
}

describe("a database on a read-only file system", () => {
  it("status and listings read it; a command that writes says the file system is read-only (exit 2)", async (ctx) => {
    const disk = smallDisk();
    if (!disk) return ctx.skip("cannot mount a tmpfs (needs root: mount -t tmpfs)");
    const dir = join(disk, "rodir");
    const db = join(dir, "a.db");
    expect((await runCli(["jobs", "add", "noop"], db)).code).toBe(0);
    expect(spawnSync("mount", ["-o", "remount,ro", disk]).status).toBe(0);

    const status = await runJson(["status"], db);
    expect(status.queue.counts).toMatchObject({ pending: 1 });
    expect((await runJson(["jobs", "list"], db)).jobs).toHaveLength(1);

    const write = await runCli(["jobs", "add", "noop"], db);
    expect([write.code, write.stdout, write.stderr]).toEqual([
      2,
      "",
      `leadjobs: cannot open database ${db}: ${dir} is on a read-only file system (mount it read-write to write)\n`,
    ]);
  });

  it("commits a killed writer left in its -wal are read by every command that reads, as status reads them", async (ctx) => {
    const disk = smallDisk();
    if (!disk) return ctx.skip("cannot mount a tmpfs (needs root: mount -t tmpfs)");
    const db = join(disk, "w.db");
    await runJson(["jobs", "add", "noop", "--payload", '{"sleepMs":60000}'], db);
    const worker = spawnCli(["process"], db);
    for (let i = 0; i < 400 && (await runJson(["jobs", "show", "1"], db)).job.state !== "running"; i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    worker.kill("SIGKILL");
    await finished(worker);
    expect(statSync(`${db}-wal`).size).toBeGreaterThan(0); // the claim is only in the -wal
    expect(spawnSync("mount", ["-o", "remount,ro", disk]).status).toBe(0);

    expect((await runJson(["status"], db)).queue.counts).toMatchObject({ running: 1 });
    expect((await runJson(["jobs", "list"], db)).jobs).toEqual([expect.objectContaining({ id: 1, state: "running" })]);
    expect((await runJson(["jobs", "show", "1"], db)).job.state).toBe("running");
  });
});
