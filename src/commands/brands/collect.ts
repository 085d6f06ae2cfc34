import { parseProviderRates } from "../../core/brands/collect-limits.ts";
import { plural } from "../../core/util/plural.ts";
import { checkCollectors, chosenCollectors, parseCollector } from "../../core/brands/collectors.ts";
import { findBrand } from "../../core/brands/repository.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { formatUsd } from "../../core/integrations/llm/prices.ts";
import { loadJobType } from "../../job-types.ts";
import { parsePayload } from "../../core/jobs/payload.ts";
import { loadConfig, openContextWith, type GlobalOptions } from "../shared/context.ts";
import { reportUnfinished, runEnd, runInForeground } from "../shared/run-now.ts";
import { intOption } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";

export interface BrandsCollectOptions {
  collectors?: string;
  parallel?: string;
  queryLimit?: string;
  maxCost?: string;
  score?: boolean;
  sentimentProvider?: string;
  positionLimit?: string;
  sentimentLimit?: string;
  json?: boolean;
}

/**
 * `brands collect BRAND`: brand.collect now (with --score: brand.collect_and_score). Input,
 * collectors and their keys are checked before the database is opened: exit 2 or 69, nothing written.
 */
export async function brandsCollect(g: GlobalOptions, ref: string, o: BrandsCollectOptions): Promise<number> {
  const maxCost = o.maxCost === undefined ? undefined : Number(o.maxCost.replace(/^\$/, ""));
  if (maxCost !== undefined && (!Number.isFinite(maxCost) || maxCost < 0))
    throw new UsageError(`invalid --max-cost "${o.maxCost}": an amount in USD such as 0.50`);
  if (!o.score && (o.sentimentProvider !== undefined || o.positionLimit !== undefined || o.sentimentLimit !== undefined)) {
    throw new UsageError("--sentiment-provider, --position-limit and --sentiment-limit go with --score");
  }
  const type = o.score ? "brand.collect_and_score" : "brand.collect";
  const payload: Record<string, unknown> = {
    brand: ref,
    ...(o.collectors !== undefined
      ? {
          collectors: o.collectors
            .split(",")
            .map((x) => x.trim())
            .filter(Boolean),
        }
      : {}),
    ...(o.parallel !== undefined ? { parallel: intOption(o.parallel, "--parallel", 1, 20) } : {}),
    ...(o.queryLimit !== undefined ? { queryLimit: intOption(o.queryLimit, "--query-limit", 1, 100_000) } : {}),
    ...(maxCost !== undefined ? { maxCostUsd: maxCost } : {}),
    ...(o.sentimentProvider !== undefined ? { sentimentProvider: o.sentimentProvider } : {}),
    ...(o.positionLimit !== undefined ? { positionLimit: intOption(o.positionLimit, "--position-limit", 1, 1_000_000) } : {}),
    ...(o.sentimentLimit !== undefined ? { sentimentLimit: intOption(o.sentimentLimit, "--sentiment-limit", 0, 1_000_000) } : {}),
  };
  const def = await loadJobType(type);
  if (Array.isArray(payload.collectors) && payload.collectors.length === 0)
    throw new UsageError(`invalid --collectors "${o.collectors}": name at least one provider`);
  parsePayload(def, payload);
  const config = loadConfig(g);
  parseProviderRates(config.brandProviderRpm);
  checkCollectors(chosenCollectors(payload.collectors as string[] | undefined, config), config, process.env);
  const sentiment = (o.sentimentProvider ?? (o.score ? config.brandSentimentProvider : undefined) ?? "lexicon").trim();
  if (sentiment.toLowerCase() !== "lexicon") checkCollectors([parseCollector(sentiment)], config, process.env);

  const ctx = await openContextWith(g, config);
  try {
    const brand = await findBrand(ctx.db, ref);
    const run = await runInForeground(ctx, type, { ...payload, brand: brand.id });
    const result = run.result;
    if (o.json) printJson({ jobId: run.jobId, outcome: run.end.kind, ...(result ?? {}), metrics: run.metrics, ...runEnd(run.end) });
    else {
      const m = run.metrics;
      if (result) {
        for (const l of result.lanes) {
          printLine(
            `${l.collector}: ${plural(l.stored, "answer")} stored, ${l.failed} failed${l.alreadyStored > 0 ? `, ${l.alreadyStored} stored before` : ""}${l.notAsked > 0 ? `, ${l.notAsked} not asked` : ""}; ${l.inputTokens}/${l.outputTokens} tokens, ${l.priceKnown ? formatUsd(l.costMicroUsd) : "price unknown"}${l.stopped ? ` (${l.stopped.message})` : ""}`,
          );
        }
      }
      printLine(
        `${brand.name}: ${askedLine(m)}; ${m.tokens_in ?? 0}/${m.tokens_out ?? 0} tokens, ${formatUsd(m.cost_microusd ?? 0)} (job ${run.jobId})`,
      );
      if (result && "scoring" in result) {
        const s = result.scoring;
        printLine(
          `scored ${plural(s.answers_scored ?? 0, "answer")} (sentiment: ${s.sentimentScorer}): brand mentioned in ${s.brand_mentioned ?? 0}, ${plural(s.competitor_mentions ?? 0, "competitor mention")}, ${plural(s.citations ?? 0, "citation")} (${s.own_citations ?? 0} of its own domains)`,
        );
      }
    }
    if (run.end.kind !== "completed") return reportUnfinished(run, "collection", ctx.clock());
    return (run.metrics.failed ?? 0) > 0 ? ExitCode.Failure : ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/**
 * What became of the questions: asked (of them stored and failed) and not asked, in the same
 * words as the lanes above and the stop message below, so the numbers add up.
 */
export function askedLine(m: Record<string, number>): string {
  const asked = m.queries_executed ?? 0;
  const notAsked = m.not_asked ?? 0;
  return `${plural(asked, "question")} asked: ${plural(m.answers_stored ?? 0, "answer")} stored, ${m.failed ?? 0} failed${notAsked > 0 ? `; ${notAsked} not asked` : ""}`;
}
