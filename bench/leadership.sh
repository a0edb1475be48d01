#!/usr/bin/env bash
# Leadership figures on a generated 100,000-person organization with 300,000 role assignments and a
# campaign of the top-level policy to everyone, on SQLite and on PostgreSQL: the management-review
# pack, generating a performance report, and rendering a report as PDF. Prints a Markdown table;
# bench/run.sh puts it in docs/BENCHMARKS.md.
# Usage: bash bench/leadership.sh [sqlite|postgres ...]   (needs curl, python3; psql for PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/charter
work=$(mktemp -d)
port=${BENCH_PORT:-18083}
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export RUST_LOG=warn
password="benchmark password 2026"
backends=("$@"); [ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
base="http://127.0.0.1:$port"

# Median of N timings (ms) of one request; extra curl arguments follow the count.
median_ms() {
  local n=$1; shift
  for _ in $(seq 1 "$n"); do curl -s -o /dev/null -w '%{time_total}\n' -H "cookie: $cookie" "$@"; done |
    sort -n | sed -n "$(( (n + 1) / 2 ))p" | awk '{printf "%.1f", $1 * 1000}'
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

declare -A pack report pdf pdf_bytes asked
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ]; then
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS charter_leadership_bench" -c "CREATE DATABASE charter_leadership_bench" >/dev/null
    db=postgres://postgres@127.0.0.1:5432/charter_leadership_bench; fresh=()
  else
    db="$work/leadership.db"; fresh=(--fresh)
  fi
  echo "== $backend: 100,000 people, 300,000 assignments, leadership records" >&2
  "$bin" demo "${fresh[@]}" --no-serve --people 100000 --database "$db" --demo-password "$password" \
    --role-load-roles 1000 --role-load-assignments 300000 > "$work/demo.txt"
  "$bin" serve --database "$db" --listen "127.0.0.1:$port" --job-interval 3600 >/dev/null 2>&1 &
  pid=$!
  until curl -sf "$base/readyz" >/dev/null; do sleep 0.01; done
  email=$(awk '$1 == "isms_manager" {print $2}' "$work/demo.txt")
  curl -s -D "$work/headers" -o "$work/login.json" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/v1/auth/login"
  cookie=$(grep -i '^set-cookie:' "$work/headers" | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r')
  csrf=$(json 'd["csrf_token"]' < "$work/login.json")

  # The top-level policy asked of everyone, so coverage counts 100,000 acknowledgments.
  policy=$(curl -s -H "cookie: $cookie" "$base/api/v1/policies?per_page=100" |
    json '[p["id"] for p in d["items"] if p["kind"] == "top_level"][0]')
  version=$(curl -s -H "cookie: $cookie" "$base/api/v1/policies/$policy/versions" |
    json '[v["id"] for v in (d["items"] if isinstance(d, dict) else d) if v["status"] == "published"][0]')
  due=$(date -u -d '+30 days' +%Y-%m-%d)
  asked[$backend]=$(curl -s -H "cookie: $cookie" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -X POST \
    -d "{\"version_id\":\"$version\",\"audience\":{\"kind\":\"everyone\"},\"due_on\":\"$due\"}" \
    "$base/api/v1/campaigns" | json 'd["counts"]["total"]')

  review=$(curl -s -H "cookie: $cookie" "$base/api/v1/management-reviews?status=draft" |
    json '[r["id"] for r in (d["items"] if isinstance(d, dict) else d) if r["status"] == "draft"][0]')
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "cookie: $cookie" "$base/api/v1/management-reviews/$review/pack")
  [ "$status" = 200 ] || { echo "error: the review pack answered $status" >&2; exit 1; }
  pack[$backend]=$(median_ms 21 "$base/api/v1/management-reviews/$review/pack")

  report[$backend]=$(median_ms 11 -H "x-csrf-token: $csrf" -H 'content-type: application/json' -X POST \
    -d '{"summary":"Benchmark report"}' "$base/api/v1/performance-reports")
  latest=$(curl -s -H "cookie: $cookie" "$base/api/v1/performance-reports" |
    json '(d["items"] if isinstance(d, dict) else d)[0]["id"]')
  curl -s -H "cookie: $cookie" -o "$work/report.pdf" "$base/api/v1/performance-reports/$latest/export.pdf"
  head -c 4 "$work/report.pdf" | grep -q '%PDF' || { echo "error: the report export is not a PDF" >&2; exit 1; }
  pdf_bytes[$backend]=$(stat -c %s "$work/report.pdf")
  # Each of the 11 reports generated above once, so no render reuses another's work.
  curl -s -H "cookie: $cookie" "$base/api/v1/performance-reports" |
    json '"\n".join(r["id"] for r in (d["items"] if isinstance(d, dict) else d)[:11])' > "$work/reports.txt"
  pdf[$backend]=$(while read -r id; do
      curl -s -o /dev/null -w '%{time_total}\n' -H "cookie: $cookie" "$base/api/v1/performance-reports/$id/export.pdf"
    done < "$work/reports.txt" | sort -n | sed -n 6p | awk '{printf "%.1f", $1 * 1000}')
  kill "$pid"; wait "$pid" 2>/dev/null || true
done

v() { echo "${1:-not measured}"; }
cat <<MD
| figure | SQLite | PostgreSQL | target |
|---|---|---|---|
| management-review pack (\`GET /api/v1/management-reviews/{id}/pack\`: objectives with trends, coverage of the top-level policy over $(v "${asked[sqlite]:-}") people asked, overdue reviews and actions, exceptions, concern counts, role gaps over 300,000 assignments; median of 21) | $(v "${pack[sqlite]:-}") ms | $(v "${pack[postgres]:-}") ms | ≤ 500 ms |
| generating a performance report (\`POST /api/v1/performance-reports\`: the same figures read, frozen, hashed and stored, top management notified; median of 11) | $(v "${report[sqlite]:-}") ms | $(v "${report[postgres]:-}") ms | ≤ 500 ms |
| a report as PDF (\`GET /api/v1/performance-reports/{id}/export.pdf\`, $(v "${pdf_bytes[sqlite]:-}") bytes; each of 11 reports rendered once, the median; the first render after start also loads the fonts) | $(v "${pdf[sqlite]:-}") ms | $(v "${pdf[postgres]:-}") ms | ≤ 1,000 ms |
MD
