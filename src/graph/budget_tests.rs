//! Window maths of the budgets, on tokio's paused clock.

use super::*;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

#[tokio::test(start_paused = true)]
async fn fourth_call_waits_for_the_first_answer_plus_a_window() {
    let b = Budgets::new(Duration::from_secs(10), 3, 0, None);
    let t0 = Instant::now();
    let key = BudgetKey::calls("act_1");
    let d = [(key.clone(), 1)];
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(b.try_acquire(&d, t0).unwrap());
    }
    // All three in flight: only a completion can free room.
    assert_eq!(b.try_acquire(&d, t0), Err(None));
    b.complete(&held[0], t0 + ms(500));
    b.complete(&held[1], t0 + ms(700));
    let free_at = t0 + ms(500) + Duration::from_secs(10) + WINDOW_MARGIN;
    assert_eq!(b.try_acquire(&d, t0 + ms(800)), Err(Some(free_at)));
    assert_eq!(b.try_acquire(&d, free_at - ms(1)), Err(Some(free_at)));
    assert!(b.try_acquire(&d, free_at).is_ok());
    assert_eq!(b.charged(&key, free_at), 3);
    // Other accounts have their own budget.
    assert!(b.try_acquire(&[(BudgetKey::calls("2"), 3)], t0).is_ok());
}

#[tokio::test(start_paused = true)]
async fn multi_key_demand_is_all_or_nothing() {
    let b = Budgets::new(Duration::from_secs(10), 5, 1, None);
    let t0 = Instant::now();
    let demand = b.demands(Some("act_9"), true);
    assert_eq!(demand, vec![BudgetKey::calls("9"), BudgetKey::insights("9")]);
    let d: Vec<_> = demand.into_iter().map(|k| (k, 1)).collect();
    assert!(b.try_acquire(&d, t0).is_ok());
    // The insights budget is spent; the calls budget must not be charged by the refused attempt.
    assert!(b.try_acquire(&d, t0).is_err());
    assert_eq!(b.charged(&BudgetKey::calls("9"), t0), 1);
    assert!(b.try_acquire(&[(BudgetKey::calls("9"), 4)], t0).is_ok());
}

#[test]
fn demands_and_disabled_budgets() {
    let b = Budgets::new(Duration::from_secs(1), 0, 0, None);
    assert!(b.demands(Some("1"), true).is_empty(), "limit 0 disables a budget");
    let b = Budgets::new(Duration::from_secs(1), 10, 5, Some(100));
    assert_eq!(
        b.demands(Some("act_1"), false),
        vec![BudgetKey::calls("1"), BudgetKey::App],
        "app budget charged when configured"
    );
    assert_eq!(b.demands(None, true), vec![BudgetKey::App]);
    assert_eq!(b.limit(&BudgetKey::App), Some(100));
    let b = Budgets::new(Duration::from_secs(1), 10, 5, None);
    assert_eq!(b.limit(&BudgetKey::App), Some(10), "account-less calls use the per-account size");
}

/// Many concurrent callers: never more than N starts in any window, and no idle time while budget
/// is left (each wave starts exactly when the oldest charge of the previous one expires).
#[tokio::test(start_paused = true)]
async fn concurrent_callers_never_exceed_and_never_idle() {
    const N: usize = 4;
    let window = Duration::from_secs(3);
    let latency = ms(100);
    let b = Budgets::new(window, N as u32, 0, None);
    let t0 = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..13 {
        let b = Arc::clone(&b);
        tasks.push(tokio::spawn(async move {
            let (permit, _) = b.acquire(&[(BudgetKey::calls("1"), 1)]).await;
            let started = Instant::now();
            tokio::time::sleep(latency).await; // the call's round trip
            drop(permit);
            started
        }));
    }
    let mut starts = Vec::new();
    for t in tasks {
        starts.push(t.await.unwrap());
    }
    starts.sort();
    for (i, s) in starts.iter().enumerate() {
        let in_window = starts[i..].iter().take_while(|t| **t < *s + window).count();
        assert!(in_window <= N, "{in_window} calls within {window:?} from {:?}", *s - t0);
    }
    // Waves of N: wave k starts when wave k-1 was answered plus one window (+ margin), no later.
    for (i, s) in starts.iter().enumerate() {
        let wave = (i / N) as u32;
        let expected = t0 + (window + latency + WINDOW_MARGIN) * wave;
        assert_eq!(*s, expected, "call {i}");
    }
}

#[tokio::test(start_paused = true)]
async fn acquire_reports_the_wait() {
    let b = Budgets::new(Duration::from_secs(2), 1, 0, None);
    let (p, waited) = b.acquire(&[(BudgetKey::App, 1)]).await;
    assert_eq!(waited, Duration::ZERO);
    drop(p);
    let (_p, waited) = b.acquire(&[(BudgetKey::App, 1)]).await;
    assert_eq!(waited, Duration::from_secs(2) + WINDOW_MARGIN);
}

#[tokio::test(start_paused = true)]
async fn released_charges_do_not_count() {
    let b = Budgets::new(Duration::from_secs(2), 1, 0, None);
    let (p, _) = b.acquire(&[(BudgetKey::App, 1)]).await;
    p.release();
    assert_eq!(b.charged(&BudgetKey::App, Instant::now()), 0);
}
