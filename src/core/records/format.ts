import * as z from "zod";
import { SPENDING_LIMITS } from "../budget/schema.ts";
import { isIsoDate } from "../domain/dates.ts";
import { lineOverInvoiceLimit, OVER_INVOICE_LIMIT } from "../invoice/amounts.ts";
import { dueDateProblem } from "../invoice/dates.ts";
import { readInstant, toInstant } from "../time.ts";

/**
 * The operator's back-office records, one JSON object per line (NDJSON), each with a `kind`.
 * Rows are identified by the operator's own ids: a tenant by its slug, a share link by its token,
 * everything else by `id`, unique within its tenant. References name those ids. Money is integer
 * öre, hours integer minutes, quantities thousandths, dates YYYY-MM-DD, instants ISO-8601 UTC.
 * The README ("Back office: your own data") documents every field; export writes this format.
 */

const missing = (what: string) => (iss: { input: unknown }) => (iss.input === undefined ? "missing" : `expected ${what}`);
const text = (max = 500) =>
  z
    .string({ error: missing("a string") })
    .trim()
    .min(1, "empty")
    .max(max, `longer than ${max} characters`);
const optText = (max = 500) => text(max).nullable().optional();
const int = (min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER) =>
  z
    .number({ error: missing("a whole number") })
    .int("expected a whole number")
    .min(min, `expected at least ${min}`)
    .max(max, `expected at most ${max}`);
const flag = () => z.boolean({ error: missing("true or false") });
const date = () => text(10).refine(isIsoDate, "expected a date YYYY-MM-DD");
/** An instant with its time of day and zone, read as `--now` is; parsed into the stored form (UTC). */
const instant = () =>
  text(40).transform((s, ctx) => {
    const r = /^\d{4}-\d{2}-\d{2}[T ]/i.test(s)
      ? readInstant(s)
      : { ok: false as const, reason: "expected an ISO time, e.g. 2026-11-22T08:00:00Z" };
    if (r.ok) return toInstant(r.ms);
    ctx.issues.push({ code: "custom", message: r.reason, input: s });
    return z.NEVER;
  });
/** An external id: what the operator's own system calls the row. */
const ref = () => text(100);
/** How a row made without an external id is named: `#<row id>` (export and the listings). */
export const OWN_REF = /^#([1-9]\d{0,14})$/;
/** A record's own id: `#…` is kept for rows named by their row id, so `#<row id>` or an id not beginning with `#`. */
const ownId = () =>
  ref().refine((s) => !s.startsWith("#") || OWN_REF.test(s), "an id beginning with # is a row id, e.g. #12 (a row made without an id)");
const slug = () => text(40).regex(/^[a-z0-9-]+$/, "expected lower-case letters, digits and hyphens");

/** Who a company is and where: a tenant's and a client's fields. */
const party = {
  orgnr: optText(20),
  vatNumber: optText(20),
  street: optText(),
  postcode: optText(20),
  town: optText(),
  country: text(2)
    .regex(/^[A-Z]{2}$/, "expected a two-letter country code")
    .optional(),
};

const member = z.strictObject({
  username: text(100),
  email: optText(),
  name: optText(),
  role: z.enum(["admin", "manager"], { error: "expected admin or manager" }),
});

export const tenantRecord = z.strictObject({
  kind: z.literal("tenant"),
  slug: slug(),
  name: text(),
  ...party,
  registeredOffice: optText(),
  fSkatt: flag().optional(),
  bankgiro: optText(20),
  plusgiro: optText(20),
  email: optText(),
  phone: optText(),
  website: optText(),
  paymentTermsDays: int(0, 365).optional(),
  ocrLengthDigit: flag().optional(),
  nextInvoiceNumber: int(1).optional(),
  members: z.array(member).optional(),
});

export const clientRecord = z.strictObject({
  kind: z.literal("client"),
  tenant: slug(),
  id: ownId(),
  name: text(),
  ...party,
  email: optText(),
});

export const projectRecord = z.strictObject({
  kind: z.literal("project"),
  tenant: slug(),
  id: ownId(),
  client: ref().nullable().optional(),
  code: optText(100),
  name: text(),
  status: z
    .enum(["planned", "active", "paused", "completed", "archived"], { error: "expected planned, active, paused, completed or archived" })
    .optional(),
});

export const budgetRecord = z.strictObject({
  kind: z.literal("budget"),
  tenant: slug(),
  project: ref(),
  hoursMinutes: int(0, SPENDING_LIMITS.budgetMinutes).nullable().optional(),
  materialOre: int(0).nullable().optional(),
  totalOre: int(0).nullable().optional(),
  thresholds: z
    .array(
      z.strictObject({
        type: z.enum(["hours", "material", "total"], { error: "expected hours, material or total" }),
        percent: z
          .number({ error: missing("a whole number") })
          .int("expected a whole number")
          .min(1, "threshold under 1 %")
          .max(1000, "threshold over 1000 %"),
        notify: flag().optional(),
      }),
    )
    .default([]),
});

export const timeEntryRecord = z.strictObject({
  kind: z.literal("time-entry"),
  tenant: slug(),
  id: ownId(),
  project: ref(),
  date: date(),
  minutes: int(0, SPENDING_LIMITS.entryMinutes),
  hourlyRateOre: int(0, SPENDING_LIMITS.hourlyRateOre),
  description: optText(),
});

export const materialCostRecord = z.strictObject({
  kind: z.literal("material-cost"),
  tenant: slug(),
  id: ownId(),
  project: ref(),
  date: date(),
  description: text(),
  amountOre: int(-SPENDING_LIMITS.materialOre, SPENDING_LIMITS.materialOre),
});

const invoiceLine = z.strictObject({
  description: text(),
  quantityMilli: int(),
  unit: text(20),
  unitPriceOre: int(),
  vatCategory: text(40),
});

const invoiceFields = z.strictObject({
  kind: z.literal("invoice"),
  tenant: slug(),
  id: ownId(),
  client: ref(),
  project: ref().nullable().optional(),
  /** A credit note: the id of the invoice it credits. */
  credits: ref().nullable().optional(),
  /** Issued with this number of the tenant's series; without it, a draft. */
  number: int(1).nullable().optional(),
  ocr: text(25).regex(/^\d+$/, "expected digits").nullable().optional(),
  invoiceDate: date(),
  deliveryDate: date().nullable().optional(),
  dueDate: date().nullable().optional(),
  reverseCharge: flag().optional(),
  yourReference: optText(),
  ourReference: optText(),
  notes: optText(2000),
  /** The buyer as printed on an issued invoice; default: the client as it is now. */
  buyer: z
    .strictObject({
      name: optText(),
      street: optText(),
      postcode: optText(20),
      town: optText(),
      country: optText(2),
      orgnr: optText(20),
      vatNumber: optText(20),
    })
    .optional(),
  lines: z
    .array(invoiceLine)
    .min(1, "an invoice needs at least one line")
    .superRefine((lines, ctx) => {
      const over = lineOverInvoiceLimit(lines);
      if (over >= 0) ctx.addIssue({ code: "custom", path: [over], message: OVER_INVOICE_LIMIT });
    }),
});

/** An invoice record; its due date is not before its invoice date. */
export const invoiceRecord = invoiceFields.superRefine((r, ctx) => {
  const problem = dueDateProblem(r.invoiceDate, r.dueDate);
  if (problem) ctx.addIssue({ code: "custom", path: ["dueDate"], message: problem });
});

export const shareLinkRecord = z.strictObject({
  kind: z.literal("share-link"),
  tenant: slug(),
  token: text(200),
  resource: z.enum(["invoice", "project", "document"], { error: "expected invoice, project or document" }),
  /** The invoice's or project's id; a document's number. */
  resourceId: ref(),
  expiresAt: instant().nullable().optional(),
  maxViews: int(1).nullable().optional(),
  viewCount: int(0).optional(),
  active: flag().optional(),
  deactivatedAt: instant().nullable().optional(),
  deactivationReason: optText(),
});

export const linkViewRecord = z.strictObject({
  kind: z.literal("link-view"),
  tenant: slug(),
  id: ownId(),
  link: text(200),
  viewedAt: instant(),
  ipHash: optText(200),
  userAgent: optText(1000),
});

export const RECORD_SCHEMAS = {
  tenant: tenantRecord,
  client: clientRecord,
  project: projectRecord,
  budget: budgetRecord,
  "time-entry": timeEntryRecord,
  "material-cost": materialCostRecord,
  invoice: invoiceRecord,
  "share-link": shareLinkRecord,
  "link-view": linkViewRecord,
} as const;

export type RecordKind = keyof typeof RECORD_SCHEMAS;
export const RECORD_KINDS = Object.keys(RECORD_SCHEMAS) as RecordKind[];
const KIND_LIST = `${RECORD_KINDS.slice(0, -1).join(", ")} or ${RECORD_KINDS.at(-1)}`;

export type TenantRecord = z.infer<typeof tenantRecord>;
export type ClientRecord = z.infer<typeof clientRecord>;
export type ProjectRecord = z.infer<typeof projectRecord>;
export type BudgetRecord = z.infer<typeof budgetRecord>;
export type TimeEntryRecord = z.infer<typeof timeEntryRecord>;
export type MaterialCostRecord = z.infer<typeof materialCostRecord>;
export type InvoiceRecord = z.infer<typeof invoiceRecord>;
export type ShareLinkRecord = z.infer<typeof shareLinkRecord>;
export type LinkViewRecord = z.infer<typeof linkViewRecord>;
export type BackofficeRecord =
  | TenantRecord
  | ClientRecord
  | ProjectRecord
  | BudgetRecord
  | TimeEntryRecord
  | MaterialCostRecord
  | InvoiceRecord
  | ShareLinkRecord
  | LinkViewRecord;

/** A record refused, with its line in the file. */
export interface RefusedRecord {
  line: number;
  reason: string;
}

/** What names a record in a message: its kind and id (`invoice F-7`). */
export function recordLabel(value: unknown): string {
  if (value === null || typeof value !== "object") return "record";
  const v = value as Record<string, unknown>;
  const kind = typeof v.kind === "string" ? v.kind : "record";
  const id = v.id ?? v.slug ?? v.token ?? v.project;
  return typeof id === "string" ? `${kind} "${id}"` : kind;
}

/** Validates one parsed value against its kind's schema; the reason names the field. */
export function parseRecord(value: unknown): { ok: true; record: BackofficeRecord } | { ok: false; reason: string } {
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { ok: false, reason: "expected a JSON object" };
  const kind = (value as { kind?: unknown }).kind;
  if (kind === undefined) return { ok: false, reason: `kind: missing (expected ${KIND_LIST})` };
  if (typeof kind !== "string" || !(kind in RECORD_SCHEMAS)) {
    return { ok: false, reason: `unknown kind ${JSON.stringify(kind)}: expected ${KIND_LIST}` };
  }
  const parsed = RECORD_SCHEMAS[kind as RecordKind].safeParse(value);
  if (parsed.success) return { ok: true, record: parsed.data as BackofficeRecord };
  const reasons = parsed.error.issues.map((i) => (i.path.length > 0 ? `${formatPath(i.path)}: ${i.message}` : i.message));
  return { ok: false, reason: `${recordLabel(value)}: ${reasons.join("; ")}` };
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : `${i > 0 ? "." : ""}${String(p)}`)).join("");
}
