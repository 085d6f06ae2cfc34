import type { ChatMessage } from "../integrations/llm/types.ts";
import type { LeadFacts } from "./facts.ts";
import type { Protocol } from "./protocols.ts";

/**
 * The messages of one analysis call. The lead data goes in a ```json block of the user message
 * ({"leads": [...]}), which is also what the offline `rules` provider reads.
 */
export function analysisMessages(p: Protocol, leads: readonly LeadFacts[]): ChatMessage[] {
  const system = [
    "You are a B2B sales analyst at a Swedish logistics company that sells parcel and freight services",
    "(e-commerce deliveries, B2B parcels, pallets, warehousing). You assess companies from the Swedish company register",
    "as potential customers. Be concrete and brief; base every reason on the data given; say so when data is missing.",
    "",
    "Answer these questions for each company:",
    ...p.questions.map((q, i) => `${i + 1}. ${q}`),
    p.leadsPerCall > 1 ? "\nReturn one result per company in `results`, each with the company's orgnr." : "",
  ].join("\n");
  const user = `${leads.length === 1 ? "The company" : `The ${leads.length} companies`}:\n\`\`\`json\n${JSON.stringify({ leads })}\n\`\`\``;
  return [
    { role: "system", content: system.trim() },
    { role: "user", content: user },
  ];
}

/** Rough token count of messages (4 characters a token), for budget checks before a call. */
export function estimateTokens(messages: readonly ChatMessage[]): number {
  return Math.ceil(messages.reduce((n, m) => n + m.content.length, 0) / 4) + 10 * messages.length;
}
