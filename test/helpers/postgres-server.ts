import { existsSync, readdirSync } from "node:fs";

/** Where Debian's postgresql package puts initdb (/usr/lib/postgresql/N/bin), or null. */
export function postgresServerBinaries(): string | null {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  for (const v of readdirSync(root).sort().reverse()) if (existsSync(`${root}/${v}/bin/initdb`)) return `${root}/${v}/bin`;
  return null;
}

/** Whether the postgres project can run: a server is named, or one can be started. */
export const postgresAvailable = (): boolean => !!process.env.LEADJOBS_TEST_POSTGRES || postgresServerBinaries() !== null;
