//! Fault injection: identifiers with a reserved prefix make an operation fail on purpose.
//!
//! | prefix | Athena `GetSession` (`SessionId`) | EMR Serverless `StartSession` (`applicationId`) |
//! | --- | --- | --- |
//! | `fault-internal` / `faultinternal` | `InternalServerException` (500) | `InternalServerException` (500) |
//! | `fault-invalid` / `faultinvalid` | `InvalidRequestException` (400) | `ValidationException` (400) |
//! | `fault-panic` / `faultpanic` | the handler panics: 500 `InternalFailure` | the same |
//!
//! EMR Serverless application ids match `^[0-9a-z]+$`, so they cannot hold a dash: there
//! the dash-less spelling is the one to use (both spellings work everywhere).

/// A fault an identifier asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The operation's modeled `InternalServerException`.
    Internal,
    /// Athena `InvalidRequestException`, EMR Serverless `ValidationException`.
    Invalid,
    /// The handler panics; the server answers 500 `InternalFailure`.
    Panic,
}

impl Fault {
    /// The fault `id` asks for, if any.
    pub fn of(id: &str) -> Option<Fault> {
        const PREFIXES: [(&str, &str, Fault); 3] = [
            ("fault-internal", "faultinternal", Fault::Internal),
            ("fault-invalid", "faultinvalid", Fault::Invalid),
            ("fault-panic", "faultpanic", Fault::Panic),
        ];
        PREFIXES
            .iter()
            .find(|(dashed, plain, _)| id.starts_with(dashed) || id.starts_with(plain))
            .map(|(_, _, fault)| *fault)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes() {
        assert_eq!(Fault::of("fault-internal-1"), Some(Fault::Internal));
        assert_eq!(Fault::of("faultinternal0001"), Some(Fault::Internal));
        assert_eq!(Fault::of("fault-invalid"), Some(Fault::Invalid));
        assert_eq!(Fault::of("faultpanic"), Some(Fault::Panic));
        assert_eq!(Fault::of("fault"), None);
        assert_eq!(Fault::of("00fabcdefghij012"), None);
    }
}
