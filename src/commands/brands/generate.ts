import { findBrand } from "../../core/brands/repository.ts";
import { parseCollector } from "../../core/brands/collectors.ts";
import { generateQueries, topicsFor, type QuerySource } from "../../core/brands/query-generate.ts";
import { ExitCode, UnavailableError } from "../../core/errors.ts";
import { LlmError } from "../../core/integrations/llm/errors.ts";
import { createLlmProvider } from "../../core/integrations/llm/registry.ts";
import { loadConfig, openContextWith, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";

export interface GenerateOptions {
  topic?: string;
  provider?: string;
  json?: boolean;
}

/** `brands queries generate`: proposals per topic, stored inactive until `brands queries activate`. */
export async function brandsQueriesGenerate(g: GlobalOptions, ref: string, o: GenerateOptions): Promise<number> {
  const config = loadConfig(g);
  const name = (o.provider ?? "rules").trim();
  let source: QuerySource = { kind: "rules" };
  if (name.toLowerCase() !== "rules") {
    // An unknown provider (exit 2) or a missing key (exit 69) stops here, before the database is opened.
    const spec = parseCollector(name);
    const provider = await createLlmProvider(spec.provider, { config, env: process.env });
    source = { kind: "llm", provider, model: spec.model ?? provider.defaultModel };
  }
  const ctx = await openContextWith(g, config);
  try {
    const brand = await findBrand(ctx.db, ref);
    const topics = await topicsFor(ctx.db, brand.id, o.topic);
    const result = await generateQueries(ctx.db, brand, topics, source, { now: ctx.clock() }).catch((e: unknown) => {
      if (e instanceof LlmError) throw new UnavailableError(`${e.provider}: ${e.message}`);
      throw e;
    });
    const added = result.flatMap((t) => t.queries.filter((q) => q.added));
    if (o.json) {
      printJson({
        brand: brand.name,
        provider: source.kind === "rules" ? "rules" : `${source.provider.name}/${source.model}`,
        added: added.length,
        topics: result,
      });
      return ExitCode.Ok;
    }
    await printTable(
      ["id", "topic", "state", "query"],
      result.flatMap((t) => t.queries.map((q) => [q.id, t.topic, q.added ? "new, inactive" : q.active ? "active" : "inactive", q.text])),
    );
    const ids = added.map((q) => q.id).join(" ");
    printLine(
      added.length === 0
        ? "no new proposals: every one is already among the brand's queries"
        : `${added.length} new, inactive: leadjobs brands queries activate ${JSON.stringify(brand.name)} ${ids}`,
    );
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
