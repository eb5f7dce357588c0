#!/usr/bin/env bash
# Brings up the whole system on this machine: installs, checks Postgres and Redis, migrates,
# loads the demo town, builds, and runs the worker and the API (Ctrl-C stops both).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f .env ]; then set -a; . ./.env; set +a; fi

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/closed_loop}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export JWT_SECRET="${JWT_SECRET:-local-demo-secret-change-me}"
export PORT="${PORT:-3000}"

# shellcheck source=ensure-node.sh
. scripts/ensure-node.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "→ installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

echo "→ checking PostgreSQL and Redis"
node scripts/preflight.js

echo "→ building"
npm run build --silent

echo "→ migrating"
npm run migration:run --silent

echo "→ loading the demo town (password: ${DEMO_PASSWORD:-demo1234})"
npm run seed:demo --silent

echo "→ worker (deadlines, notifications, webhooks; metrics on :${WORKER_METRICS_PORT:-9464}/metrics)"
node dist/src/worker.js &
worker=$!
trap 'kill -TERM "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT INT TERM

echo "→ API on http://localhost:${PORT}/api/v1  (docs: http://localhost:${PORT}/docs)"
node dist/src/main.js
