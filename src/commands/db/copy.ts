import { openStore } from "../../core/db/connection.ts";
import { plural } from "../../core/util/plural.ts";
import { copySqliteToPostgres } from "../../core/db/copy.ts";
import { displayUrl, isPostgresUrl } from "../../core/db/url.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { loadConfig, openContextWith, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";

export interface DbCopyOptions {
  to: string;
  json?: boolean;
}

export async function dbCopy(g: GlobalOptions, o: DbCopyOptions): Promise<number> {
  const config = loadConfig(g, {});
  if (config.db && isPostgresUrl(config.db)) {
    throw new UsageError(`db copy copies a SQLite database, but --db is PostgreSQL (${displayUrl(config.db)})`, {
      hint: "point --db or LEADJOBS_DB at the SQLite file",
    });
  }
  if (!isPostgresUrl(o.to)) throw new UsageError(`invalid --to "${o.to}": expected a postgres:// URL of an empty database`);
  const ctx = await openContextWith(g, config, { readOnly: true });
  try {
    if (ctx.store.dialect !== "sqlite") throw new UsageError("db copy copies a SQLite database");
    // The handler comes before the target's first statement: a signal while its migrations run
    // must still end in the copy's rollback, not kill the process midway.
    const stop = new AbortController();
    // The copy's error is the one line the user sees (exit 130, nothing copied).
    const onSignal = (signal: NodeJS.Signals) => stop.abort(signal);
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    // Opening the target creates its tables (the migrations), as any first start on it would.
    let target: Awaited<ReturnType<typeof openStore>> | undefined;
    try {
      target = await openStore(o.to, { busyTimeoutMs: config.busyTimeout, poolSize: 1 });
      if (target.dialect !== "postgres") throw new UsageError(`invalid --to: ${target.path} is not PostgreSQL`);
      const result = await copySqliteToPostgres(ctx.store, target, { signal: stop.signal, clock: Date.now });
      if (o.json) printJson(result);
      else
        printLine(
          `copied ${plural(result.tables.length, "table")}, ${plural(result.rows, "row")} from ${result.from} to ${result.to} in ${result.seconds} s`,
        );
      return ExitCode.Ok;
    } finally {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      await target?.close();
    }
  } finally {
    await ctx.close();
  }
}
