import { checkCollectors, parseCollector } from "../../core/brands/collectors.ts";
import { plural } from "../../core/util/plural.ts";
import { findBrand } from "../../core/brands/repository.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { loadConfig, openContextWith, type GlobalOptions } from "../shared/context.ts";
import { reportUnfinished, runEnd, runInForeground } from "../shared/run-now.ts";
import { intOption } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";

export async function brandsScore(
  g: GlobalOptions,
  ref: string,
  o: { positionLimit?: string; sentimentLimit?: string; sentimentProvider?: string; json?: boolean },
): Promise<number> {
  const positionLimit = intOption(o.positionLimit, "--position-limit", 1, 1_000_000);
  const sentimentLimit = intOption(o.sentimentLimit, "--sentiment-limit", 0, 1_000_000);
  if (o.sentimentProvider !== undefined && o.sentimentProvider.trim() === "")
    throw new UsageError("--sentiment-provider needs a name: lexicon or provider[:model]");
  const config = loadConfig(g);
  const sentiment = (o.sentimentProvider ?? config.brandSentimentProvider ?? "lexicon").trim();
  // An unknown provider (exit 2) or a missing key (exit 69) before anything is written.
  if (sentiment.toLowerCase() !== "lexicon") checkCollectors([parseCollector(sentiment)], config, process.env);
  const ctx = await openContextWith(g, config);
  try {
    const brand = await findBrand(ctx.db, ref);
    const run = await runInForeground(ctx, "brand.score", {
      brand: brand.id,
      ...(positionLimit !== undefined ? { positionLimit } : {}),
      ...(sentimentLimit !== undefined ? { sentimentLimit } : {}),
      ...(o.sentimentProvider !== undefined ? { sentimentProvider: o.sentimentProvider } : {}),
    });
    if (o.json) printJson({ jobId: run.jobId, outcome: run.end.kind, ...run.metrics, ...runEnd(run.end) });
    else if (run.end.kind === "completed") {
      const m = run.metrics;
      printLine(
        `scored ${plural(m.answers_scored ?? 0, "answer")} of ${brand.name}: brand mentioned in ${m.brand_mentioned ?? 0}, ${plural(m.competitor_mentions ?? 0, "competitor mention")}, ${plural(m.citations ?? 0, "citation")} (${m.own_citations ?? 0} of its own domains)`,
      );
    }
    return run.end.kind === "completed" ? ExitCode.Ok : reportUnfinished(run, "scoring", ctx.clock());
  } finally {
    await ctx.close();
  }
}
