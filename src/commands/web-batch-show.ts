import type { BatchReport } from "../core/web/batch-report.ts";
import { printLine } from "./output.ts";
import { batchLine, printBatchItems } from "./web-render.ts";

export async function printBatch(report: BatchReport): Promise<void> {
  printLine("");
  printLine(batchLine(report));
  await printBatchItems(report);
}
