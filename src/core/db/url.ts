// Which backend a --db value names, and how a PostgreSQL URL may be shown (kept free of pg and
// kysely: the CLI's error path and the idle fast path use it).
import { readFileSync } from "node:fs";
import { UsageError } from "../errors.ts";

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

/** libpq's sslmode values (case-sensitive, as libpq reads them). */
export const SSLMODES = ["disable", "allow", "prefer", "require", "verify-ca", "verify-full"] as const;
export type Sslmode = (typeof SSLMODES)[number];

/** The URL parameters naming files node-postgres reads when it connects. */
const SSL_FILES = ["sslrootcert", "sslcert", "sslkey"] as const;

/**
 * How leadjobs connects for a URL: the connection string node-postgres is given first and, for
 * sslmode=prefer and allow, the one it is given instead when the first fails as libpq would then
 * try again (`when`: "no-ssl", the server does not support SSL; "refused", the server refused the
 * connection, e.g. pg_hba.conf accepts only SSL ones).
 */
export interface PgAttempts {
  first: string;
  fallback?: { connectionString: string; when: "no-ssl" | "refused" };
}

/**
 * The connection strings node-postgres is handed for `url`, checked first: an sslmode libpq does
 * not know, or an sslrootcert/sslcert/sslkey file that cannot be read, is refused with exit 2
 * (one line, before anything connects).
 *
 * - require and verify-ca: pg 8 treats them as verify-full, and prints a multi-line SECURITY WARNING
 *   when it meets them; naming that mode keeps the behaviour and leaves stderr to leadjobs' own
 *   one-line messages. (`uselibpqcompat=true` asks for libpq's meaning instead: left as written.)
 * - prefer (libpq's default): SSL without verifying the certificate (pg's `no-verify`), and a plain
 *   connection when the server does not support SSL.
 * - allow: a plain connection, and SSL (unverified) when the server refuses the plain one.
 */
export function pgConnectionAttempts(url: string): PgAttempts {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { first: url };
  }
  const mode = u.searchParams.get("sslmode");
  if (mode !== null && !(SSLMODES as readonly string[]).includes(mode)) {
    throw new UsageError(`invalid sslmode value "${mode}" in the URL (one of: ${SSLMODES.join(", ")})`, {
      code: "DB_INVALID",
    });
  }
  for (const key of SSL_FILES) {
    const file = u.searchParams.get(key);
    if (file === null) continue;
    try {
      readFileSync(file);
    } catch (e) {
      // "ENOENT: no such file or directory, open '/x'" says: no such file or directory
      const why = (e as Error).message.replace(/^E[A-Z]+: /, "").replace(/, \w+ '.*'$/, "");
      throw new UsageError(`cannot read the URL's ${key} file ${file} (${why})`, {
        code: "DB_INVALID",
        hint: `correct ${key} in the URL`,
      });
    }
  }
  const withMode = (m: string) => {
    const v = new URL(u.toString());
    v.searchParams.set("sslmode", m);
    v.searchParams.delete("uselibpqcompat");
    return v.toString();
  };
  if (mode === "prefer") return { first: withMode("no-verify"), fallback: { connectionString: withMode("disable"), when: "no-ssl" } };
  if (mode === "allow") return { first: withMode("disable"), fallback: { connectionString: withMode("no-verify"), when: "refused" } };
  if (mode === null || !["require", "verify-ca"].includes(mode) || u.searchParams.get("uselibpqcompat") === "true") return { first: url };
  u.searchParams.set("sslmode", "verify-full");
  return { first: u.toString() };
}
