#!/usr/bin/env bash
# Conformance figures on a generated 100,000-person organization with 300,000 role assignments and
# 2,000,000 acknowledgments (22 past campaigns of the top-level policy to everyone), on SQLite and
# on PostgreSQL: a full assessment, an audit pack export, one inclusion proof, and `audit verify`
# over the whole log. Prints a Markdown table; bench/run.sh puts it in docs/BENCHMARKS.md.
# Usage: bash bench/conformance.sh [sqlite|postgres ...]   (needs curl, python3; psql for PostgreSQL)
# Generating the organization takes several minutes per backend (2,000,000 acknowledgments are
# written through the store, each with its audit event).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/charter
work=$(mktemp -d)
port=${BENCH_PORT:-18084}
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export RUST_LOG=warn
password="benchmark password 2026"
backends=("$@"); [ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)
base="http://127.0.0.1:$port"

median() { sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]}'; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
post() { curl -s -H "cookie: $cookie" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -X POST "$@"; }

declare -A assess pack pack_bytes proof verify events acks
for backend in "${backends[@]}"; do
  if [ "$backend" = postgres ]; then
    psql -q -h 127.0.0.1 -U postgres -d test -c "DROP DATABASE IF EXISTS charter_conformance_bench" -c "CREATE DATABASE charter_conformance_bench" >/dev/null
    db=postgres://postgres@127.0.0.1:5432/charter_conformance_bench; fresh=()
  else
    db="$work/conformance.db"; fresh=(--fresh)
  fi
  echo "== $backend: 100,000 people, 300,000 assignments, 2,000,000 acknowledgments" >&2
  "$bin" demo "${fresh[@]}" --no-serve --people 100000 --database "$db" --demo-password "$password" \
    --role-load-roles 1000 --role-load-assignments 300000 --ack-history-campaigns 22 \
    --signing-key "$work/$backend.key" > "$work/demo.txt"
  grep -E "acknowledgments in" "$work/demo.txt" >&2 || true
  "$bin" serve --database "$db" --listen "127.0.0.1:$port" --job-interval 3600 \
    --signing-key "$work/$backend.key" >/dev/null 2>&1 &
  pid=$!
  until curl -sf "$base/readyz" >/dev/null; do sleep 0.01; done
  email=$(awk '$1 == "auditor" {print $2}' "$work/demo.txt")
  curl -s -D "$work/headers" -o "$work/login.json" -H 'content-type: application/json' \
    -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$base/api/v1/auth/login"
  cookie=$(grep -i '^set-cookie:' "$work/headers" | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r')
  csrf=$(json 'd["csrf_token"]' < "$work/login.json")

  echo "== $backend: assessments, as the auditor" >&2
  for _ in $(seq 1 11); do
    post -o "$work/assessment.json" -w '%{http_code} %{time_total}\n' -d '{}' "$base/api/v1/assessments"
  done > "$work/assess.txt"
  grep -qv '^201 ' "$work/assess.txt" && { echo "error: an assessment was refused" >&2; cat "$work/assess.txt" >&2; exit 1; }
  assess[$backend]=$(awk '{print $2 * 1000}' "$work/assess.txt" | median)
  echo "   assessment: ${assess[$backend]} ms" >&2

  echo "== $backend: audit packs" >&2
  for _ in $(seq 1 3); do
    post -o "$work/pack.json" -w '%{http_code} %{time_total}\n' -d '{"format":"json"}' "$base/api/v1/audit-packs"
  done > "$work/pack.txt"
  grep -qv '^200 ' "$work/pack.txt" && { echo "error: a pack export failed" >&2; cat "$work/pack.txt" >&2; exit 1; }
  pack[$backend]=$(awk '{print $2 * 1000}' "$work/pack.txt" | median)
  pack_bytes[$backend]=$(stat -c %s "$work/pack.json")
  echo "   audit pack: ${pack[$backend]} ms, ${pack_bytes[$backend]} bytes" >&2
  curl -s -H "cookie: $cookie" "$base/api/v1/audit/public-key" > "$work/public.pem"
  "$bin" audit verify-pack "$work/pack.json" --public-key "$work/public.pem" > "$work/verify-pack.txt" ||
    { echo "error: the exported pack does not verify" >&2; cat "$work/verify-pack.txt" >&2; exit 1; }

  echo "== $backend: inclusion proofs" >&2
  size=$(curl -s -H "cookie: $cookie" "$base/api/v1/audit/checkpoints/latest" | json 'd["tree_size"]')
  events[$backend]=$size
  python3 -c "import random; random.seed(7); print('\n'.join(str(random.randint(1, $size)) for _ in range(51)))" > "$work/seqs.txt"
  while read -r seq; do
    curl -s -o /dev/null -w '%{http_code} %{time_starttransfer}\n' -H "cookie: $cookie" \
      "$base/api/v1/audit/events/$seq/inclusion-proof"
  done < "$work/seqs.txt" > "$work/proof.txt"
  grep -qv '^200 ' "$work/proof.txt" && { echo "error: a proof was refused" >&2; exit 1; }
  proof[$backend]=$(awk '{print $2 * 1000}' "$work/proof.txt" | median)
  echo "   inclusion proof: ${proof[$backend]} ms" >&2
  kill "$pid"; wait "$pid" 2>/dev/null || true

  echo "== $backend: audit verify" >&2
  for _ in 1 2 3; do
    "$bin" audit verify --database "$db" | tee -a "$work/verify-output.txt" | grep -oE '[0-9]+ events/s\)' | tr -dc '0-9\n'
  done > "$work/verify.txt"
  verify[$backend]=$(sort -n "$work/verify.txt" | sed -n 2p)
  cat "$work/verify-output.txt" >&2
done

v() { echo "${1:-not measured}"; }
cat <<MD
| figure | SQLite | PostgreSQL | target |
|---|---|---|---|
| a full assessment (\`POST /api/v1/assessments\` as the auditor: all 26 requirements evaluated from live records and stored as a snapshot; median of 11) | $(v "${assess[sqlite]:-}") ms | $(v "${assess[postgres]:-}") ms | ≤ 250 ms |
| an audit pack (\`POST /api/v1/audit-packs\`, JSON, $(v "${pack_bytes[sqlite]:-}") bytes: evidence gathered, export event written, checkpoint signed, inclusion proofs; median of 3) | $(v "${pack[sqlite]:-}") ms | $(v "${pack[postgres]:-}") ms | ≤ 5,000 ms |
| one inclusion proof (\`GET /api/v1/audit/events/{seq}/inclusion-proof\`, time to first byte over HTTP on loopback, 51 random events of $(v "${events[sqlite]:-}") / $(v "${events[postgres]:-}"); median) | $(v "${proof[sqlite]:-}") ms | $(v "${proof[postgres]:-}") ms | ≤ 1 ms |
| \`charter audit verify\` over the whole log (chain, Merkle roots and signed checkpoints; median of 3) | $(v "${verify[sqlite]:-}") events/s | $(v "${verify[postgres]:-}") events/s | ≥ 1,000,000 /s |
MD
