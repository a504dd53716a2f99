//! Arbitrary-precision numbers (`bigInteger`, `bigDecimal`), kept as text.
//!
//! They serialize as raw JSON numbers through [`RawValue`] so no digits are
//! lost, which means they only (de)serialize with `serde_json` (from text, a
//! reader or a [`serde_json::Value`]) and not inside buffered serde content
//! such as `#[serde(flatten)]` or untagged enums.

use std::fmt;
use std::str::FromStr;

use serde::de::Error as _;
use serde::ser::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::value::RawValue;

/// An integer of any size, held as its decimal text (`-?[0-9]+`).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct BigInteger(String);

/// Zero.
impl Default for BigInteger {
    fn default() -> Self {
        BigInteger("0".to_string())
    }
}

/// A decimal number of any size and precision, held as JSON number text
/// (`-1.5e300`).
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct BigDecimal(String);

/// Zero.
impl Default for BigDecimal {
    fn default() -> Self {
        BigDecimal("0".to_string())
    }
}

/// Text that is not a valid [`BigInteger`] or [`BigDecimal`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BigNumberParseError {
    expected: &'static str,
}

impl fmt::Display for BigNumberParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid number: expected {}", self.expected)
    }
}

impl std::error::Error for BigNumberParseError {}

impl BigInteger {
    /// The decimal text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl BigDecimal {
    /// The number text, in JSON number syntax.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl FromStr for BigInteger {
    type Err = BigNumberParseError;

    /// Accepts an optional `-` and decimal digits. Leading zeros are dropped,
    /// since JSON does not allow them.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (sign, digits) = match text.strip_prefix('-') {
            Some(digits) => ("-", digits),
            None => ("", text),
        };
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(BigNumberParseError {
                expected: "an integer (optional '-' followed by digits)",
            });
        }
        let significant = digits.trim_start_matches('0');
        Ok(BigInteger(match significant {
            "" => format!("{sign}0"),
            _ if significant.len() == digits.len() => text.to_owned(),
            _ => format!("{sign}{significant}"),
        }))
    }
}

impl FromStr for BigDecimal {
    type Err = BigNumberParseError;

    /// Accepts JSON number syntax: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        if is_json_number(text) {
            Ok(BigDecimal(text.to_owned()))
        } else {
            Err(BigNumberParseError {
                expected: "a decimal number in JSON number syntax",
            })
        }
    }
}

pub(crate) fn is_json_number(text: &str) -> bool {
    fn digits(bytes: &[u8]) -> usize {
        bytes.iter().take_while(|b| b.is_ascii_digit()).count()
    }

    let mut rest = text.strip_prefix('-').unwrap_or(text).as_bytes();
    let whole = digits(rest);
    if whole == 0 || (whole > 1 && rest[0] == b'0') {
        return false;
    }
    rest = &rest[whole..];
    if let Some(after_dot) = rest.strip_prefix(b".") {
        let fraction = digits(after_dot);
        if fraction == 0 {
            return false;
        }
        rest = &after_dot[fraction..];
    }
    if let [b'e' | b'E', after_e @ ..] = rest {
        let after_sign = match after_e {
            [b'+' | b'-', tail @ ..] => tail,
            _ => after_e,
        };
        let exponent = digits(after_sign);
        if exponent == 0 {
            return false;
        }
        rest = &after_sign[exponent..];
    }
    rest.is_empty()
}

impl fmt::Display for BigInteger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for BigDecimal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn serialize_raw<S: Serializer>(number: &str, serializer: S) -> Result<S::Ok, S::Error> {
    RawValue::from_string(number.to_owned())
        .map_err(S::Error::custom)?
        .serialize(serializer)
}

/// Reads a JSON number, or a JSON string holding one, as text.
fn deserialize_raw<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr<Err = BigNumberParseError>,
{
    let raw = Box::<RawValue>::deserialize(deserializer)?;
    let text = raw.get();
    let parsed = if text.starts_with('"') {
        let unquoted: String = serde_json::from_str(text).map_err(D::Error::custom)?;
        unquoted.parse()
    } else {
        text.parse()
    };
    parsed.map_err(D::Error::custom)
}

impl Serialize for BigInteger {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_raw(&self.0, serializer)
    }
}

impl Serialize for BigDecimal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serialize_raw(&self.0, serializer)
    }
}

impl<'de> Deserialize<'de> for BigInteger {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_raw(deserializer)
    }
}

impl<'de> Deserialize<'de> for BigDecimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_raw(deserializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HUGE: &str = "123456789012345678901234567890";

    #[test]
    fn big_integer_parsing() {
        for text in ["0", "-0", "7", "-42", HUGE] {
            assert_eq!(text.parse::<BigInteger>().unwrap().as_str(), text);
        }
        assert_eq!("007".parse::<BigInteger>().unwrap().as_str(), "7");
        assert_eq!("-000".parse::<BigInteger>().unwrap().as_str(), "-0");
        for text in ["", "-", "+1", "1.0", "1e3", " 1", "1 ", "--1", "0x1", "١"] {
            assert!(text.parse::<BigInteger>().is_err(), "{text:?}");
        }
        assert_eq!(
            "x".parse::<BigInteger>().unwrap_err().to_string(),
            "invalid number: expected an integer (optional '-' followed by digits)"
        );
    }

    #[test]
    fn big_decimal_parsing() {
        let valid = ["0", "-0", "1.5", "-0.001", "1e10", "1E+10", "2.5e-3", HUGE];
        for text in valid {
            assert_eq!(text.parse::<BigDecimal>().unwrap().to_string(), text);
        }
        let invalid = [
            "", "-", "+1", "01", ".5", "1.", "1.e5", "1e", "1e+", "--1", "1.5.5", "NaN",
            "Infinity", " 1", "1 ",
        ];
        for text in invalid {
            assert!(text.parse::<BigDecimal>().is_err(), "{text:?}");
        }
    }

    #[test]
    fn huge_values_round_trip_through_json_without_loss() {
        let int: BigInteger = HUGE.parse().unwrap();
        let json = serde_json::to_string(&int).unwrap();
        assert_eq!(json, HUGE);
        assert_eq!(serde_json::from_str::<BigInteger>(&json).unwrap(), int);

        let text = format!("-{HUGE}.{HUGE}e-7");
        let dec: BigDecimal = text.parse().unwrap();
        let json = serde_json::to_string(&vec![dec.clone()]).unwrap();
        assert_eq!(json, format!("[{text}]"));
        assert_eq!(
            serde_json::from_str::<Vec<BigDecimal>>(&json).unwrap(),
            [dec]
        );

        // Also through a reader, which cannot borrow from the input.
        let from_reader: BigInteger = serde_json::from_reader(HUGE.as_bytes()).unwrap();
        assert_eq!(from_reader, int);
    }

    #[test]
    fn deserializes_from_strings_and_values() {
        let int: BigInteger = serde_json::from_str(&format!(r#" "{HUGE}" "#)).unwrap();
        assert_eq!(int.as_str(), HUGE);
        let dec: BigDecimal = serde_json::from_str(r#""1.5e3""#).unwrap();
        assert_eq!(dec.as_str(), "1.5e3");
        let int: BigInteger = serde_json::from_value(json!(-42)).unwrap();
        assert_eq!(int.as_str(), "-42");
        let dec: BigDecimal = serde_json::from_value(json!(0.5)).unwrap();
        assert_eq!(dec.as_str(), "0.5");

        assert!(serde_json::from_str::<BigInteger>("1.5").is_err());
        assert!(serde_json::from_str::<BigInteger>(r#""abc""#).is_err());
        assert!(serde_json::from_str::<BigDecimal>("true").is_err());
        assert!(serde_json::from_str::<BigDecimal>("null").is_err());
        assert!(serde_json::from_str::<BigDecimal>(r#""1.""#).is_err());
    }
}
