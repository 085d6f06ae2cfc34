// Precision and recall over labelled pages: true/false positives and false negatives per technology.
export function score(results) {
  let tp = 0,
    fp = 0,
    fn = 0;
  const perTech = {};
  const errors = [];
  const bump = (name, k) => (perTech[name] ??= { tp: 0, fp: 0, fn: 0 })[k]++;
  for (const r of results) {
    for (const name of r.found) {
      if (r.expected.includes(name)) {
        tp++;
        bump(name, "tp");
      } else {
        fp++;
        bump(name, "fp");
        errors.push(`${r.page}: false positive ${name}`);
      }
    }
    for (const name of r.expected)
      if (!r.found.includes(name)) {
        fn++;
        bump(name, "fn");
        errors.push(`${r.page}: missed ${name}`);
      }
  }
  const ratio = (a, b) => (b === 0 ? null : Math.round((a / b) * 1000) / 1000);
  return { pages: results.length, tp, fp, fn, precision: ratio(tp, tp + fp), recall: ratio(tp, tp + fn), errors, perTech };
}
