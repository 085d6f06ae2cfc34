// SQLite-specific: the better-sqlite3 driver. Its JavaScript is bundled into dist/ (esbuild), so a
// cron start does not resolve and compile its dozen CommonJS files one by one (about 6 ms); its
// compiled addon is loaded from its install by path, the `nativeBinding` option: without it the
// package finds its addon through the `bindings` package, which parses a stack trace and tries a
// dozen paths on every start (about 10 ms of an idle cron run).
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import Sqlite from "better-sqlite3";

const requireModule = createRequire(import.meta.url);
let driver: { Sqlite: typeof Sqlite; options: Sqlite.Options } | undefined;

/**
 * A new better-sqlite3 handle on `path` (`:memory:` for a private one). `immutable`: read-only,
 * without locks or the -shm file, for a file nothing can change (one on a read-only file system).
 */
export function newSqlite(path: string, o: { immutable?: boolean } = {}): Sqlite.Database {
  const d = (driver ??= load());
  if (o.immutable) {
    const uri = `file:${encodeURI(resolve(path)).replace(/[?#]/g, encodeURIComponent)}?immutable=1`;
    return withUriNames(() => new d.Sqlite(uri, { ...d.options, readonly: true, fileMustExist: true }));
  }
  // With URI file names on, only a relative path could begin with "file:": keep it a path.
  return withUriNames(() => new d.Sqlite(path.startsWith("file:") ? `./${path}` : path, d.options));
}

let addonLoaded = false;

/** The addon reads SQLITE_USE_URI once, when the first handle loads it: URI file names, for `?immutable=1`. */
function withUriNames<T>(open: () => T): T {
  if (addonLoaded) return open();
  process.env.SQLITE_USE_URI = "1";
  try {
    return open();
  } finally {
    delete process.env.SQLITE_USE_URI; // not passed on to the programs this process starts
    addonLoaded = true;
  }
}

function load() {
  let addon: string | undefined;
  try {
    addon = requireModule.resolve("better-sqlite3/build/Release/better_sqlite3.node");
  } catch {
    addon = undefined;
  }
  if (addon && existsSync(addon)) return { Sqlite, options: { nativeBinding: addon } };
  // Built elsewhere (a debug build): the package as installed finds its addon itself.
  return { Sqlite: requireModule("better-sqlite3") as typeof Sqlite, options: {} };
}
