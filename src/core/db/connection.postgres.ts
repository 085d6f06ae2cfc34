// PostgreSQL-specific: a pool over node-postgres under Kysely, with type parsers that make rows
// read as they do on SQLite (instants as ISO text, int8 as numbers, JSON as its text). Loaded
// only when --db is a postgres:// URL, so SQLite users' cold start does not grow.
import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { addSecret } from "../util/redact.ts";
import type { OpenStoreOptions, Store } from "./connection.ts";
import type { Database } from "./database.ts";
import { findMigrationsDir, readMigrations } from "./migrate.ts";
import { migratePostgres } from "./migrate.postgres.ts";
import { prepareMarked } from "./prepared.postgres.ts";
import { mapPostgresError, rememberPostgres } from "./postgres-errors.ts";
import { displayUrl, type PgAttempts, pgConnectionAttempts, roleOf, searchPathOf, sslmodeOf } from "./url.ts";

const { builtins } = pg.types;
const parseTimestamptz = pg.types.getTypeParser(builtins.TIMESTAMPTZ);
const asText = (v: string) => v;
const PARSERS: Record<number, (v: string) => unknown> = {
  [builtins.INT8]: Number,
  [builtins.NUMERIC]: Number,
  [builtins.TIMESTAMPTZ]: (v) => (parseTimestamptz(v) as Date).toISOString(),
  [builtins.DATE]: asText,
  [builtins.JSON]: asText,
  // jsonb prints `{"a": 1}`; SQLite keeps the compact text leadjobs wrote (`{"a":1}`), and commands
  // print stored JSON as it reads. (jsonb also orders an object's keys: shorter names first.)
  [builtins.JSONB]: (v) => JSON.stringify(JSON.parse(v)),
};
const types = {
  getTypeParser: ((oid: number, format?: "text" | "binary") =>
    PARSERS[oid] ?? pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * A pool for `url` as every leadjobs connection to PostgreSQL is made: its password redacted from
 * every message, rows typed as on SQLite, UTC days, and a lost connection reported by the query
 * under way rather than as an unhandled 'error'.
 */
export function postgresPool(url: string, o: { max: number; busyTimeoutMs: number }): pg.Pool {
  const password = safePassword(url);
  if (password) addSecret(password);
  rememberPostgres({ display: displayUrl(url), role: roleOf(url), schema: searchPathOf(url), sslmode: sslmodeOf(url) });
  const attempts = pgConnectionAttempts(url);
  const pool = new pg.Pool({
    connectionString: attempts.first,
    max: Math.max(1, o.max),
    connectionTimeoutMillis: Math.max(1000, o.busyTimeoutMs),
    idleTimeoutMillis: 10_000,
    application_name: "leadjobs",
    types,
  });
  sslFallbackPool(pool, attempts);
  // An idle client whose server went away emits 'error' on the pool; the next query reports it.
  pool.on("error", () => undefined);
  // Days are UTC days, as the ISO text instants on SQLite are. A lock another process holds (the
  // write lock, a row) is waited for as long as SQLite waits for its file lock, the busy timeout,
  // then fails (55P03: exit 75), so a hung machine never freezes every other machine's cron ticks.
  // (Not startup options: the URL's own `options`, e.g. `-c search_path=leadjobs`, would replace them.)
  const session = `set time zone 'UTC'; set lock_timeout = ${Math.max(1, Math.round(o.busyTimeoutMs))}`;
  pool.on("connect", (client) => {
    // A connection lost while checked out emits 'error' on its client as well as failing the
    // query under way; the query's failure is what reports it.
    client.on("error", () => undefined);
    prepareMarked(client);
    void client.query(session).catch(() => undefined);
  });
  return pool;
}

export async function openPostgresStore(url: string, opts: OpenStoreOptions): Promise<Store> {
  const display = displayUrl(url);
  const pool = postgresPool(url, { max: opts.poolSize ?? 4, busyTimeoutMs: opts.busyTimeoutMs });
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, readMigrations(opts.migrationsDir ?? findMigrationsDir("postgres")), {
        display,
        mustExist: opts.mustExist,
        schema: searchPathOf(url),
      });
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw mapPostgresError(e);
  }
  const trace = opts.traceSql;
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(trace ? { log: (e) => trace(e.query.sql, e.queryDurationMillis) } : {}),
  });
  return {
    db,
    dialect: "postgres",
    pool,
    url,
    path: display,
    close: async () => {
      await db.destroy();
      // Kysely ends the pool only once it has run a query; unended, the migration check's idle client
      // would hold a connection to the server (and keep the process alive) for idleTimeoutMillis.
      if (!pool.ended) await pool.end();
    },
  };
}

/** Whether a failed connection is one after which libpq tries `attempts`' fallback. */
function fallsBack(attempts: PgAttempts, e: unknown): boolean {
  if (!attempts.fallback || !(e instanceof Error)) return false;
  if (attempts.fallback.when === "no-ssl") return NO_SSL.test(e.message);
  // The server answered the startup with an error (pg_hba.conf, authentication): libpq's allow tries SSL.
  return e instanceof pg.DatabaseError;
}
const NO_SSL = /server does not support SSL/i;

/**
 * Connects as libpq does for the URL's sslmode: with `attempts.first`, and when that fails as
 * libpq would then try again (prefer: the server does not support SSL; allow: the server refused
 * the plain connection), with the fallback. An allow whose fallback finds no SSL reports the
 * first failure (the server's own refusal).
 */
export async function connectWithSslFallback<T>(attempts: PgAttempts, connect: (connectionString: string) => Promise<T>): Promise<T> {
  try {
    return await connect(attempts.first);
  } catch (e) {
    if (!attempts.fallback || !fallsBack(attempts, e)) throw e;
    try {
      return await connect(attempts.fallback.connectionString);
    } catch (again) {
      throw attempts.fallback.when === "refused" && again instanceof Error && NO_SSL.test(again.message) ? e : again;
    }
  }
}

/**
 * Makes every connection the pool creates follow libpq's sslmode=prefer/allow: a new connection
 * that fails so is made again with the fallback, and the pool keeps to what worked (the server's
 * SSL support does not change under one command), so one failed try is all it costs.
 */
function sslFallbackPool(pool: pg.Pool, attempts: PgAttempts): void {
  const fallback = attempts.fallback;
  if (!fallback) return;
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  const connectOnce = async (): Promise<pg.PoolClient> => {
    const kept = pool.options.connectionString === fallback.connectionString;
    try {
      return await connectWithSslFallback(kept ? { first: fallback.connectionString } : attempts, (connectionString) => {
        // Read by the client pg-pool creates within this call.
        pool.options.connectionString = connectionString;
        return connect();
      });
    } catch (e) {
      pool.options.connectionString = attempts.first;
      throw e;
    }
  };
  // pg-pool's own query() calls connect with a callback; Kysely and leadjobs with none.
  pool.connect = ((cb?: (err: Error | undefined, client?: pg.PoolClient, done?: (release?: unknown) => void) => void) => {
    const p = connectOnce();
    if (!cb) return p;
    p.then(
      (client) => cb(undefined, client, (release?: unknown) => client.release(release as Error | boolean | undefined)),
      (e: Error) => cb(e),
    );
    return undefined;
  }) as typeof pool.connect;
}

function safePassword(url: string): string | undefined {
  try {
    return decodeURIComponent(new URL(url).password) || undefined;
  } catch {
    return undefined;
  }
}
