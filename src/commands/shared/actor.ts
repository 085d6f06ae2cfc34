import { userInfo } from "node:os";
import { UsageError } from "../../core/errors.ts";

/**
 * `--as USER`, or the OS user running the command: who changes schedules, trackings and leads
 * (recorded in the audit trail and lead events). One rule for every command that takes `--as`.
 */
export function actorFrom(as: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (as !== undefined) {
    const name = as.trim();
    if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name))
      throw new UsageError(`invalid --as "${as}": expected a user name (letters, digits, . _ @ -)`);
    return name;
  }
  try {
    return userInfo().username || env.USER || env.LOGNAME || "unknown";
  } catch {
    return env.USER || env.LOGNAME || "unknown";
  }
}
