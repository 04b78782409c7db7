#!/usr/bin/env bash
# Foreign clients against graph-sim: Airbyte's source-facebook-marketing 6.1.9 and Singer's
# tap-facebook 1.26.0, installed from PyPI into their own venvs and run unchanged except for
# the Graph API base URL (airbyte.py, tap.py), on a default graph-sim world of 3 accounts and
# 7 days; their records are then compared with the simulator's truth (compare.py).
# Not part of CI: it needs PyPI. See docs/simulator.md, "Foreign clients".
#
#   scripts/peers/run.sh                 # both connectors
#   PEERS_ONLY=tap scripts/peers/run.sh  # one of them (airbyte | tap)
#   GRAPH_SIM=path/to/graph-sim ...      # a prebuilt simulator instead of `cargo build`
#   PEERS_WORK=dir ...                   # venvs, configs, outputs (default target/peers)
#   PEERS_SIM_ARGS='--tier full' ...     # extra graph-sim flags (the default run uses none)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
work="${PEERS_WORK:-$repo/target/peers}"
only="${PEERS_ONLY:-}"
limit="${PEERS_TIMEOUT:-1200}"
mkdir -p "$work"

# A venv holding exactly `pkg==version` (re-created when the version differs).
venv() {
    local dir="$work/$1" pkg="${2%%==*}" version="${2##*==}"
    if [ "$("$dir/bin/pip" show "$pkg" 2>/dev/null | awk '/^Version:/{print $2}')" != "$version" ]; then
        echo "installing $2 into $dir"
        "${PYTHON:-python3}" -m venv "$dir"
        "$dir/bin/pip" install --quiet --disable-pip-version-check "$2"
    fi
}
[ "$only" = tap ] || venv venv-airbyte 'airbyte-source-facebook-marketing==6.1.9'
[ "$only" = airbyte ] || venv venv-tap 'tap-facebook==1.26.0'

if [ -z "${GRAPH_SIM:-}" ]; then
    (cd "$repo" && cargo build --quiet --bin graph-sim)
    GRAPH_SIM="$repo/target/debug/graph-sim"
fi
# shellcheck disable=SC2086 # PEERS_SIM_ARGS is a list of flags
"$GRAPH_SIM" --port 0 --accounts 3 --days 7 ${PEERS_SIM_ARGS:-} >"$work/sim.out" 2>"$work/sim.err" &
sim_pid=$!
trap 'kill "$sim_pid" 2>/dev/null || true' EXIT
for _ in $(seq 200); do grep -q '^accounts ' "$work/sim.out" && break; sleep 0.1; done
grep -q '^accounts ' "$work/sim.out" || { cat "$work/sim.err"; exit 1; }
root="$(awk '/^listening on /{print $3}' "$work/sim.out")"
token="$(awk '/^access_token /{print $2}' "$work/sim.out")"
accounts="$(awk '/^accounts /{print $2}' "$work/sim.out" | tr ',' ' ' | sed 's/act_//g')"
since="$(date -u -d '-7 days' +%F)"
until="$(date -u +%F)"
now="$(date -u +%FT%TZ)" # Airbyte refuses an end_date in the future
echo "graph-sim at $root (pid $sim_pid), accounts $accounts, $since..$until"
umask 077 # the configs hold the (simulated) token

stats() { curl -fsS "$root/__sim/stats" >"$1"; curl -fsS -X DELETE "$root/__sim/stats" >/dev/null; }
run() { # name, then the command; stdout to $work/name.records, stderr to $work/name.log
    local name="$1" rc=0
    shift
    timeout "$limit" "$@" >"$work/$name.records" 2>"$work/$name.log" || rc=$?
    echo "$name: exit code $rc ($(grep -c '"RECORD"' "$work/$name.records" || true) records)"
    echo "$rc" >"$work/$name.rc"
}
peers=()
curl -fsS -X DELETE "$root/__sim/stats" >/dev/null

if [ "$only" != tap ]; then
    ab=(env PEERS_GRAPH_ROOT="$root" "$work/venv-airbyte/bin/python" "$here/airbyte.py")
    python3 - "$work/airbyte.config.json" "$token" "$since" "$now" $accounts <<'PY'
import json, sys
path, token, since, now, *accounts = sys.argv[1:]
json.dump({"account_ids": accounts, "credentials": {"auth_type": "Service", "access_token": token},
           "start_date": f"{since}T00:00:00Z", "end_date": now}, open(path, "w"))
PY
    run airbyte-check "${ab[@]}" check --config "$work/airbyte.config.json"
    grep '"CONNECTION_STATUS"' "$work/airbyte-check.records" || true
    run airbyte-discover "${ab[@]}" discover --config "$work/airbyte.config.json"
    python3 "$here/catalog.py" airbyte "$work/airbyte-discover.records" \
        ad_account campaigns ad_sets ads ad_creatives ads_insights >"$work/airbyte.catalog.json"
    curl -fsS -X DELETE "$root/__sim/stats" >/dev/null
    run airbyte "${ab[@]}" read --config "$work/airbyte.config.json" --catalog "$work/airbyte.catalog.json"
    stats "$work/airbyte.stats.json"
    peers+=("airbyte=$work/airbyte.records:$work/airbyte.stats.json")
fi

if [ "$only" != airbyte ]; then
    tap=(env PEERS_GRAPH_ROOT="$root" "$work/venv-tap/bin/python" "$here/tap.py")
    files=()
    for a in $accounts; do
        python3 - "$work/tap-$a.config.json" "$token" "$since" "$until" "$a" <<'PY'
import json, sys
path, token, since, until, account = sys.argv[1:]
# insights_buffer_days: the tap re-reads this many days before start_date (1, 7 or 28; default
# 28, i.e. 36 report runs of ~70 s each per account here); 1 keeps the run to ~10 minutes.
json.dump({"account_id": account, "access_token": token, "insights_buffer_days": 1,
           "start_date": f"{since}T00:00:00Z", "end_date": f"{until}T23:59:59Z"}, open(path, "w"))
PY
    done
    first="$(echo $accounts | cut -d' ' -f1)"
    "${tap[@]}" --config "$work/tap-$first.config.json" --discover >"$work/tap.discovered.json" 2>"$work/tap-discover.log"
    python3 "$here/catalog.py" singer "$work/tap.discovered.json" \
        campaigns adsets ads adcreative ads_insights >"$work/tap.properties.json"
    curl -fsS -X DELETE "$root/__sim/stats" >/dev/null
    # One tap per account (it reads one), side by side: each sleeps 10 s, 20 s, 40 s … between
    # polls of its report runs, in real time.
    pids=()
    for a in $accounts; do
        run "tap-$a" "${tap[@]}" --config "$work/tap-$a.config.json" --properties "$work/tap.properties.json" &
        pids+=("$!")
        files+=("$work/tap-$a.records")
    done
    wait "${pids[@]}"
    stats "$work/tap.stats.json"
    peers+=("tap=$(IFS=,; echo "${files[*]}"):$work/tap.stats.json")
fi

python3 "$here/compare.py" --root "$root" --since "$since" --until "$until" --out "$work" "${peers[@]}"
