// Where one Chromium launch keeps its profile and crash folders. Chromium creates its default
// profile on every start, about 3 MB of SQLite files and caches, although our pages run in
// in-memory contexts: on a Raspberry Pi's SD card that is most of what a day of cron runs writes.
// /dev/shm is memory on every Linux that has it, so a launch there writes nothing to disk.
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { processExists } from "../../util/process-exists.ts";

const PREFIX = "leadjobs-chromium-";
/** A launch's folder name: the prefix, the pid of the process that made it, "-", mkdtemp's letters. */
const OWNER = new RegExp(`^${PREFIX}(\\d+)-`);

/**
 * Makes a new folder for one launch in the first of `parents` that takes one (memory first, then
 * the temporary folder), named after this process. Folders there of processes that are gone (killed
 * before they could remove theirs) are removed first, so that none stays in memory until a reboot.
 */
export function makeChromiumHome(parents: readonly string[] = ["/dev/shm", tmpdir()]): string {
  let lastError: unknown;
  for (const parent of parents) {
    try {
      const home = mkdtempSync(join(parent, `${PREFIX}${process.pid}-`));
      removeOrphans(parent);
      return home;
    } catch (e) {
      lastError = e;
    }
  }
  throw lastError;
}

/**
 * Removes a launch's folder once its Chromium has exited: until then Chromium may still write its
 * profile (a removal at disconnect met files being written). Never throws: a folder that stays is
 * an orphan the next launch removes.
 */
export function removeChromiumHome(home: string, chromium: ChildProcess | null | undefined): void {
  const remove = () => void rm(home, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 }).catch(() => undefined);
  if (chromium && chromium.exitCode === null && chromium.signalCode === null) chromium.once("exit", remove);
  else remove();
}

function removeOrphans(parent: string): void {
  for (const name of readdirSync(parent)) {
    const pid = Number(OWNER.exec(name)?.[1]);
    try {
      if (pid > 0 && !processExists(pid)) rmSync(join(parent, name), { recursive: true, force: true });
    } catch {
      // another user's: theirs to remove
    }
  }
}
