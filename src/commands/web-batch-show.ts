import type { Db } from "../core/db/sqlite.ts";
import { batchReport, type BatchReport } from "../core/web/batch-report.ts";
import { printLine } from "./output.ts";
import { batchLine, printBatchItems } from "./web-render.ts";

/** The batch a job runs, for `jobs show` (null when the batch row is gone). */
export async function batchOfJob(db: Db, batchId: number): Promise<BatchReport | null> {
  const exists = await db.selectFrom("web_batch").select("id").where("id", "=", batchId).executeTakeFirst();
  return exists ? batchReport(db, batchId) : null;
}

export async function printBatch(report: BatchReport): Promise<void> {
  printLine("");
  printLine(batchLine(report));
  await printBatchItems(report);
}
