#!/usr/bin/env bash
# Brings up the whole system on this machine: installs, checks Postgres and Redis, migrates,
# loads the demo town, builds when the sources changed, and runs the worker and the API. When
# either process stops the other is stopped too; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -f .env ]; then set -a; . ./.env; set +a; fi

export DATABASE_URL="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/closed_loop}"
export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
export JWT_SECRET="${JWT_SECRET:-local-demo-secret-change-me}"
export PORT="${PORT:-3000}"
export WORKER_METRICS_PORT="${WORKER_METRICS_PORT:-9464}"

# shellcheck source=ensure-node.sh
. scripts/ensure-node.sh

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "→ installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

echo "→ checking ports ${PORT} (API) and ${WORKER_METRICS_PORT} (worker metrics)"
node scripts/port-holder.js "$PORT"
node scripts/port-holder.js "$WORKER_METRICS_PORT"

echo "→ checking PostgreSQL and Redis"
node scripts/preflight.js

stamp=dist/.build-stamp
changed=""
if [ -f "$stamp" ]; then
  changed="$(find src workflows migrations scripts package-lock.json tsconfig.json tsconfig.build.json \
    web/src web/public web/index.html web/vite.config.ts web/tsconfig.json web/package.json \
    -newer "$stamp" -print -quit)"
fi
if [ ! -f "$stamp" ] || [ ! -f web/dist/index.html ] || [ -n "$changed" ]; then
  echo "→ building (API and web app)"
  npm run build --silent
  touch "$stamp"
else
  echo "→ build is current"
fi

echo "→ migrating"
npm run migration:run --silent

echo "→ loading the demo town (password: ${DEMO_PASSWORD:-demo1234})"
npm run seed:demo --silent

echo "→ starting the worker (deadlines, notifications, webhooks) and the API"
node dist/src/worker.js &
worker=$!
node dist/src/main.js &
api=$!

stop() {
  trap - EXIT INT TERM
  kill -TERM "$api" "$worker" 2>/dev/null || true
  wait "$api" "$worker" 2>/dev/null || true
}
trap stop EXIT
trap 'stop; exit 130' INT TERM

ready=""
for _ in $(seq 1 60); do
  if node -e "fetch('http://127.0.0.1:${PORT}/health').then(r=>process.exit(r.status<500?0:1),()=>process.exit(1))"; then
    ready=1
    echo "✓ ready: http://localhost:${PORT}/  (the app; API http://localhost:${PORT}/api/v1, OpenAPI http://localhost:${PORT}/docs)"
    break
  fi
  if ! kill -0 "$api" 2>/dev/null || ! kill -0 "$worker" 2>/dev/null; then break; fi
  sleep 1
done
if [ -z "$ready" ] && kill -0 "$api" 2>/dev/null; then
  echo "✗ /health on port ${PORT} did not answer within 60 s; the API keeps trying" >&2
fi

# Whichever process ends first ends the session; the trap stops the other.
set +e
wait -n "$api" "$worker"
status=$?
if kill -0 "$api" 2>/dev/null; then
  echo "✗ the worker stopped (exit ${status}); stopping the API" >&2
else
  echo "✗ the API stopped (exit ${status}); stopping the worker" >&2
fi
exit "$status"
