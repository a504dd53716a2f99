//! Smithy `@pattern` constraints at run time.
//!
//! A model's pattern is an ECMA-262 regular expression that is *searched for* in the value
//! (not implicitly anchored). The code generator translates it into the syntax of the
//! `regex` crate when it generates the crate, and rejects any pattern that would not
//! compile; generated code holds both texts, the model's for messages and the translation
//! to run. The `regex` crate matches in time linear in the input, so a pattern such as
//! `^([0-9]+)+$` cannot be used for a ReDoS. Patterns with lookaround or backreferences,
//! which no linear-time engine runs, go to `fancy_regex`, a backtracking engine bounded by
//! a backtrack limit: hitting the limit is an error, not a hang.

use std::fmt;
use std::sync::OnceLock;

/// How many backtracking steps `fancy_regex` may take for one value before
/// we give up and report an error.
const BACKTRACK_LIMIT: usize = 100_000;

/// A compiled `@pattern`: compiles once, on first use, then is shared.
///
/// ```
/// use smithy_runtime::pattern::Pattern;
///
/// // The model's text, then its translation (ECMA `\d` is ASCII only).
/// static ARN: Pattern = Pattern::new(r"^arn:aws:[a-z0-9-]+:\d{12}$", r"^arn:aws:[a-z0-9-]+:[0-9]{12}$");
/// assert_eq!(ARN.is_match("arn:aws:kms:123456789012"), Ok(true));
/// assert_eq!(ARN.is_match("arn:aws:kms:1234"), Ok(false));
/// ```
pub struct Pattern {
    source: &'static str,
    regex: &'static str,
    backtracking: bool,
    compiled: OnceLock<Result<Compiled, PatternError>>,
}

/// The engine a pattern runs on.
enum Compiled {
    /// The `regex` crate: linear time, used whenever possible.
    Linear(regex::Regex),
    /// `fancy_regex` with a backtrack limit: only for lookaround and
    /// backreferences.
    Backtracking(fancy_regex::Regex),
}

impl Pattern {
    /// A pattern the model wrote as `source`, run as `regex` (its translation into the
    /// `regex` crate's syntax). Nothing is compiled until the first [`Pattern::is_match`].
    pub const fn new(source: &'static str, regex: &'static str) -> Pattern {
        Pattern {
            source,
            regex,
            backtracking: false,
            compiled: OnceLock::new(),
        }
    }

    /// A pattern with lookaround or backreferences: `regex` is in `fancy_regex` syntax and
    /// runs on that backtracking engine, bounded.
    pub const fn backtracking(source: &'static str, regex: &'static str) -> Pattern {
        Pattern {
            source,
            regex,
            backtracking: true,
            compiled: OnceLock::new(),
        }
    }

    /// The translation the pattern runs as (the `regex` crate's syntax, or `fancy_regex`'s
    /// when [`Pattern::is_backtracking`]).
    pub fn regex(&self) -> &'static str {
        self.regex
    }

    /// Whether the pattern needs the backtracking engine (lookaround, backreferences).
    pub fn is_backtracking(&self) -> bool {
        self.backtracking
    }

    /// The ECMA-262 text of the pattern, as the model wrote it, for messages.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// Whether `value` contains a match. A pattern that cannot compile, or a
    /// backtracking match that hits its limit, reports `Err` (never panics).
    pub fn is_match(&self, value: &str) -> Result<bool, PatternError> {
        match self.compiled.get_or_init(|| self.compile()) {
            Ok(Compiled::Linear(regex)) => Ok(regex.is_match(value)),
            Ok(Compiled::Backtracking(regex)) => regex.is_match(value).map_err(|error| {
                PatternError(format!(
                    "pattern {:?} could not be evaluated: {error}",
                    self.source
                ))
            }),
            Err(error) => Err(error.clone()),
        }
    }

    fn compile(&self) -> Result<Compiled, PatternError> {
        let cannot_compile = |error: &dyn fmt::Display| {
            PatternError(format!(
                "pattern {:?} cannot be compiled: {error}",
                self.source
            ))
        };
        if self.backtracking {
            fancy_regex::RegexBuilder::new(self.regex)
                .backtrack_limit(BACKTRACK_LIMIT)
                .build()
                .map(Compiled::Backtracking)
                .map_err(|error| cannot_compile(&error))
        } else {
            regex::Regex::new(self.regex)
                .map(Compiled::Linear)
                .map_err(|error| cannot_compile(&error))
        }
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.source).finish()
    }
}

/// Why a pattern could not be compiled or evaluated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatternError(String);

impl fmt::Display for PatternError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PatternError {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn static_pattern_compiles_once_and_searches() {
        static PARTIAL: Pattern = Pattern::new("[0-9a-z]+", "[0-9a-z]+");
        static WHOLE: Pattern = Pattern::new("^[0-9a-z]+$", "^[0-9a-z]+$");
        assert_eq!(PARTIAL.source(), "[0-9a-z]+");
        assert_eq!(PARTIAL.is_match("ab-CD"), Ok(true));
        assert_eq!(PARTIAL.is_match("AB-CD"), Ok(false));
        assert_eq!(WHOLE.is_match("ab-CD"), Ok(false));
        assert_eq!(WHOLE.is_match("ab09"), Ok(true));
        assert_eq!(format!("{WHOLE:?}"), r#"Pattern("^[0-9a-z]+$")"#);
    }

    #[test]
    fn bad_pattern_is_an_error_on_every_call() {
        static BAD: Pattern = Pattern::new("(a", "(a");
        let first = BAD.is_match("a").unwrap_err();
        assert_eq!(BAD.is_match("a"), Err(first.clone()));
        assert!(first.to_string().contains("cannot be compiled"), "{first}");
        assert!(first.to_string().contains("\"(a\""), "{first}");
    }

    #[test]
    fn nested_quantifiers_run_in_linear_time() {
        static NESTED: Pattern = Pattern::new("^([0-9]+)+$", "^([0-9]+)+$");
        let hostile = "0".repeat(50_000) + "a";
        // Backtracking would take far longer than the watchdog; speed is for benchmarks.
        let started = Instant::now();
        assert_eq!(NESTED.is_match(&hostile), Ok(false));
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{:?}",
            started.elapsed()
        );
    }

    #[test]
    fn backtracking_is_bounded() {
        static LOOKAHEAD: Pattern =
            Pattern::backtracking("^(?=[0-9])([0-9]+)+$", "^(?=[0-9])([0-9]+)+$");
        static BACKREF: Pattern =
            Pattern::backtracking(r"^(([0-9]+)+)\1$", r"^(([0-9]+)+)(?:(?(1)\1))$");
        static ALTERNATION: Pattern = Pattern::backtracking("^(?!x)(0|00)+$", "^(?!x)(0|00)+$");
        let hostile = "0".repeat(50_000) + "a";
        for pattern in [&LOOKAHEAD, &BACKREF, &ALTERNATION] {
            let started = Instant::now();
            let result = pattern.is_match(&hostile);
            let elapsed = started.elapsed();
            // A watchdog, not a speed check: unbounded backtracking would never finish.
            assert!(
                elapsed < Duration::from_secs(60),
                "{pattern:?}: {elapsed:?}"
            );
            // Either the engine found the answer or it gave up, politely.
            if let Err(error) = result {
                assert!(
                    error.to_string().contains("could not be evaluated"),
                    "{error}"
                );
            } else {
                assert_eq!(result, Ok(false), "{pattern:?}");
            }
        }
        // The limit is not hit on ordinary values.
        assert_eq!(LOOKAHEAD.is_match("0123456789"), Ok(true));
        assert_eq!(BACKREF.is_match("1212"), Ok(true));
    }
}
