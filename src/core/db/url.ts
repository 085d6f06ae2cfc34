// Which backend a --db value names, and how a PostgreSQL URL may be shown (kept free of pg and
// kysely: the CLI's error path and the idle fast path use it).

/** `postgres://…` or `postgresql://…` selects PostgreSQL; anything else is a SQLite file path. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}

/** The URL as it may be printed and stored: without its password. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "";
    for (const key of [...u.searchParams.keys()]) if (/pass/i.test(key)) u.searchParams.set(key, "redacted");
    return u.toString().replace(/^(postgres(?:ql)?:\/\/[^:@/]*):?@/i, "$1@");
  } catch {
    return "postgres://(unparseable URL)";
  }
}

/** The role a URL connects as (what an authentication error names). */
export function roleOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).username) || process.env.PGUSER || process.env.USER || "(default role)";
  } catch {
    return "(unknown role)";
  }
}
