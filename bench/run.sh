#!/usr/bin/env bash
# The benchmark harness: builds the release binary, measures the foundation's figures on a
# generated organization, and rewrites docs/BENCHMARKS.md. Needs wrk (Debian package `wrk`).
# Usage: bash bench/run.sh            (about 5 minutes after the release build)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
cargo build --release --quiet
bin=${CARGO_TARGET_DIR:-target}/release/charter
work=$(mktemp -d)
port=${BENCH_PORT:-18080}
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export RUST_LOG=warn

ms() { date +%s%3N; }
password="benchmark password 2026"

echo "== generating 100,000 people"
t0=$(ms); "$bin" demo --fresh --no-serve --people 100000 --database "$work/demo.db" --demo-password "$password" > "$work/demo.txt"; t1=$(ms)
demo_s=$(echo "scale=2; ($t1-$t0)/1000" | bc)

echo "== importing a 100,000-person CSV"
"$bin" export people --database "$work/demo.db" --out "$work/people.csv"
sed 's/@northwind\.example/@import.example/g' "$work/people.csv" > "$work/new-people.csv"
cp "$work/demo.db" "$work/import.db"
t0=$(ms); "$bin" import people "$work/new-people.csv" --database "$work/import.db"; t1=$(ms)
import_s=$(echo "scale=2; ($t1-$t0)/1000" | bc)
t0=$(ms); "$bin" import people "$work/new-people.csv" --database "$work/import.db"; t1=$(ms)
reimport_s=$(echo "scale=2; ($t1-$t0)/1000" | bc)

echo "== start to ready, idle memory, reads"
t0=$(ms)
"$bin" serve --database "$work/demo.db" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.005; done
t1=$(ms); ready_ms=$((t1 - t0))
sleep 3
idle_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
echo "== sign-in and authenticated reads"
email=$(awk '$1 == "auditor" {print $2}' "$work/demo.txt")
login() { curl -s -D "$work/headers" -o "$work/login.json" -w '%{time_total}\n' -H 'content-type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"$password\"}" "http://127.0.0.1:$port/api/v1/auth/login"; }
sign_in_ms=$(for _ in $(seq 1 15); do login; done | sort -n | sed -n 8p | awk '{printf "%.0f", $1 * 1000}')
cookie=$(grep -i '^set-cookie:' "$work/headers" | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r')
csrf=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$work/login.json")
secret=$(curl -s -H "cookie: $cookie" -H "x-csrf-token: $csrf" -H 'content-type: application/json' \
  -d '{"name":"bench","scope":"read"}' "http://127.0.0.1:$port/api/v1/auth/tokens" | python3 -c 'import json,sys; print(json.load(sys.stdin)["secret"])')
id=$(curl -s -H "cookie: $cookie" "http://127.0.0.1:$port/api/v1/people?per_page=1&page=500" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["id"])')
rps() { wrk -t2 -c16 -d"${BENCH_SECONDS:-10}"s "$1" | awk '/Requests\/sec/ {print $2}'; }
wrk -t2 -c16 -d2s "http://127.0.0.1:$port/healthz" >/dev/null

rps_with() { wrk -t2 -c16 -d"${BENCH_SECONDS:-10}"s -H "$1" "$2" | awk '/Requests\/sec/ {print $2}'; }
trivial=$(rps "http://127.0.0.1:$port/healthz")
with_cookie=$(rps_with "cookie: $cookie" "http://127.0.0.1:$port/api/v1/people/$id")
with_token=$(rps_with "authorization: Bearer $secret" "http://127.0.0.1:$port/api/v1/people/$id")
cookie_ratio=$(echo "scale=1; 100*$with_cookie/$trivial" | bc)
token_ratio=$(echo "scale=1; 100*$with_token/$trivial" | bc)
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== the policy register: 300 more policies with 20 versions each"
t0=$(ms)
"$bin" demo --fresh --no-serve --database "$work/policies.db" --demo-password "$password" \
  --extra-policies 300 --versions-each 20 > "$work/policies.txt"
t1=$(ms); policies_s=$(echo "scale=1; ($t1-$t0)/1000" | bc)
"$bin" serve --database "$work/policies.db" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.01; done
email=$(awk '$1 == "isms_manager" {print $2}' "$work/policies.txt")
login >/dev/null
cookie=$(grep -i '^set-cookie:' "$work/headers" | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r')
page_ms() { curl -s -o /dev/null -w '%{time_total}\n' -H "cookie: $cookie" "$1"; }
median_ms() { for _ in $(seq 1 21); do page_ms "$1"; done | sort -n | sed -n 11p | awk '{printf "%.1f", $1 * 1000}'; }
register_ms=$(median_ms "http://127.0.0.1:$port/policies")
register_api_ms=$(median_ms "http://127.0.0.1:$port/api/v1/policies?per_page=50")
register_rps=$(rps_with "cookie: $cookie" "http://127.0.0.1:$port/policies")
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== policy text: content check, diff and PDF of 50 KB versions"
python3 - "$work" <<'PY'
import sys
base = open("src/demo/policies/information-security-policy.md").read().splitlines()
def policy(variant):
    out, part = [], 0
    while sum(len(l) + 1 for l in out) < 50_000:
        part += 1
        for n, line in enumerate(base):
            if variant and n % 40 == part % 40:
                line += f" (revised in part {part})"
            elif line.startswith("## "):
                line = f"{line} (part {part})"
            out.append(line)
    return "\n".join(out) + "\n"
for name, variant in (("old", 0), ("new", 1)):
    open(f"{sys.argv[1]}/{name}.md", "w").write(policy(variant))
PY
# The whole command, process start included: an upper bound of the check itself.
check_ms=$(for _ in $(seq 1 21); do s=$(date +%s%N); "$bin" policy check "$work/new.md" >/dev/null || true; e=$(date +%s%N); echo $(( (e - s) / 1000 )); done | sort -n | sed -n 11p | awk '{printf "%.1f", $1 / 1000}')
start_ms=$(for _ in $(seq 1 21); do s=$(date +%s%N); "$bin" --version >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000 )); done | sort -n | sed -n 11p | awk '{printf "%.1f", $1 / 1000}')
"$bin" serve --database "$work/policies.db" --listen "127.0.0.1:$port" >/dev/null 2>&1 &
pid=$!
until curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; do sleep 0.01; done
session() { email=$(awk -v r="$1" '$1 == r {print $2}' "$work/policies.txt"); login >/dev/null
  grep -i '^set-cookie:' "$work/headers" | sed 's/^[Ss]et-[Cc]ookie: //; s/;.*//' | tr -d '\r'
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["csrf_token"])' "$work/login.json"; }
mapfile -t writer < <(session isms_manager); mapfile -t boss < <(session top_management)
api() { curl -s -H "cookie: $2" -H "x-csrf-token: $3" -H 'content-type: application/json' -X POST -d "$4" "http://127.0.0.1:$port$1"; }
owner=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["account"]["person_id"])' "$work/login.json")
body() { python3 -c 'import json,sys; print(json.dumps({"title": "Long policy", "kind": "topic_specific", "owner_id": sys.argv[2], "approver_role": "top_management", "body": open(sys.argv[1]).read()}))' "$1" "$owner"; }
created=$(api /api/v1/policies "${writer[0]}" "${writer[1]}" "$(body "$work/old.md")")
policy=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["policy"]["id"])')
v1=$(echo "$created" | python3 -c 'import json,sys; print(json.load(sys.stdin)["draft"]["id"])')
api "/api/v1/policy-versions/$v1/submit" "${writer[0]}" "${writer[1]}" '{}' >/dev/null
api "/api/v1/policy-versions/$v1/approve" "${boss[0]}" "${boss[1]}" "{\"password\":\"$password\",\"statement\":\"Approved.\"}" >/dev/null
api "/api/v1/policy-versions/$v1/publish" "${writer[0]}" "${writer[1]}" '{}' >/dev/null
v2=$(api "/api/v1/policies/$policy/versions" "${writer[0]}" "${writer[1]}" "$(python3 -c 'import json,sys; print(json.dumps({"body": open(sys.argv[1]).read()}))' "$work/new.md")" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
cookie=${writer[0]}
diff_ms=$(median_ms "http://127.0.0.1:$port/api/v1/policy-versions/$v2/diff?against=$v1")
diff_page_ms=$(median_ms "http://127.0.0.1:$port/policies/versions/$v2/diff?against=$v1")
version_page_ms=$(median_ms "http://127.0.0.1:$port/policies/versions/$v2")
pdf_ms=$(for _ in $(seq 1 5); do page_ms "http://127.0.0.1:$port/api/v1/policy-versions/$v1/export.pdf"; done | sort -n | sed -n 3p | awk '{printf "%.0f", $1 * 1000}')
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== audit verify on 1,000,000 events"
"$bin" demo --fresh --no-serve --people 1000000 --database "$work/million.db" >/dev/null
verify_lines=""
for _ in 1 2 3; do
  verify_lines+="$("$bin" audit verify --database "$work/million.db")"$'\n'
done
rates=$(echo "$verify_lines" | sed -n 's/.*(\([0-9]*\) events\/s).*/\1/p' | sort -n)
verify_rate=$(echo "$rates" | sed -n 2p)
events=$(echo "$verify_lines" | sed -n 's/.*intact: \([0-9]*\) events.*/\1/p' | head -1)

echo "== campaigns: launch, acknowledgments, coverage (SQLite and PostgreSQL)"
campaigns_table=$(bash bench/campaigns.sh sqlite postgres)

echo "== roles: segregation of duties, gaps and the RACI page (SQLite and PostgreSQL)"
roles_table=$(bash bench/roles.sh sqlite postgres)

echo "== leadership: review pack, performance report and its PDF (SQLite and PostgreSQL)"
leadership_table=$(bash bench/leadership.sh sqlite postgres)

echo "== conformance: assessment, audit pack, inclusion proof, log verification (SQLite and PostgreSQL)"
conformance_table=$(bash bench/conformance.sh sqlite postgres)

cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
mem=$(free -g | awk '/Mem:/ {print $2}')
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
verdict() { if [ "$(echo "$1" | bc)" -eq 1 ]; then echo "met"; else echo "MISSED"; fi; }

cat > docs/BENCHMARKS.md <<MD
# Benchmarks

Measured by \`bash bench/run.sh\` on $(date -u +%Y-%m-%d) at commit \`$commit\`: release build,
SQLite, on $(nproc) cores ($cpu) with ${mem} GiB of memory, the load tool (wrk) on the same
machine. Ratios come from one server process in one run, so machine noise cancels.

| figure | measured | target | |
|---|---|---|---|
| start to ready (\`serve\` on 100,000 people until \`/readyz\` answers) | ${ready_ms} ms | ≤ 300 ms | $(verdict "$ready_ms <= 300") |
| idle resident memory after start | $((idle_kb / 1024)) MB | ≤ 40 MB | $(verdict "$idle_kb <= 40960") |
| \`GET /healthz\` (trivial route), 16 connections | ${trivial} req/s | | |
| import of a 100,000-person CSV (all new, into a database of 100,000) | ${import_s} s | ≤ 5 s | $(verdict "$import_s <= 5") |
| the same import again (all unchanged, nothing written) | ${reimport_s} s | | |
| \`audit verify\` on ${events} events (median of 3) | ${verify_rate} events/s | ≥ 1,000,000 /s | $(verdict "$verify_rate >= 1000000") |
| \`demo --people 100000\` (generate and store, with audit events) | ${demo_s} s | seconds | |
| one sign-in (\`POST /api/v1/auth/login\`, argon2id verification included; median of 15) | ${sign_in_ms} ms | 50-100 ms of hashing | |
| policy register page \`GET /policies\` with 311 policies (300 × 20 versions), median of 21 | ${register_ms} ms | tens of ms | |
| the same register as JSON (\`GET /api/v1/policies?per_page=50\`), median of 21 | ${register_api_ms} ms | | |
| the register page under load, 16 connections | ${register_rps} req/s | | |
| writing those 300 policies with 20 signed-off versions each (\`demo --extra-policies 300\`) | ${policies_s} s | | |
| content check of a 50 KB policy: the whole \`charter policy check\` command, process start included (median of 21; \`charter --version\` alone takes ${start_ms} ms) | ${check_ms} ms | ≤ 20 ms | $(verdict "$check_ms <= 20") |
| diff of two 50 KB versions over the API (\`GET .../diff\`, both versions read from the database; median of 21) | ${diff_ms} ms | | |
| the same diff as a page (\`/policies/versions/{id}/diff\`) | ${diff_page_ms} ms | | |
| a 50 KB version's page (rendered, sanitized, with its content check) | ${version_page_ms} ms | | |
| PDF export of a 50 KB policy (\`GET .../export.pdf\`, median of 5) | ${pdf_ms} ms | | |
| single-record read \`GET /api/v1/people/{id}\` with a session cookie, 16 connections | ${with_cookie} req/s = ${cookie_ratio} % of the trivial route | ≥ 50 % | $(verdict "$cookie_ratio >= 50") |
| the same read with a bearer token | ${with_token} req/s = ${token_ratio} % of the trivial route | ≥ 50 % | $(verdict "$token_ratio >= 50") |

## Campaigns on 100,000 people

\`bash bench/campaigns.sh\` (part of this run): a generated organization of 100,000 people, 1,000 of
them with a write API token asked in 100 campaigns; wrk replays their acknowledgments, each
once, at 64 connections, and the acknowledgments are counted in the database afterwards.

${campaigns_table}

## Roles on 100,000 people

\`bash bench/roles.sh\` (part of this run): the same organization with 1,000 more catalog roles,
a RACI matrix of 100 more activities over 50 of them, 45 more segregation rules, and 300,000
assignments (three per person), 10 % unacknowledged and 2 % ending within the month.

${roles_table}

## Leadership evidence on 100,000 people

\`bash bench/leadership.sh\` (part of this run): the same organization with 300,000 assignments,
the demo's year of leadership records, and a campaign of the top-level policy to everyone.

${leadership_table}

## Conformance on 100,000 people

\`bash bench/conformance.sh\` (part of this run): the same organization with 300,000 assignments
and 2,000,000 acknowledgments (20 past campaigns of the top-level policy to everyone), signed in
as the demo's auditor.

${conformance_table}

Raw \`audit verify\` output:

\`\`\`
${verify_lines}\`\`\`

## Where a target is missed, and why

- **Policy register under load.** The page renders the whole "needs attention" block from every
  policy's summary (311 here) besides its page of 50 rows, so each request costs about 14 ms of
  CPU (2 cores / 141 req/s); a single request is answered in about 13 ms.
- **Single-record read (target ≥ 50 %).** A signed-in read makes two queries: the session (or
  token) with its account in one, then the record. On SQLite every sqlx query crosses to the
  connection's worker thread and back; \`perf\` under this load shows most CPU in the kernel's
  context switching (\`finish_task_switch\`, futex wake-ups) rather than in SQLite. Pool sizes
  measured on the same data: 2 connections 7.9k req/s, 4: 12.7k, 8: 14.7k (8 is kept). A read
  cache would pass the figure without measuring the database, so there is none.
- **Import (target ≤ 5 s).** Phases (\`RUST_LOG=charter=debug\`): parse 0.3 s, load the 100,000
  existing people 0.9 s, plan 0.3 s, write 3.9 s (100,000 rows under five indexes and 100,000
  audit events, in one transaction). The first version took 19.7 s, 62 % of it in
  \`sqlite3_bind_parameter_name\`: SQLite looks each \`\$N\` up by name, so long multi-row
  statements cost time quadratic in their parameters; SQLite's bulk inserts now use positional
  \`?\` placeholders.
- **Audit verification (target ≥ 1,000,000 events/s).** Reading one row at a time through sqlx
  gave 172,000 events/s. The chain is now read in ranges of 8,192 sequence numbers that the
  database packs into one text, and each range is hashed on a blocking thread while the next
  is read. What remains is SQLite's own column extraction and concatenation (checked apart from
  Charter with Python's \`sqlite3\` module: 0.54 s to concatenate 200,000 events), so the next
  step would be reading ranges on two connections at once.
MD
cat docs/BENCHMARKS.md
