/** Lower case without diacritics: "Truckförare" → "truckforare", "Lagerarbetare" → "lagerarbetare". */
export function foldText(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A matcher for a user's keywords: a keyword matches a title when it starts a word of it,
 * case- and diacritics-insensitively ("lager" matches "Lagerarbetare", "truck" matches
 * "Truckförare", "ekonomi" matches "Ekonomiassistent", but "lager" not "Fraktlager").
 * Returns the keywords that match, in the user's order.
 */
export function keywordMatcher(keywords: readonly string[]): (title: string) => string[] {
  const patterns = keywords
    .map((k) => ({ keyword: k, folded: foldText(k).trim().replace(/\s+/g, " ") }))
    .filter((k) => k.folded.length > 0)
    .map((k) => ({ keyword: k.keyword, re: new RegExp(`(?:^|[^\\p{L}\\p{N}])${escapeRegExp(k.folded).replace(/ /g, "\\s+")}`, "u") }));
  return (title) => {
    const folded = foldText(title);
    return patterns.filter((p) => p.re.test(folded)).map((p) => p.keyword);
  };
}
