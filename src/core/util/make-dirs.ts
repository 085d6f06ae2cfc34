import { existsSync, mkdirSync } from "node:fs";
import { mkdir, stat } from "node:fs/promises";
import { dirname } from "node:path";

// Not `mkdir(…, { recursive: true })`: Node 20 spins forever at full CPU on some paths
// (`/proc/sys/foo`), ignoring SIGTERM. These walk up one level at a time and give up.

/** mkdir -p. */
export function makeDirsSync(dir: string, mode: number): void {
  if (existsSync(dir)) return;
  const parent = dirname(dir);
  if (parent !== dir) makeDirsSync(parent, mode);
  mkdirSync(dir, { mode });
}

/** mkdir -p; fails with the first directory that cannot be made. */
export async function makeDirs(dir: string, mode: number): Promise<void> {
  try {
    await mkdir(dir, { mode });
    return;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && (await stat(dir)).isDirectory()) return;
    if (code !== "ENOENT" || dirname(dir) === dir) throw e;
  }
  await makeDirs(dirname(dir), mode);
  await mkdir(dir, { mode }).catch((e: NodeJS.ErrnoException) => {
    if (e.code !== "EEXIST") throw e;
  });
}
