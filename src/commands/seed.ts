import { seedDatabase } from "../core/seed/seed.ts";
import { plural } from "../core/util/plural.ts";
import { openContext, type GlobalOptions } from "./shared/context.ts";
import { intOption } from "./shared/options.ts";
import { printJson, printLine, stdoutIsTty } from "./shared/output.ts";
import { ExitCode } from "../core/errors.ts";

export interface SeedCommandOptions {
  seed?: string;
  companies?: string;
  users?: string;
  tracked?: string;
  answers?: string;
  reset?: boolean;
  force?: boolean;
  now?: string;
  json?: boolean;
}

export async function seedCommand(g: GlobalOptions, o: SeedCommandOptions): Promise<number> {
  const options = {
    seed: intOption(o.seed, "--seed", 0, 2 ** 32 - 1) ?? 1,
    companies: intOption(o.companies, "--companies", 0, 5_000_000) ?? 2000,
    users: intOption(o.users, "--users", 1, 500) ?? 8,
    tracked: intOption(o.tracked, "--tracked", 0, 5_000_000) ?? 400,
    answers: intOption(o.answers, "--answers", 0, 1_000_000) ?? 200,
    reset: Boolean(o.reset),
    force: Boolean(o.force),
  };
  const ctx = await openContext(g, {}, { now: o.now });
  try {
    const started = Date.now();
    const counts = await seedDatabase(ctx.db, { ...options, now: ctx.clock() });
    if (o.json) printJson({ seed: options.seed, reset: options.reset, ...counts });
    else if (stdoutIsTty() || !g.quiet) {
      printLine(
        `seeded ${ctx.store.path} (seed ${options.seed}${options.reset ? ", reset" : ""}) in ${Date.now() - started} ms: ${plural(counts.companies, "company", "companies")}, ${plural(counts.users, "user")}, ${plural(counts.tracked, "tracked company", "tracked companies")}, ${plural(counts.brands.answers, "AI answer")} for ${plural(counts.brands.brands, "brand")}; back office: ${plural(counts.backoffice.tenants, "tenant")}, ${plural(counts.backoffice.projects, "project")}, ${plural(counts.backoffice.invoices, "invoice")}, ${plural(counts.backoffice.shareLinks, "share link")}`,
      );
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
