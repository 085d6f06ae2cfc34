import { spawnSync } from "node:child_process";
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { envName, resolveConfig } from "../../src/core/config.ts";
import { testDatabaseEnv } from "./backend.ts";
import { BIN, ROOT } from "./cli.ts";

/** The absolute path of a program on PATH (or in the sbin directories), or null. */
export function findProgram(name: string): string | null {
  for (const dir of [...(process.env.PATH ?? "").split(":"), "/usr/sbin", "/sbin", "/usr/local/sbin"]) {
    const path = join(dir, name);
    if (dir && existsSync(path)) return path;
  }
  return null;
}

/** The system programs tests use and the Debian package that brings each. */
const PACKAGES = {
  chromium: "chromium",
  pdftoppm: "poppler-utils",
  pdftotext: "poppler-utils",
  pdfinfo: "poppler-utils",
  pdffonts: "poppler-utils",
  qpdf: "qpdf",
  cron: "cron",
  crontab: "cron",
  anacron: "anacron",
  faketime: "faketime",
  sqlite3: "sqlite3",
  flock: "util-linux",
  useradd: "passwd",
} as const;
export type Tool = keyof typeof PACKAGES;

/**
 * The Chromium that tests (and the leadjobs they spawn) use: the chromiumPath setting as
 * LEADJOBS_CHROMIUM_PATH or its default (/usr/bin/chromium) gives it. Test configs pass it on.
 */
export function chromiumPath(): string {
  const env = envName("chromiumPath");
  return resolveConfig({}, { [env]: process.env[env] }, {}).chromiumPath;
}

function present(tool: Tool): boolean {
  if (tool !== "chromium") return findProgram(tool) !== null;
  try {
    accessSync(chromiumPath(), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Why a test needing these programs cannot run here, in one line ("qpdf missing (apt-get install
 * -y qpdf)"), or null when it can. `root` says why the test also needs to run as root.
 */
export function needs(tools: Tool[], o: { root?: string } = {}): string | null {
  const missing = (Object.keys(PACKAGES) as Tool[]).filter((t) => tools.includes(t) && !present(t));
  if (missing.length > 0) {
    const what = missing.map((t) => (t === "chromium" && process.env[envName("chromiumPath")] ? `chromium (${chromiumPath()})` : t));
    return `${what.join(", ")} missing (apt-get install -y ${[...new Set(missing.map((t) => PACKAGES[t]))].join(" ")})`;
  }
  if (o.root && process.getuid?.() !== 0) return `needs root (${o.root})`;
  return null;
}

/**
 * A beforeEach hook (or a call at the start of a test, with its context) for tests that need
 * system programs: when one is missing the test is skipped with needs()'s line as its note, which
 * test/skip-summary.ts counts at the end of the run. With LEADJOBS_REQUIRE_SYSTEM_TOOLS=1 (CI) the
 * test fails with that line instead.
 *
 *   beforeEach(requireTools(["chromium"]));
 *   it("...", (ctx) => { requireTools(["qpdf"])(ctx); ... });
 */
export function requireTools(tools: Tool[], o: { root?: string } = {}): (ctx: { skip: (note: string) => void }) => void {
  return (ctx) => {
    const why = needs(tools, o);
    if (why === null) return;
    if (process.env.LEADJOBS_REQUIRE_SYSTEM_TOOLS === "1")
      throw new Error(`${why} (LEADJOBS_REQUIRE_SYSTEM_TOOLS=1: a missing tool fails the test)`);
    ctx.skip(why);
  };
}

/** A `leadjobs` wrapper on a PATH directory, as an installed leadjobs would be. */
export function installWrapper(dir: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "leadjobs"), `#!/bin/sh\nexec ${process.execPath} ${BIN} "$@"\n`);
  chmodSync(join(bin, "leadjobs"), 0o755);
  return bin;
}

/** Whether this build has a subcommand (`alerts` and `cleanup` come from other features). */
export function hasCommand(name: string): boolean {
  commands ??= new Set(
    [...spawnSync(process.execPath, [BIN, "--help"], { encoding: "utf8" }).stdout.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map(
      (m) => m[1] as string,
    ),
  );
  return commands.has(name);
}
let commands: Set<string> | undefined;

/**
 * One of the top-level example files, adapted for a test: our wrapper first on PATH, the test
 * database, and lines for commands this build does not have commented out. `edit` can change
 * schedule fields (the crontab's every-5-minutes tick becomes every minute, so a test need not wait).
 */
export function adaptExample(file: string, o: { binDir: string; db: string; edit?: (line: string) => string }): string {
  const lines = readFileSync(join(ROOT, file), "utf8")
    .split("\n")
    .map((line) => {
      if (line.startsWith("PATH=")) return `PATH=${o.binDir}:${line.slice(5)}`;
      if (line.startsWith("#LEADJOBS_DB="))
        return Object.entries(testDatabaseEnv(o.db))
          .map(([k, v]) => `${k}=${v}`)
          .join("\n");
      const command = /\bleadjobs ([a-z-]+)/.exec(line)?.[1];
      if (!line.startsWith("#") && command && !hasCommand(command)) return `# (not in this build) ${line}`;
      return o.edit ? o.edit(line) : line;
    });
  return `${lines.join("\n")}\n`;
}

/**
 * Lets other users reach `path` (o+x on every directory above it that lacks it), so a cron
 * job of another user can run this checkout's leadjobs even from a private temp directory.
 * Returns a function that puts the modes back.
 */
export function letOthersTraverse(path: string): () => void {
  const changed: Array<[string, number]> = [];
  for (let dir = path; ; dir = dirname(dir)) {
    const mode = statSync(dir).mode & 0o7777;
    if ((mode & 0o001) === 0) {
      changed.push([dir, mode]);
      chmodSync(dir, mode | 0o001);
    }
    if (dirname(dir) === dir) break;
  }
  return () => {
    for (const [dir, mode] of changed.reverse()) chmodSync(dir, mode);
  };
}

/** A process's state letter and parent from /proc (null when it is gone). */
function procStat(pid: number | string): { name: string; state: string; ppid: number } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const [state = "", ppid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return { name: stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")), state, ppid: Number(ppid) };
  } catch {
    return null; // gone meanwhile
  }
}

/** The live (not zombie) children of `pid`, optionally only those whose name matches. */
export function liveChildren(pid: number, name?: RegExp): number[] {
  return readdirSync("/proc")
    .filter((e) => /^\d+$/.test(e))
    .filter((e) => {
      const s = procStat(e);
      return s !== null && s.ppid === pid && s.state !== "Z" && (!name || name.test(s.name));
    })
    .map(Number);
}

/** Whether a process exists and is not a zombie. */
export function isLive(pid: number): boolean {
  const s = procStat(pid);
  return s !== null && s.state !== "Z";
}
