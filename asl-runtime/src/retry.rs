//! Retry policy: which retrier handles an error, and how long to wait before the next attempt
//! (INVENTORY §5.2).
//!
//! Only the **first** retrier whose `ErrorEquals` matches is consulted; when it is exhausted the
//! error goes to Catch, even if a later retrier would match. The wait before retry `k` (1-based) is
//! `IntervalSeconds × BackoffRate^(k-1)`, capped by `MaxDelaySeconds`; with `JitterStrategy: FULL`
//! it is drawn uniformly from `[0, that]`. Counters live for one visit of the state.

use std::time::Duration;

use crate::Error;

/// `JitterStrategy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Jitter {
    #[default]
    None,
    Full,
}

/// One entry of a state's `Retry` list, as generated code declares it (a `static` table).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Retrier {
    pub error_equals: &'static [&'static str],
    pub interval_seconds: u64,
    pub max_attempts: u64,
    pub backoff_rate: f64,
    pub max_delay_seconds: Option<u64>,
    pub jitter: Jitter,
}

impl Retrier {
    /// A retrier with AWS's defaults (1 s, 3 attempts, rate 2.0, no cap, no jitter).
    pub const fn new(error_equals: &'static [&'static str]) -> Retrier {
        Retrier {
            error_equals,
            interval_seconds: 1,
            max_attempts: 3,
            backoff_rate: 2.0,
            max_delay_seconds: None,
            jitter: Jitter::None,
        }
    }

    /// The wait before retry number `attempt` (1-based), before jitter.
    pub fn base_delay(&self, attempt: u32) -> Duration {
        let secs = self.interval_seconds as f64 * self.backoff_rate.powi(attempt.saturating_sub(1) as i32);
        let capped = match self.max_delay_seconds {
            Some(cap) => secs.min(cap as f64),
            None => secs,
        };
        // Anything beyond a year is as good as forever for an execution (and keeps Duration in range).
        Duration::from_secs_f64(capped.clamp(0.0, 366.0 * 86_400.0))
    }
}

/// The retry counters of one state visit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RetryState {
    attempts: Vec<u32>,
}

impl RetryState {
    pub fn new() -> RetryState {
        RetryState::default()
    }

    /// For a failed attempt: the delay before retrying, or `None` when the error goes to Catch.
    pub fn next_delay(&mut self, retriers: &[Retrier], error: &Error) -> Option<Duration> {
        let (i, retrier) = retriers.iter().enumerate().find(|(_, r)| error.matches(r.error_equals))?;
        if self.attempts.len() < retriers.len() {
            self.attempts.resize(retriers.len(), 0);
        }
        let done = self.attempts[i];
        if u64::from(done) >= retrier.max_attempts {
            return None;
        }
        self.attempts[i] = done + 1;
        let delay = retrier.base_delay(done + 1);
        Some(match retrier.jitter {
            Jitter::None => delay,
            Jitter::Full => delay.mul_f64(fastrand::f64()),
        })
    }

    /// Retries done so far in this visit (`$$.State.RetryCount`).
    pub fn retry_count(&self) -> u32 {
        self.attempts.iter().sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ERR: &[&str] = &["ErrorA"];

    #[test]
    fn backoff_with_cap() {
        let r = Retrier {
            interval_seconds: 3,
            max_attempts: 2,
            backoff_rate: 2.0,
            max_delay_seconds: Some(4),
            ..Retrier::new(ERR)
        };
        assert_eq!(r.base_delay(1), Duration::from_secs(3));
        assert_eq!(r.base_delay(2), Duration::from_secs(4));
        let r = Retrier { interval_seconds: 2, ..Retrier::new(ERR) };
        assert_eq!([1, 2, 3].map(|k| r.base_delay(k).as_secs()), [2, 4, 8]);
    }

    #[test]
    fn first_matching_retrier_only_then_catch() {
        // The spec's example: retrier #1 handles ErrorA and ErrorB twice in total; the third ErrorB
        // goes to Catch although retrier #2 also matches it.
        let retriers = [
            Retrier { error_equals: &["ErrorA", "ErrorB"], max_attempts: 2, ..Retrier::new(&[]) },
            Retrier { error_equals: &["ErrorB"], max_attempts: 5, ..Retrier::new(&[]) },
        ];
        let mut state = RetryState::new();
        assert!(state.next_delay(&retriers, &Error::named("ErrorA")).is_some());
        assert!(state.next_delay(&retriers, &Error::named("ErrorB")).is_some());
        assert_eq!(state.next_delay(&retriers, &Error::named("ErrorB")), None);
        assert_eq!(state.retry_count(), 2);
        assert_eq!(state.next_delay(&retriers, &Error::named("ErrorC")), None);
    }

    #[test]
    fn zero_attempts_never_retries_and_runtime_errors_are_never_retried() {
        let retriers = [Retrier { max_attempts: 0, ..Retrier::new(&["States.ALL"]) }];
        assert_eq!(RetryState::new().next_delay(&retriers, &Error::named("X")), None);
        let retriers = [Retrier::new(&["States.ALL"])];
        assert_eq!(RetryState::new().next_delay(&retriers, &Error::runtime("x")), None);
    }

    #[test]
    fn full_jitter_stays_within_the_base_delay() {
        let retriers =
            [Retrier { interval_seconds: 8, max_attempts: 100, jitter: Jitter::Full, ..Retrier::new(&["E"]) }];
        let mut state = RetryState::new();
        for k in 1..=5u32 {
            let d = state.next_delay(&retriers, &Error::named("E")).unwrap();
            assert!(d <= Duration::from_secs(8 * 2u64.pow(k - 1)));
        }
    }
}
