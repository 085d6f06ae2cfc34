import { formatUsd } from "../../core/integrations/llm/prices.ts";
import type { NamedLeadEvent } from "../../core/leads/event-names.ts";
import { showLead } from "../../core/leads/leads.ts";
import { describeChange, webChangeHistory } from "../../core/web/changes.ts";
import { latestWebSummaries } from "../../core/web/summary.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { bold, printJson, printLine, printTable, truncate } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

export async function leadsShow(g: GlobalOptions, ref: string, o: { json?: boolean }): Promise<number> {
  const ctx = await openContext(g, {}, { readOnly: true });
  try {
    const d = await showLead(ctx.db, ref);
    const web = (await latestWebSummaries(ctx.db, [d.lead.orgnr])).get(d.lead.orgnr) ?? null;
    const webChanges = (await webChangeHistory(ctx.db, { orgnr: d.lead.orgnr })).map((c) => ({ ...c, text: describeChange(c) }));
    if (o.json) {
      printJson({ ...d, website: web, websiteChanges: webChanges });
      return ExitCode.Ok;
    }
    const l = d.lead;
    printLine(bold(`lead ${l.id}: ${l.name} (${l.orgnr})`));
    const line = (label: string, value: unknown) => {
      if (value !== null && value !== undefined && value !== "") printLine(`  ${label.padEnd(12)} ${String(value)}`);
    };
    line("status", l.status);
    line("terminal", l.terminal ?? "not assigned");
    line("town", l.town);
    line("SNI", d.company.sniCodes.join(", "));
    line("website", l.website);
    line("score", l.score === null ? "not analysed" : `${l.score} (${l.segment ?? "?"}, volume ${l.volumeClass ?? "?"})`);
    line("next step", l.nextStep);
    line("source", l.source);
    line("created", l.createdAt);
    line("notes", l.notes);
    line("contact", [l.contact.name, l.contact.email, l.contact.phone].filter(Boolean).join(", "));
    if (d.company.reklamsparr) line("reklamspärr", "yes: no unsolicited direct marketing");
    if (web) {
      line("platform", web.platform ?? "none found");
      line("checkout", web.checkout.join(", ") || "none found");
      line("carriers", web.carriers.join(", ") || "none found");
      line("web checked", web.analysedAt.slice(0, 16).replace("T", " "));
    }
    if (webChanges.length > 0) {
      printLine(bold("website changes"));
      for (const c of webChanges) printLine(`  ${c.text}`);
    }
    if (d.analyses.length > 0) {
      printLine(bold("analyses (newest first)"));
      await printTable(
        ["when", "protocol", "provider/model", "status", "score", "segment", "tokens", "cost", "reasons / error"],
        d.analyses.map((a) => [
          a.created_at.slice(0, 16).replace("T", " "),
          a.protocol,
          `${a.provider}/${a.model}`,
          a.status,
          a.score,
          a.segment,
          `${a.input_tokens}/${a.output_tokens}`,
          formatUsd(a.cost_microusd),
          truncate(a.status === "succeeded" ? a.reasons.join("; ") : a.error, 60),
        ]),
      );
    }
    if (d.events.length > 0) {
      printLine(bold("events"));
      await printTable(
        ["when", "what", "by", "detail"],
        d.events.map((e) => [e.at.slice(0, 16).replace("T", " "), e.kind, eventActor(e), truncate(eventDetail(e), 60)]),
      );
    }
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/** Who: a user's display name, a job with its schedule's name; the bare actor where no name is known. */
function eventActor(e: NamedLeadEvent): string {
  if (e.actorName !== null) return e.actorName;
  return e.scheduleName === null ? e.actor : `${e.actor} (schedule ${e.scheduleName})`;
}

/** The detail with the terminal's name instead of its id. */
function eventDetail(e: NamedLeadEvent): string | null {
  if (e.detail === null) return null;
  if (e.terminalName === null || typeof e.detail !== "object") return JSON.stringify(e.detail);
  const { terminalId: _id, ...rest } = e.detail as Record<string, unknown>;
  return JSON.stringify({ terminal: e.terminalName, ...rest });
}
