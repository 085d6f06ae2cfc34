import { findBrand } from "../../core/brands/repository.ts";
import { brandReport, sparkline, type BrandProviderReport, type SubjectFigures } from "../../core/brands/report.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { parseDuration } from "../../core/time.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { bold, printJson, printLine, printTable } from "../shared/output.ts";

export interface ReportBrandsOptions {
  brand?: string;
  since?: string;
  json?: boolean;
  csv?: boolean;
  now?: string;
}

export async function reportBrands(g: GlobalOptions, o: ReportBrandsOptions): Promise<number> {
  if (o.json && o.csv) throw new UsageError("use --json or --csv, not both");
  const window = parseDuration(o.since ?? "30d", "--since");
  const ctx = await openContext(g, {}, { now: o.now, readOnly: true });
  try {
    const now = ctx.clock();
    const brandId = o.brand === undefined ? undefined : (await findBrand(ctx.db, o.brand)).id;
    const reports = await brandReport(ctx.db, { brandId, since: now - window, now });
    if (o.json) printJson({ since: new Date(now - window).toISOString(), reports });
    else if (o.csv) process.stdout.write(toCsv(reports));
    else if (reports.length === 0)
      printLine("no scored answers in that window (collect with brand.collect, then score: leadjobs brands score BRAND)");
    else for (const r of reports) await render(r);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const num = (x: number | null, d = 1) => (x === null ? "-" : (Math.round(x * 10 ** d) / 10 ** d || 0).toFixed(d));

async function render(r: BrandProviderReport): Promise<void> {
  printLine(
    `${bold(`${r.brand} in ${r.provider} answers (${r.answers})`)}   mentioned per week: ${sparkline(r.weekly.map((w) => w.mentionShare))}`,
  );
  const row = (f: SubjectFigures, label: string) => [
    label,
    pct(f.mentionShare),
    num(f.avgPosition),
    num(f.avgSentiment, 2),
    pct(f.citationShare),
  ];
  await printTable(
    ["", "mentioned", "avg position", "sentiment", "cited"],
    [row(r.brandFigures, r.brand), ...r.competitors.map((c) => row(c, `  vs ${c.name}`))],
  );
}

function toCsv(reports: BrandProviderReport[]): string {
  const lines = ["brand,provider,subject,answers,mention_share,avg_position,avg_sentiment,citation_share"];
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  for (const r of reports) {
    for (const f of [r.brandFigures, ...r.competitors]) {
      lines.push(
        [
          q(r.brand),
          q(r.provider),
          q(f.name),
          f.answers,
          f.mentionShare.toFixed(4),
          f.avgPosition ?? "",
          f.avgSentiment ?? "",
          f.citationShare.toFixed(4),
        ].join(","),
      );
    }
  }
  return `${lines.join("\n")}\n`;
}
