import { actorFrom } from "../shared/actor.ts";
import { normaliseWebsite } from "../../core/companies/formats/csv.ts";
import { ExitCode, UsageError } from "../../core/errors.ts";
import { editLead, leadStatus, type LeadChanges } from "../../core/leads/leads.ts";
import { openContext, type GlobalOptions } from "../shared/context.ts";
import { printJson, printLine } from "../shared/output.ts";

export interface LeadsEditOptions {
  status?: string;
  /** A URL, or false for --no-website. */
  website?: string | boolean;
  terminal?: string;
  unassign?: boolean;
  notes?: string;
  as?: string;
  json?: boolean;
}

export async function leadsEdit(g: GlobalOptions, ref: string, o: LeadsEditOptions): Promise<number> {
  const changes: LeadChanges = {};
  if (o.status !== undefined) changes.status = leadStatus(o.status);
  if (o.website === false) changes.website = null;
  else if (typeof o.website === "string") {
    const url = normaliseWebsite(o.website);
    if (!url) throw new UsageError(`invalid --website "${o.website}": an http(s) address such as https://www.example.se`);
    changes.website = url;
  }
  if (o.terminal !== undefined && o.unassign) throw new UsageError("use either --terminal or --unassign");
  if (o.terminal !== undefined) changes.terminal = o.terminal;
  if (o.unassign) changes.terminal = null;
  if (o.notes !== undefined) changes.notes = o.notes === "" ? null : o.notes;
  if (Object.keys(changes).length === 0)
    throw new UsageError("nothing to change: give --status, --website, --no-website, --terminal, --unassign or --notes");
  const actor = actorFrom(o.as);
  const ctx = await openContext(g);
  try {
    const r = await editLead(ctx.db, ref, changes, actor, ctx.clock());
    if (o.json) printJson(r);
    else printLine(r.changed.length > 0 ? `lead ${r.id}: changed ${r.changed.join(", ")}` : `lead ${r.id}: nothing changed`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}
