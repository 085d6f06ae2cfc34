import type { IsoDate } from "../backoffice/schema.ts";
import { divRound, formatKronor, formatQuantity, formatRate } from "../domain/money.ts";
import type { InvoiceLineRow, InvoiceRow, VatRateRow } from "./schema.ts";
import { vatRateFor } from "./vat-rates.ts";

/**
 * Invoice arithmetic, all in integer öre. The rounding rules (also in the README):
 * 1. A line's amount is quantity × unit price (excl. VAT), rounded to whole öre, half away from zero.
 * 2. The taxable amount of a VAT rate is the sum of its lines' amounts (exact).
 * 3. VAT is computed once per rate on that sum — never per line — and rounded to whole öre,
 *    half away from zero.
 * 4. Under reverse charge (omvänd betalningsskyldighet) the seller charges no VAT: every line
 *    is taxed at 0 % and the buyer accounts for the VAT.
 * 5. The total is the sum of the taxable amounts and the VAT (exact öre).
 * 6. Öresavrundning applies to the total to pay only: it is rounded to whole kronor
 *    (1-49 öre down, 50-99 up, negative amounts symmetrically) and the difference is shown
 *    as its own line. VAT amounts are not rounded to kronor.
 */

export interface AmountLine {
  quantityMilli: number;
  unitPriceOre: number;
  /** The line's VAT rate in basis points (2500 = 25 %), looked up for the invoice's date. */
  rateBp: number;
}

export interface VatGroup {
  rateBp: number;
  /** Beskattningsunderlag: the sum of the lines at this rate, excluding VAT. */
  taxableOre: number;
  vatOre: number;
}

export interface InvoiceAmounts {
  lineAmountsOre: number[];
  /** One group per rate used, highest rate first. */
  groups: VatGroup[];
  netOre: number;
  vatOre: number;
  /** net + VAT, exact. */
  totalOre: number;
  /** payable - total: the öresavrundning line. */
  roundingOre: number;
  /** The total rounded to whole kronor: what the buyer pays (negative on a credit note). */
  payableOre: number;
}

/**
 * An amount that cannot be computed exactly in öre. Input is bounded (INVOICE_LINES_MAX_ORE), so
 * only lines stored before the bounds, by an older version or by hand in the database get here.
 */
export class InexactAmountError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = "InexactAmountError";
  }
}

/** quantity (thousandths) × unit price, rounded to öre half away from zero; `line` names the line in an error. */
export function lineAmount(quantityMilli: number, unitPriceOre: number, line = "line"): number {
  assertInt(quantityMilli, `${line}: quantity (thousandths)`);
  assertInt(unitPriceOre, `${line}: unit price (öre)`);
  return exact(
    divRound(BigInt(quantityMilli) * BigInt(unitPriceOre), 1000n),
    `${line}: its amount (${formatQuantity(quantityMilli)} × ${formatKronor(unitPriceOre)})`,
  );
}

/** VAT on a taxable amount at a rate in basis points, rounded to öre half away from zero. */
export function vatAmount(taxableOre: number, rateBp: number): number {
  return exact(divRound(BigInt(taxableOre) * BigInt(rateBp), 10_000n), `the VAT at ${formatRate(rateBp)}`);
}

/** Throws InexactAmountError, naming the line, when a line or a sum is too large to be exact as a number. */
export function computeInvoiceAmounts(lines: readonly AmountLine[], o: { reverseCharge: boolean }): InvoiceAmounts {
  const lineAmountsOre = lines.map((l, i) => lineAmount(l.quantityMilli, l.unitPriceOre, `line ${i + 1}`));
  const byRate = new Map<number, bigint>();
  lines.forEach((l, i) => {
    const rate = o.reverseCharge ? 0 : l.rateBp;
    byRate.set(rate, (byRate.get(rate) ?? 0n) + BigInt(lineAmountsOre[i] as number));
  });
  const groups = [...byRate.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rateBp, taxable]) => {
      const taxableOre = exact(taxable, `the taxable amount at ${formatRate(rateBp)}`);
      return { rateBp, taxableOre, vatOre: vatAmount(taxableOre, rateBp) };
    });
  const net = groups.reduce((s, g) => s + BigInt(g.taxableOre), 0n);
  const vat = groups.reduce((s, g) => s + BigInt(g.vatOre), 0n);
  const netOre = exact(net, "the sum of the lines");
  const vatOre = exact(vat, "the sum of the VAT");
  const totalOre = exact(net + vat, "the total");
  const payableOre = exact(divRound(net + vat, 100n) * 100n, "the total");
  return { lineAmountsOre, groups, netOre, vatOre, totalOre, roundingOre: payableOre - totalOre, payableOre };
}

/** What an invoice's amounts depend on: its rows as stored, and the VAT rate table. */
export interface PricingInput {
  invoice: Pick<InvoiceRow, "kind" | "invoice_date" | "delivery_date" | "reverse_charge">;
  /** The original of a credit note. */
  credited: Pick<InvoiceRow, "invoice_date" | "delivery_date"> | null;
  lines: ReadonlyArray<Pick<InvoiceLineRow, "quantity_milli" | "unit_price_ore" | "vat_category">>;
  rates: readonly VatRateRow[];
}

export interface PricedInvoice {
  /** The date the lines' VAT rates are taken for ("" when the invoice has no date). */
  rateDate: IsoDate | "";
  /** Each line's rate, undefined when none applies on rateDate (such a line is taxed at 0 % here; the PDF refuses it). */
  lineRates: Array<VatRateRow | undefined>;
  amounts: InvoiceAmounts;
}

/**
 * An invoice's amounts, the one computation behind every total shown (list, show, the PDF, the
 * checks on issue). A line's rate is the one of its supply: the delivery date, else the invoice
 * date. A credit note corrects the original's supply, so it credits the VAT at the original's
 * rates (a food invoice of March 2026 is credited at 12 % also after the rate fell to 6 % on 1 April).
 */
export function priceInvoice(p: PricingInput): PricedInvoice {
  const { rateDate, lineRates } = rateInvoice(p);
  const amounts = computeInvoiceAmounts(
    p.lines.map((l, i) => ({ quantityMilli: l.quantity_milli, unitPriceOre: l.unit_price_ore, rateBp: lineRates[i]?.rate_bp ?? 0 })),
    { reverseCharge: p.invoice.reverse_charge === 1 },
  );
  return { rateDate, lineRates, amounts };
}

/**
 * priceInvoice, or why the invoice's stored amounts cannot be computed: a line whose VAT category
 * has no rate (priceInvoice would tax it at 0 %), or amounts that are not exact (InexactAmountError).
 * Both come only from rows written before input was checked, by an older version or by hand.
 */
export function tryPriceInvoice(p: PricingInput): PricedInvoice | { problem: string } {
  const unrated = unratedLine(p);
  if (unrated) return { problem: `line ${unrated.index + 1}: ${unrated.problem}` };
  try {
    return priceInvoice(p);
  } catch (e) {
    if (e instanceof InexactAmountError) return { problem: e.message };
    throw e;
  }
}

/**
 * The first line whose VAT category has no rate on the date the invoice is priced at (rateInvoice;
 * a credit note's at its original's dates), and why: what adding, issuing and importing refuse.
 */
export function unratedLine(p: PricingInput): { index: number; problem: string } | undefined {
  const { rateDate, lineRates } = rateInvoice(p);
  const index = lineRates.indexOf(undefined);
  if (index < 0) return undefined;
  const category = p.lines[index]?.vat_category;
  const known = p.rates.some((r) => r.category === category);
  return {
    index,
    problem: known ? `VAT rate unknown for category "${category}" on ${rateDate || "(no date)"}` : `unknown VAT category "${category}"`,
  };
}

/** The date an invoice's VAT rates are taken for and each line's rate (see priceInvoice). */
export function rateInvoice(p: PricingInput): Omit<PricedInvoice, "amounts"> {
  const supply = p.invoice.kind === "credit" && p.credited ? p.credited : p.invoice;
  const rateDate = supply.delivery_date ?? supply.invoice_date ?? "";
  return { rateDate, lineRates: p.lines.map((l) => vatRateFor(p.rates, l.vat_category, rateDate)) };
}

/**
 * The most the lines of one invoice may add up to, excluding VAT and counted without their sign:
 * 10 000 000 000 kr. With VAT at no more than 100 %, every amount an invoice shows (a line, a
 * rate's taxable amount and VAT, the total) then stays far below 2^53 öre, exact as a number.
 */
export const INVOICE_LINES_MAX_ORE = 1_000_000_000_000;

/** Why a line is refused when it takes the invoice over INVOICE_LINES_MAX_ORE. */
export const OVER_INVOICE_LIMIT = "takes the invoice over 10 000 000 000 kr excl. VAT, the most an invoice may total";

/** The index of the line that takes the sum of the lines' amounts (without sign) over INVOICE_LINES_MAX_ORE, or -1. */
export function lineOverInvoiceLimit(lines: ReadonlyArray<{ quantityMilli: number; unitPriceOre: number }>): number {
  let sum = 0n;
  return lines.findIndex((l) => {
    if (!Number.isSafeInteger(l.quantityMilli) || !Number.isSafeInteger(l.unitPriceOre)) return false; // refused on its own
    const amount = divRound(BigInt(l.quantityMilli) * BigInt(l.unitPriceOre), 1000n);
    sum += amount < 0n ? -amount : amount;
    return sum > BigInt(INVOICE_LINES_MAX_ORE);
  });
}

function assertInt(v: number, what: string): void {
  if (!Number.isInteger(v)) throw new InexactAmountError(`${what} is ${v}, not a whole number`);
  if (!Number.isSafeInteger(v))
    throw new InexactAmountError(`${what} is ${v}, beyond ±${Number.MAX_SAFE_INTEGER}, where whole numbers stop being exact`);
}

function exact(v: bigint, what: string): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER))
    throw new InexactAmountError(`${what} is too large to compute exactly (over ${formatKronor(Number.MAX_SAFE_INTEGER)})`);
  return Number(v);
}
