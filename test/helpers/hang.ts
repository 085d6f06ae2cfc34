/**
 * Node options for a child leadjobs whose atomic file writes (a new file opened with "wx", as
 * storage.ts's writeFileAtomic does) never finish: the run holds its job until it is killed.
 * `marker` is written when the first such write starts, so a test knows the job is under way.
 */
export function hangOnFileWrite(marker: string): string[] {
  const probe = [
    `import fs from "node:fs/promises";import{writeFileSync}from"node:fs";import{syncBuiltinESMExports}from"node:module";`,
    `const open=fs.open;fs.open=(p,f,...r)=>{if(f!=="wx")return open(p,f,...r);`,
    `writeFileSync(${JSON.stringify(marker)},String(p));return new Promise(()=>setInterval(()=>{},1e9))};`,
    `syncBuiltinESMExports();`,
  ].join("");
  return ["--import", `data:text/javascript,${encodeURIComponent(probe)}`];
}
