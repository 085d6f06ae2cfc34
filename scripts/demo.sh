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
echo "== process: run everything that is due"
leadjobs --verbose process || true
echo "== run-batch: website analysis of a saved shop page, offline (file://)"
mkdir -p demo/saved-shop
cat > demo/saved-shop/index.html <<'HTML'
<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Demobutiken</title>
<meta name="generator" content="WordPress 6.6.2"><meta name="generator" content="WooCommerce 9.3.3">
<link rel="stylesheet" href="/wp-content/plugins/woocommerce/assets/css/woocommerce.css?ver=9.3.3">
<script>var woocommerce_params = {"ajax_url":"/wp-admin/admin-ajax.php"};</script></head>
<body class="home woocommerce-no-js"><h1>Demobutiken</h1><p>Lägg i varukorgen – fri frakt över 499 kr.</p>
<footer><img src="/img/klarna-logo.svg" alt="Klarna"><img src="/img/swish.svg" alt="Swish"></footer></body></html>
HTML
cat > demo/saved-shop/frakt.html <<'HTML'
<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8"><title>Frakt</title></head>
<body><h1>Frakt</h1><p>Vi skickar med PostNord och Budbee. Skrymmande varor levereras av DB Schenker.</p></body></html>
HTML
leadjobs run-batch --type full_analysis --url ./demo/saved-shop
echo "== status"
leadjobs status
