#!/bin/sh
# `npm start`: one full cycle on a fresh demo database inside the checkout (never your default one).
set -e
cd "$(dirname "$0")/.."
DB="demo/leadjobs.db"
leadjobs() { node bin/leadjobs --db "$DB" "$@"; }

[ -f dist/cli.js ] || node scripts/build.mjs
rm -f "$DB" "$DB-wal" "$DB-shm"
echo "== seed: demo data into $DB"
leadjobs seed --reset
echo "== enqueue: a few install-check jobs (one fails once and is retried later)"
leadjobs jobs add noop --payload '{"sleepMs":200}'
leadjobs jobs add noop --payload '{"sleepMs":50}' --priority 5
leadjobs jobs add noop --payload '{"failTimes":1}'
echo "== enqueue: a lead search with analysis by the offline rules provider (no API key needed)"
leadjobs jobs add leads.search_and_analyze --payload '{"search_query":"e-handel","search_filters":{"industry":"47"},"max_results":25,"analysis_protocol":"batch","llm_provider":"rules"}'
echo "== process: run everything that is due"
leadjobs --verbose process || true
echo "== status"
leadjobs status
echo "== leads: the best new leads and the lead report"
leadjobs leads list --min-score 60 --limit 8
leadjobs report leads
