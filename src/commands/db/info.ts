import { databaseInfo } from "../../core/db/info.ts";
import { ExitCode } from "../../core/errors.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printFields, printJson } from "../shared/output.ts";

export interface DbInfoOptions {
  json?: boolean;
}

export async function dbInfo(g: GlobalOptions, o: DbInfoOptions): Promise<number> {
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const info = await databaseInfo(ctx.store);
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
  } finally {
    await ctx.close();
  }
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
