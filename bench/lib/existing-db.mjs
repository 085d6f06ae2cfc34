// Both queues enqueue into a database that exists, as `jobs add --from` meets one: created, migrated
// and closed first. Closing checkpoints the schema's writes out of the WAL; left there, they would be
// checkpointed by the first commit that takes the WAL past 1,000 pages, inside the timed insert.
import Database from "better-sqlite3";
import { better, defineQueue } from "plainjob";

const silent = { info() {}, warn() {}, error() {}, debug() {} };

/** A leadjobs store on `path`, created and closed before it is opened. */
export async function existingStore(core, path, opts) {
  await (await core.openStore(path, opts)).close();
  return core.openStore(path, opts);
}

/** A plainjob queue on `path`, created and closed before it is opened; its better-sqlite3 handle as `db`. */
export function existingPlainjob(path) {
  defineQueue({ connection: better(new Database(path)), logger: silent }).close();
  const db = new Database(path);
  return { db, queue: defineQueue({ connection: better(db), logger: silent }) };
}

export { silent };
