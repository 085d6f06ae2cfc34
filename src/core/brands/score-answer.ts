import { citations, type Citation, type DomainOwner } from "./citations.ts";
import { positions, type Position } from "./position.ts";
import { lexiconSentiment, type Sentiment } from "./sentiment-lexicon.ts";
import { findMentions, foldText, type Subject } from "./text-match.ts";

export interface ScoredSubject extends Position {
  sentiment: Sentiment | null;
}

export interface AnswerScore {
  subjects: ScoredSubject[];
  citations: Citation[];
}

export interface ScoringTarget {
  brand: Subject & { domains: readonly string[] };
  competitors: ReadonlyArray<Subject & { domains: readonly string[] }>;
}

/** Scores one answer offline: positions, lexicon sentiment per mentioned subject, citations. */
export function scoreAnswer(text: string, target: ScoringTarget, withSentiment = true): AnswerScore {
  const subjects: Subject[] = [target.brand, ...target.competitors];
  const mentions = findMentions(text, subjects, foldText(text));
  const owners: DomainOwner[] = [target.brand, ...target.competitors].map((s) => ({ subject: s, domains: s.domains }));
  return {
    subjects: positions(text, subjects, mentions).map((p) => ({
      ...p,
      sentiment: withSentiment
        ? lexiconSentiment(
            text,
            mentions.filter((m) => m.subject === p.subject).map((m) => m.start),
          )
        : null,
    })),
    citations: citations(text, owners),
  };
}
