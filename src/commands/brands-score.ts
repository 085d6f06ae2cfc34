import { checkCollectors, parseCollector } from "../core/brands/collectors.ts";
import { findBrand } from "../core/brands/repository.ts";
import { UsageError } from "../core/errors.ts";
import { loadJobType } from "../core/jobs/registry.ts";
import { runJobNow } from "../core/runtime/run-now.ts";
import { loadConfig, openContext, type GlobalOptions } from "./context.ts";
import { intOption } from "./options.ts";
import { printJson, printLine } from "./output.ts";
import { onStopSignals } from "./signals.ts";

export async function brandsScore(g: GlobalOptions, ref: string, o: { positionLimit?: string; sentimentLimit?: string; sentimentProvider?: string; json?: boolean }): Promise<number> {
  const positionLimit = intOption(o.positionLimit, "--position-limit", 1, 1_000_000);
  const sentimentLimit = intOption(o.sentimentLimit, "--sentiment-limit", 0, 1_000_000);
  const sentiment = (o.sentimentProvider ?? loadConfig(g).brandSentimentProvider ?? "lexicon").trim();
  if (o.sentimentProvider !== undefined && o.sentimentProvider.trim() === "") throw new UsageError("--sentiment-provider needs a name: lexicon or provider[:model]");
  // An unknown provider (exit 2) or a missing key (exit 69) before anything is written.
  if (sentiment.toLowerCase() !== "lexicon") checkCollectors([parseCollector(sentiment)], loadConfig(g), process.env);
  const ctx = await openContext(g);
  const signals = onStopSignals();
  try {
    const brand = await findBrand(ctx.db, ref);
    const run = await runJobNow({
      ...ctx, loadJobType, leaseMs: ctx.config.lease, stop: signals.stop, type: "brand.score",
      payload: {
        brand: brand.id, ...(positionLimit !== undefined ? { positionLimit } : {}), ...(sentimentLimit !== undefined ? { sentimentLimit } : {}),
        ...(o.sentimentProvider !== undefined ? { sentimentProvider: o.sentimentProvider } : {}),
      },
    });
    if (o.json) printJson({ jobId: run.jobId, outcome: run.end.kind, ...run.metrics });
    else if (run.end.kind === "completed") {
      const m = run.metrics;
      printLine(`scored ${m.answers_scored ?? 0} answers of ${brand.name}: brand mentioned in ${m.brand_mentioned ?? 0}, ${m.competitor_mentions ?? 0} competitor mentions, ${m.citations ?? 0} citations (${m.own_citations ?? 0} of its own domains)`);
    } else printLine(`job ${run.jobId} ${run.end.kind}: ${"error" in run.end ? run.end.error : ""}`);
    return run.end.kind === "completed" ? 0 : 1;
  } finally {
    signals.dispose();
    await ctx.close();
  }
}
