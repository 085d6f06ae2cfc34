/** `1 question`, `3 questions`, `0 questions`; `plural(2, "company", "companies")` for an irregular plural. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** `an invoice.pdf`, `a web.batch`: the indefinite article by the first letter (job type names). */
export function withArticle(word: string): string {
  return `${/^[aeiou]/i.test(word) ? "an" : "a"} ${word}`;
}
