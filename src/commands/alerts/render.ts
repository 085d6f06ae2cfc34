import type { AlertItem } from "../../core/budget/views.ts";
import { describeAmount } from "../../core/budget/evaluate.ts";
import { printFields, printLine } from "../shared/output.ts";

/** One alert as `key  value` lines (show and resolve). */
export function printAlert(a: AlertItem): void {
  printLine(`alert ${a.id} (${a.status})`);
  printFields([
    ["tenant", a.tenant],
    ["project", `${a.projectName} (${a.project})`],
    ["threshold", `${a.thresholdPercent}% ${a.type}`],
    ["usage", `${a.usagePercent}%: ${describeAmount(a.type, a.used)} of ${describeAmount(a.type, a.budget)}`],
    ["created", `${a.createdAt} by ${a.createdBy}`],
    ["resolved", a.resolvedAt ? `${a.resolvedAt} by ${a.resolvedBy}: ${a.resolution ?? "-"}` : "-"],
  ]);
}
