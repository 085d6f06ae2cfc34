// `status` without commander or Kysely (built as its own file, dist/status.js, tried by
// bin/leadjobs for `status`): the same document from the same queries, sent as raw SQL over the
// better-sqlite3 handle (core/dashboard/status.sqlite.ts), printed by the same code as the full
// command (commands/status-print.ts). It answers only a local SQLite file and the options it
// knows; anything else — and any error, which the full CLI then reports in its own words —
// returns undefined and the full CLI runs. status only reads, and prints once everything is read:
// running it again is safe.
import { existsSync, statSync } from "node:fs";
import { ignoreClosedStdout } from "../commands/shared/output.ts";
import { clockFrom } from "../commands/shared/clock.ts";
import { loadConfig } from "../commands/shared/settings.ts";
import { printStatus, type StatusOptions, statusThresholds } from "../commands/status-print.ts";
import { collectStatusRaw } from "../core/dashboard/status.sqlite.ts";
import { openSqlite } from "../core/db/open.sqlite.ts";
import { ownerGoneHere } from "../core/runtime/owner.ts";
import { commandOptions, existingSqliteFile, globalOptions } from "./args.ts";

const VALUES = new Set(["--max-pending-age", "--max-worker-idle", "--dead-window", "--now"]);
const FLAGS = new Set(["--json", "--check"]);
const CACHE_KIB = 256;

export async function lightStatus(argv: readonly string[]): Promise<number | undefined> {
  const read = readStatus(argv);
  if (!read) return undefined;
  // Printing comes after the catch: an error there must not make the full CLI print it all again.
  ignoreClosedStdout(); // as main() does
  return printStatus(read.doc, read.now, read.opts);
}

/** The document, read and closed before anything is printed; undefined: the full CLI's. */
function readStatus(argv: readonly string[]) {
  try {
    const parsed = globalOptions(argv.slice(2));
    if (parsed.rest[0] !== "status") return undefined;
    const o = commandOptions(parsed.rest.slice(1), VALUES, FLAGS);
    const config = loadConfig(parsed.g);
    if (!o || !existingSqliteFile(config.db, existsSync, (p) => statSync(p).size)) return undefined;
    // As commander gives them: only the options given, flags as true.
    const opts: StatusOptions = Object.fromEntries(Object.entries(o).map(([k, v]) => [camel(k), FLAGS.has(k) ? true : v]));
    const thresholds = statusThresholds(opts);
    const clock = clockFrom(opts.now);
    // Opening applies missing migrations and refuses a newer database, as the full command's open does.
    const sqlite = openSqlite(config.db, { busyTimeoutMs: config.busyTimeout });
    // status reads most pages once, so a cache that keeps them only grows the process (better-sqlite3's
    // 16 MB by 7 MB on 100,000 jobs), and each page read into a new buffer faults in fresh memory
    // too. A small cache recycles its buffers: 7 ms and 1.7 MB less than SQLite's default 2 MB there.
    sqlite.pragma(`cache_size = -${CACHE_KIB}`);
    let doc: ReturnType<typeof collectStatusRaw>;
    let now: number;
    try {
      now = clock();
      doc = collectStatusRaw(sqlite, {
        dbPath: config.db,
        now,
        leaseNow: Date.now(), // an SQLite file's leases run on this machine's real clock
        overdueAfterMs: config.overdueAfter,
        thresholds,
        ownerGone: ownerGoneHere(),
      });
    } finally {
      sqlite.close();
    }
    return { doc, now, opts };
  } catch {
    return undefined;
  }
}

/** `--max-pending-age` → `maxPendingAge`, as commander names an option. */
const camel = (flag: string) => flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
