import { formatOrgnr } from "../core/domain/orgnr.ts";
import { ExitCode } from "../core/errors.ts";
import { hiringHistory } from "../core/hiring/history.ts";
import { formatDuration, formatRelative } from "../core/time.ts";
import { openContext, type GlobalOptions } from "./shared/context.ts";
import { intOption, orgnrArgument } from "./shared/options.ts";
import { bold, printJson, printLine, printTable, truncate } from "./shared/output.ts";

export interface TrackedHiringOptions {
  as?: string;
  limit?: string;
  now?: string;
  json?: boolean;
}

/**
 * `leadjobs tracked hiring [ORGNR]`: the hiring history of tracked companies (read from their
 * careers pages by the refresh): open positions and closed ones, with how long each was listed.
 */
export async function trackedHiring(g: GlobalOptions, orgnrText: string | undefined, o: TrackedHiringOptions): Promise<number> {
  const orgnr = orgnrText === undefined ? undefined : orgnrArgument(orgnrText);
  const limit = intOption(o.limit, "--limit", 1, 1_000_000) ?? 200;
  const ctx = await openContext(g, {}, { now: o.now, readOnly: true });
  try {
    const now = ctx.clock();
    const h = await hiringHistory(ctx.db, { orgnr, username: o.as, limit, now });
    if (o.json) {
      printJson({ user: o.as ?? null, orgnr: orgnr ?? null, ...h });
      return ExitCode.Ok;
    }
    if (h.companies.length === 0) {
      printLine(o.as ? `${o.as} tracks no companies` : "no tracked companies");
      return ExitCode.Ok;
    }
    const rows = h.companies.flatMap((c) =>
      [...c.open, ...c.closed].map((p) => [
        `#${p.id}`,
        `${formatOrgnr(c.orgnr)} ${truncate(c.name, 24)}`,
        `${truncate(p.title, 40)}${p.location ? ` (${truncate(p.location, 20)})` : ""}`,
        p.openedAt.slice(0, 10),
        p.closedAt === null ? "open" : p.closedAt.slice(0, 10),
        formatDuration(p.openMs),
      ]),
    );
    if (orgnr !== undefined) {
      const c = h.companies[0]!;
      printLine(bold(`${c.name} (${formatOrgnr(c.orgnr)})`));
      printLine(
        c.checkedAt === null
          ? "  careers page never read (the company refresh reads it)"
          : `  careers page ${c.careersUrl ?? "not found"}; checked ${formatRelative(c.checkedAt, now)}; ${c.open.length} open, ${c.closed.length} closed`,
      );
    }
    if (rows.length === 0)
      printLine(orgnr !== undefined ? "no positions listed so far" : "no positions listed by the tracked companies so far");
    else await printTable(["position", "company", "title", "opened", "closed", "listed for"], rows);
    if (h.more > 0) printLine(`… and ${h.more} more (--limit)`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
