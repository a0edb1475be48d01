#!/usr/bin/env bash
# Campaign figures on a generated 100,000-person organization, on SQLite and on PostgreSQL:
# launching a campaign to everyone, durable acknowledgments per second at 64 connections, and the
# coverage page. Prints a Markdown table; bench/run.sh puts it in docs/BENCHMARKS.md.
# Usage: bash bench/campaigns.sh [sqlite|postgres ...]   (needs wrk, curl, python3; psql for PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/charter
work=$(mktemp -d)
port=${BENCH_PORT:-18081}
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export RUST_LOG=warn
password="benchmark password 2026"
seconds=${BENCH_SECONDS:-10}
backends=("$@"); [ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)

median_of() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)] * 1000}'; }

declare -A launch ack cover cover_api
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ]; then
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS charter_bench" -c "CREATE DATABASE charter_bench" >/dev/null
    db=postgres://postgres@127.0.0.1:5432/charter_bench; fresh=()
  else
    db="$work/campaigns.db"; fresh=(--fresh)
  fi
  echo "== $backend: 100,000 people, 1,000 of them asked in 100 campaigns" >&2
  "$bin" demo "${fresh[@]}" --no-serve --people 100000 --database "$db" --demo-password "$password" \
    --ack-load-people 1000 --ack-load-campaigns 100 --ack-load-out "$work/load.txt" > "$work/demo.txt"
  "$bin" serve --database "$db" --listen "127.0.0.1:$port" --job-interval 3600 >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.01; done
  email=$(awk '$1 == "isms_manager" {print $2}' "$work/demo.txt")
  curl -s -D "$work/headers" -o "$work/login.json" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/auth/login" >/dev/null
  cookie=$(grep -i '^set-cookie:' "$work/headers" | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r')
  csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$work/login.json")

  echo "== $backend: acknowledgments at 64 connections for ${seconds} s" >&2
  ACK_LOAD="$work/load.txt" WRK_THREADS=2 wrk -t2 -c64 -d"${seconds}s" -s bench/acknowledge.lua \
    "http://127.0.0.1:$port" > "$work/wrk.txt"
  cat "$work/wrk.txt" >&2
  if grep -q "Non-2xx" "$work/wrk.txt"; then echo "error: some acknowledgments were refused" >&2; exit 1; fi
  given=$(curl -s -H "cookie: $cookie" "http://127.0.0.1:$port/api/v1/campaigns?per_page=200" |
    python3 -c 'import json,sys; print(sum(c["counts"]["acknowledged"] for c in json.load(sys.stdin)["items"]))')
  ack[$backend]=$(echo "$given / $seconds" | bc)

  echo "== $backend: launching to everyone" >&2
  version=$(head -1 "$work/load.txt" | cut -d' ' -f3)
  due=$(date -u -d '+30 days' +%Y-%m-%d)
  for _ in 1 2 3; do
    curl -s -o "$work/launched.json" -w '%{time_total}\n' -H "cookie: $cookie" -H "x-csrf-token: $csrf" \
      -H 'content-type: application/json' -X POST \
      -d "{\"version_id\":\"$version\",\"audience\":{\"kind\":\"everyone\"},\"due_on\":\"$due\"}" \
      "http://127.0.0.1:$port/api/v1/campaigns"
  done > "$work/launch-times.txt"
  launch[$backend]=$(median_of < "$work/launch-times.txt")
  asked=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["counts"]["total"])' "$work/launched.json")
  campaign=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/launched.json")

  echo "== $backend: coverage of the ${asked}-person campaign" >&2
  for _ in $(seq 1 21); do curl -s -o /dev/null -w '%{time_total}\n' -H "cookie: $cookie" "http://127.0.0.1:$port/campaigns/$campaign"; done > "$work/cover.txt"
  cover[$backend]=$(median_of < "$work/cover.txt")
  for _ in $(seq 1 21); do curl -s -o /dev/null -w '%{time_total}\n' -H "cookie: $cookie" "http://127.0.0.1:$port/api/v1/campaigns/$campaign/coverage"; done > "$work/cover-api.txt"
  cover_api[$backend]=$(median_of < "$work/cover-api.txt")
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

v() { echo "${1:-not measured}"; }
cat <<MD
| figure | SQLite | PostgreSQL | target |
|---|---|---|---|
| launching a campaign to everyone (${asked:-100,000} people asked; \`POST /api/v1/campaigns\`, median of 3) | $(v "${launch[sqlite]:-}") ms | $(v "${launch[postgres]:-}") ms | ≤ 2,000 ms |
| durable acknowledgments per second, 64 connections for ${seconds} s (counted in the database afterwards) | $(v "${ack[sqlite]:-}") /s | $(v "${ack[postgres]:-}") /s | ≥ 5,000 /s on SQLite |
| coverage page of that campaign (\`/campaigns/{id}\`: counts, bars by unit, trend, first page of people; median of 21) | $(v "${cover[sqlite]:-}") ms | $(v "${cover[postgres]:-}") ms | ≤ 100 ms |
| the same coverage as JSON (\`GET /api/v1/campaigns/{id}/coverage\`) | $(v "${cover_api[sqlite]:-}") ms | $(v "${cover_api[postgres]:-}") ms | |
MD
