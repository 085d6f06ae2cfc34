import { formatOrgnr } from "../core/domain/orgnr.ts";
import { keywordMatches } from "../core/hiring/matches.ts";
import { formatRelative } from "../core/time.ts";
import type { CommandContext } from "./shared/context.ts";
import { printJson, printLine, printTable, truncate } from "./shared/output.ts";

/** `leadjobs tracked --matches`: open positions whose titles match the trackers' keywords, per user. */
export async function printKeywordMatches(ctx: CommandContext, o: { as?: string | undefined; limit: number; json?: boolean | undefined }): Promise<void> {
  const now = ctx.clock();
  const r = await keywordMatches(ctx.db, { username: o.as, limit: o.limit });
  if (o.json) {
    printJson({ user: o.as ?? null, total: r.total, matches: r.matches });
    return;
  }
  if (r.total === 0) {
    printLine(`no open positions match ${o.as ? `${o.as}'s` : "the users'"} keywords (leadjobs track ORGNR --rank N --keywords "lager,truck")`);
    return;
  }
  const head = ["company", "title", "keywords", "listed", "link"];
  await printTable(o.as ? head : ["user", ...head], r.matches.map((m) => {
    const row = [`${formatOrgnr(m.orgnr)} ${truncate(m.name, 28)}`, `${truncate(m.title, 40)}${m.location ? ` (${truncate(m.location, 20)})` : ""}`, m.keywords.join(", "), formatRelative(m.firstSeenAt, now), m.url ?? "-"];
    return o.as ? row : [m.user, ...row];
  }));
  if (r.total > r.matches.length) printLine(`… and ${r.total - r.matches.length} more (--limit)`);
}
