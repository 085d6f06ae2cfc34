import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ExitCode, LeadjobsError, UsageError } from "../../errors.ts";
import { parseJsonText } from "../../util/json-text.ts";
import {
  buildSet,
  compileCategories,
  compileTechnologies,
  type FingerprintSet,
  type RawCategories,
  type RawTechnologies,
} from "./compile.ts";

/** Finds the package's `fingerprints/` folder from this module (works from src/ and from the bundle). */
export function findFingerprintsDir(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const candidate = join(dir, "fingerprints");
    if (existsSync(join(candidate, "categories.json"))) return candidate;
    if (dirname(dir) === dir)
      throw new LeadjobsError("cannot find the fingerprints/ folder of leadjobs", "FAILED", { exitCode: ExitCode.Internal });
  }
}

const cache = new Map<string, FingerprintSet>();

/**
 * Our fingerprint set plus any Wappalyzer-format directories (`--fingerprints DIR`): a folder
 * with `categories.json` and `technologies/*.json` (Wappalyzer's `src/` layout), or a folder
 * of technology `*.json` files. Compiled once per process.
 */
export function loadFingerprints(extraDirs: readonly string[] = [], ourDir: string = findFingerprintsDir()): FingerprintSet {
  const key = [ourDir, ...extraDirs].join("\0");
  const hit = cache.get(key);
  if (hit) return hit;
  const ourCategories = readCategories(ourDir) ?? {};
  const parts = [ourDir, ...extraDirs].map((dir) => {
    const categories = compileCategories(readCategories(dir) ?? ourCategories);
    const techs: RawTechnologies = {};
    for (const file of technologyFiles(dir)) Object.assign(techs, readJson(file));
    return { dir, ...compileTechnologies(techs, categories, dir) };
  });
  const set = buildSet(parts);
  cache.set(key, set);
  return set;
}

/** Checks a user's fingerprint directory before anything is written (exit 2 when unusable). */
export function checkFingerprintDir(dir: string): string {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UsageError(`--fingerprints ${dir}: not a directory`);
  if (technologyFiles(abs).length === 0)
    throw new UsageError(`--fingerprints ${dir}: no technology *.json files (expected DIR/technologies/*.json or DIR/*.json)`);
  return abs;
}

function readCategories(dir: string): RawCategories | undefined {
  const file = join(dir, "categories.json");
  return existsSync(file) ? (readJson(file) as RawCategories) : undefined;
}

function technologyFiles(dir: string): string[] {
  const sub = join(dir, "technologies");
  const base = existsSync(sub) && statSync(sub).isDirectory() ? sub : dir;
  return readdirSync(base)
    .filter((f) => f.endsWith(".json") && !["categories.json", "groups.json", "package.json"].includes(f))
    .sort()
    .map((f) => join(base, f));
}

// biome-ignore lint/suspicious/noExplicitAny: Wappalyzer-format JSON, checked field by field where it is compiled
function readJson(file: string): Record<string, any> {
  const parsed = parseJsonText(readFileSync(file, "utf8"), `fingerprint file ${file}`);
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new UsageError(`fingerprint file ${file}: expected a JSON object`);
  // biome-ignore lint/suspicious/noExplicitAny: see readJson
  return parsed as Record<string, any>;
}
