import { readFileSync } from "node:fs";
import { join } from "node:path";
import { runCli } from "./cli.ts";
import { tempDir } from "./store.ts";

/**
 * Runs the binary with a module hook that lists every file of dist/ it loads: `["fast.js"]` when
 * the cron fast path answered, a list with `cli.js` when the full CLI ran.
 */
export async function loadedModules(
  args: string[],
  db: string,
): Promise<{ code: number | null; stdout: string; stderr: string; loaded: string[] }> {
  const log = join(tempDir(), "loaded.txt");
  const hook = `import{appendFileSync}from"node:fs";export async function resolve(s,c,n){const r=await n(s,c);if(r.url.includes("/dist/"))appendFileSync(${JSON.stringify(log)},r.url.split("/dist/")[1]+"\\n");return r}`;
  const register = `import{register}from"node:module";register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hook)}`)});`;
  const r = await runCli(args, db, { nodeArgs: ["--import", `data:text/javascript,${encodeURIComponent(register)}`] });
  let loaded: string[] = [];
  try {
    loaded = readFileSync(log, "utf8").trim().split("\n");
  } catch {
    // nothing from dist/ loaded
  }
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, loaded };
}
