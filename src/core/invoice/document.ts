import type { Content, TDocumentDefinitions } from "pdfmake/interfaces.js";
import type { TextMeasure } from "./pdf-font.ts";
import type { InvoiceView } from "./view.ts";

export interface PageCounter {
  pages: number;
}

/** A4 in points, and the room between the page margins. */
const PAGE = { width: 595.28, margin: 40 } as const;
const TEXT_WIDTH = PAGE.width - 2 * PAGE.margin;
const META_WIDTH = 220;
/** The padding lightHorizontalLines puts between two columns, and noBorders. */
const LINE_TABLE_GAP = 16;
const PLAIN_TABLE_GAP = 8;
/** The line table's columns after the description: at least as wide as they were, at most this wide. */
const NUMBER_COLUMNS = { min: [45, 32, 62, 36, 72], max: [60, 55, 80, 40, 80] };
const BODY = { size: 9 } as const;
/** Room a list item's bullet takes. */
const BULLET = 12;

type Inline = string | { text: string; wordBreak: "break-all" };

/**
 * `text` as pdfmake inlines in which a word wider than `width` may break anywhere: pdfmake breaks
 * lines only between words, so such a word would widen its table column, pushing the others off
 * the page, or run past the page's edge. Words that fit keep breaking between words only.
 */
export function fitWords(text: string, width: number, measure: TextMeasure, font: { size: number; bold?: boolean }): string | Inline[] {
  const tooWide = (part: string) => measure(part, font) > width;
  const parts = text.split(/([ \t\r\n]+)/).filter((p) => p !== "");
  if (!parts.some(tooWide)) return text;
  return parts.map((p) => (tooWide(p) ? { text: p, wordBreak: "break-all" as const } : p));
}

/**
 * The widths of the line table's columns: each number column as wide as its widest text (within
 * NUMBER_COLUMNS), the description the rest of the page.
 */
function lineColumnWidths(v: InvoiceView, measure: TextMeasure): number[] {
  const numbers = NUMBER_COLUMNS.min.map((min, k) => {
    const widest = Math.max(
      measure(v.lineHeader[k + 1] ?? "", { ...BODY, bold: true }),
      ...v.lines.map((cells) => measure(cells[k + 1] ?? "", BODY)),
    );
    return Math.min(Math.max(min, Math.ceil(widest)), NUMBER_COLUMNS.max[k] as number);
  });
  const description = TEXT_WIDTH - numbers.reduce((a, b) => a + b, 0) - LINE_TABLE_GAP * numbers.length;
  return [description, ...numbers];
}

/**
 * The pdfmake document of an invoice: A4, Roboto (embedded, covers åäö), the line table's header
 * row repeated on every page, and on every page a header with the invoice number and a footer
 * with the seller's legal details and "Sida X av Y". `measure` sets how wide each text is, so a
 * word too long for its place breaks inside it (fitWords).
 */
export function invoiceDocument(v: InvoiceView, measure: TextMeasure, counter: PageCounter = { pages: 0 }): TDocumentDefinitions {
  const right = { alignment: "right" as const };
  const wrap = (text: string, width: number, font: { size?: number; bold?: boolean } = {}) =>
    fitWords(text, width, measure, { size: font.size ?? BODY.size, ...(font.bold ? { bold: true } : {}) });
  const widths = lineColumnWidths(v, measure);
  const table: Content = {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths,
      body: [
        v.lineHeader.map((h, i) => ({
          text: wrap(h, widths[i] as number, { bold: true }),
          style: "th",
          ...(i === 1 || i >= 3 ? right : {}),
        })),
        ...v.lines.map((cells) => cells.map((c, i) => ({ text: wrap(c, widths[i] as number), ...(i === 1 || i >= 3 ? right : {}) }))),
      ],
    },
    layout: "lightHorizontalLines",
    margin: [0, 14, 0, 10],
  };
  const metaLabelWidth = Math.ceil(Math.max(...v.meta.map(([k]) => measure(k, BODY))));
  const metaValueWidth = META_WIDTH - metaLabelWidth - PLAIN_TABLE_GAP;
  const sellerWidth = TEXT_WIDTH - META_WIDTH;
  const headerTitle = (currentPage: number) => `${v.title} ${v.number}${currentPage > 1 ? " (forts.)" : ""}`;
  return {
    pageSize: "A4",
    pageMargins: [PAGE.margin, 64, PAGE.margin, 64],
    info: { title: `${v.title} ${v.number}`, author: v.seller.name, subject: `${v.title} ${v.number}`, creator: "leadjobs" },
    defaultStyle: { font: "Roboto", fontSize: BODY.size, lineHeight: 1.15 },
    styles: {
      th: { bold: true },
      title: { fontSize: 18, bold: true },
      label: { color: "#555555" },
      heading: { bold: true, margin: [0, 8, 0, 2] },
    },
    header: (currentPage: number) => ({
      margin: [PAGE.margin, 24, PAGE.margin, 0],
      columns: [
        { text: wrap(v.seller.name, TEXT_WIDTH / 2, { bold: true }), bold: true },
        { text: wrap(headerTitle(currentPage), TEXT_WIDTH / 2), alignment: "right" },
      ],
    }),
    footer: (currentPage: number, pageCount: number) => {
      counter.pages = pageCount;
      return {
        margin: [PAGE.margin, 14, PAGE.margin, 0],
        stack: [
          { text: wrap(v.footer, TEXT_WIDTH, { size: 7 }), fontSize: 7, color: "#555555", alignment: "center" },
          { text: `Sida ${currentPage} av ${pageCount}`, alignment: "center", margin: [0, 4, 0, 0] },
        ],
      };
    },
    content: [
      {
        columns: [
          {
            width: sellerWidth,
            stack: [
              { text: wrap(v.seller.name, sellerWidth, { size: 11, bold: true }), bold: true, fontSize: 11 },
              ...v.seller.lines.map((l) => ({ text: wrap(l, sellerWidth) })),
            ],
          },
          {
            width: META_WIDTH,
            stack: [
              { text: v.title, style: "title", alignment: "right" },
              {
                table: {
                  widths: [metaLabelWidth, metaValueWidth],
                  body: v.meta.map(([k, val]) => [
                    { text: k, style: "label" },
                    { text: wrap(val, metaValueWidth), alignment: "right" },
                  ]),
                },
                layout: "noBorders",
                margin: [0, 6, 0, 0],
              },
            ],
          },
        ],
      },
      { text: "Köpare", style: "heading", margin: [0, 16, 0, 2] },
      { stack: v.buyer.lines.map((l, i) => ({ text: wrap(l, TEXT_WIDTH, { bold: i === 0 }), bold: i === 0 })) },
      table,
      {
        columns: [
          { width: "*", text: "" },
          {
            width: 260,
            table: {
              widths: ["*", "auto"],
              body: v.totals.map((t) => [
                { text: t.label, bold: Boolean(t.strong) },
                { text: t.value, alignment: "right", bold: Boolean(t.strong) },
              ]),
            },
            layout: "noBorders",
          },
        ],
      },
      ...(v.notes.length > 0
        ? [
            { text: "Upplysningar", style: "heading" } as Content,
            { ul: v.notes.map((n) => ({ text: wrap(n, TEXT_WIDTH - BULLET) })) } as Content,
          ]
        : []),
      { text: "Betalning", style: "heading" },
      { stack: v.payment.map((p) => ({ text: wrap(p, TEXT_WIDTH) })) },
    ],
  };
}
