// Invoice PDFs through the real CLI (`invoice-pdf --pending`). Prints JSON:
// - time per document for 10-line invoices (the first, which loads pdfmake, reported apart) and
//   for 300-line invoices, from each job attempt's recorded duration (render + write + record);
// - 1,000 pending 10-line invoices in one run: wall time, documents per second, peak RSS;
// - then cron's next ticks on those 1,000 rendered invoices, with nothing to render: wall time of a
//   tick 5 minutes later (each PDF's file checked on disk, none read) and of the tick a day later
//   (each PDF read once more and compared with its sha256).
// Targets: a 10-line invoice under 300 ms after the first. Usage: node bench/invoice-pdf.mjs [count]
import { join } from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { addTenant, freshDb, NOW, runCli, stats } from "./backoffice-lib.mjs";

const bulk = Number(process.argv[2] ?? 1000);

function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

function addInvoices(sqlite, count, lines, firstNumber) {
  const inv =
    sqlite.prepare(`insert into invoice (tenant_id, client_id, kind, status, number, invoice_date, delivery_date, due_date, ocr, reverse_charge,
      buyer_name, buyer_street, buyer_postcode, buyer_town, buyer_country, buyer_orgnr, buyer_vat_number, created_at, updated_at)
    values (1, 1, 'invoice', 'issued', ?, '2026-11-20', '2026-11-18', '2026-12-20', ?, 0, 'Kund AB', 'Industrivägen 4', '721 30', 'Västerås', 'SE', '5566778899', 'SE556677889901', ?, ?)`);
  const line = sqlite.prepare(
    "insert into invoice_line (invoice_id, position, description, quantity_milli, unit, unit_price_ore, vat_category) values (?, ?, ?, ?, ?, ?, ?)",
  );
  sqlite.transaction(() => {
    for (let i = 0; i < count; i++) {
      const number = firstNumber + i;
      const id = inv.run(number, String(number) + luhn(String(number)), NOW, NOW).lastInsertRowid;
      for (let k = 1; k <= lines; k++) {
        line.run(
          id,
          k,
          `Arbete ${k}: målning och snickeri, våning ${(k % 5) + 1} – åäö`,
          1000 + (k % 8) * 500,
          k % 3 === 0 ? "st" : "tim",
          64_550 + k,
          k % 4 === 0 ? "food" : "standard",
        );
      }
    }
  })();
}

function attemptDurations(path) {
  const db = new BetterSqlite3(path, { readonly: true });
  const rows = db
    .prepare(`select a.duration_ms as ms, (select count(*) from invoice_line l where l.invoice_id = json_extract(j.payload, '$.invoiceId')) as lines
    from job_attempt a join job j on j.id = a.job_id where j.type = 'invoice.pdf' and a.outcome = 'completed' order by a.id`)
    .all();
  db.close();
  return rows;
}

// 1. Time per document.
const small = freshDb("pdf");
addTenant(small.sqlite);
addInvoices(small.sqlite, 50, 10, 1);
addInvoices(small.sqlite, 5, 300, 51);
small.sqlite.close();
const perDoc = await runCli(["invoice-pdf", "--pending", "--out", join(small.dir, "files"), "--json", "--now", NOW], small.path);
if (perDoc.code !== 0) throw new Error(perDoc.stderr);
const rows = attemptDurations(small.path);
const ten = rows.filter((r) => r.lines === 10).map((r) => r.ms);
const big = rows.filter((r) => r.lines === 300).map((r) => r.ms);
const pages300 = JSON.parse(perDoc.stdout).invoices.find((i) => i.number === 51)?.pages;

// 2. 1,000 pending invoices in one run.
const many = freshDb("pdf-bulk");
addTenant(many.sqlite);
addInvoices(many.sqlite, bulk, 10, 1);
many.sqlite.close();
const run = await runCli(["invoice-pdf", "--pending", "--out", join(many.dir, "files"), "--json", "--now", NOW], many.path);
if (run.code !== 0) throw new Error(run.stderr);
const summary = JSON.parse(run.stdout);

// 3. The next cron ticks on those rendered invoices.
const tickAt = async (minutes) => {
  const at = new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
  const tick = await runCli(["invoice-pdf", "--pending", "--out", join(many.dir, "files"), "--json", "--now", at], many.path);
  if (tick.code !== 0 || JSON.parse(tick.stdout).rendered !== 0)
    throw new Error(`the tick at ${at} rendered: ${tick.stdout}${tick.stderr}`);
  return tick.wallMs;
};
const ticks = [];
for (let i = 1; i <= 7; i++) ticks.push(await tickAt(5 * i));
const dayLater = await tickAt(25 * 60);

console.log(
  JSON.stringify(
    {
      benchmark: "invoice-pdf",
      tenLine: { firstMs: ten[0], afterFirst: stats(ten.slice(1)), targetMs: 300 },
      threeHundredLine: { pages: pages300, ...stats(big) },
      pending: {
        invoices: bulk,
        rendered: summary.rendered,
        wallMs: Math.round(run.wallMs),
        perDocumentMs: Math.round((run.wallMs / bulk) * 10) / 10,
        peakRssMb: run.peakRssMb,
      },
      nextTicks: {
        invoices: bulk,
        fiveMinutesLaterMs: stats(ticks.map(Math.round)),
        dayLaterMs: Math.round(dayLater),
      },
      node: process.version,
    },
    null,
    2,
  ),
);
