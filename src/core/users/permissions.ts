import { PermissionError } from "../errors.ts";
import type { UserRole } from "./schema.ts";

/** Who runs a command: a defined user, or in single-operator mode (no users defined) just a name. */
export interface Actor {
  name: string;
  /** The user's id; null in single-operator mode. */
  userId: number | null;
  /** The user's role; null in single-operator mode, where everything is allowed. */
  role: UserRole | null;
  /** The admin who acts for this user with `--as`, when it is not the user themselves. */
  via?: string | undefined;
}

/** The name the audit trail records: the user, and the admin who acted for them (`bob (by alice)`). */
export function auditName(actor: Actor): string {
  return actor.via === undefined ? actor.name : `${actor.name} (by ${actor.via})`;
}

/** What a command is about to do. */
export type Action =
  | { kind: "schedule.add" }
  /** Edit, pause, resume, trigger, rename or remove the schedule `owner` owns. */
  | { kind: "schedule.change"; schedule: string; owner: string }
  /** Give a schedule to another user. */
  | { kind: "schedule.owner"; schedule: string }
  /** jobs add, cancel, retry. */
  | { kind: "jobs.write" }
  /** users add, edit, rm. */
  | { kind: "users.manage" };

/**
 * Why `actor` may not do `action`, or null when they may. Admins do all; managers add schedules,
 * change their own and write jobs; sales users only read. Single-operator mode allows everything.
 */
export function refusal(actor: Actor, action: Action): string | null {
  if (actor.role === null || actor.role === "admin") return null;
  const who = `${actor.name} (${actor.role})`;
  if (actor.role === "sales")
    return `${who} may only read: ${describe(action)} needs ${adminOnly(action) ? "an admin" : "a manager or an admin"}`;
  switch (action.kind) {
    case "schedule.add":
    case "jobs.write":
      return null;
    case "schedule.change":
      return action.owner === actor.name ? null : `${who} may change only their own schedules: ${action.schedule} is ${action.owner}'s`;
    case "schedule.owner":
      return `${who} may not give schedule ${action.schedule} to another user: only an admin may`;
    case "users.manage":
      return `${who} may not manage users: only an admin may`;
  }
}

/** What a manager may not do either. */
function adminOnly(a: Action): boolean {
  return a.kind === "users.manage" || a.kind === "schedule.owner";
}

function describe(a: Action): string {
  switch (a.kind) {
    case "schedule.add":
      return "adding a schedule";
    case "schedule.change":
      return `changing schedule ${a.schedule}`;
    case "schedule.owner":
      return `giving schedule ${a.schedule} away`;
    case "jobs.write":
      return "changing jobs";
    case "users.manage":
      return "managing users";
  }
}

/** Throws PermissionError (exit 77) when `actor` may not do `action`. */
export function assertAllowed(actor: Actor, action: Action): void {
  const why = refusal(actor, action);
  if (why !== null) throw new PermissionError(why);
}
