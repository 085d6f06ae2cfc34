import { fold } from "./text-match.ts";

/**
 * The offline sentiment scorer: a small Swedish and English lexicon applied to the sentence
 * (or list item) around each mention, with negation ("inte bra", "not reliable") and
 * intensifiers ("mycket snabb", "very slow"). Transparent and deterministic; a configured
 * LLM provider can replace it.
 */
const WORDS: Record<string, number> = {};
const add = (weight: number, list: string) => {
  for (const w of list.split(/\s+/).filter(Boolean)) WORDS[fold(w)] = weight;
};
add(
  1,
  `bra god goda snabb snabba snabbt pålitlig pålitliga pålitligt smidig smidiga smidigt enkel enkla enkelt prisvärd prisvärda
  billig billiga populär populära rekommenderas rekommenderar omtyckt omtyckta nöjd nöjda effektiv effektiva flexibel flexibla
  trygg trygga tryggt hållbar hållbara miljövänlig miljövänliga stark starka ledande innovativ innovativa punktlig punktliga
  tillförlitlig tillförlitliga uppskattad uppskattade kvalitet fördel fördelar gratis
  good great fast quick reliable affordable cheap popular recommended recommend trusted efficient flexible convenient
  leading innovative sustainable easy smooth strong favorite favourite punctual solid quality praised`,
);
add(2, "utmärkt utmärkta bäst bästa fantastisk fantastiska suverän excellent best outstanding superb");
add(
  -1,
  `dålig dåliga dåligt långsam långsamma långsamt dyr dyra dyrt krånglig krångliga krångligt opålitlig opålitliga försenad
  försenade förseningar förseningar problem klagomål missnöjd missnöjda svag svaga otillräcklig trasig trasiga skadade
  borttappade begränsad begränsade kritik kritiserad
  bad poor slow expensive unreliable delayed delays problem problems complaints complaint issues lost damaged weak difficult
  confusing limited lacking costly criticized criticised`,
);
add(-2, "sämst sämsta värdelös usel usla worst terrible awful horrible useless");
const NEGATIONS = new Set(
  ["inte", "ej", "aldrig", "icke", "utan", "not", "never", "no", "isn't", "isnt", "don't", "dont", "doesn't", "doesnt", "without"].map(
    fold,
  ),
);
const INTENSIFIERS = new Set(
  ["mycket", "väldigt", "riktigt", "extremt", "otroligt", "very", "extremely", "really", "highly", "incredibly"].map(fold),
);

export type SentimentLabel = "positive" | "neutral" | "negative";

export interface Sentiment {
  score: number;
  label: SentimentLabel;
}

/** Normalised to -1..1 the way VADER does (x / sqrt(x² + 15)); |score| < 0.05 is neutral. */
export function toSentiment(raw: number): Sentiment {
  const score = raw === 0 ? 0 : raw / Math.sqrt(raw * raw + 15);
  const rounded = Math.round(score * 1000) / 1000;
  return { score: rounded, label: rounded >= 0.05 ? "positive" : rounded <= -0.05 ? "negative" : "neutral" };
}

/** Raw polarity of a piece of text. */
export function polarity(text: string): number {
  const tokens = fold(text)
    .split(/[^\p{L}\p{N}']+/u)
    .filter(Boolean);
  let total = 0;
  for (let i = 0; i < tokens.length; i++) {
    const w = WORDS[tokens[i] as string];
    if (w === undefined) continue;
    let v = w;
    const window = tokens.slice(Math.max(0, i - 3), i);
    if (window.some((t) => NEGATIONS.has(t))) v = -v * 0.75;
    if (INTENSIFIERS.has(tokens[i - 1] ?? "")) v *= 1.5;
    total += v;
  }
  return total;
}

/** The sentence or list item around an offset. */
export function clauseAround(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const start = Math.max(before.lastIndexOf("\n"), before.search(/[.!?](?=[^.!?]*$)/)) + 1;
  const rest = text.slice(offset);
  const stop = rest.search(/[.!?]\s|\n/);
  return text.slice(start, stop < 0 ? text.length : offset + stop + 1);
}

/** Sentiment about a subject: the mean polarity of the clauses it is mentioned in. */
export function lexiconSentiment(text: string, mentionOffsets: readonly number[]): Sentiment | null {
  if (mentionOffsets.length === 0) return null;
  const clauses = [...new Set(mentionOffsets.map((o) => clauseAround(text, o)))];
  const raw = clauses.reduce((s, c) => s + polarity(c), 0) / clauses.length;
  return toSentiment(raw);
}
