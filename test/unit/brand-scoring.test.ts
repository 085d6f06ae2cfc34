import { describe, expect, it } from "vitest";
import { citations } from "../../src/core/brands/citations.ts";
import { scoreAnswer, type ScoringTarget } from "../../src/core/brands/score-answer.ts";
import { lexiconSentiment, polarity } from "../../src/core/brands/sentiment-lexicon.ts";
import { findMentions } from "../../src/core/brands/text-match.ts";

const target: ScoringTarget = {
  brand: { competitorId: null, name: "Budbee", aliases: ["Budbee AB"], domains: ["budbee.com"] },
  competitors: [
    { competitorId: 1, name: "PostNord", aliases: ["Post Nord"], domains: ["postnord.se"] },
    { competitorId: 2, name: "Bring", aliases: [], domains: ["bring.se"] },
    { competitorId: 3, name: "Bringo", aliases: [], domains: [] },
    { competitorId: 4, name: "Åhléns Express", aliases: [], domains: [] },
  ],
};
const by = (score: ReturnType<typeof scoreAnswer>, name: string) => score.subjects.find((s) => s.subject.name === name)!;

describe("finding names", () => {
  it("matches on word boundaries, case-insensitive: Bring is not found inside Bringo", () => {
    const text = "Bringo delivers groceries. BRING handles parcels; bringing is a verb.";
    const found = findMentions(text, [...target.competitors, target.brand]).map((m) => [m.subject.name, text.slice(m.start, m.end)]);
    expect(found).toEqual([
      ["Bringo", "Bringo"],
      ["Bring", "BRING"],
    ]);
  });

  it("folds diacritics both ways and keeps original offsets", () => {
    const text = "Prova ahlens express eller Åhléns Express.";
    const found = findMentions(text, target.competitors);
    expect(found.map((m) => text.slice(m.start, m.end))).toEqual(["ahlens express", "Åhléns Express"]);
  });

  it("prefers the longest overlapping name", () => {
    const subjects = [
      { competitorId: 1, name: "Bring", aliases: [] },
      { competitorId: 2, name: "Bring Express", aliases: [] },
    ];
    expect(findMentions("Try Bring Express today", subjects).map((m) => m.subject.name)).toEqual(["Bring Express"]);
  });
});

describe("positions", () => {
  it("the brand first in a numbered list", () => {
    const s = scoreAnswer("De bästa alternativen:\n1. Budbee – snabb hemleverans\n2. PostNord\n3. Bring", target);
    expect(by(s, "Budbee")).toMatchObject({ mentioned: true, position: 1, kind: "list" });
    expect(by(s, "Bring")).toMatchObject({ position: 3, kind: "list" });
    expect(by(s, "Bringo")).toMatchObject({ mentioned: false, position: null });
  });

  it("the brand third in a bulleted list", () => {
    const s = scoreAnswer(
      "Options:\n- PostNord: widest network\n- Bring: good for Norway\n- Budbee: evening delivery\n\nAll ship nationwide.",
      target,
    );
    expect(by(s, "Budbee")).toMatchObject({ position: 3, kind: "list" });
  });

  it("absent", () => {
    const s = scoreAnswer("1. PostNord\n2. Bring\n3. DHL", target);
    expect(by(s, "Budbee")).toMatchObject({ mentioned: false, position: null, sentiment: null });
  });

  it("mentioned in prose only: the order of first mention", () => {
    const s = scoreAnswer("Most shops use PostNord, but Budbee AB is growing fast in Stockholm.", target);
    expect(by(s, "Budbee")).toMatchObject({ mentioned: true, position: 2, kind: "mention" });
    expect(by(s, "PostNord")).toMatchObject({ position: 1, kind: "mention" });
  });
});

describe("sentiment (offline lexicon)", () => {
  it("reads Swedish and English, negation and intensifiers", () => {
    expect(polarity("Budbee är mycket snabb och pålitlig")).toBeGreaterThan(2);
    expect(polarity("PostNord är inte pålitlig och ofta försenad")).toBeLessThan(0);
    expect(polarity("Bring is not bad")).toBeGreaterThan(0);
    expect(polarity("The worst service, very slow")).toBeLessThan(-2);
  });

  it("scores each subject by its own sentences", () => {
    const text = "Budbee är utmärkt för hemleveranser. PostNord har tyvärr många förseningar och klagomål.";
    const s = scoreAnswer(text, target);
    expect(by(s, "Budbee").sentiment).toMatchObject({ label: "positive" });
    expect(by(s, "PostNord").sentiment).toMatchObject({ label: "negative" });
    expect(lexiconSentiment("Bring delivers parcels.", [0])).toEqual({ score: 0, label: "neutral" });
  });
});

describe("citations", () => {
  it("finds URLs and bare domains and says whose they are", () => {
    const text = "Sources: https://www.budbee.com/se/priser, [PostNord](https://portal.postnord.se/track). See also dhl.se and bring.se.";
    const found = citations(text, [
      { subject: target.brand, domains: ["budbee.com"] },
      { subject: target.competitors[0]!, domains: ["postnord.se"] },
      { subject: target.competitors[1]!, domains: ["bring.se"] },
    ]);
    expect(found).toEqual([
      { url: "https://www.budbee.com/se/priser", domain: "budbee.com", owner: "brand", competitorId: null },
      { url: "https://portal.postnord.se/track", domain: "portal.postnord.se", owner: "competitor", competitorId: 1 },
      { url: null, domain: "dhl.se", owner: "other", competitorId: null },
      { url: null, domain: "bring.se", owner: "competitor", competitorId: 2 },
    ]);
  });
});
