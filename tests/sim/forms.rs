//! Parameter forms: every list parameter as a comma list or a JSON array gives the same
//! answer; `time_ranges`, `time_increment`, `date_preset`, attribution windows, `sort`,
//! `summary` and `locale` on insights.

use crate::support::sim::*;
use serde_json::Value;

const CAMPAIGN_FILTER: &str = r#"{"field":"campaign.effective_status","operator":"IN","value":["ACTIVE","PAUSED","DELETED","ARCHIVED","IN_PROCESS","WITH_ISSUES"]}"#;
const SPEND_FILTER: &str = r#"{"field":"spend","operator":"GREATER_THAN","value":0}"#;

fn n(v: &Value) -> i64 {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn f(v: &Value) -> f64 {
    v.as_str().and_then(|s| s.parse().ok()).unwrap_or(0.0)
}

/// The answer's meaningful part: `data` and `summary` for lists (the `next` URL echoes the
/// query, so it differs with the form), the body for a node, the error's code and message.
fn essence(r: &Answer) -> Value {
    if r.body.get("error").is_some() {
        return serde_json::json!([r.status.as_u16(), r.body["error"]["code"], r.body["error"]["message"]]);
    }
    match r.body.get("data") {
        Some(d) => serde_json::json!([d, r.body.get("summary"), r.body["paging"].get("next").is_some()]),
        None => r.body.clone(),
    }
}

async fn same(env: &Env, path: &str, base: &[(&str, &str)], key: &str, comma: &str, json: &str) -> Answer {
    let mut a: Vec<(&str, &str)> = base.to_vec();
    a.push((key, comma));
    let mut b: Vec<(&str, &str)> = base.to_vec();
    b.push((key, json));
    let (ra, rb) = (env.get(path, &a).await, env.get(path, &b).await);
    assert_eq!(essence(&ra), essence(&rb), "{key}: {comma} vs {json}");
    ra
}

#[tokio::test]
async fn comma_lists_and_json_arrays_give_identical_answers() {
    let env = start(world(7, 8)).await;
    let act = env.account(0);
    let ins = format!("{act}/insights");
    let camp = env.get(&format!("{act}/campaigns"), &[("limit", "1")]).await.data()[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let daily = [
        ("level", "campaign"),
        ("time_range", r#"{"since":"2026-08-20","until":"2026-08-26"}"#),
        ("time_increment", "1"),
    ];

    let r = same(
        &env,
        &camp,
        &[],
        "fields",
        "id,name,effective_status,daily_budget",
        r#"["id","name","effective_status","daily_budget"]"#,
    )
    .await;
    assert_eq!(r.status, 200);
    let r = same(
        &env,
        &format!("{act}/ads"),
        &[],
        "fields",
        "id,creative{id,name}",
        r#"["id","creative{id,name}"]"#,
    )
    .await;
    assert!(r.data()[0]["creative"]["name"].is_string(), "{}", r.body);
    let r = same(
        &env,
        &ins,
        &daily,
        "fields",
        "campaign_id,spend,actions",
        r#"["campaign_id","spend","actions"]"#,
    )
    .await;
    assert!(r.data().len() > 10, "{}", r.body);

    // breakdowns: a known one is refused (not simulated yet), an unknown one with Meta's
    // enum message, and an empty list is no breakdown — in both forms.
    let r = same(&env, &ins, &daily, "breakdowns", "age", r#"["age"]"#).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, 100));
    let r = same(&env, &ins, &daily, "breakdowns", "colour", r#"["colour"]"#).await;
    assert!(r.message().starts_with("(#100) breakdowns[0] must be one of the following values: "));
    let plain = env.get(&ins, &daily).await;
    let r = same(&env, &ins, &daily, "breakdowns", "", "[]").await;
    assert_eq!(essence(&r), essence(&plain));

    let r = same(&env, &ins, &daily, "action_breakdowns", "action_type", r#"["action_type"]"#).await;
    assert_eq!(essence(&r), essence(&plain));
    let r = same(&env, &ins, &daily, "action_breakdowns", "action_device", r#"["action_device"]"#).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, 100));

    let mut wq = daily.to_vec();
    wq.push(("fields", "campaign_id,actions,action_values"));
    let r = same(
        &env,
        &ins,
        &wq,
        "action_attribution_windows",
        "1d_click,7d_click,1d_view",
        r#"["1d_click","7d_click","1d_view"]"#,
    )
    .await;
    assert!(r.data().iter().any(|row| row["actions"][0].get("7d_click").is_some()), "{}", r.body);

    let two = format!("{CAMPAIGN_FILTER},{SPEND_FILTER}");
    let r = same(&env, &ins, &daily, "filtering", &two, &format!("[{two}]")).await;
    assert!(!r.data().is_empty());
    let r = same(
        &env,
        &format!("{act}/campaigns"),
        &[("fields", "id,effective_status")],
        "filtering",
        CAMPAIGN_FILTER,
        &format!("[{CAMPAIGN_FILTER}]"),
    )
    .await;
    assert!(r.data().iter().any(|c| c["effective_status"] == "DELETED"), "{}", r.body);

    let r = same(&env, &ins, &daily, "sort", "spend_descending", r#"["spend_descending"]"#).await;
    assert!(r.data().len() > 10);
    let r = same(&env, &ins, &daily, "summary", "impressions,spend", r#"["impressions","spend"]"#).await;
    assert!(r.body["summary"]["impressions"].is_string(), "{}", r.body);

    let ranges = r#"{"since":"2026-08-20","until":"2026-08-22"},{"since":"2026-08-23","until":"2026-08-26"}"#;
    let r = same(&env, &ins, &[("level", "account")], "time_ranges", ranges, &format!("[{ranges}]")).await;
    assert_eq!(r.data().len(), 2, "{}", r.body);
}

#[tokio::test]
async fn time_ranges_give_one_row_per_range() {
    let env = start(world(7, 8)).await;
    let ins = format!("{}/insights", env.account(0));
    let ranges = r#"[{"since":"2026-08-20","until":"2026-08-26"},{"since":"2026-08-20","until":"2026-08-22"},{"since":"2026-08-25","until":"2026-08-25"}]"#;
    let r = env
        .get(
            &ins,
            &[
                ("level", "account"),
                ("time_ranges", ranges),
                ("time_increment", "1"),
                ("fields", "impressions,spend"),
            ],
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.body);
    let rows = r.data();
    let spans: Vec<(&str, &str)> =
        rows.iter().map(|r| (r["date_start"].as_str().unwrap(), r["date_stop"].as_str().unwrap())).collect();
    // time_increment does not split ranges; overlaps are allowed.
    assert_eq!(
        spans,
        [("2026-08-20", "2026-08-26"), ("2026-08-20", "2026-08-22"), ("2026-08-25", "2026-08-25")]
    );
    let daily = env
        .get(
            &ins,
            &[
                ("level", "account"),
                ("time_range", r#"{"since":"2026-08-20","until":"2026-08-26"}"#),
                ("time_increment", "1"),
            ],
        )
        .await
        .data();
    let sum = |from: &str, to: &str| -> i64 {
        daily
            .iter()
            .filter(|d| d["date_start"].as_str().unwrap() >= from && d["date_start"].as_str().unwrap() <= to)
            .map(|d| n(&d["impressions"]))
            .sum()
    };
    assert_eq!(n(&rows[0]["impressions"]), sum("2026-08-20", "2026-08-26"));
    assert_eq!(n(&rows[1]["impressions"]), sum("2026-08-20", "2026-08-22"));
    assert_eq!(n(&rows[2]["impressions"]), sum("2026-08-25", "2026-08-25"));
    let bad = env.get(&ins, &[("time_ranges", r#"[{"since":"2026-08-26","until":"2026-08-20"}]"#)]).await;
    assert_eq!((bad.status.as_u16(), bad.code()), (400, 100));
}

#[tokio::test]
async fn time_increment_and_date_preset() {
    let env = start(world(7, 8)).await;
    let ins = format!("{}/insights", env.account(0));
    let range = ("time_range", r#"{"since":"2026-08-05","until":"2026-09-02"}"#);
    let spans = |r: &Answer| -> Vec<(String, String)> {
        r.data()
            .iter()
            .map(|r| (r["date_start"].as_str().unwrap().into(), r["date_stop"].as_str().unwrap().into()))
            .collect()
    };
    let week = env.get(&ins, &[range, ("time_increment", "7")]).await;
    assert_eq!(spans(&week)[0], ("2026-08-05".into(), "2026-08-11".into()));
    assert_eq!(spans(&week).last().unwrap(), &("2026-09-02".into(), "2026-09-02".into()));
    let ninety = env.get(&ins, &[range, ("time_increment", "90")]).await;
    assert_eq!(spans(&ninety), [("2026-08-05".into(), "2026-09-02".into())]);
    let monthly = env.get(&ins, &[range, ("time_increment", "monthly")]).await;
    assert_eq!(
        spans(&monthly),
        [("2026-08-05".into(), "2026-08-31".into()), ("2026-09-01".into(), "2026-09-02".into())]
    );
    let all = env.get(&ins, &[range, ("time_increment", "all_days")]).await;
    assert_eq!(spans(&all), spans(&ninety));
    for bad in ["0", "91", "weekly"] {
        let r = env.get(&ins, &[range, ("time_increment", bad)]).await;
        assert_eq!((r.status.as_u16(), r.code()), (400, 100), "{bad}");
    }
    // last_7d: the seven days before today (the account's today is 2026-09-03).
    let r = env.get(&ins, &[("date_preset", "last_7d"), ("time_increment", "all_days")]).await;
    let today = env.server.sim().today(&env.account(0)).unwrap();
    let want =
        ((today - chrono::Duration::days(7)).to_string(), (today - chrono::Duration::days(1)).to_string());
    assert_eq!(spans(&r), [want]);
    let r = env.get(&ins, &[("date_preset", "lifetime")]).await;
    assert!(r.message().contains("date_preset must be one of the following values"));
}

#[tokio::test]
async fn attribution_windows_are_consistent_and_add_up_across_levels() {
    let env = start(world(7, 8)).await;
    let ins = format!("{}/insights", env.account(0));
    let q = |level: &'static str| {
        vec![
            ("level", level),
            ("time_range", r#"{"since":"2026-08-20","until":"2026-08-26"}"#),
            ("time_increment", "1"),
            ("fields", "campaign_id,actions,action_values"),
            (
                "action_attribution_windows",
                r#"["1d_click","7d_click","28d_click","1d_view","1d_ev","7d_view","dda"]"#,
            ),
            (
                "filtering",
                r#"[{"field":"campaign.effective_status","operator":"IN","value":["ACTIVE","PAUSED","DELETED","ARCHIVED","IN_PROCESS","WITH_ISSUES"]}]"#,
            ),
            ("limit", "500"),
        ]
    };
    let campaigns = env.get(&ins, &q("campaign")).await;
    let accounts = env.get(&ins, &q("account")).await;
    let w = |a: &Value, k: &str| n(&a[k]);
    let mut checked = 0;
    for row in campaigns.data() {
        for a in row["actions"].as_array().into_iter().flatten() {
            assert_eq!(w(a, "7d_click") + w(a, "1d_view"), n(&a["value"]), "{a}");
            assert!(w(a, "1d_click") <= w(a, "7d_click") && w(a, "7d_click") <= w(a, "28d_click"), "{a}");
            assert!(w(a, "1d_ev") <= w(a, "1d_view"), "{a}");
            // 7d_view is no longer returned (docs/graph-api.md §9); dda is not simulated.
            assert!(a.get("7d_view").is_none() && a.get("dda").is_none(), "{a}");
            checked += 1;
        }
    }
    assert!(checked > 50, "{checked}");
    // Account rows are the sums of the campaign rows, window by window.
    for acc in accounts.data() {
        let day = acc["date_start"].as_str().unwrap();
        for a in acc["actions"].as_array().unwrap() {
            let t = a["action_type"].as_str().unwrap();
            for k in ["value", "1d_click", "7d_click", "28d_click", "1d_view"] {
                let sum: i64 = campaigns
                    .data()
                    .iter()
                    .filter(|r| r["date_start"] == day)
                    .flat_map(|r| r["actions"].as_array().cloned().unwrap_or_default())
                    .filter(|x| x["action_type"] == t)
                    .map(|x| n(&x[k]))
                    .sum();
                assert_eq!(n(&a[k]), sum, "{day} {t} {k}");
            }
        }
    }
    // Without windows, no window keys; the same again is the same answer.
    let plain =
        env.get(&ins, &[("level", "account"), ("fields", "actions"), ("date_preset", "last_7d")]).await;
    let first = &plain.data()[0]["actions"][0];
    assert!(first.as_object().unwrap().keys().all(|k| k == "action_type" || k == "value"), "{first}");
    assert_eq!(env.get(&ins, &q("campaign")).await.body["data"], campaigns.body["data"]);
    let bad = env.get(&ins, &[("action_attribution_windows", "2d_click")]).await;
    assert!(
        bad.message()
            .starts_with("(#100) action_attribution_windows[0] must be one of the following values: ")
    );
}

#[tokio::test]
async fn sort_summary_and_locale() {
    let env = start(world(7, 8)).await;
    let ins = format!("{}/insights", env.account(0));
    let base = [
        ("level", "campaign"),
        ("time_range", r#"{"since":"2026-08-20","until":"2026-08-26"}"#),
        ("time_increment", "1"),
        ("fields", "campaign_id,spend,impressions"),
    ];
    let plain = env.get(&ins, &[&base[..], &[("limit", "500")]].concat()).await.data();
    let sorted =
        env.get(&ins, &[&base[..], &[("limit", "500"), ("sort", "spend_descending")]].concat()).await.data();
    assert_eq!(sorted.len(), plain.len());
    assert!(sorted.windows(2).all(|p| f(&p[0]["spend"]) >= f(&p[1]["spend"])));
    let mut a = plain.clone();
    let mut b = sorted.clone();
    let key = |v: &Value| format!("{}{}", v["campaign_id"], v["date_start"]);
    a.sort_by_key(key);
    b.sort_by_key(key);
    assert_eq!(a, b, "sorting changes the order, not the rows");
    // Paging through a sorted result gives the same order.
    let (paged, pages) = env
        .collect(&ins, &[&base[..], &[("limit", "4"), ("sort", r#"["spend_descending"]"#)]].concat())
        .await;
    assert_eq!(paged, sorted);
    assert!(pages > 2);
    let asc = env
        .get(&ins, &[&base[..], &[("limit", "500"), ("sort", "impressions_ascending")]].concat())
        .await
        .data();
    assert!(asc.windows(2).all(|p| n(&p[0]["impressions"]) <= n(&p[1]["impressions"])));

    // summary=true: the whole result added up, on every page.
    let r = env.get(&ins, &[&base[..], &[("limit", "3"), ("summary", "true")]].concat()).await;
    let s = &r.body["summary"];
    assert_eq!(n(&s["impressions"]), plain.iter().map(|r| n(&r["impressions"])).sum::<i64>(), "{s}");
    assert_eq!((s["date_start"].as_str(), s["date_stop"].as_str()), (Some("2026-08-20"), Some("2026-08-26")));
    assert!(s.get("campaign_id").is_none(), "{s}");
    assert!(env.get(&ins, &base).await.body.get("summary").is_none());

    // locale changes nothing the simulator serves.
    let fr = env.get(&ins, &[&base[..], &[("limit", "500"), ("locale", "fr_FR")]].concat()).await.data();
    assert_eq!(fr, plain);
}

#[tokio::test]
async fn action_target_and_destination_breakdowns_name_the_accounts_page() {
    let env = start(world(7, 8)).await;
    let ins = format!("{}/insights", env.account(0));
    let base = [
        ("level", "campaign"),
        ("time_range", r#"{"since":"2026-08-20","until":"2026-08-26"}"#),
        ("time_increment", "1"),
        ("fields", "campaign_id,actions,action_values,cost_per_action_type"),
        ("limit", "500"),
    ];
    let plain = env.get(&ins, &base).await.data();
    let comma = "action_type,action_target_id,action_destination";
    let r = same(
        &env,
        &ins,
        &base,
        "action_breakdowns",
        comma,
        &format!("{:?}", comma.split(',').collect::<Vec<_>>()),
    )
    .await;
    let split = r.data();
    assert_eq!(split.len(), plain.len());
    let mut pages = std::collections::BTreeSet::new();
    let mut stripped = split.clone();
    for row in &mut stripped {
        for list in ["actions", "action_values", "cost_per_action_type"] {
            for a in row[list].as_array_mut().into_iter().flatten() {
                let o = a.as_object_mut().unwrap();
                let target = o.remove("action_target_id").expect("action_target_id");
                assert_eq!(o.remove("action_destination"), Some(target.clone()));
                pages.insert(target.as_str().unwrap().to_string());
            }
        }
    }
    // Same elements and values as without the breakdown; one page for the whole account.
    assert_eq!(stripped, plain);
    assert_eq!(pages.len(), 1, "{pages:?}");
    let r = env.get(&ins, &[&base[..], &[("action_breakdowns", "action_device")]].concat()).await;
    assert_eq!((r.status.as_u16(), r.code()), (400, 100));
}
