import { Parser } from "htmlparser2";
import { hundredths, ixNumber, rounded, sameValue, type IxDecimal } from "./ixbrl-number.ts";

/** One financial year's figures in an annual report. */
export interface ReportYear {
  /** YYYY-MM-DD, the first and last day of the financial year (the context's period). */
  start: string;
  end: string;
  /** Nettoomsättning in öre; null when the report has none for the year. */
  revenueOre: number | null;
  /** Medelantalet anställda, rounded; null when not reported. */
  employees: number | null;
}

export interface AnnualReportFigures {
  /** The organisationsnummer of the reporting entity (10 digits), from the contexts. */
  entity: string | null;
  /** The taxonomy (K2 or K3) the report's schemaRef names; null when neither. */
  framework: "K2" | "K3" | null;
  /** The financial years with figures, the report's own year first, then its comparatives. */
  years: ReportYear[];
  /** What was read but not used, and why. */
  notes: string[];
}

const IX = new Set(["http://www.xbrl.org/2013/inlineXBRL", "http://www.xbrl.org/2008/inlineXBRL"]);
const XBRLI = "http://www.xbrl.org/2003/instance";
const LINK = "http://www.xbrl.org/2003/linkbase";
const ISO4217 = "http://www.xbrl.org/2003/iso4217";
const XSI = "http://www.w3.org/2001/XMLSchema-instance";
/** se-gen-base of every taxonomy version (taxonomier.se, e.g. …/se/fr/gen-base/2021-10-31). */
const GEN_BASE = /^https?:\/\/www\.taxonomier\.se\/se\/fr\/gen-base\//;

const CONCEPTS = { Nettoomsattning: "revenue", MedelantaletAnstallda: "employees" } as const;
type Figure = (typeof CONCEPTS)[keyof typeof CONCEPTS];

interface Context {
  start: string | null;
  end: string | null;
  instant: string | null;
  /** Has a segment or scenario (a dimension): not the company's figure for the year. */
  dimensional: boolean;
  entity: string | null;
}

interface Fact {
  figure: Figure;
  contextRef: string;
  unitRef: string | null;
  /** INF → Infinity; absent → -Infinity. */
  decimals: number;
  value: IxDecimal;
}

interface Element {
  ns: Map<string, string>;
  /** Resolved namespace and local name. */
  uri: string | undefined;
  local: string;
}

/**
 * Reads revenue (se-gen-base:Nettoomsattning) and employees (se-gen-base:MedelantaletAnstallda)
 * per financial year from an annual report in Inline XBRL (XHTML), as Bolagsverket files them
 * (K2 and K3 alike). Names are resolved through the document's namespace declarations; only
 * facts of a context without dimensions count; a duplicate fact is taken at its highest
 * precision (`decimals`), and two that disagree at the same precision leave the figure out.
 */
export function readAnnualReport(xhtml: string): AnnualReportFigures {
  const contexts = new Map<string, Context>();
  const units = new Map<string, string[]>();
  const facts: Fact[] = [];
  const notes: string[] = [];
  const schemaRefs: string[] = [];
  const stack: Element[] = [];
  let text: string[] = []; // text of the open xbrli:* value element or ix:nonFraction(s)
  let context: { id: string; c: Context } | null = null;
  let unit: { id: string; measures: string[] } | null = null;
  const open: Array<{ figure: Figure | null; attribs: Record<string, string>; text: string; nil: boolean }> = [];

  const resolve = (qname: string, ns: Map<string, string>): { uri: string | undefined; local: string; prefix: string } => {
    const i = qname.indexOf(":");
    const prefix = i < 0 ? "" : qname.slice(0, i);
    return { uri: ns.get(prefix), local: i < 0 ? qname : qname.slice(i + 1), prefix };
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const ns = new Map(stack.at(-1)?.ns ?? []);
        for (const [k, v] of Object.entries(attribs)) {
          if (k === "xmlns") ns.set("", v);
          else if (k.startsWith("xmlns:")) ns.set(k.slice(6), v);
        }
        const { uri, local } = resolve(name, ns);
        stack.push({ ns, uri, local });
        text = [];
        if (uri !== undefined && IX.has(uri) && local === "nonFraction") {
          const concept = resolve(attribs.name ?? "", ns);
          const known = (CONCEPTS as Record<string, Figure>)[concept.local];
          const genBase = concept.uri !== undefined ? GEN_BASE.test(concept.uri) : concept.prefix === "se-gen-base";
          const nil = Object.entries(attribs).some(([k, v]) => resolve(k, ns).uri === XSI && k.endsWith(":nil") && v.trim() === "true");
          open.push({ figure: known && genBase ? known : null, attribs, text: "", nil });
        } else if (uri === XBRLI && local === "context") {
          context = { id: attribs.id ?? "", c: { start: null, end: null, instant: null, dimensional: false, entity: null } };
        } else if (uri === XBRLI && (local === "segment" || local === "scenario") && context) {
          context.c.dimensional = true;
        } else if (uri === XBRLI && local === "unit") {
          unit = { id: attribs.id ?? "", measures: [] };
        } else if (uri === LINK && local === "schemaRef") {
          const href = Object.entries(attribs).find(([k]) => k.endsWith(":href") || k === "href")?.[1];
          if (href) schemaRefs.push(href);
        }
      },
      ontext(data) {
        text.push(data);
        for (const o of open) o.text += data;
      },
      onclosetag() {
        const el = stack.pop();
        if (!el) return;
        const value = text.join("").trim();
        text = [];
        if (el.uri !== undefined && IX.has(el.uri) && el.local === "nonFraction") {
          const o = open.pop();
          if (!o?.figure || o.nil) return;
          const n = ixNumber(o.text, { format: o.attribs.format, scale: o.attribs.scale, sign: o.attribs.sign });
          if (!n.ok) {
            notes.push(
              `${o.figure === "revenue" ? "nettoomsättning" : "medelantalet anställda"} (${o.attribs.contextRef ?? "?"}): ${n.error}`,
            );
            return;
          }
          const d = o.attribs.decimals?.trim();
          facts.push({
            figure: o.figure,
            contextRef: o.attribs.contextRef ?? "",
            unitRef: o.attribs.unitRef ?? null,
            decimals: d === undefined ? Number.NEGATIVE_INFINITY : d === "INF" ? Number.POSITIVE_INFINITY : Number(d),
            value: n.value,
          });
        } else if (el.uri === XBRLI && context) {
          if (el.local === "startDate") context.c.start = value.slice(0, 10);
          else if (el.local === "endDate") context.c.end = value.slice(0, 10);
          else if (el.local === "instant") context.c.instant = value.slice(0, 10);
          else if (el.local === "identifier") context.c.entity = value.replace(/\D/g, "");
          else if (el.local === "context") {
            contexts.set(context.id, context.c);
            context = null;
          }
        } else if (el.uri === XBRLI && unit) {
          if (el.local === "measure") {
            const m = resolve(value, el.ns);
            unit.measures.push(m.uri === ISO4217 || m.prefix === "iso4217" ? `iso4217:${m.local}` : value);
          } else if (el.local === "unit") {
            units.set(unit.id, unit.measures);
            unit = null;
          }
        }
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.write(xhtml);
  parser.end();

  const entities = [...new Set([...contexts.values()].map((c) => c.entity).filter((e): e is string => Boolean(e)))];
  if (entities.length > 1) notes.push(`the contexts name ${entities.length} entities: ${entities.join(", ")}`);
  const framework = schemaRefs.some((h) => /\/gaap\/k2(?:[-/]|$)/i.test(h))
    ? "K2"
    : schemaRefs.some((h) => /\/gaap\/k3(?:[-/]|$)/i.test(h))
      ? "K3"
      : null;

  const chosen = new Map<string, Fact>(); // `${figure} ${start} ${end}`
  const conflicts = new Set<string>();
  for (const f of facts) {
    const c = contexts.get(f.contextRef);
    if (!c?.start || !c.end || c.dimensional) continue;
    if (f.figure === "revenue") {
      const measures = f.unitRef === null ? [] : (units.get(f.unitRef) ?? []);
      if (measures.length !== 1 || measures[0] !== "iso4217:SEK") {
        notes.push(`nettoomsättning for ${c.start}–${c.end} is not in SEK (${measures.join(" ") || "no unit"}): not used`);
        continue;
      }
    }
    const key = `${f.figure} ${c.start} ${c.end}`;
    const had = chosen.get(key);
    if (!had || f.decimals > had.decimals) chosen.set(key, f);
    else if (f.decimals === had.decimals && !sameValue(f.value, had.value)) conflicts.add(key);
  }
  for (const key of conflicts) {
    chosen.delete(key);
    const [figure, start, end] = key.split(" ");
    notes.push(
      `${figure === "revenue" ? "nettoomsättning" : "medelantalet anställda"} for ${start}–${end} is tagged twice with different values: not used`,
    );
  }
  const years = new Map<string, ReportYear>();
  for (const [key, f] of chosen) {
    const [, start, end] = key.split(" ") as [string, string, string];
    const y = years.get(`${start} ${end}`) ?? { start, end, revenueOre: null, employees: null };
    if (f.figure === "revenue") y.revenueOre = hundredths(f.value);
    else y.employees = rounded(f.value);
    years.set(`${start} ${end}`, y);
  }
  return {
    entity: entities.length === 1 ? (entities[0] ?? null) : null,
    framework,
    years: [...years.values()].sort((a, b) => (a.end < b.end ? 1 : a.end > b.end ? -1 : 0)),
    notes,
  };
}
