#!/usr/bin/env bash
# Role figures on a generated 100,000-person organization with 1,000 more catalog roles and
# 300,000 assignments, on SQLite and on PostgreSQL: segregation-of-duties violations and role gaps
# computed for everyone, and the RACI page (100 more activities over 50 roles). Prints a Markdown
# table; bench/run.sh puts it in docs/BENCHMARKS.md.
# Usage: bash bench/roles.sh [sqlite|postgres ...]   (needs curl, python3; psql for PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/charter
work=$(mktemp -d)
port=${BENCH_PORT:-18082}
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export RUST_LOG=warn
password="benchmark password 2026"
backends=("$@"); [ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)

median_ms() { for _ in $(seq 1 21); do curl -s -o /dev/null -w '%{time_total}\n' -H "cookie: $cookie" "$1"; done |
  sort -n | sed -n 11p | awk '{printf "%.1f", $1 * 1000}'; }

declare -A violations gaps raci loaded found
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ]; then
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS charter_roles_bench" -c "CREATE DATABASE charter_roles_bench" >/dev/null
    db=postgres://postgres@127.0.0.1:5432/charter_roles_bench; fresh=()
  else
    db="$work/roles.db"; fresh=(--fresh)
  fi
  echo "== $backend: 100,000 people, 1,000 more roles, 300,000 assignments" >&2
  "$bin" demo "${fresh[@]}" --no-serve --people 100000 --database "$db" --demo-password "$password" \
    --role-load-roles 1000 --role-load-assignments 300000 > "$work/demo.txt"
  loaded[$backend]=$(sed -n 's/^Added [0-9]* roles and [0-9]* assignments in \(.*\) s\.$/\1/p' "$work/demo.txt")
  "$bin" serve --database "$db" --listen "127.0.0.1:$port" --job-interval 3600 >/dev/null 2>&1 &
  pid=$!
  until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.01; done
  email=$(awk '$1 == "isms_manager" {print $2}' "$work/demo.txt")
  curl -s -D "$work/headers" -o /dev/null -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/auth/login"
  cookie=$(grep -i '^set-cookie:' "$work/headers" | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r')

  found[$backend]=$(curl -s -H "cookie: $cookie" "http://127.0.0.1:$port/api/v1/sod/violations" |
    python3 -c 'import json,sys; d=json.load(sys.stdin); print(len(d["items"] if isinstance(d, dict) else d))')
  violations[$backend]=$(median_ms "http://127.0.0.1:$port/api/v1/sod/violations")
  gaps[$backend]=$(median_ms "http://127.0.0.1:$port/api/v1/role-gaps")
  raci[$backend]=$(median_ms "http://127.0.0.1:$port/roles/raci")
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "cookie: $cookie" "http://127.0.0.1:$port/roles/raci")
  [ "$status" = 200 ] || { echo "error: /roles/raci answered $status" >&2; exit 1; }
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

v() { echo "${1:-not measured}"; }
sum() { [ -n "${1:-}" ] && [ -n "${2:-}" ] && echo "scale=1; $1 + $2" | bc || echo "not measured"; }
cat <<MD
| figure | SQLite | PostgreSQL | target |
|---|---|---|---|
| segregation-of-duties violations for everyone (\`GET /api/v1/sod/violations\`; $(v "${found[sqlite]:-}") found; median of 21) | $(v "${violations[sqlite]:-}") ms | $(v "${violations[postgres]:-}") ms | |
| role gaps (\`GET /api/v1/role-gaps\`: vacancies, deputies, RACI owners, departed holders, ending soon, unacknowledged, lapsed competence; median of 21) | $(v "${gaps[sqlite]:-}") ms | $(v "${gaps[postgres]:-}") ms | |
| both together | $(sum "${violations[sqlite]:-}" "${gaps[sqlite]:-}") ms | $(sum "${violations[postgres]:-}" "${gaps[postgres]:-}") ms | ≤ 200 ms |
| RACI page (\`/roles/raci\`: 113 activities (the standard 13 and 100 more) × the roles carrying duties, with holders; median of 21) | $(v "${raci[sqlite]:-}") ms | $(v "${raci[postgres]:-}") ms | ≤ 50 ms |
| loading 1,000 roles, the matrix, rules and 300,000 assignments (\`demo --role-load-*\`) | $(v "${loaded[sqlite]:-}") s | $(v "${loaded[postgres]:-}") s | |
MD
