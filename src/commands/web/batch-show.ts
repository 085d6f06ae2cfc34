import type { BatchReport } from "../../core/web/batch-report.ts";
import { printLine } from "../shared/output.ts";
import { batchLine, printBatchItems } from "./render.ts";

export async function printBatch(report: BatchReport): Promise<void> {
  printLine("");
  printLine(batchLine(report));
  await printBatchItems(report);
}
