import { assertAllowed } from "../../core/users/permissions.ts";
import { actingUser } from "../shared/actor.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { plural } from "../../core/util/plural.ts";
import { parsePayload } from "../../core/jobs/payload.ts";
import { loadJobType } from "../../job-types.ts";
import { formatUsd } from "../../core/integrations/llm/prices.ts";
import { PROTOCOL_NAMES } from "../../core/leads/protocols.ts";
import { resolveLead } from "../../core/leads/leads.ts";
import { resolveEndpoint, requireKey } from "../../core/integrations/llm/endpoints.ts";
import { loadConfig, openContextWith, type GlobalOptions } from "../shared/context.ts";
import { reportUnfinished, resultOf, runEnd, runInForeground } from "../shared/run-now.ts";
import { intOption } from "../shared/options.ts";
import { printJson, printLine } from "../shared/output.ts";

export interface LeadsAnalyzeOptions {
  protocol?: string;
  provider?: string;
  model?: string;
  maxCost?: string;
  notAnalysedSince?: string;
  terminal?: string;
  status?: string[];
  minScore?: string;
  limit?: string;
  json?: boolean;
}

/** `leads analyze`: the leads.analyze job type, run now (given leads, or a selector). */
export async function leadsAnalyze(g: GlobalOptions, refs: string[], o: LeadsAnalyzeOptions): Promise<number> {
  if (o.protocol !== undefined && !(PROTOCOL_NAMES as readonly string[]).includes(o.protocol)) {
    throw new UsageError(`invalid --protocol "${o.protocol}": expected ${PROTOCOL_NAMES.join(", ")}`);
  }
  const maxCost = o.maxCost === undefined ? undefined : Number(o.maxCost.replace(/^\$/, ""));
  if (maxCost !== undefined && (!Number.isFinite(maxCost) || maxCost < 0))
    throw new UsageError(`invalid --max-cost "${o.maxCost}": an amount in USD such as 0.50`);
  const selecting =
    o.notAnalysedSince !== undefined ||
    o.terminal !== undefined ||
    o.status !== undefined ||
    o.minScore !== undefined ||
    o.limit !== undefined;
  if (refs.length > 0 && selecting)
    throw new UsageError("name leads, or select them with --not-analysed-since/--terminal/--status/--min-score/--limit, not both");
  const raw: Record<string, unknown> = {
    analysis_protocol: o.protocol ?? "quick",
    ...(o.provider ? { llm_provider: o.provider } : {}),
    ...(o.model ? { model: o.model } : {}),
    ...(maxCost !== undefined ? { max_cost_usd: maxCost } : {}),
  };
  if (refs.length === 0) {
    raw.selector = {
      ...(o.notAnalysedSince ? { not_analysed_since: o.notAnalysedSince } : {}),
      ...(o.terminal ? { terminal: o.terminal } : {}),
      ...(o.status ? { status: o.status } : {}),
      ...(o.minScore !== undefined ? { min_score: intOption(o.minScore, "--min-score", 0, 100) } : {}),
      limit: intOption(o.limit, "--limit", 1, 500) ?? 100,
    };
  }
  const def = await loadJobType("leads.analyze");
  if (refs.length === 0) parsePayload(def, raw); // exit 2 before the database is opened
  const config = loadConfig(g);
  const provider = (o.provider ?? config.llmProvider ?? "rules").toLowerCase();
  if (provider !== "rules") requireKey(resolveEndpoint(provider, config, process.env)); // exit 2 or 69 before anything is written
  const ctx = await openContextWith(g, config);
  try {
    assertAllowed(await actingUser(ctx.db, undefined), { kind: "jobs.write" }); // it runs a job, as `jobs add leads.analyze` would
    if (refs.length > 0) raw.lead_ids = [...new Set(await Promise.all(refs.map(async (r) => (await resolveLead(ctx.db, r)).id)))];
    const run = await runInForeground(ctx, "leads.analyze", parsePayload(def, raw));
    if (run.end.kind !== "completed") {
      if (o.json) printJson({ jobId: run.jobId, outcome: run.end.kind, ...runEnd(run.end) });
      return reportUnfinished(run, "analysis", ctx.clock());
    }
    const r = resultOf(run);
    if (o.json) printJson({ jobId: run.jobId, ...r });
    else {
      printLine(
        `analysed ${r.analysed} of ${plural(r.selected, "lead")} with ${r.provider}/${r.model} (${r.protocol}): ${r.failed} failed, ${r.notAnalysed} not analysed (budget); ${r.inputTokens}/${r.outputTokens} tokens, ${formatUsd(r.costMicroUsd)}`,
      );
      const a = r.annualReports;
      if (a.checked > 0 || a.skipped?.startsWith("Bolagsverket"))
        printLine(
          `annual reports: ${a.checked} looked at, ${a.updated} with new figures, ${a.noReport} without a filed report (figures kept), ${a.failed} unreadable${a.skipped ? `; ${a.skipped} (stored figures used)` : ""}`,
        );
      printLine(`see the results with \`leadjobs leads list --analysed-since 1h\` or \`leadjobs leads show ID\` (job ${run.jobId})`);
    }
    return r.failed > 0 ? ExitCode.Failure : ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
