import { GROUPS } from "../../core/web/fingerprints/compile.ts";
import { plural } from "../../core/util/plural.ts";
import { checkFingerprintDir, loadFingerprints } from "../../core/web/fingerprints/load.ts";
import { printJson, printLine, printTable } from "../shared/output.ts";
import { ExitCode } from "../../core/errors.ts";

/** Lists the fingerprint set (ours plus --fingerprints directories): a check for users writing their own. */
export async function webFingerprints(o: { fingerprints?: string[]; json?: boolean }): Promise<number> {
  const set = loadFingerprints((o.fingerprints ?? []).map(checkFingerprintDir));
  const techs = [...set.technologies.values()];
  if (o.json) {
    printJson({
      sources: set.sources,
      technologies: techs.map((t) => ({
        name: t.name,
        group: t.group,
        categories: t.categories.map((c) => c.name),
        rules: t.rules.length,
        browserRules: set.browserRuleTechs.has(t.name),
        source: t.source,
      })),
    });
    return ExitCode.Ok;
  }
  for (const s of set.sources)
    printLine(
      `${s.dir}: ${plural(s.technologies, "technology", "technologies")}${s.skipped ? ` (${plural(s.skipped, "malformed entry", "malformed entries")} skipped)` : ""}`,
    );
  await printTable(
    ["group", "technologies"],
    GROUPS.map((g) => [
      g,
      techs
        .filter((t) => t.group === g)
        .map((t) => t.name)
        .sort()
        .join(", ") || "-",
    ]),
  );
  return ExitCode.Ok;
}
