// Runs one statement on PostgreSQL and prints its rows as JSON: the synchronous test helpers
// (backend.ts) call it as a child process. `?` placeholders (the SQLite tests' style) become $n.
// The type parsers are the ones src/core/db/connection.postgres.ts sets, so rows read the same.
import pg from "pg";

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const { url, sql, params } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const { builtins } = pg.types;
const tz = pg.types.getTypeParser(builtins.TIMESTAMPTZ);
const parsers = {
  [builtins.INT8]: Number,
  [builtins.NUMERIC]: Number,
  [builtins.TIMESTAMPTZ]: (v) => tz(v).toISOString(),
  [builtins.DATE]: (v) => v,
  [builtins.JSON]: (v) => v,
  [builtins.JSONB]: (v) => JSON.stringify(JSON.parse(v)),
};
const types = { getTypeParser: (oid, format) => parsers[oid] ?? pg.types.getTypeParser(oid, format) };
let n = 0;
const text = sql.replace(/\?/g, () => `$${++n}`);
const client = new pg.Client({ connectionString: url, types });
await client.connect();
await client.query("set time zone 'UTC'");
try {
  const res = await client.query(text, params);
  process.stdout.write(JSON.stringify(res.rows ?? []));
} finally {
  await client.end();
}
