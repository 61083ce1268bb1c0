//! Parallel branches and Map iterations: run concurrently on the current task, results in
//! declaration/item order, the first failure cancels the rest (dropping a future cancels it).

use std::future::Future;

use futures_util::stream::{FuturesUnordered, StreamExt};
use serde_json::Value;

use crate::Error;

/// Runs Parallel branches; the result array is in branch order. The first branch to fail ends
/// the state with that branch's own error (AWS does not wrap it in `States.BranchFailed`).
pub async fn parallel<F>(branches: Vec<F>) -> Result<Value, Error>
where
    F: Future<Output = Result<Value, Error>>,
{
    let n = branches.len();
    let mut results: Vec<Value> = vec![Value::Null; n];
    let mut running: FuturesUnordered<_> =
        branches.into_iter().enumerate().map(|(i, f)| async move { (i, f.await) }).collect();
    while let Some((i, result)) = running.next().await {
        results[i] = result?;
    }
    Ok(Value::Array(results))
}

/// How a Map tolerates failed iterations.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Tolerance {
    /// `ToleratedFailureCount` (default 0).
    pub count: u64,
    /// `ToleratedFailurePercentage` (default 0).
    pub percentage: f64,
}

impl Tolerance {
    fn exceeded(&self, failed: u64, total: u64) -> bool {
        if total == 0 {
            return false;
        }
        let over_count = failed > self.count;
        let over_percentage = (failed as f64) * 100.0 / (total as f64) > self.percentage;
        over_count && over_percentage
    }

    fn tolerates_any(&self) -> bool {
        self.count > 0 || self.percentage > 0.0
    }
}

/// How many iterations an Inline Map runs at once when its `MaxConcurrency` is 0 (or absent): AWS
/// "supports up to 40 concurrent iterations" for Inline Map (INVENTORY §2.6, limits table).
pub const INLINE_MAP_CONCURRENCY: usize = 40;

/// How many child executions a Distributed Map runs at once by default (AWS: 10,000).
pub const DISTRIBUTED_MAP_CONCURRENCY: usize = 10_000;

/// An Inline Map's concurrency: `MaxConcurrency`, or AWS's 40 for 0.
pub fn inline_map_concurrency(max_concurrency: usize) -> usize {
    if max_concurrency == 0 { INLINE_MAP_CONCURRENCY } else { max_concurrency }
}

/// A Distributed Map's concurrency: `MaxConcurrency`, or AWS's 10,000 for 0.
pub fn distributed_map_concurrency(max_concurrency: usize) -> usize {
    if max_concurrency == 0 { DISTRIBUTED_MAP_CONCURRENCY } else { max_concurrency }
}

/// Runs Map iterations, at most `max_concurrency` at a time (0 = no limit); results in item
/// order. Without tolerance the first failure ends the state with that iteration's own error;
/// with tolerance, failed iterations yield their Error Output until the threshold is exceeded,
/// which fails the state with `States.ExceedToleratedFailureThreshold`.
pub async fn map<I, F, Fut>(
    items: I,
    max_concurrency: usize,
    tolerance: Tolerance,
    mut iteration: F,
) -> Result<Value, Error>
where
    I: IntoIterator<Item = (usize, Value)>,
    F: FnMut(usize, Value) -> Fut,
    Fut: Future<Output = Result<Value, Error>>,
{
    let items: Vec<(usize, Value)> = items.into_iter().collect();
    let total = items.len() as u64;
    let limit = if max_concurrency == 0 { usize::MAX } else { max_concurrency };
    let mut results: Vec<Value> = vec![Value::Null; items.len()];
    let mut failed = 0u64;
    let mut pending = items.into_iter();
    let mut running = FuturesUnordered::new();
    loop {
        while running.len() < limit {
            let Some((i, item)) = pending.next() else { break };
            let fut = iteration(i, item);
            running.push(async move { (i, fut.await) });
        }
        let Some((i, result)) = running.next().await else { break };
        match result {
            Ok(v) => results[i] = v,
            Err(e) if !e.is_catchable() || !tolerance.tolerates_any() => return Err(e),
            Err(e) => {
                failed += 1;
                if tolerance.exceeded(failed, total) {
                    return Err(Error::new(
                        crate::error::names::EXCEED_TOLERATED_FAILURE_THRESHOLD,
                        "The specified tolerated failure threshold was exceeded",
                    ));
                }
                results[i] = e.to_output();
            }
        }
    }
    Ok(Value::Array(results))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Duration;

    #[tokio::test(start_paused = true)]
    async fn parallel_keeps_branch_order_and_propagates_the_branch_error() {
        let slow_first = vec![
            Box::pin(async {
                tokio::time::sleep(Duration::from_secs(2)).await;
                Ok(json!("a"))
            }) as std::pin::Pin<Box<dyn Future<Output = Result<Value, Error>>>>,
            Box::pin(async { Ok(json!("b")) }),
        ];
        assert_eq!(parallel(slow_first).await, Ok(json!(["a", "b"])));

        let failing = vec![
            Box::pin(async {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                Ok(json!("never"))
            }) as std::pin::Pin<Box<dyn Future<Output = Result<Value, Error>>>>,
            Box::pin(async { Err(Error::new("FailureType", "Cause description")) }),
        ];
        assert_eq!(parallel(failing).await, Err(Error::new("FailureType", "Cause description")));
    }

    #[tokio::test(start_paused = true)]
    async fn map_bounds_concurrency_and_keeps_item_order() {
        let in_flight = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let items = (0..10).map(|i| (i, json!(i)));
        let result = map(items, 3, Tolerance::default(), |i, v| {
            let (in_flight, peak) = (in_flight.clone(), peak.clone());
            async move {
                let now = in_flight.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                peak.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(Duration::from_millis(10 * (10 - i as u64))).await;
                in_flight.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                Ok(json!(v.as_i64().unwrap() * 10))
            }
        })
        .await;
        assert_eq!(result, Ok(json!([0, 10, 20, 30, 40, 50, 60, 70, 80, 90])));
        assert_eq!(peak.load(std::sync::atomic::Ordering::SeqCst), 3);
    }

    #[tokio::test(start_paused = true)]
    async fn an_inline_map_without_max_concurrency_runs_40_at_a_time_as_aws_does() {
        let in_flight = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let peak = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let items = (0..100).map(|i| (i, json!(i)));
        let result = map(items, inline_map_concurrency(0), Tolerance::default(), |_, v| {
            let (in_flight, peak) = (in_flight.clone(), peak.clone());
            async move {
                let now = in_flight.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
                peak.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
                tokio::time::sleep(Duration::from_secs(1)).await;
                in_flight.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                Ok(v)
            }
        })
        .await;
        assert_eq!(result.unwrap().as_array().map(Vec::len), Some(100));
        assert_eq!(peak.load(std::sync::atomic::Ordering::SeqCst), INLINE_MAP_CONCURRENCY);
        assert_eq!(inline_map_concurrency(7), 7);
        assert_eq!(distributed_map_concurrency(0), 10_000);
    }

    #[tokio::test]
    async fn map_tolerance() {
        let run = |tolerance| {
            map((0..4).map(|i| (i, json!(i))), 0, tolerance, |i, _| async move {
                if i % 2 == 0 { Err(Error::new("Odd", "even index")) } else { Ok(json!(i)) }
            })
        };
        assert_eq!(run(Tolerance::default()).await.unwrap_err().name, "Odd");
        assert_eq!(
            run(Tolerance { count: 2, percentage: 0.0 }).await,
            Ok(json!([{"Error": "Odd", "Cause": "even index"}, 1, {"Error": "Odd", "Cause": "even index"}, 3]))
        );
        assert_eq!(
            run(Tolerance { count: 1, percentage: 0.0 }).await.unwrap_err().name,
            "States.ExceedToleratedFailureThreshold"
        );
        assert!(run(Tolerance { count: 0, percentage: 50.0 }).await.is_ok());
    }
}
