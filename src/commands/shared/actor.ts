import { userInfo } from "node:os";
import type { Db } from "../../core/db/handle.ts";
import { PermissionError, UsageError } from "../../core/errors.ts";
import type { Actor } from "../../core/users/permissions.ts";
import { definedUser, userForOsAccount, usersDefined } from "../../core/users/store.ts";

// Letters of any script: people are called Åsa and Jörgen, and so may their OS accounts be.
const USER_NAME = /^[\p{L}\p{N}][\p{L}\p{N}\p{M}._@-]{0,63}$/u;

/** Checks the form of a user name (`--as`, `users add`, an OS account); exit 2 naming the option. */
export function userName(text: string, what = "--as"): string {
  const name = text.trim().normalize("NFC"); // "å" typed as a + ring is the same name
  if (!USER_NAME.test(name)) throw new UsageError(`invalid ${what} "${text}": expected a user name (letters, digits, . _ @ -)`);
  return name;
}

/** `--as`, checked for its form before the database is opened (exit 2); actingUser checks the rest. */
export function asOption(as: string | undefined): string | undefined {
  return as === undefined ? undefined : userName(as);
}

/**
 * The OS account running the command: `LEADJOBS_USER` when set (tests, or a service account that
 * should act as someone), else the login name. Anyone can set it: users are accountability, not security.
 */
export function osAccount(env: NodeJS.ProcessEnv = process.env): string {
  if (env.LEADJOBS_USER) return env.LEADJOBS_USER.normalize("NFC");
  try {
    return (userInfo().username || env.USER || env.LOGNAME || "unknown").normalize("NFC");
  } catch {
    return (env.USER || env.LOGNAME || "unknown").normalize("NFC");
  }
}

/**
 * `--as USER`, or the OS user running the command, as a plain name (no check against the users:
 * commands that check call actingUser).
 */
export function actorFrom(as: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return as !== undefined ? userName(as) : osAccount(env);
}

/**
 * Who runs this command. In single-operator mode (no users defined): `--as NAME` or the OS
 * account, unchecked. Otherwise the user the OS account acts as; `--as` names someone else only
 * when that user is an admin, and must name a defined user: the admin then acts with that user's
 * name and rights, and the audit trail names both.
 */
export async function actingUser(db: Db, as: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<Actor> {
  if (!(await usersDefined(db))) return { name: actorFrom(as, env), userId: null, role: null };
  const os = osAccount(env);
  const me = await userForOsAccount(db, os);
  const wanted = as === undefined ? undefined : userName(as);
  if (!me)
    throw new PermissionError(
      `the OS account "${os}" acts as no leadjobs user${wanted === undefined ? "" : ` (so it may not use --as ${wanted})`}`,
      {
        hint: `an admin maps it: leadjobs users edit NAME --add-os-account ${os}`,
      },
    );
  if (wanted === undefined || wanted === me.username) return { name: me.username, userId: me.id, role: me.role };
  if (me.role !== "admin")
    throw new PermissionError(`--as ${wanted}: only an admin may act for someone else (${me.username} is ${me.role})`);
  const other = await definedUser(db, wanted);
  if (!other) throw new UsageError(`--as ${wanted}: no user named "${wanted}"`, { code: "NOT_FOUND", hint: "see `leadjobs users list`" });
  return { name: other.username, userId: other.id, role: other.role, via: me.username };
}
