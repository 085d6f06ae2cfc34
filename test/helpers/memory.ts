import { readdirSync, readFileSync } from "node:fs";

/** The pids of `root` and all its descendants, from /proc. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const e of readdirSync("/proc")) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(e)]);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  for (const todo = [root]; todo.length > 0; ) {
    const pid = todo.pop() as number;
    out.push(pid);
    todo.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** Memory of a process tree in bytes: the sum of its processes' proportional set sizes (shared pages counted once). */
export function treeMemory(root: number): number {
  let kb = 0;
  for (const pid of processTree(root)) {
    try {
      kb += Number(/^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"))?.[1] ?? 0);
    } catch {
      // gone meanwhile
    }
  }
  return kb * 1024;
}

/** Samples a process tree's memory every `everyMs` until stopped; `peak()` is the largest sample. */
export function watchMemory(root: number, everyMs = 100): { peak(): number; stop(): number } {
  let peak = 0;
  const sample = () => {
    peak = Math.max(peak, treeMemory(root));
  };
  const timer = setInterval(sample, everyMs);
  sample();
  return {
    peak: () => peak,
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}
