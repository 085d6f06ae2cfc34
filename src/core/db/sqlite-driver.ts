// SQLite-specific: the better-sqlite3 driver. Its JavaScript is bundled into dist/ (esbuild), so a
// cron start does not resolve and compile its dozen CommonJS files one by one (about 6 ms); its
// compiled addon is loaded from its install by path, the `nativeBinding` option: without it the
// package finds its addon through the `bindings` package, which parses a stack trace and tries a
// dozen paths on every start (about 10 ms of an idle cron run).
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import Sqlite from "better-sqlite3";

const requireModule = createRequire(import.meta.url);
let driver: { Sqlite: typeof Sqlite; options: Sqlite.Options } | undefined;

/** A new better-sqlite3 handle on `path` (`:memory:` for a private one). */
export function newSqlite(path: string): Sqlite.Database {
  driver ??= load();
  return new driver.Sqlite(path, driver.options);
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
