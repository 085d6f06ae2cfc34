import type { Content, TDocumentDefinitions } from "pdfmake/interfaces.js";
import type { InvoiceView } from "./view.ts";

export interface PageCounter {
  pages: number;
}

/**
 * The pdfmake document of an invoice: A4, Roboto (embedded, covers åäö), the line table's header
 * row repeated on every page, and on every page a header with the invoice number and a footer
 * with the seller's legal details and "Sida X av Y".
 */
export function invoiceDocument(v: InvoiceView, counter: PageCounter = { pages: 0 }): TDocumentDefinitions {
  const right = { alignment: "right" as const };
  const table: Content = {
    table: {
      headerRows: 1,
      dontBreakRows: true,
      widths: ["*", 45, 32, 62, 36, 72],
      body: [
        v.lineHeader.map((h, i) => ({ text: h, style: "th", ...(i === 1 || i >= 3 ? right : {}) })),
        ...v.lines.map((cells) => cells.map((c, i) => ({ text: c, ...(i === 1 || i >= 3 ? right : {}) }))),
      ],
    },
    layout: "lightHorizontalLines",
    margin: [0, 14, 0, 10],
  };
  return {
    pageSize: "A4",
    pageMargins: [40, 64, 40, 64],
    info: { title: `${v.title} ${v.number}`, author: v.seller.name, subject: `${v.title} ${v.number}`, creator: "leadjobs" },
    defaultStyle: { font: "Roboto", fontSize: 9, lineHeight: 1.15 },
    styles: {
      th: { bold: true },
      title: { fontSize: 18, bold: true },
      label: { color: "#555555" },
      heading: { bold: true, margin: [0, 8, 0, 2] },
    },
    header: (currentPage: number) => ({
      margin: [40, 24, 40, 0],
      columns: [
        { text: v.seller.name, bold: true },
        { text: `${v.title} ${v.number}${currentPage > 1 ? " (forts.)" : ""}`, alignment: "right" },
      ],
    }),
    footer: (currentPage: number, pageCount: number) => {
      counter.pages = pageCount;
      return {
        margin: [40, 14, 40, 0],
        stack: [
          { text: v.footer, fontSize: 7, color: "#555555", alignment: "center" },
          { text: `Sida ${currentPage} av ${pageCount}`, alignment: "center", margin: [0, 4, 0, 0] },
        ],
      };
    },
    content: [
      {
        columns: [
          { width: "*", stack: [{ text: v.seller.name, bold: true, fontSize: 11 }, ...v.seller.lines.map((l) => ({ text: l }))] },
          {
            width: 220,
            stack: [
              { text: v.title, style: "title", alignment: "right" },
              {
                table: {
                  widths: ["*", "auto"],
                  body: v.meta.map(([k, val]) => [
                    { text: k, style: "label" },
                    { text: val, alignment: "right" },
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
      { stack: v.buyer.lines.map((l, i) => ({ text: l, bold: i === 0 })) },
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
      ...(v.notes.length > 0 ? [{ text: "Upplysningar", style: "heading" } as Content, { ul: v.notes } as Content] : []),
      { text: "Betalning", style: "heading" },
      { stack: v.payment.map((p) => ({ text: p })) },
    ],
  };
}
