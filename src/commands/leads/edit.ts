import * as z from "zod";
import { actingUser, asOption } from "../shared/actor.ts";
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
  contactName?: string;
  contactEmail?: string;
  contactPhone?: string;
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
  Object.assign(changes, contactChanges(o));
  if (Object.keys(changes).length === 0)
    throw new UsageError(
      "nothing to change: give --status, --website, --no-website, --terminal, --unassign, --notes or --contact-name, --contact-email, --contact-phone",
    );
  const as = asOption(o.as);
  const ctx = await openContext(g);
  try {
    const actor = (await actingUser(ctx.db, as)).name;
    const r = await editLead(ctx.db, ref, changes, actor, ctx.clock());
    if (o.json) printJson(r);
    else printLine(r.changed.length > 0 ? `lead ${r.id}: changed ${r.changed.join(", ")}` : `lead ${r.id}: nothing changed`);
    return ExitCode.Ok;
  } finally {
    await ctx.close();
  }
}

/** The contact options, checked; an empty value clears the field. */
function contactChanges(o: LeadsEditOptions): LeadChanges {
  const out: LeadChanges = {};
  const clean = (v: string | undefined) => (v === undefined ? undefined : v.trim() === "" ? null : v.trim());
  const name = clean(o.contactName);
  const email = clean(o.contactEmail);
  const phone = clean(o.contactPhone);
  if (email && !z.email().safeParse(email).success)
    throw new UsageError(`invalid --contact-email "${o.contactEmail}": an address such as anna@example.se`);
  if (phone && !(/^\+?[\d\s()-]+$/.test(phone) && phone.replace(/\D/g, "").length >= 6 && phone.replace(/\D/g, "").length <= 15))
    throw new UsageError(`invalid --contact-phone "${o.contactPhone}": 6 to 15 digits, e.g. 08-123 456 78 or +46 8 123 456 78`);
  if (name !== undefined) out.contactName = name;
  if (email !== undefined) out.contactEmail = email;
  if (phone !== undefined) out.contactPhone = phone;
  return out;
}
