// Who holds a lease: `host:pid:boot`, the host name (LEADJOBS_HOST overrides it), the process id
// and the first 8 characters of the kernel's boot id. Kept free of kysely (the idle fast path uses it).
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { processExists } from "../util/process-exists.ts";

export interface WorkerIdentity {
  host: string;
  /** `host:pid:boot`: the lease owner of what this process claims. */
  owner: string;
  boot: string;
}

let bootId: string | undefined;

/** The kernel's boot id (changes on every boot), or "" where there is none (not Linux). */
function currentBoot(): string {
  if (bootId === undefined) {
    try {
      bootId = readFileSync("/proc/sys/kernel/random/boot_id", "utf8").trim().replace(/-/g, "").slice(0, 8);
    } catch {
      bootId = "";
    }
  }
  return bootId;
}

export function workerIdentity(env: Readonly<Record<string, string | undefined>> = process.env, pid = process.pid): WorkerIdentity {
  const host = env.LEADJOBS_HOST?.trim() || hostname();
  const boot = currentBoot();
  return { host, boot, owner: boot ? `${host}:${pid}:${boot}` : `${host}:${pid}` };
}

/**
 * True when `owner` is certainly no longer running: it was on this host, and either this host has
 * rebooted since (another boot id) or its process no longer exists. An owner on another host is
 * never judged from here (its pid means nothing on this machine): only its lease expiring counts.
 * Owners written before the boot id was added (`host:pid`) are judged by their pid alone.
 */
export function ownerGone(owner: string, me: WorkerIdentity, pid = process.pid): boolean {
  const parts = owner.split(":");
  if (parts.length < 2 || parts.length > 3 || parts[0] !== me.host) return false;
  const ownerPid = Number(parts[1]);
  if (!Number.isInteger(ownerPid) || ownerPid <= 0) return false;
  const ownerBoot = parts[2];
  if (ownerBoot !== undefined && me.boot && ownerBoot !== me.boot) return true;
  return ownerPid !== pid && !processExists(ownerPid);
}

/** This process as an owner, and `ownerGone` judged from here. */
export function thisProcess(): { owner: string; ownerGone: (owner: string) => boolean } {
  const me = workerIdentity();
  return { owner: me.owner, ownerGone: (owner) => ownerGone(owner, me) };
}

/** `ownerGone` judged from this process, its identity worked out on the first call only (cron's `status` rarely makes one). */
export function ownerGoneHere(): (owner: string) => boolean {
  let me: WorkerIdentity | undefined;
  return (owner) => ownerGone(owner, (me ??= workerIdentity()));
}
