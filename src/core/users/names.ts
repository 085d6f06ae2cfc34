import type { Db } from "../db/handle.ts";

/**
 * Display names of the actors written `user:NAME` (the form of every audit trail) whose user the
 * database knows and has a display name for; others (an OS user, `job:12`) are missing from the map.
 */
export async function actorDisplayNames(db: Db, actors: readonly string[]): Promise<Map<string, string>> {
  const usernames = [...new Set(actors.filter((a) => a.startsWith("user:")).map((a) => a.slice(5)))];
  if (usernames.length === 0) return new Map();
  const rows = await db.selectFrom("app_user").select(["username", "display_name"]).where("username", "in", usernames).execute();
  return new Map(rows.flatMap((r) => (r.display_name ? [[`user:${r.username}`, r.display_name] as const] : [])));
}
