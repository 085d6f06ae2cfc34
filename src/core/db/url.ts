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

/** The URL's sslmode parameter, if any. */
export function sslmodeOf(url: string): string | undefined {
  try {
    return new URL(url).searchParams.get("sslmode") ?? undefined;
  } catch {
    return undefined;
  }
}

/** The search_path the URL's `options` sets (`-c search_path=leadjobs`), as written, or undefined. */
export function searchPathOf(url: string): string | undefined {
  try {
    return /(?:^|\s)(?:-c\s*|--)search_path=(\S+)/.exec(new URL(url).searchParams.get("options") ?? "")?.[1];
  } catch {
    return undefined;
  }
}

/**
 * The URL as it is handed to node-postgres. pg 8 already treats sslmode=prefer, require and
 * verify-ca as verify-full, and prints a multi-line SECURITY WARNING to stderr when it meets them;
 * naming that mode keeps the behaviour and leaves stderr to leadjobs' own one-line messages.
 * (`uselibpqcompat=true` asks for libpq's meaning instead, without a warning: left as written.)
 */
export function pgConnectionString(url: string): string {
  try {
    const u = new URL(url);
    const mode = u.searchParams.get("sslmode");
    if (!mode || !["prefer", "require", "verify-ca"].includes(mode) || u.searchParams.get("uselibpqcompat") === "true") return url;
    u.searchParams.set("sslmode", "verify-full");
    return u.toString();
  } catch {
    return url;
  }
}
