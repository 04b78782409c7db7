"""Compares what a foreign connector read from graph-sim with the simulator's truth.

  compare.py --root URL --since YYYY-MM-DD --until YYYY-MM-DD --out DIR \
             NAME=RECORDS_FILE[,RECORDS_FILE...]:STATS_FILE ...

RECORDS_FILE holds the connector's stdout (Airbyte or Singer messages, one JSON per line);
STATS_FILE the simulator's `/__sim/stats` taken right after that connector ran (its request
log is the evidence for rows a connector missed). Prints, per connector: entity counts per
stream against the truth, and insights per ad and day (impressions, clicks, spend, reach)
against the truth; writes every differing ad-day to DIR/NAME-insights-diff.csv.
"""

import argparse
import csv
import json
import os
import sys
import urllib.request
from collections import Counter, defaultdict
from decimal import Decimal

# Stream names of each connector, by the truth table they correspond to.
ENTITY_STREAMS = {
    "campaigns": ("campaigns", "campaign_id"),
    "ad_sets": ("ad_sets", "ad_set_id"),
    "adsets": ("ad_sets", "ad_set_id"),
    "ads": ("ads", "ad_id"),
    "ad_creatives": ("creatives", "creative_id"),
    "adcreative": ("creatives", "creative_id"),
    "ad_account": ("accounts", "account_id"),
}
INSIGHTS_STREAMS = {"ads_insights"}
METRICS = ("impressions", "clicks", "spend", "reach")
HIDDEN = {"DELETED", "ARCHIVED"}


def records(path):
    """(stream, record) of every RECORD message, Airbyte or Singer."""
    with open(path, errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line.startswith("{"):
                continue
            try:
                msg = json.loads(line)
            except ValueError:
                continue
            if msg.get("type") != "RECORD":
                continue
            if isinstance(msg.get("record"), dict) and "stream" in msg["record"]:
                yield msg["record"]["stream"], msg["record"].get("data", {})
            else:
                yield msg.get("stream"), msg.get("record", {})


def num(v):
    if v is None or v == "":
        return None
    return Decimal(str(v))


def fetch(url):
    with urllib.request.urlopen(url) as r:
        return json.load(r)


EDGES = {"campaigns": "/campaigns", "ad_sets": "/adsets", "ads": "/ads", "creatives": "/adcreatives"}


def listing_filters(stats, table):
    """Distinct `filtering` values the connector sent to an entity listing."""
    edge = EDGES.get(table)
    seen = Counter()
    for e in stats.get("log", []):
        if edge and e.get("endpoint", "").endswith(edge) and e.get("method") == "GET":
            f = dict((p[0], p[1]) for p in e.get("params", [])).get("filtering", "none")
            seen[f if len(f) <= 140 else f[:137] + "..."] += 1
    return seen


def entity_table(truth, by_stream, stats, since):
    print(f"  {'stream':<14} {'peer':>6} {'truth, live':>12} {'live, updated since':>20} {'truth, all':>11}")
    print("  (live: not DELETED/ARCHIVED; updated since: updated_time after the start date)")
    for stream, ids in sorted(by_stream.items()):
        table, key = ENTITY_STREAMS[stream]
        rows = truth[table]
        all_ids = {str(r[key]) for r in rows}
        live_rows = [r for r in rows if r.get("effective_status") not in HIDDEN]
        live = {str(r[key]) for r in live_rows}
        recent = {str(r[key]) for r in live_rows if str(r.get("updated_time", "9999")) >= since}
        if table in ("creatives", "accounts"):
            live, recent = all_ids, all_ids
        extra = ids - all_ids
        note = f"  ({len(extra)} ids unknown to the truth)" if extra else ""
        print(f"  {stream:<14} {len(ids):>6} {len(live):>12} {len(recent):>20} {len(all_ids):>11}{note}")
        for f, n in sorted(listing_filters(stats, table).items()):
            print(f"      {n} listing call(s) with filtering={f}")


def empty_page_stops(stats):
    """Insights pages served empty (with `next`) after which the same query was not read on."""
    log = [e for e in stats.get("log", []) if e.get("insights") and e.get("status") == 200]
    by_query = defaultdict(list)
    for e in log:
        params = [tuple(p) for p in e.get("params", []) if p[0] not in ("after", "before")]
        by_query[(e["path"], tuple(sorted(params)))].append(e)
    empty, stopped = 0, 0
    for entries in by_query.values():
        for i, e in enumerate(entries):
            if e.get("rows") == 0 and any(p[0] == "after" for p in e.get("params", [])):
                empty += 1
                if i == len(entries) - 1:
                    stopped += 1
    return empty, stopped


def status_filters(stats):
    """Insights queries (sync first pages and report-run creations) and how many filtered on
    an effective status."""
    first = [
        e for e in stats.get("log", [])
        if e.get("insights") and e.get("endpoint") != "/{report_run_id}/insights"
        and not any(p[0] == "after" for p in e.get("params", []))
    ]
    filtered = 0
    for e in first:
        f = dict((p[0], p[1]) for p in e.get("params", [])).get("filtering", "")
        if "effective_status" in f:
            filtered += 1
    return len(first), filtered


def compare(name, files, stats, truth, out, since, until):
    print(f"\n== {name} ==")
    by_stream = defaultdict(set)
    rows = {}
    dup = 0
    streams = Counter()
    for path in files:
        for stream, r in records(path):
            streams[stream] += 1
            if stream in ENTITY_STREAMS:
                key = "account_id" if stream == "ad_account" else "id"
                by_stream[stream].add(str(r.get(key) or r.get("id")))
            elif stream in INSIGHTS_STREAMS:
                # Singer's tap writes date_start as a date-time ("2026-11-25T00:00:00.000000Z"),
                # Airbyte as a date: the day is the first ten characters of either.
                k = (str(r.get("ad_id")), str(r.get("date_start"))[:10])
                if k in rows:
                    dup += 1
                rows[k] = r
    print(f"  records per stream: {dict(sorted(streams.items()))}")
    entity_table(truth, by_stream, stats, since)

    ads = {str(a["ad_id"]): a for a in truth["ads"]}
    want = {(str(t["ad_id"]), str(t["date"])): t for t in truth["insights"] if t["level"] == "ad"}
    matched = [k for k in want if k in rows]
    missing = [k for k in want if k not in rows]
    outside = [k for k in rows if not since <= k[1] <= until]
    extra = [k for k in rows if k not in want and since <= k[1] <= until]
    wrong = Counter()
    diffs = []
    for k in matched:
        bad = [m for m in METRICS if num(rows[k].get(m)) != num(want[k].get(m))]
        for m in bad:
            wrong[m] += 1
        if bad:
            diffs.append((k, "differs: " + ",".join(bad)))
    diffs += [(k, "missing") for k in missing] + [(k, "extra") for k in extra]
    print(f"  insights, ad x day: truth {len(want)}, peer {len(rows)} (+{dup} duplicates), "
          f"matched {len(matched)}, missing {len(missing)}, extra {len(extra)}; "
          f"{len(outside)} more outside {since}..{until} (not compared)")
    print("  metric mismatches among matched rows: "
          + ", ".join(f"{m} {wrong[m]}" for m in METRICS))
    for m in METRICS:
        t = sum(num(r.get(m)) or 0 for r in want.values())
        p = sum(num(r.get(m)) or 0 for k, r in rows.items() if since <= k[1] <= until)
        print(f"    total {m:<12} truth {t:>14}  peer {p:>14}")
    if missing:
        why = Counter(ads.get(k[0], {}).get("effective_status", "?") for k in missing)
        print(f"  missing rows by the ad's effective_status: {dict(why)}")
    queries, filtered = status_filters(stats)
    print(f"  insights queries: {queries}, with an effective_status filter: {filtered}")
    empty, stopped = empty_page_stops(stats)
    print(f"  insights pages served empty with `next`: {empty}; the query stopped right after: {stopped}")
    errors = stats.get("errors_by_code", {})
    print(f"  simulator answers with errors: {errors or 'none'}; throttled: {stats.get('throttled', 0)}; "
          f"calls: {stats.get('calls', 0)}")
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, f"{name}-insights-diff.csv")
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["ad_id", "date", "what", "ad_effective_status"]
                   + [f"truth_{m}" for m in METRICS] + [f"peer_{m}" for m in METRICS])
        for (ad, day), what in sorted(diffs):
            t, p = want.get((ad, day), {}), rows.get((ad, day), {})
            w.writerow([ad, day, what, ads.get(ad, {}).get("effective_status", "")]
                       + [t.get(m, "") for m in METRICS] + [p.get(m, "") for m in METRICS])
    print(f"  every differing ad-day: {path}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--since", required=True)
    ap.add_argument("--until", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("peers", nargs="+")
    a = ap.parse_args()
    truth = fetch(f"{a.root}/__sim/truth?levels=ad&since={a.since}&until={a.until}")
    print(f"truth {a.since}..{a.until}: {len(truth['accounts'])} accounts, {len(truth['campaigns'])} campaigns, "
          f"{len(truth['ad_sets'])} ad sets, {len(truth['ads'])} ads, {len(truth['insights'])} ad-day rows")
    for spec in a.peers:
        name, rest = spec.split("=", 1)
        files, stats_path = rest.rsplit(":", 1)
        with open(stats_path) as f:
            stats = json.load(f)
        compare(name, files.split(","), stats, truth, a.out, a.since, a.until)


if __name__ == "__main__":
    sys.exit(main())
