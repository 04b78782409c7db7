#!/usr/bin/env python3
"""Reads a graph-sim world through Meta's official Python Business SDK (facebook_business,
pinned in tests/sdk/requirements.txt), changed only in its base URL, and compares every record
with the simulator's ground truth (`GET /__sim/truth`).

Environment: SIM_ROOT (http://127.0.0.1:PORT, no version), SIM_TOKEN, SIM_APP_ID,
SIM_APP_SECRET, SIM_SINCE and SIM_UNTIL (YYYY-MM-DD, the insights range).

Covers ad accounts, campaigns, ad sets, ads and creatives (edge listings with a status
filter), one read per node type asking for every field of the SDK's Field class, a synchronous
insights report (with attribution windows), an async report (AdReportRun polled until
complete) and batch requests. Prints one line `compared k=n …` and exits 0 when everything
matches; prints the mismatches and exits 1 otherwise.
"""

import json
import os
import sys
import urllib.parse
import urllib.request
from datetime import datetime
from decimal import Decimal

from facebook_business.api import FacebookAdsApi, FacebookSession
from facebook_business.adobjects.ad import Ad
from facebook_business.adobjects.adaccount import AdAccount
from facebook_business.adobjects.adcreative import AdCreative
from facebook_business.adobjects.adreportrun import AdReportRun
from facebook_business.adobjects.adset import AdSet
from facebook_business.adobjects.adsinsights import AdsInsights
from facebook_business.adobjects.campaign import Campaign
from facebook_business.adobjects.user import User
from facebook_business.exceptions import FacebookRequestError

ROOT = os.environ["SIM_ROOT"].rstrip("/")
SINCE, UNTIL = os.environ["SIM_SINCE"], os.environ["SIM_UNTIL"]
ALL_STATUSES = [
    "ACTIVE", "PAUSED", "DELETED", "ARCHIVED", "IN_PROCESS", "WITH_ISSUES", "CAMPAIGN_PAUSED",
    "ADSET_PAUSED", "PENDING_REVIEW", "DISAPPROVED", "PREAPPROVED", "PENDING_BILLING_INFO",
]
ZERO_DECIMAL = {"CLP", "COP", "CRC", "HUF", "ISK", "IDR", "JPY", "KRW", "PYG", "TWD", "VND"}
# Names of the SDK's lists that Meta answers with "nonexisting field" (kept as exceptions).
REFUSED_INSIGHTS = {"conversion_lead_rate", "cost_per_conversion_lead", "adset_start"}
WINDOWS = ["1d_click", "7d_click", "28d_click", "1d_view"]

problems = []
counts = {}


def count(kind, n=1):
    counts[kind] = counts.get(kind, 0) + n


def check(kind, key, field, got, want):
    if got != want:
        problems.append("%s %s %s: sdk %r, truth %r" % (kind, key, field, got, want))


def all_fields(cls):
    return [v for k, v in vars(cls.Field).items() if not k.startswith("_") and isinstance(v, str)]


def ts(s):
    return None if s is None else datetime.strptime(s, "%Y-%m-%dT%H:%M:%S%z")


def dec(s):
    return None if s is None else Decimal(str(s))


def major(minor, offset):
    return None if minor in (None, "", "0", 0) else Decimal(str(minor)) / offset


def status_filter(entity):
    return [{"field": entity + ".effective_status", "operator": "IN", "value": ALL_STATUSES}]


def truth():
    q = urllib.parse.urlencode({"levels": "campaign,ad", "since": SINCE, "until": UNTIL})
    with urllib.request.urlopen(ROOT + "/__sim/truth?" + q) as r:
        return json.load(r)


def compare_accounts(t, offsets):
    want = {a["account_id"]: a for a in t["accounts"]}
    fields = ["id", "account_id", "name", "currency", "timezone_name", "account_status",
              "amount_spent", "business", "created_time"]
    seen = set()
    for a in User(fbid="me").get_ad_accounts(fields=fields, params={"limit": 2}):
        w = want.get(a["account_id"])
        if w is None:
            problems.append("account %s not in truth" % a["account_id"])
            continue
        off = 1 if a["currency"] in ZERO_DECIMAL else 100
        offsets[a["account_id"]] = off
        key = a["account_id"]
        check("account", key, "id", a["id"], "act_" + key)
        for f in ("name", "currency", "timezone_name"):
            check("account", key, f, a[f], w[f])
        check("account", key, "account_status", a["account_status"], w["account_status_code"])
        check("account", key, "business", a["business"]["id"], w["business_id"])
        check("account", key, "amount_spent", major(a["amount_spent"], off), dec(w["amount_spent"]))
        check("account", key, "created_time", ts(a["created_time"]), ts(w["created_time"]))
        seen.add(key)
        count("accounts")
    check("accounts", "-", "set", seen, set(want))


CAMPAIGN_FIELDS = ["id", "account_id", "name", "status", "configured_status", "effective_status",
                   "objective", "daily_budget", "lifetime_budget", "bid_strategy", "buying_type",
                   "start_time", "stop_time", "created_time", "updated_time"]


def compare_campaign(c, w, off):
    key = c["id"]
    for f in ("account_id", "name", "effective_status", "configured_status", "objective",
              "bid_strategy", "buying_type"):
        check("campaign", key, f, c.get(f), w[f])
    check("campaign", key, "status", c.get("status"), w["configured_status"])
    for f in ("daily_budget", "lifetime_budget"):
        check("campaign", key, f, major(c.get(f), off), dec(w[f]))
    for f in ("start_time", "stop_time", "created_time", "updated_time"):
        check("campaign", key, f, ts(c.get(f)), ts(w[f]))


def compare_entities(t, offsets):
    campaigns = {c["campaign_id"]: c for c in t["campaigns"]}
    adsets = {s["ad_set_id"]: s for s in t["ad_sets"]}
    ads = {a["ad_id"]: a for a in t["ads"]}
    creatives = {c["creative_id"]: c for c in t["creatives"]}
    seen = {"campaigns": set(), "adsets": set(), "ads": set(), "creatives": set()}
    for account_id, off in offsets.items():
        account = AdAccount("act_" + account_id)
        for c in account.get_campaigns(fields=CAMPAIGN_FIELDS,
                                       params={"filtering": status_filter("campaign"), "limit": 5}):
            compare_campaign(c, campaigns[c["id"]], off)
            seen["campaigns"].add(c["id"])
            count("campaigns")
        fields = ["id", "account_id", "campaign_id", "name", "status", "configured_status",
                  "effective_status", "daily_budget", "lifetime_budget", "optimization_goal",
                  "billing_event", "bid_amount", "targeting", "start_time", "end_time",
                  "created_time", "updated_time"]
        for s in account.get_ad_sets(fields=fields, params={"filtering": status_filter("adset"), "limit": 7}):
            w, key = adsets[s["id"]], s["id"]
            for f in ("account_id", "campaign_id", "name", "effective_status", "configured_status",
                      "optimization_goal", "billing_event"):
                check("adset", key, f, s.get(f), w[f])
            for f in ("daily_budget", "lifetime_budget", "bid_amount"):
                check("adset", key, f, major(s.get(f), off), dec(w[f]))
            check("adset", key, "targeting", s.get("targeting").export_all_data(), w["targeting"])
            for f in ("start_time", "end_time", "created_time", "updated_time"):
                check("adset", key, f, ts(s.get(f)), ts(w[f]))
            seen["adsets"].add(key)
            count("adsets")
        fields = ["id", "account_id", "campaign_id", "adset_id", "name", "status", "configured_status",
                  "effective_status", "creative", "created_time", "updated_time"]
        for a in account.get_ads(fields=fields, params={"filtering": status_filter("ad"), "limit": 9}):
            w, key = ads[a["id"]], a["id"]
            for f in ("account_id", "campaign_id", "name", "effective_status", "configured_status"):
                check("ad", key, f, a.get(f), w[f])
            check("ad", key, "adset_id", a.get("adset_id"), w["ad_set_id"])
            check("ad", key, "creative", a["creative"]["id"], w["creative_id"])
            for f in ("created_time", "updated_time"):
                check("ad", key, f, ts(a.get(f)), ts(w[f]))
            seen["ads"].add(key)
            count("ads")
        fields = ["id", "account_id", "name", "status", "title", "body", "object_type",
                  "thumbnail_url", "image_url", "call_to_action_type"]
        for c in account.get_ad_creatives(fields=fields, params={"limit": 11}):
            w, key = creatives[c["id"]], c["id"]
            for f in fields[1:]:
                check("creative", key, f, c.get(f), w[f])
            seen["creatives"].add(key)
            count("creatives")
    check("campaigns", "-", "set", seen["campaigns"], set(campaigns))
    check("adsets", "-", "set", seen["adsets"], set(adsets))
    check("ads", "-", "set", seen["ads"], set(ads))
    check("creatives", "-", "set", seen["creatives"], set(creatives))
    return sorted(campaigns), sorted(adsets), sorted(ads)


def full_reads(offsets, campaign_ids, adset_ids, ad_ids):
    """One read per node type asking for every field of its SDK Field class."""
    account_id = sorted(offsets)[0]
    AdAccount("act_" + account_id).api_get(fields=all_fields(AdAccount))
    Campaign(campaign_ids[0]).api_get(fields=all_fields(Campaign))
    AdSet(adset_ids[0]).api_get(fields=all_fields(AdSet))
    Ad(ad_ids[0]).api_get(fields=all_fields(Ad))
    AdCreative(Ad(ad_ids[0]).api_get(fields=["creative"])["creative"]["id"]).api_get(
        fields=all_fields(AdCreative))
    count("full_reads", 5)
    fields = [f for f in all_fields(AdsInsights) if f not in REFUSED_INSIGHTS]
    rows = list(Campaign(campaign_ids[0]).get_insights(
        fields=fields, params={"time_range": {"since": SINCE, "until": UNTIL}}))
    count("full_reads")
    if len(rows) > 1:
        problems.append("all-fields insights: %d rows for one campaign and one range" % len(rows))
    # A field of another node type is refused, as Meta does.
    try:
        Campaign(campaign_ids[0]).api_get(fields=["object_story_spec"])
        problems.append("campaign answered object_story_spec")
    except FacebookRequestError as e:
        check("refusal", "campaign", "message", e.api_error_message(),
              "(#100) Tried accessing nonexisting field (object_story_spec) on node type (Campaign)")
        check("refusal", "campaign", "code", e.api_error_code(), 100)
    count("refusals")


INSIGHT_FIELDS = ["account_id", "campaign_id", "adset_id", "ad_id", "date_start", "date_stop",
                  "impressions", "reach", "clicks", "spend", "cpm", "cpc", "ctr", "frequency",
                  "actions", "action_values", "purchase_roas"]


def stats(lst):
    return None if lst is None else [{"action_type": x["action_type"], "value": x["value"]} for x in lst]


def compare_insight(kind, r, w):
    key = "%s@%s" % (w["object_id"], r["date_start"])
    check(kind, key, "date_stop", r["date_stop"], r["date_start"])
    for f in ("impressions", "clicks", "reach"):
        check(kind, key, f, int(r[f]), w[f])
    for f in ("spend", "cpm", "cpc", "ctr", "frequency"):
        check(kind, key, f, dec(r.get(f)), dec(w[f]))
    for f in ("actions", "action_values", "purchase_roas"):
        check(kind, key, f, stats(r.get(f)), w[f])
    for f in ("campaign_id", "ad_id"):
        if w.get(f) is not None:
            check(kind, key, f, r.get(f), w[f])
    check(kind, key, "adset_id", r.get("adset_id"), w.get("ad_set_id"))


def check_windows(key, r):
    """Per-window keys of actions: present, ordered, and adding up to value."""
    for a in r.get("actions", []):
        n = {w: int(a.get(w, "0")) for w in WINDOWS}
        if n["7d_click"] + n["1d_view"] != int(a["value"]):
            problems.append("%s %s: 7d_click + 1d_view != value in %r" % (key, a["action_type"], a))
        if not n["1d_click"] <= n["7d_click"] <= n["28d_click"]:
            problems.append("%s %s: windows out of order in %r" % (key, a["action_type"], a))
        count("window_actions")


def sync_insights(t, offsets):
    want = {(w["object_id"], w["date"]): w for w in t["insights"] if w["level"] == "campaign"}
    seen = set()
    for account_id in sorted(offsets):
        params = {
            "level": "campaign",
            "time_increment": 1,
            "time_range": {"since": SINCE, "until": UNTIL},
            "filtering": status_filter("campaign"),
            "action_attribution_windows": WINDOWS,
            "limit": 40,
        }
        for r in AdAccount("act_" + account_id).get_insights(fields=INSIGHT_FIELDS, params=params):
            k = (r["campaign_id"], r["date_start"])
            if k not in want:
                problems.append("sync insights row %r not in truth" % (k,))
                continue
            compare_insight("sync", r, want[k])
            check_windows("sync %s@%s" % k, r)
            seen.add(k)
            count("insights_sync")
    check("insights_sync", "-", "set", seen, set(want))


def async_insights(t, offsets):
    want = {(w["object_id"], w["date"]): w for w in t["insights"] if w["level"] == "ad"}
    seen = set()
    for account_id in sorted(offsets):
        params = {
            "level": "ad",
            "time_increment": 1,
            "time_range": {"since": SINCE, "until": UNTIL},
            "filtering": status_filter("ad"),
            # What Airbyte's connector asks for by default.
            "action_breakdowns": ["action_type", "action_target_id", "action_destination"],
        }
        job = AdAccount("act_" + account_id).get_insights(fields=INSIGHT_FIELDS, params=params, is_async=True)
        for _ in range(100):
            job = job.api_get()
            if job[AdReportRun.Field.async_status] in ("Job Completed", "Job Failed", "Job Skipped"):
                break
        check("async", job["id"], "async_status", job[AdReportRun.Field.async_status], "Job Completed")
        check("async", job["id"], "async_percent_completion", job[AdReportRun.Field.async_percent_completion], 100)
        count("report_runs")
        for r in job.get_result(params={"limit": 50}):
            k = (r["ad_id"], r["date_start"])
            if k not in want:
                problems.append("async insights row %r not in truth" % (k,))
                continue
            compare_insight("async", r, want[k])
            seen.add(k)
            count("insights_async")
    check("insights_async", "-", "set", seen, set(want))


def batch_reads(api, t, offsets):
    campaigns = {c["campaign_id"]: c for c in t["campaigns"]}
    off_of = {c["campaign_id"]: offsets[c["account_id"]] for c in t["campaigns"]}
    ids = sorted(campaigns)
    got = {}
    failures = []
    for start in range(0, len(ids), 50):
        batch = api.new_batch()
        for cid in ids[start:start + 50]:
            Campaign(cid).api_get(
                fields=CAMPAIGN_FIELDS,
                batch=batch,
                success=lambda resp, cid=cid: got.__setitem__(cid, resp.json()),
                failure=lambda resp: failures.append(resp.error()),
            )
        while batch:
            batch = batch.execute()
    for f in failures:
        problems.append("batch item failed: %s" % f)
    for cid, c in sorted(got.items()):
        compare_campaign(c, campaigns[cid], off_of[cid])
        count("batch_items")
    check("batch", "-", "set", set(got), set(ids))


def main():
    FacebookSession.GRAPH = ROOT
    api = FacebookAdsApi.init(
        app_id=os.environ["SIM_APP_ID"],
        app_secret=os.environ["SIM_APP_SECRET"],
        access_token=os.environ["SIM_TOKEN"],
        api_version="v25.0",
    )
    t = truth()
    offsets = {}
    compare_accounts(t, offsets)
    campaign_ids, adset_ids, ad_ids = compare_entities(t, offsets)
    full_reads(offsets, campaign_ids, adset_ids, ad_ids)
    sync_insights(t, offsets)
    async_insights(t, offsets)
    batch_reads(api, t, offsets)
    print("compared " + " ".join("%s=%d" % kv for kv in sorted(counts.items())))
    if problems:
        print("%d mismatches:" % len(problems))
        for p in problems[:40]:
            print("  " + p)
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    except FacebookRequestError as e:
        print("SDK call failed: %s %s -> %s" % (e.request_context().get("method"),
                                                 e.request_context().get("path"), e.body()))
        sys.exit(1)
