import { databaseInfo } from "../../core/db/info.ts";
import { ExitCode } from "../../core/errors.ts";
import { loadConfig, type GlobalOptions } from "../shared/context.ts";
import { UsageError } from "../../core/errors.ts";
import { printFields, printJson } from "../shared/output.ts";

export interface DbInfoOptions {
  json?: boolean;
}

export async function dbInfo(g: GlobalOptions, o: DbInfoOptions): Promise<number> {
  const config = loadConfig(g, {});
  if (!config.db) throw new UsageError("no database path: pass --db PATH or set LEADJOBS_DB (HOME is not set)");
  // Not openContext: opening a store migrates it, and db info shows the database as it is.
  const info = await databaseInfo(config.db, { busyTimeoutMs: config.busyTimeout });
  if (o.json) {
    printJson(info);
    return ExitCode.Ok;
  }
  const m = info.migrations;
  const level = m.pending.length === 0 ? "up to date" : `${m.pending.length} newer in this leadjobs: ${m.pending.join(", ")}`;
  printFields([
    ["backend", `${info.backend === "sqlite" ? "SQLite" : "PostgreSQL"} ${info.version}`],
    ["database", info.database],
    ["migrations", `${m.applied} applied, latest ${m.latest ?? "none"} (${level})`],
    ["size", formatBytes(info.sizeBytes)],
  ]);
  return ExitCode.Ok;
}

function formatBytes(n: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${value.toFixed(1)} ${units[unit]} (${n} bytes)`;
}
