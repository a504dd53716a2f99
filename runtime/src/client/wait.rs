//! Waiters (`smithy.waiters#waitable`): call an operation until one of its acceptors says
//! the wait is over, waiting between calls with Smithy's jittered exponential backoff
//! from `minDelay` to `maxDelay`, within the caller's longest wait. The types mirror the
//! trait's keys, field for field.

#![allow(missing_docs)]

use std::time::{Duration, Instant};

use serde_json::Value;

use super::paginate::BoxFuture;
use super::{Config, SdkError};

/// What an acceptor does when it matches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptorState {
    /// The wait is over: the final poll is the result.
    Success,
    /// The wait has failed.
    Failure,
    /// Call again.
    Retry,
}

/// How a path's value is compared with the expected value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparator {
    StringEquals,
    BooleanEquals,
    /// A non-empty list whose every element is the string.
    AllStringEquals,
    /// A list with at least one element that is the string.
    AnyStringEquals,
}

impl Comparator {
    /// The name the trait gives it.
    pub fn name(self) -> &'static str {
        match self {
            Comparator::StringEquals => "stringEquals",
            Comparator::BooleanEquals => "booleanEquals",
            Comparator::AllStringEquals => "allStringEquals",
            Comparator::AnyStringEquals => "anyStringEquals",
        }
    }
}

/// What an acceptor matches.
#[derive(Clone, Copy, Debug)]
pub enum Matcher {
    /// A JMESPath over the output's JSON form (over `{input, output}` when
    /// `input_output`), compared with `expected`.
    Path {
        input_output: bool,
        path: &'static str,
        expected: &'static str,
        comparator: Comparator,
    },
    /// The call succeeded (`true`) or failed with any error (`false`).
    Success(bool),
    /// The call failed with this error (its shape name, or shape ID).
    ErrorType(&'static str),
}

/// One acceptor of a waiter.
#[derive(Clone, Copy, Debug)]
pub struct Acceptor {
    pub state: AcceptorState,
    pub matcher: Matcher,
}

/// A waiter, as generated code describes it.
#[derive(Debug)]
pub struct WaiterSpec {
    pub name: &'static str,
    pub acceptors: &'static [Acceptor],
    pub min_delay: Duration,
    pub max_delay: Duration,
}

/// The result of the last call, when the wait ended on it.
#[derive(Debug)]
pub struct FinalPoll<O, E> {
    result: Result<O, E>,
}

impl<O, E> FinalPoll<O, E> {
    /// The last call's output or error.
    pub fn into_result(self) -> Result<O, E> {
        self.result
    }

    /// The last call's output or error, by reference.
    pub fn as_result(&self) -> Result<&O, &E> {
        self.result.as_ref()
    }
}

/// Why a wait did not succeed.
#[derive(Debug)]
pub enum WaiterError<O, E> {
    /// The longest wait went by first.
    ExceededMaxWait {
        max_wait: Duration,
        elapsed: Duration,
        polls: u32,
    },
    /// An acceptor in the failure state matched: its index in the waiter, what it
    /// matches, and the call it matched.
    FailureState {
        acceptor: usize,
        matcher: String,
        final_poll: FinalPoll<O, SdkError<E>>,
    },
    /// A call failed and no acceptor matched its error.
    OperationFailed(SdkError<E>),
}

impl<O, E> std::fmt::Display for WaiterError<O, E>
where
    SdkError<E>: std::fmt::Display,
{
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WaiterError::ExceededMaxWait {
                max_wait,
                elapsed,
                polls,
            } => write!(
                f,
                "the wait ran out of time: {polls} calls in {elapsed:?}, longest wait {max_wait:?}"
            ),
            WaiterError::FailureState {
                acceptor, matcher, ..
            } => write!(
                f,
                "the waiter's failure acceptor {acceptor} matched ({matcher})"
            ),
            WaiterError::OperationFailed(e) => write!(f, "a call failed: {e}"),
        }
    }
}

impl<O: std::fmt::Debug, E: std::fmt::Debug> std::error::Error for WaiterError<O, E> where
    SdkError<E>: std::fmt::Display
{
}

/// Calls `call` until an acceptor of `waiter` ends the wait or `max_wait` goes by.
/// `input` is the call's input as JSON (for `inputOutput` matchers).
pub async fn wait<O: crate::wire::HasSchema, E>(
    waiter: &'static WaiterSpec,
    config: &Config,
    input: Value,
    max_wait: Duration,
    call: &mut (dyn FnMut() -> BoxFuture<Result<O, SdkError<E>>> + Send),
) -> Result<FinalPoll<O, SdkError<E>>, WaiterError<O, E>> {
    let started = Instant::now();
    // Time gone by: at least what was slept (a sleep that returns early, as in tests,
    // still counts its time).
    let mut slept = Duration::ZERO;
    let mut polls = 0;
    loop {
        polls += 1;
        let result = call().await;
        let matched = waiter
            .acceptors
            .iter()
            .enumerate()
            .find(|(_, acceptor)| matches(&acceptor.matcher, &input, &result));
        match matched {
            Some((_, acceptor)) if acceptor.state == AcceptorState::Success => {
                return Ok(FinalPoll { result });
            }
            Some((i, acceptor)) if acceptor.state == AcceptorState::Failure => {
                return Err(WaiterError::FailureState {
                    acceptor: i,
                    matcher: describe(&acceptor.matcher),
                    final_poll: FinalPoll { result },
                });
            }
            Some(_) => {}
            None => {
                if let Err(error) = result {
                    return Err(WaiterError::OperationFailed(error));
                }
            }
        }
        let elapsed = started.elapsed().max(slept);
        let remaining = max_wait.saturating_sub(elapsed);
        let Some(delay) = delay(waiter, polls, remaining, super::random_fraction()) else {
            return Err(WaiterError::ExceededMaxWait {
                max_wait,
                elapsed,
                polls,
            });
        };
        match &config.sleep {
            Some(sleep) => sleep.sleep(delay).await,
            None => tokio::time::sleep(delay).await,
        }
        slept += delay;
    }
}

/// The wait before call `attempt + 1` (Smithy's waiter backoff): `minDelay * 2^(attempt -
/// 1)` up to `maxDelay`, a random time between `minDelay` and that, cut so that one
/// `minDelay` of the remaining time is left; `None` when less than that remains.
pub fn delay(
    waiter: &WaiterSpec,
    attempt: u32,
    remaining: Duration,
    fraction: f64,
) -> Option<Duration> {
    let (min, max) = (waiter.min_delay, waiter.max_delay);
    if remaining <= min {
        return None;
    }
    let ceiling_attempt =
        ((max.as_secs_f64() / min.as_secs_f64().max(f64::MIN_POSITIVE)).ln() / 2f64.ln()) + 1.0;
    let ceiling = if f64::from(attempt) > ceiling_attempt {
        max
    } else {
        min.saturating_mul(1u32 << attempt.saturating_sub(1).min(30))
            .min(max)
    };
    let delay = min + (ceiling.saturating_sub(min)).mul_f64(fraction.clamp(0.0, 1.0));
    Some(if remaining.saturating_sub(delay) <= min {
        remaining - min
    } else {
        delay
    })
}

fn matches<O: crate::wire::HasSchema, E>(
    matcher: &Matcher,
    input: &Value,
    result: &Result<O, SdkError<E>>,
) -> bool {
    match (matcher, result) {
        (Matcher::Success(wanted), result) => result.is_ok() == *wanted,
        (Matcher::ErrorType(name), Err(error)) => error.code().is_some_and(|code| {
            code == *name
                || name
                    .rsplit_once('#')
                    .is_some_and(|(_, shape)| shape == code)
        }),
        (
            Matcher::Path {
                input_output,
                path,
                expected,
                comparator,
            },
            Ok(output),
        ) => {
            let output = crate::wire::to_value(output).unwrap_or(Value::Null);
            let data = match input_output {
                true => serde_json::json!({ "input": input, "output": output }),
                false => output,
            };
            let value = super::path::evaluate(path, &data).unwrap_or(Value::Null);
            compare(*comparator, &value, expected)
        }
        _ => false,
    }
}

fn compare(comparator: Comparator, value: &Value, expected: &str) -> bool {
    match comparator {
        Comparator::StringEquals => value.as_str() == Some(expected),
        Comparator::BooleanEquals => {
            value.as_bool().map(|b| b.to_string()).as_deref() == Some(expected)
        }
        Comparator::AllStringEquals => value.as_array().is_some_and(|items| {
            !items.is_empty() && items.iter().all(|v| v.as_str() == Some(expected))
        }),
        Comparator::AnyStringEquals => value
            .as_array()
            .is_some_and(|items| items.iter().any(|v| v.as_str() == Some(expected))),
    }
}

fn describe(matcher: &Matcher) -> String {
    match matcher {
        Matcher::Path {
            input_output,
            path,
            expected,
            comparator,
        } => format!(
            "{} `{path}` {} `{expected}`",
            if *input_output {
                "inputOutput"
            } else {
                "output"
            },
            comparator.name()
        ),
        Matcher::Success(true) => "the call succeeded".to_owned(),
        Matcher::Success(false) => "the call failed".to_owned(),
        Matcher::ErrorType(name) => format!("the error `{name}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static WAITER: WaiterSpec = WaiterSpec {
        name: "Test",
        acceptors: &[],
        min_delay: Duration::from_secs(2),
        max_delay: Duration::from_secs(120),
    };

    #[test]
    fn delays_double_from_min_to_max_with_jitter() {
        let long = Duration::from_secs(10_000);
        // The top of the range (fraction 1): 2, 4, 8... up to 120.
        let tops: Vec<u64> = (1..=9)
            .map(|attempt| delay(&WAITER, attempt, long, 1.0).unwrap().as_secs())
            .collect();
        assert_eq!(tops, [2, 4, 8, 16, 32, 64, 120, 120, 120]);
        // The bottom is always minDelay.
        assert_eq!(
            delay(&WAITER, 5, long, 0.0).unwrap(),
            Duration::from_secs(2)
        );
        assert_eq!(
            delay(&WAITER, 3, long, 0.5).unwrap(),
            Duration::from_secs(5)
        );
    }

    #[test]
    fn the_last_wait_leaves_min_delay_and_then_time_is_up() {
        // 10 s left, a wait of up to 16 s: cut to 8 s, leaving minDelay.
        assert_eq!(
            delay(&WAITER, 4, Duration::from_secs(10), 1.0).unwrap(),
            Duration::from_secs(8)
        );
        assert_eq!(delay(&WAITER, 1, Duration::from_secs(2), 1.0), None);
    }

    #[test]
    fn comparators() {
        let list = serde_json::json!(["A", "A"]);
        assert!(compare(Comparator::AllStringEquals, &list, "A"));
        assert!(!compare(
            Comparator::AllStringEquals,
            &serde_json::json!([]),
            "A"
        ));
        assert!(compare(
            Comparator::AnyStringEquals,
            &serde_json::json!(["B", "A"]),
            "A"
        ));
        assert!(compare(
            Comparator::BooleanEquals,
            &serde_json::json!(false),
            "false"
        ));
        assert!(compare(
            Comparator::StringEquals,
            &serde_json::json!("x"),
            "x"
        ));
        assert!(!compare(
            Comparator::StringEquals,
            &serde_json::json!(1),
            "1"
        ));
    }
}
