import { formatBankgiro, formatPlusgiro, isBankgiro, isPlusgiro } from "../domain/giro.ts";
import { formatKronor, formatOre, formatQuantity, formatRate } from "../domain/money.ts";
import { formatOrgnr } from "../domain/orgnr.ts";
import { priceInvoice, type InvoiceAmounts } from "./amounts.ts";
import type { InvoiceDocument } from "./load.ts";
import type { InvoiceRow } from "./schema.ts";

/** Up to this total (incl. VAT, in öre) a simplified invoice may leave out the buyer's address. */
export const SIMPLIFIED_INVOICE_LIMIT_ORE = 400_000;

/** What an invoice PDF shows, as text: built and checked without pdfmake. */
export interface InvoiceView {
  title: string;
  number: string;
  fileName: string;
  seller: { name: string; lines: string[] };
  buyer: { lines: string[] };
  meta: Array<[string, string]>;
  lineHeader: string[];
  lines: string[][];
  totals: Array<{ label: string; value: string; strong?: boolean }>;
  notes: string[];
  payment: string[];
  /** The seller's legal details, on every page. */
  footer: string;
  amounts: InvoiceAmounts;
}

export type ViewResult = { ok: true; view: InvoiceView } | { ok: false; missing: string[] };

/** The buyer's details an invoice must carry: a name; a VAT number under reverse charge; an address on a full invoice. */
export function missingBuyerDetails(
  inv: Pick<InvoiceRow, "buyer_name" | "buyer_street" | "buyer_postcode" | "buyer_town" | "buyer_vat_number" | "reverse_charge">,
  amounts: Pick<InvoiceAmounts, "totalOre">,
): string[] {
  const missing: string[] = [];
  if (!inv.buyer_name?.trim()) missing.push("buyer name");
  if (inv.reverse_charge === 1 && !inv.buyer_vat_number?.trim()) missing.push("buyer VAT number (reverse charge)");
  const fullInvoice = inv.reverse_charge === 1 || Math.abs(amounts.totalOre) > SIMPLIFIED_INVOICE_LIMIT_ORE;
  if (fullInvoice && (!inv.buyer_street || !inv.buyer_postcode || !inv.buyer_town))
    missing.push("buyer address (required on a full invoice)");
  return missing;
}

/**
 * Checks that everything a Swedish invoice must carry is there (ML 2023:200 ch. 17; company
 * name, orgnr and säte for an AB) and builds the view. Returns the list of what is missing
 * instead of printing placeholders.
 */
export function buildInvoiceView(d: InvoiceDocument): ViewResult {
  const { invoice: inv, tenant: t } = d;
  const missing: string[] = [];
  const need = (value: string | null | undefined, what: string) => {
    if (value === null || value === undefined || value.trim() === "") missing.push(what);
  };
  const credit = inv.kind === "credit";

  if (inv.status !== "issued" || inv.number === null) missing.push("invoice number (the invoice is a draft)");
  need(inv.invoice_date, "invoice date");
  if (!credit) need(inv.due_date, "due date");
  need(t.name, "seller name");
  if (!t.street || !t.postcode || !t.town) missing.push("seller address");
  need(t.orgnr, "seller organisationsnummer");
  need(t.vat_number, "seller VAT number");
  need(t.registered_office, "seller registered office (säte)");
  if (!credit) {
    if (!t.bankgiro && !t.plusgiro) missing.push("seller bankgiro or plusgiro");
    if (t.bankgiro && !isBankgiro(t.bankgiro)) missing.push(`a valid seller bankgiro (${t.bankgiro} has a wrong check digit or length)`);
    if (t.plusgiro && !isPlusgiro(t.plusgiro)) missing.push(`a valid seller plusgiro (${t.plusgiro} has a wrong check digit or length)`);
    need(inv.ocr, "OCR reference");
  }
  if (credit && (d.credited?.status !== "issued" || d.credited.number === null))
    missing.push("the credited invoice (a credit note must refer to an issued invoice)");
  if (d.lines.length === 0) missing.push("invoice lines");

  const { rateDate, lineRates: rates, amounts } = priceInvoice(d);
  d.lines.forEach((l, i) => {
    if (!l.description.trim()) missing.push(`description of line ${l.position}`);
    if (!l.unit.trim()) missing.push(`unit of line ${l.position}`);
    if (!rates[i]) missing.push(`a VAT rate for category "${l.vat_category}" on ${rateDate || "(no date)"} (line ${l.position})`);
  });
  const reverse = inv.reverse_charge === 1;
  missing.push(...missingBuyerDetails(inv, amounts));
  if (missing.length > 0) return { ok: false, missing: [...new Set(missing)] };

  const number = String(inv.number);
  const title = credit ? "Kreditfaktura" : "Faktura";
  const orgnr = formatOrgnr(t.orgnr as string);
  const sellerAddress = [t.street as string, `${t.postcode} ${t.town}`];
  const buyerAddress = [inv.buyer_street, [inv.buyer_postcode, inv.buyer_town].filter(Boolean).join(" ")].filter((s): s is string =>
    Boolean(s),
  );
  const meta: Array<[string, string]> = [
    [credit ? "Kreditfakturanummer" : "Fakturanummer", number],
    ["Fakturadatum", inv.invoice_date as string],
  ];
  if (inv.delivery_date && inv.delivery_date !== inv.invoice_date) meta.push(["Leveransdatum", inv.delivery_date]);
  if (!credit) meta.push(["Förfallodatum", inv.due_date as string], ["OCR-nummer", inv.ocr as string]);
  if (credit && d.credited) meta.push(["Avser faktura", `${d.credited.number} (${d.credited.invoice_date})`]);
  if (inv.your_reference) meta.push(["Er referens", inv.your_reference]);
  if (inv.our_reference) meta.push(["Vår referens", inv.our_reference]);

  const lines = d.lines.map((l, i) => [
    l.description,
    formatQuantity(l.quantity_milli),
    l.unit,
    formatOre(l.unit_price_ore),
    reverse ? "0\u00a0%" : formatRate(rates[i]?.rate_bp ?? 0),
    formatOre(amounts.lineAmountsOre[i] ?? 0),
  ]);
  const totals: InvoiceView["totals"] = [{ label: "Summa exkl. moms", value: formatKronor(amounts.netOre) }];
  for (const g of amounts.groups) {
    totals.push({ label: `Moms ${formatRate(g.rateBp)} på ${formatKronor(g.taxableOre)}`, value: formatKronor(g.vatOre) });
  }
  totals.push({ label: "Summa moms", value: formatKronor(amounts.vatOre) });
  if (amounts.roundingOre !== 0) totals.push({ label: "Öresavrundning", value: formatKronor(amounts.roundingOre) });
  totals.push({ label: credit ? "Att kreditera" : "Att betala", value: formatKronor(amounts.payableOre), strong: true });

  const notes: string[] = [];
  if (credit && d.credited) notes.push(`Kreditering av faktura ${d.credited.number} daterad ${d.credited.invoice_date}.`);
  if (reverse) notes.push(`Omvänd betalningsskyldighet. Köparens momsregistreringsnummer: ${inv.buyer_vat_number}.`);
  const usedNotes = new Set(rates.map((r) => r?.invoice_note).filter((x): x is string => Boolean(x)));
  if (!reverse) notes.push(...usedNotes);
  if (inv.notes) notes.push(inv.notes);

  const payment: string[] = [];
  if (!credit) {
    if (t.bankgiro) payment.push(`Bankgiro ${formatBankgiro(t.bankgiro)}`);
    if (t.plusgiro) payment.push(`Plusgiro ${formatPlusgiro(t.plusgiro)}`);
    payment.push(`Ange OCR-nummer ${inv.ocr} vid betalning.`, `Betalas senast ${inv.due_date}.`);
  } else {
    payment.push("Beloppet krediteras och ska inte betalas.");
  }

  const sellerLines = [...sellerAddress, `Org.nr ${orgnr}`, `Momsreg.nr ${t.vat_number}`, `Säte: ${t.registered_office}`];
  if (t.f_skatt === 1) sellerLines.push("Godkänd för F-skatt");
  const contact = [t.phone, t.email, t.website].filter((s): s is string => Boolean(s));
  const buyerLines = [inv.buyer_name as string, ...buyerAddress];
  if (inv.buyer_orgnr) buyerLines.push(`Org.nr ${/^\d{10}$/.test(inv.buyer_orgnr) ? formatOrgnr(inv.buyer_orgnr) : inv.buyer_orgnr}`);
  if (inv.buyer_vat_number) buyerLines.push(`Momsreg.nr ${inv.buyer_vat_number}`);

  return {
    ok: true,
    view: {
      title,
      number,
      fileName: `${number}.pdf`,
      seller: { name: t.name, lines: [...sellerLines, ...contact] },
      buyer: { lines: buyerLines },
      meta,
      lineHeader: ["Beskrivning", "Antal", "Enhet", "À-pris", "Moms", "Belopp"],
      lines,
      totals,
      notes,
      payment,
      footer: [
        t.name,
        `${sellerAddress.join(", ")}`,
        `Org.nr ${orgnr}`,
        `Momsreg.nr ${t.vat_number}`,
        `Säte: ${t.registered_office}`,
        ...(t.f_skatt === 1 ? ["Godkänd för F-skatt"] : []),
      ].join(" · "),
      amounts,
    },
  };
}
