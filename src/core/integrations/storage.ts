import { randomBytes } from "node:crypto";
import { readdirSync, rmSync, statSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { ownerGone, workerIdentity } from "../runtime/owner.ts";
import { makeDirs } from "../util/make-dirs.ts";
import { processExists } from "../util/process-exists.ts";

/**
 * Writes a file atomically: a temporary file in the same directory, flushed to disk, then
 * renamed over the target (and the directory flushed), so a reader or a crash sees either the
 * old file or the whole new one, never half of it.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  await makeDirs(dir, 0o750);
  if (!swept.has(dir)) {
    swept.add(dir);
    removeStaleTempFiles(dir);
  }
  const tmp = join(dir, `.${basename(path)}.${tempOwner()}.${randomBytes(4).toString("hex")}.tmp`);
  const file = await open(tmp, "wx", 0o640);
  try {
    await file.writeFile(data);
    await file.sync();
  } catch (e) {
    await file.close().catch(() => undefined);
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await file.close();
  try {
    await rename(tmp, path);
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  const handle = await open(dir, "r").catch(() => undefined);
  if (handle) {
    await handle.sync().catch(() => undefined); // not every file system can sync a directory
    await handle.close();
  }
}

const swept = new Set<string>();

/**
 * Who writes a temporary file, in its name: `host~pid~boot` (runtime/owner.ts; the host with `_`
 * for what is not a letter, digit or `-`, so the part has no dot to confuse with the file's own
 * name), so that a folder shared by several machines is cleaned only of this host's files.
 */
function tempOwner(): string {
  const me = workerIdentity();
  return `${hostPart(me.host)}~${process.pid}~${me.boot}`;
}

const hostPart = (host: string) => host.replace(/[^A-Za-z0-9-]/g, "_");

/** `.<name>.<host~pid~boot>.<hex>.tmp`, and the older `.<name>.<pid>.<hex>.tmp`. */
const TEMP = /^\..+\.(?:([A-Za-z0-9_-]+)~(\d+)~([0-9a-f]*)|(\d+))\.[0-9a-f]{8}\.tmp$/;
/** A write of the older names takes seconds; after an hour its file is abandoned, whichever host made it. */
const LEGACY_AGE_MS = 3_600_000;

/**
 * Removes the temporary files of writeFileAtomic that a killed process (kill -9, a power cut)
 * left in `dir`: those of a process of this host that no longer exists (or ran before its last
 * boot). Names without a host (older versions) go when their pid is gone here and they are an
 * hour old. Returns how many it removed; a file it may not remove is left (never an error).
 */
export function removeStaleTempFiles(dir: string, now = Date.now()): number {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0; // no folder yet, or one we may not read: nothing of ours to remove
  }
  const me = workerIdentity();
  let removed = 0;
  for (const name of names) {
    const m = TEMP.exec(name);
    if (!m) continue;
    const file = join(dir, name);
    try {
      const [, host, pid, boot, legacyPid] = m;
      const gone =
        legacyPid !== undefined
          ? abandonedLegacy(Number(legacyPid), file, now)
          : host === hostPart(me.host) && ownerGone(`${me.host}:${pid}${boot ? `:${boot}` : ""}`, me);
      if (!gone) continue;
      rmSync(file, { force: true });
      removed++;
    } catch {
      // removed meanwhile, or not ours to remove
    }
  }
  return removed;
}

function abandonedLegacy(pid: number, file: string, now: number): boolean {
  return pid !== process.pid && !processExists(pid) && now - statSync(file).mtimeMs > LEGACY_AGE_MS;
}

/** The folders directly in `dir` (none when it is missing). */
export function subfolders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => join(dir, e.name));
  } catch {
    return [];
  }
}

/**
 * What the file system says of a file without reading it: size, inode, and the modification and
 * change times in nanoseconds. Any write, copy over or rename onto the path changes it (the change
 * time cannot be set back); null when the file is missing. Synchronous: a check of thousands of
 * files takes a tenth of the time it takes through the thread pool.
 */
export function fileSignature(path: string): string | null {
  try {
    const s = statSync(path, { bigint: true, throwIfNoEntry: false });
    return s ? `${s.size}:${s.ino}:${s.mtimeNs}:${s.ctimeNs}` : null;
  } catch {
    return null;
  }
}

/** The sha256 (hex) of a file's bytes, or null when it cannot be read (missing). */
export async function fileSha256(path: string): Promise<string | null> {
  const { createHash } = await import("node:crypto");
  const { readFile } = await import("node:fs/promises");
  try {
    return createHash("sha256")
      .update(await readFile(path))
      .digest("hex");
  } catch {
    return null;
  }
}
