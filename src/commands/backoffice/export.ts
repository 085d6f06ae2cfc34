import { ExitCode } from "../../core/errors.ts";
import { exportRecords } from "../../core/records/export.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";

export interface BackofficeExportOptions {
  tenant?: string[];
}

/** `leadjobs backoffice export`: one record a line on stdout, the format `backoffice import` reads. */
export async function backofficeExport(g: GlobalOptions, o: BackofficeExportOptions): Promise<number> {
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const records = await exportRecords(ctx.db, o.tenant ? { tenants: o.tenant } : {});
    process.stdout.write(records.map((r) => `${JSON.stringify(r)}\n`).join(""));
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
