import { statSync } from "node:fs";

/** Whether `path` is a directory; false when it is anything else or not there at all. */
export function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
