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
leadjobs jobs add brand.score --payload '{"brand":"Budbee"}'
echo "== enqueue: the scheduler tick (due schedules, company refreshes by rank)"
# Company refreshes read the companies' websites; the demo's are made up (some may be real
# sites), so the demo stays offline: it previews the refreshes and enqueues none of them.
leadjobs enqueue --dry-run --refresh-cap 20
leadjobs enqueue --refresh-cap 0
echo "== enqueue: a lead search with analysis by the offline rules provider (no API key needed)"
leadjobs jobs add leads.search_and_analyze --payload '{"search_query":"e-handel","search_filters":{"industry":"47"},"max_results":25,"analysis_protocol":"batch","llm_provider":"rules"}'
echo "== process: run everything that is due"
leadjobs process || true
echo "== alerts: budget alert worker (prints the notifications it sends)"
leadjobs alerts || true
echo "== invoice-pdf: every pending invoice PDF into demo/invoices/"
leadjobs invoice-pdf --pending --out demo || true
echo "== cleanup: expired share links, old link views, old queue history"
leadjobs cleanup || true
echo "== run-batch: website analysis of a saved shop page, offline (file://)"
leadjobs run-batch --type full_analysis --url ./scripts/demo-shop
echo "== status"
leadjobs status
echo "== report: the demo brand in AI answers"
leadjobs report brands --since 60d
echo "== leads: the best new leads and the lead report"
leadjobs leads list --min-score 60 --limit 8
leadjobs report leads
