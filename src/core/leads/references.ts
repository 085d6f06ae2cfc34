import { UsageError } from "../errors.ts";
import { checkProviderAndModel } from "../integrations/llm/known-models.ts";
import type { ReferenceContext } from "../jobs/types.ts";
import { findTerminal } from "./terminals.ts";

interface LeadReferences {
  assign_to_terminal?: string | undefined;
  selector?: { terminal?: string | undefined } | undefined;
  llm_provider?: string | undefined;
  model?: string | undefined;
}

/** A lead payload's terminals, provider and model must exist (`checkReferences` of the lead job types). */
export async function checkLeadReferences(p: LeadReferences, ctx: ReferenceContext): Promise<void> {
  for (const [field, ref] of [
    ["assign_to_terminal", p.assign_to_terminal],
    ["selector.terminal", p.selector?.terminal],
  ] as const) {
    if (ref === undefined) continue;
    await findTerminal(ctx.db, ref).catch((e: unknown) => {
      throw e instanceof UsageError ? new UsageError(`${field}: ${e.message}`, e.hint ? { hint: e.hint } : {}) : e;
    });
  }
  if (p.llm_provider === undefined && p.model === undefined) return; // the llmProvider setting: checked when it runs
  const provider = p.llm_provider ?? ctx.config.llmProvider ?? "rules";
  if (provider.toLowerCase() === "rules") return;
  checkProviderAndModel(provider, p.model, ctx.config, ctx.env, { provider: "llm_provider", model: "model" });
}
