import { describeAmount } from "../../core/budget/evaluate.ts";
import type { BudgetUse } from "../../core/budget/views.ts";

/** "45% (27 h of 60 h)", or the amount used when there is no budget of this type. */
export function usageCell(u: BudgetUse): string {
  if (u.budget === null) return u.used === 0 ? "-" : `${describeAmount(u.type, u.used)} (no budget)`;
  return `${u.usagePercent}% (${describeAmount(u.type, u.used)} of ${describeAmount(u.type, u.budget)})`;
}
