import { leadStatus, listLeads } from "../../core/leads/leads.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { intOption, sinceOption } from "../shared/options.ts";
import { pageJson, pageOption, pastTheEnd, printMore, type PagingFlags } from "../shared/paging.ts";
import { printJson, printLine, printTable, truncate } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export interface LeadsListOptions extends PagingFlags {
  terminal?: string;
  unassigned?: boolean;
  status?: string[];
  analysedSince?: string;
  notAnalysedSince?: string;
  minScore?: string;
  json?: boolean;
}

export async function leadsList(g: GlobalOptions, o: LeadsListOptions): Promise<number> {
  const statuses = o.status?.map(leadStatus);
  const page = pageOption(o, 50);
  const minScore = intOption(o.minScore, "--min-score", 0, 100);
  const now = Date.now();
  const analysedSince = sinceOption(o.analysedSince, "--analysed-since", now);
  const notAnalysedSince = sinceOption(o.notAnalysedSince, "--not-analysed-since", now);
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const { items: leads, total } = await listLeads(
      ctx.db,
      { terminal: o.terminal, unassigned: Boolean(o.unassigned), statuses, minScore, analysedSince, notAnalysedSince },
      page,
    );
    if (o.json) printJson({ ...pageJson(page, total, leads.length), leads });
    else if (leads.length === 0) printLine(pastTheEnd(page, total, "leads") ?? "no matching leads");
    else
      await printTable(
        ["id", "orgnr", "name", "town", "status", "terminal", "score", "segment", "analysed"],
        leads.map((l) => [
          l.id,
          l.orgnr,
          truncate(l.name, 36),
          l.town,
          l.status,
          l.terminal,
          l.score,
          l.segment,
          l.analysedAt?.slice(0, 10),
        ]),
      );
    if (!o.json) printMore(page, total, leads.length);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
