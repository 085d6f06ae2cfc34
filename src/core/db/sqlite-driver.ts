// SQLite-specific: better-sqlite3, loaded on first use, and the path of its compiled addon.
// require(), not import: an ES import of this CommonJS package runs Node's CommonJS export
// scanner over it on every start. The addon's path goes to the `nativeBinding` option: without it
// the package finds its addon through the `bindings` package, which parses a stack trace and
// tries a dozen paths on every start, about 10 ms of an idle cron run.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import type BetterSqlite3 from "better-sqlite3";

const requireModule = createRequire(import.meta.url);
let driver: { Sqlite: typeof BetterSqlite3; options: BetterSqlite3.Options } | undefined;

/** A new better-sqlite3 handle on `path` (`:memory:` for a private one). */
export function newSqlite(path: string): BetterSqlite3.Database {
  driver ??= load();
  return new driver.Sqlite(path, driver.options);
}

function load() {
  const Sqlite = requireModule("better-sqlite3") as typeof BetterSqlite3;
  let addon: string | undefined;
  try {
    addon = requireModule.resolve("better-sqlite3/build/Release/better_sqlite3.node");
  } catch {
    addon = undefined; // built elsewhere (a debug build): `bindings` finds it
  }
  return { Sqlite, options: addon && existsSync(addon) ? { nativeBinding: addon } : {} };
}
