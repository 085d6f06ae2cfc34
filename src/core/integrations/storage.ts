import { randomBytes } from "node:crypto";
import { statSync } from "node:fs";
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { makeDirs } from "../util/make-dirs.ts";

/**
 * Writes a file atomically: a temporary file in the same directory, flushed to disk, then
 * renamed over the target (and the directory flushed), so a reader or a crash sees either the
 * old file or the whole new one, never half of it.
 */
export async function writeFileAtomic(path: string, data: Uint8Array): Promise<void> {
  const dir = dirname(path);
  await makeDirs(dir, 0o750);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
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
