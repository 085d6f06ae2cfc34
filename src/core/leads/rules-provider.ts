import { LlmError } from "../integrations/llm/errors.ts";
import { answerProblems } from "../integrations/llm/answer-schema.ts";
import type { ChatRequest, ChatResult, LlmProvider } from "../integrations/llm/types.ts";
import type { LeadFacts } from "./facts.ts";
import type { LeadVerdict, Segment, VolumeClass } from "./protocols.ts";

/**
 * The offline `rules` provider: a transparent, deterministic score from register data and the
 * latest website analysis, each point with its reason. It answers lead-analysis requests only
 * (it reads the ```json block of leads that prompt.ts writes), costs nothing and needs no
 * network, so the whole pipeline runs without an API key.
 */
export class RulesProvider implements LlmProvider {
  readonly name = "rules";
  readonly defaultModel = "rules-v1";
  readonly free = true;

  async chat<T>(req: ChatRequest<T>): Promise<ChatResult<T>> {
    const last = req.messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
    const block = /```json\s*([\s\S]*?)```/.exec(last)?.[1];
    let leads: LeadFacts[] | undefined;
    try {
      leads = block ? (JSON.parse(block) as { leads?: LeadFacts[] }).leads : undefined;
    } catch {
      leads = undefined;
    }
    if (!leads || !req.jsonSchema) {
      throw new LlmError("the rules provider only answers lead analyses (a ```json block of leads and a schema)", {
        kind: "bad_request",
        provider: this.name,
      });
    }
    const schema = req.jsonSchema.schema as { properties?: Record<string, { items?: { properties?: Record<string, unknown> } }> };
    const batch = schema.properties?.results !== undefined;
    const fields = Object.keys((batch ? schema.properties?.results?.items?.properties : schema.properties) ?? {});
    const verdicts = leads.map((l) => {
      const v = scoreLead(l, fields);
      return batch ? { orgnr: l.orgnr, ...v } : v;
    });
    const answer = batch ? { results: verdicts } : verdicts[0];
    const checked = req.jsonSchema.zod.safeParse(answer);
    if (!checked.success)
      throw new LlmError(`rules provider answer does not match the schema: ${answerProblems(checked.error, answer).join("; ")}`, {
        kind: "invalid_output",
        provider: this.name,
      });
    const json = checked.data;
    return {
      text: JSON.stringify(json),
      json,
      usage: { inputTokens: 0, outputTokens: 0 },
      model: req.model,
      provider: this.name,
      calls: 1,
      repaired: false,
    };
  }
}

interface Industry {
  prefix: string;
  points: number;
  segment: Segment;
  volume: VolumeClass;
  why: string;
}

/** By SNI prefix; the longest prefix of a code wins ("10" food production before "1" manufacturing). */
const INDUSTRIES: readonly Industry[] = [
  { prefix: "4791", points: 40, segment: "ecommerce", volume: "high", why: "sells online (SNI 47.91): ships parcels to consumers" },
  { prefix: "4799", points: 25, segment: "retail", volume: "medium", why: "distance selling outside stores" },
  { prefix: "46", points: 30, segment: "wholesale", volume: "high", why: "wholesale: regular B2B parcels and pallets" },
  { prefix: "47", points: 22, segment: "retail", volume: "medium", why: "retail: store deliveries and often a web shop" },
  { prefix: "45", points: 12, segment: "retail", volume: "low", why: "motor trade: spare-part shipments" },
  { prefix: "1", points: 20, segment: "manufacturing", volume: "medium", why: "manufacturing: goods out, materials in" },
  { prefix: "2", points: 20, segment: "manufacturing", volume: "medium", why: "manufacturing: goods out, materials in" },
  { prefix: "31", points: 20, segment: "manufacturing", volume: "medium", why: "furniture manufacturing: bulky freight" },
  { prefix: "32", points: 18, segment: "manufacturing", volume: "medium", why: "manufacturing: goods out" },
  { prefix: "49", points: 4, segment: "logistics", volume: "low", why: "a transport company: a partner more than a customer" },
  { prefix: "52", points: 4, segment: "logistics", volume: "low", why: "a logistics company: a partner more than a customer" },
  { prefix: "53", points: 2, segment: "logistics", volume: "low", why: "a courier: a competitor" },
  { prefix: "41", points: 8, segment: "construction", volume: "low", why: "construction: occasional freight to sites" },
  { prefix: "42", points: 8, segment: "construction", volume: "low", why: "construction: occasional freight to sites" },
  { prefix: "43", points: 8, segment: "construction", volume: "low", why: "construction trades: occasional freight" },
  { prefix: "10", points: 18, segment: "food", volume: "medium", why: "food production: chilled and dry deliveries" },
  { prefix: "56", points: 4, segment: "food", volume: "none", why: "restaurant: receives goods, ships little" },
];

function industryOf(code: string): Industry | undefined {
  let best: Industry | undefined;
  for (const i of INDUSTRIES) if (code.startsWith(i.prefix) && i.prefix.length > (best?.prefix.length ?? 0)) best = i;
  return best;
}

const ECOMMERCE_PLATFORMS =
  /shopify|woocommerce|magento|prestashop|bigcommerce|centra|norce|jetshop|abicart|textalk|quickbutik|askås|askas|vendre|wikinggruppen|litium|wix|squarespace/i;

/** The score and its reasons; exported for tests and the README's description. */
export function scoreLead(l: LeadFacts, fields: readonly string[] = []): LeadVerdict {
  const reasons: Array<[number, string]> = [];
  let score = 15;
  const codes = l.sni.map((s) => s.code);
  const industry = codes.map(industryOf).find((i) => i !== undefined);
  let segment: Segment = industry?.segment ?? (codes.length > 0 ? "services" : "other");
  let volume: VolumeClass = industry?.volume ?? (codes.length > 0 ? "low" : "none");
  if (industry) {
    score += industry.points;
    reasons.push([industry.points, industry.why]);
  } else reasons.push([0, codes.length > 0 ? `services (SNI ${codes[0]}): ships little` : "no SNI code: industry unknown"]);

  const employees = l.employees ?? 0;
  const sizePoints = employees >= 50 ? 15 : employees >= 10 ? 10 : employees >= 2 ? 4 : 0;
  if (sizePoints > 0) {
    score += sizePoints;
    reasons.push([sizePoints, `${employees} employees`]);
  }
  const revenue = l.revenue_tkr ?? 0;
  const revenuePoints = revenue >= 50_000 ? 10 : revenue >= 10_000 ? 5 : 0;
  if (revenuePoints > 0) {
    score += revenuePoints;
    reasons.push([revenuePoints, `revenue ${Math.round(revenue / 1000)} MSEK`]);
    if (revenue >= 50_000 && volume === "medium") volume = "high";
  }
  if (l.legal_form === "AB") {
    score += 4;
    reasons.push([4, "aktiebolag"]);
  }
  const web = (l.website_analysis ?? null) as { platform?: string; carriers?: string[]; checkout?: string[] } | null;
  if (web?.platform && ECOMMERCE_PLATFORMS.test(web.platform)) {
    score += 12;
    reasons.push([12, `web shop on ${web.platform}`]);
    if (segment !== "ecommerce" && segment !== "wholesale") segment = "ecommerce";
    if (volume === "none" || volume === "low") volume = "medium";
  } else if (l.website) {
    score += 5;
    reasons.push([5, "has a website"]);
  } else reasons.push([0, "no website known"]);
  if (web?.carriers && web.carriers.length > 0) {
    score += 6;
    reasons.push([6, `ships with ${web.carriers.slice(0, 3).join(", ")} today: a switch to offer`]);
  }
  if (l.reklamsparr) {
    score -= 10;
    reasons.push([-10, "reklamspärr: only contact on their initiative"]);
  }
  const inactive = l.status !== "active";
  if (inactive) {
    score = Math.min(score, 5);
    volume = "none";
    reasons.unshift([100, `the company is ${l.status}`]);
  }
  const fit = Math.max(0, Math.min(100, Math.round(score)));
  const next = inactive
    ? "Do not contact: the company is not active."
    : l.reklamsparr
      ? "Wait for the company to get in touch (reklamspärr)."
      : fit >= 70
        ? "Call this week: book a meeting about parcel and freight deliveries."
        : fit >= 45
          ? "Send an introduction email with a price example for their volumes."
          : "Keep for later: add to the quarterly newsletter.";
  const v: LeadVerdict = {
    fit_score: fit,
    segment,
    reasons: reasons
      .sort((a, b) => b[0] - a[0])
      .slice(0, 5)
      .map(([, r]) => r),
    volume_class: volume,
    next_step: next,
  };
  const extra: Record<string, unknown> = {
    shipping_profile:
      segment === "ecommerce"
        ? "B2C parcels across Sweden, returns handling"
        : segment === "wholesale"
          ? "B2B parcels and pallets to stores and workshops"
          : segment === "manufacturing"
            ? "pallets and parcels to customers, inbound materials"
            : "occasional parcels",
    risks: inactive ? ["not active"] : l.reklamsparr ? ["reklamspärr"] : [],
    decision_makers: ["VD", "logistikansvarig"],
    pitch: `${l.name} kan sänka sina fraktkostnader med en samlad avtalslösning för paket och pall. Vi hämtar dagligen i ${l.town ?? "er ort"}.`,
    questions_to_ask: ["Hur många paket skickar ni i månaden?", "Vilka transportörer använder ni i dag?"],
    current_carriers: web?.carriers?.slice(0, 5) ?? [],
  };
  for (const f of fields) if (!(f in v) && f in extra && f !== "orgnr") v[f] = extra[f];
  return v;
}
