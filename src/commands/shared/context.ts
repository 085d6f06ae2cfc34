import type { Config, RawSettings } from "../../core/config.ts";
import { openStore, type Store } from "../../core/db/connection.ts";
import type { Db } from "../../core/db/handle.ts";
import { UsageError } from "../../core/errors.ts";
import { serverClockOffset } from "../../core/queue/lease-clock.ts";
import { thisProcess } from "../../core/runtime/owner.ts";
import type { Clock, Logger } from "../../core/types.ts";
import { createLogger } from "../../log.ts";
import { clockFrom } from "./clock.ts";
import { loadConfig } from "./settings.ts";

// Resolving the settings lives in settings.ts (no database code: the idle fast path uses it too).
export { configOnce, loadConfig } from "./settings.ts";
export { clockFrom } from "./clock.ts";

/** Options every command accepts (declared on the program in cli.ts). */
export interface GlobalOptions {
  db?: string | undefined;
  config?: string | undefined;
  verbose?: boolean | undefined;
  quiet?: boolean | undefined;
}

export interface CommandContext {
  store: Store;
  db: Db;
  config: Config;
  log: Logger;
  env: Readonly<Record<string, string | undefined>>;
  /** The command's clock: what is due, row timestamps; --now pins it. */
  clock: Clock;
  /**
   * The real clock, whatever --now says: leases are taken, renewed and judged on it. On PostgreSQL
   * it follows the database server's clock, so all machines agree on whose lease has expired (a
   * machine whose clock runs fast would otherwise take jobs others still run). What is due and
   * when a schedule fires stay on this machine's clock (`clock`): a skewed one fires early or late,
   * never twice, and runs nothing twice.
   */
  leaseClock: Clock;
  random: () => number;
  /** `host:pid:boot` of this process: the lease owner of what it claims (core/runtime/owner.ts). */
  owner: string;
  /** True when the owner is a process on this host that no longer exists (or ran before this host's last boot). */
  ownerGone: (owner: string) => boolean;
  close(): Promise<void>;
}

export interface OpenOptions {
  now?: string | undefined;
  /** The command only reads: it never creates a database (a missing one is exit 2). */
  readOnly?: boolean | undefined;
  /** PostgreSQL: connections this command may hold at once (default 2; a worker asks for its concurrency's worth). */
  poolSize?: number | undefined;
}

/** Resolves the settings (with the command's flags in `cli`) and opens the database. */
export async function openContext(g: GlobalOptions, cli: RawSettings = {}, opts: OpenOptions = {}): Promise<CommandContext> {
  return openContextWith(g, loadConfig(g, cli), opts);
}

/** Opens the database with settings the command already resolved (loadConfig), so a run resolves them once. */
export async function openContextWith(g: GlobalOptions, config: Config, opts: OpenOptions = {}): Promise<CommandContext> {
  if (!config.db) throw new UsageError("no database path: pass --db PATH or set LEADJOBS_DB (HOME is not set)");
  // --now pins the command's clock from its start (it still advances in real time).
  const pinned = opts.now === undefined ? undefined : clockFrom(opts.now);
  const log = createLogger(g);
  const traceSql = process.env.LEADJOBS_TRACE_SQL
    ? (sql: string, ms: number) => log.debug(`sql ${ms.toFixed(1)}ms: ${sql.replace(/\s+/g, " ").slice(0, 160)}`)
    : undefined;
  const store = await openStore(config.db, {
    busyTimeoutMs: config.busyTimeout,
    traceSql,
    mustExist: opts.readOnly,
    poolSize: opts.poolSize ?? 2,
  });
  let offset: number;
  try {
    offset = await serverClockOffset(store.db);
  } catch (e) {
    await store.close();
    throw e;
  }
  const leaseClock: Clock = offset === 0 ? Date.now : () => Date.now() + offset;
  const clock = pinned ?? Date.now;
  const me = thisProcess();
  return {
    store,
    db: store.db,
    config,
    log,
    env: process.env,
    clock,
    leaseClock,
    random: Math.random,
    owner: me.owner,
    ownerGone: me.ownerGone,
    close: () => store.close(),
  };
}
