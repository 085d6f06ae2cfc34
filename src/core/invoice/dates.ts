import type { IsoDate } from "../backoffice/schema.ts";

/**
 * Why an invoice's due date is refused, or undefined when it is fine: a due date before the
 * invoice date would make the invoice overdue before it was issued. (Dates are YYYY-MM-DD, so
 * they compare as text.)
 */
export function dueDateProblem(invoiceDate: IsoDate, dueDate: IsoDate | null | undefined): string | undefined {
  return dueDate != null && dueDate < invoiceDate ? `due date ${dueDate} is before the invoice date ${invoiceDate}` : undefined;
}
