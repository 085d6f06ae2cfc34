import type { IsoDate } from "../backoffice/schema.ts";
import type { VatRateRow } from "./schema.ts";
import type { Db } from "../db/handle.ts";

/** The rows of the VAT rate table (data, with validity dates). */
export function loadVatRates(db: Db): Promise<VatRateRow[]> {
  return db.selectFrom("vat_rate").selectAll().orderBy("category").orderBy("valid_from").execute();
}

/** The rate of a category on a date (valid_from <= date <= valid_to), or undefined when none applies. */
export function vatRateFor(rates: readonly VatRateRow[], category: string, date: IsoDate): VatRateRow | undefined {
  return rates.find((r) => r.category === category && r.valid_from <= date && (r.valid_to === null || date <= r.valid_to));
}
