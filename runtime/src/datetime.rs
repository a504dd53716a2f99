//! Timestamps and their three Smithy text formats.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SEC: u32 = 1_000_000_000;
const SECS_PER_DAY: i64 = 86_400;

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// A point in time, with nanosecond precision, independent of time zones.
///
/// Stored as whole seconds since the Unix epoch plus a non-negative fraction,
/// so `-1.5` seconds is `-2` seconds and `500_000_000` nanoseconds. That keeps
/// the derived ordering correct for times before 1970.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    secs: i64,
    nanos: u32,
}

pub use smithy_vocab::TimestampFormat;

/// Text that is not a valid timestamp in the expected format.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeParseError {
    format: TimestampFormat,
    reason: &'static str,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid {} timestamp: {}", self.format, self.reason)
    }
}

impl std::error::Error for DateTimeParseError {}

/// A [`DateTime`] that [`SystemTime`] cannot represent on this platform.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DateTimeRangeError(DateTime);

impl fmt::Display for DateTimeRangeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} is out of range for SystemTime", self.0)
    }
}

impl std::error::Error for DateTimeRangeError {}

/// The epoch: what a client fills in for a required timestamp the service left out
/// (Smithy's client error correction).
impl Default for DateTime {
    fn default() -> Self {
        DateTime::from_secs(0)
    }
}

impl DateTime {
    /// Whole seconds since the Unix epoch (negative before 1970).
    pub const fn from_secs(secs: i64) -> Self {
        DateTime { secs, nanos: 0 }
    }

    /// Seconds since the epoch plus nanoseconds. Nanoseconds of a second or
    /// more carry into `secs` (saturating at the ends of the `i64` range).
    pub const fn from_secs_and_nanos(secs: i64, nanos: u32) -> Self {
        DateTime {
            secs: secs.saturating_add((nanos / NANOS_PER_SEC) as i64),
            nanos: nanos % NANOS_PER_SEC,
        }
    }

    /// Milliseconds since the Unix epoch.
    pub const fn from_millis(millis: i64) -> Self {
        DateTime {
            secs: millis.div_euclid(1000),
            nanos: millis.rem_euclid(1000) as u32 * 1_000_000,
        }
    }

    /// Fractional seconds since the Unix epoch.
    ///
    /// The fraction is taken from the shortest decimal that round-trips
    /// through `f64` (so `1515531081.123` gives exactly 123 ms rather than the
    /// binary approximation), truncated to nanoseconds. NaN gives the epoch;
    /// infinite or out-of-range values saturate.
    pub fn from_fractional_secs(secs: f64) -> Self {
        Self::try_from_fractional_secs(secs).unwrap_or(if secs.is_nan() {
            DateTime::from_secs(0)
        } else if secs > 0.0 {
            DateTime::from_secs_and_nanos(i64::MAX, NANOS_PER_SEC - 1)
        } else {
            DateTime::from_secs(i64::MIN)
        })
    }

    /// Like [`DateTime::from_fractional_secs`], but `None` for values that
    /// do not fit.
    pub(crate) fn try_from_fractional_secs(secs: f64) -> Option<Self> {
        if !secs.is_finite() {
            return None;
        }
        // Timestamps mostly carry whole milliseconds at most. Below 2^33 s (the year
        // 2242) an f64's spacing is under 2 us, so when a whole number of milliseconds
        // converts back to exactly `secs`, that number is the shortest decimal form
        // below, found without formatting.
        if secs.abs() < (1u64 << 33) as f64 {
            let millis = (secs * 1000.0).round();
            if millis / 1000.0 == secs {
                return Some(Self::from_millis(millis as i64));
            }
        }
        // `Display` for `f64` never uses exponent notation, so its output is
        // always valid epoch-seconds text.
        parse_epoch_seconds(&secs.to_string()).ok()
    }

    /// Whole seconds since the epoch, rounded towards negative infinity.
    pub const fn secs(&self) -> i64 {
        self.secs
    }

    /// Nanoseconds past [`DateTime::secs`], always in `0..1_000_000_000`.
    pub const fn subsec_nanos(&self) -> u32 {
        self.nanos
    }

    /// Seconds since the epoch as a float (lossy for large values).
    pub fn as_secs_f64(&self) -> f64 {
        self.secs as f64 + f64::from(self.nanos) / f64::from(NANOS_PER_SEC)
    }

    /// Milliseconds since the epoch, rounded towards negative infinity and
    /// saturating at the ends of the `i64` range.
    pub fn to_millis(&self) -> i64 {
        // i128 so that the addition can bring an overflowing product back
        // into range (`from_millis(i64::MIN)` has `secs * 1000 < i64::MIN`).
        let millis = i128::from(self.secs) * 1000 + i128::from(self.nanos / 1_000_000);
        i64::try_from(millis).unwrap_or(if millis < 0 { i64::MIN } else { i64::MAX })
    }

    /// Formats the timestamp as text in `format`.
    ///
    /// Years outside `0000..=9999` are written with a sign and at least four
    /// digits (`+10000`, `-0001`), which [`DateTime::parse`] does not accept.
    pub fn fmt(&self, format: TimestampFormat) -> String {
        let mut out = String::with_capacity(32);
        let written = match format {
            TimestampFormat::EpochSeconds => self.write_epoch_seconds(&mut out),
            TimestampFormat::DateTime => self.write_date_time(&mut out),
            TimestampFormat::HttpDate => self.write_http_date(&mut out),
        };
        written.expect("writing to a String cannot fail");
        out
    }

    /// Parses `text` written in `format`.
    pub fn parse(format: TimestampFormat, text: &str) -> Result<Self, DateTimeParseError> {
        match format {
            TimestampFormat::EpochSeconds => parse_epoch_seconds(text),
            TimestampFormat::DateTime => parse_date_time(text),
            TimestampFormat::HttpDate => parse_http_date(text),
        }
        .map_err(|reason| DateTimeParseError { format, reason })
    }

    fn write_epoch_seconds(&self, out: &mut impl fmt::Write) -> fmt::Result {
        if self.nanos == 0 {
            return write!(out, "{}", self.secs);
        }
        // Print sign and magnitude: `secs` is floored, so for negative times
        // the magnitude is one second less plus the complementary fraction.
        let (sign, whole, frac) = if self.secs < 0 {
            (
                "-",
                (self.secs + 1).unsigned_abs(),
                NANOS_PER_SEC - self.nanos,
            )
        } else {
            ("", self.secs.unsigned_abs(), self.nanos)
        };
        write!(out, "{sign}{whole}.")?;
        write_fraction(out, frac, 9)
    }

    fn write_date_time(&self, out: &mut impl fmt::Write) -> fmt::Result {
        let c = Civil::from_secs(self.secs);
        write_year(out, c.year)?;
        for (separator, value) in [
            ('-', c.month),
            ('-', c.day),
            ('T', c.hour),
            (':', c.minute),
            (':', c.second),
        ] {
            out.write_char(separator)?;
            write_two_digits(out, value)?;
        }
        if self.nanos != 0 {
            out.write_char('.')?;
            write_fraction(out, self.nanos, 9)?;
        }
        out.write_char('Z')
    }

    fn write_http_date(&self, out: &mut impl fmt::Write) -> fmt::Result {
        let c = Civil::from_secs(self.secs);
        out.write_str(WEEKDAYS[c.weekday])?;
        out.write_str(", ")?;
        write_two_digits(out, c.day)?;
        out.write_char(' ')?;
        out.write_str(MONTHS[c.month as usize - 1])?;
        out.write_char(' ')?;
        write_year(out, c.year)?;
        for (separator, value) in [(' ', c.hour), (':', c.minute), (':', c.second)] {
            out.write_char(separator)?;
            write_two_digits(out, value)?;
        }
        // HTTP dates conventionally carry at most milliseconds.
        let millis = self.nanos / 1_000_000;
        if millis != 0 {
            out.write_char('.')?;
            write_fraction(out, millis, 3)?;
        }
        out.write_str(" GMT")
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_date_time(f)
    }
}

/// For the serde feature of generated crates: RFC 3339 text (`2019-12-16T23:48:18.52Z`).
/// The protocols' wire forms come from each member's schema, not from this.
impl serde::Serialize for DateTime {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.fmt(TimestampFormat::DateTime))
    }
}

impl<'de> serde::Deserialize<'de> for DateTime {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        DateTime::parse(TimestampFormat::DateTime, &text).map_err(serde::de::Error::custom)
    }
}

impl fmt::Debug for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_date_time(f)
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> Self {
        // Saturate rather than panic: no real clock is 292 billion years off.
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => DateTime {
                secs: i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                nanos: after.subsec_nanos(),
            },
            Err(err) => {
                let before = err.duration();
                let secs = i64::try_from(before.as_secs()).map_or(i64::MIN, |s| -s);
                match before.subsec_nanos() {
                    0 => DateTime::from_secs(secs),
                    n => DateTime {
                        secs: secs.saturating_sub(1),
                        nanos: NANOS_PER_SEC - n,
                    },
                }
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = DateTimeRangeError;

    fn try_from(time: DateTime) -> Result<Self, Self::Error> {
        let whole = Duration::from_secs(time.secs.unsigned_abs());
        let whole = if time.secs >= 0 {
            UNIX_EPOCH.checked_add(whole)
        } else {
            UNIX_EPOCH.checked_sub(whole)
        };
        whole
            .and_then(|t| t.checked_add(Duration::from_nanos(time.nanos.into())))
            .ok_or(DateTimeRangeError(time))
    }
}

/// Writes `value` as a `width`-digit fraction without trailing zeros.
fn write_fraction(out: &mut impl fmt::Write, mut value: u32, mut width: usize) -> fmt::Result {
    while width > 1 && value % 10 == 0 {
        value /= 10;
        width -= 1;
    }
    // Digits written directly: the formatting machinery costs more than the date.
    let mut digits = [b'0'; 9];
    for slot in digits[..width].iter_mut().rev() {
        *slot = b'0' + (value % 10) as u8;
        value /= 10;
    }
    out.write_str(std::str::from_utf8(&digits[..width]).unwrap_or_default())
}

/// Writes `value` (below 100) as two digits.
fn write_two_digits(out: &mut impl fmt::Write, value: u32) -> fmt::Result {
    out.write_char(char::from(b'0' + (value / 10 % 10) as u8))?;
    out.write_char(char::from(b'0' + (value % 10) as u8))
}

fn write_year(out: &mut impl fmt::Write, year: i64) -> fmt::Result {
    if (0..=9999).contains(&year) {
        let year = year as u32;
        write_two_digits(out, year / 100)?;
        write_two_digits(out, year % 100)
    } else {
        // ISO 8601 expanded year; `+05` pads to four digits after the sign.
        write!(out, "{year:+05}")
    }
}

/// A UTC calendar date and time of day.
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    /// 0 is Sunday.
    weekday: usize,
}

impl Civil {
    fn from_secs(secs: i64) -> Self {
        let days = secs.div_euclid(SECS_PER_DAY);
        let time = secs.rem_euclid(SECS_PER_DAY) as u32;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: time / 3600,
            minute: time / 60 % 60,
            second: time % 60,
            // 1970-01-01 was a Thursday.
            weekday: (days + 4).rem_euclid(7) as usize,
        }
    }
}

// The two conversions below count in "shifted years" that start on 1 March,
// so the leap day is the last day of the year and month lengths follow a
// regular 31/30 pattern from March. The Gregorian calendar repeats every 400
// years (an "era" of 146_097 days), which reduces everything to arithmetic on
// a year-of-era in 0..400. 0000-03-01 is 719_468 days before 1970-01-01.

const DAYS_PER_ERA: i64 = 146_097;
const EPOCH_SHIFT: i64 = 719_468;

/// Days since 1970-01-01 of a proleptic Gregorian date. Month is 1..=12.
pub(crate) fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year.rem_euclid(400);
    // Month index counted from March: Mar = 0 .. Feb = 11.
    let shifted_month = i64::from((month + 9) % 12);
    let day_of_year = (153 * shifted_month + 2) / 5 + i64::from(day) - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * DAYS_PER_ERA + day_of_era - EPOCH_SHIFT
}

/// The inverse of [`days_from_civil`]: (year, month 1..=12, day 1..=31).
pub(crate) fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let days = days + EPOCH_SHIFT;
    let era = days.div_euclid(DAYS_PER_ERA);
    let day_of_era = days.rem_euclid(DAYS_PER_ERA);
    // Undo the leap-day corrections (every 4th year, not every 100th, but
    // every 400th) before dividing by 365.
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (year_of_era * 365 + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * shifted_month + 2) / 5 + 1) as u32;
    let month = ((shifted_month + 2) % 12 + 1) as u32;
    let year = era * 400 + year_of_era + i64::from(month <= 2);
    (year, month, day)
}

fn is_leap_year(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Parse failure reasons that occur in more than one place (and in tests).
mod reason {
    pub const ISO_DATE: &str = "expected a date like 2019-12-16";
    pub const ISO_TIME: &str = "expected a time like 23:48:18";
    pub const ISO_OFFSET: &str = "expected a time zone offset like +01:00";
    pub const HTTP_DATE: &str = "expected a date like `Tue, 29 Apr 2014`";
    pub const HTTP_TIME: &str = "expected a time like 18:30:38";
    pub const HTTP_GMT: &str = "expected ` GMT` after the time";
    pub const FRACTION: &str = "expected digits after the decimal point";
    pub const DAY_RANGE: &str = "day out of range for the month";
    pub const EPOCH_INT: &str = "expected an integer number of seconds";
    pub const EPOCH_RANGE: &str = "seconds out of range";
}

type ParseResult<T> = Result<T, &'static str>;

/// Parses `[-]digits[.digits]`, keeping the fraction exactly (truncated to
/// nanoseconds) instead of going through `f64`.
fn parse_epoch_seconds(text: &str) -> ParseResult<DateTime> {
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = match unsigned.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (unsigned, None),
    };
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return Err(reason::EPOCH_INT);
    }
    let fraction = match fraction {
        Some(fraction) => parse_fraction(fraction.as_bytes())?,
        None => 0,
    };
    // i128 has room for every i64 magnitude plus the borrow below.
    let magnitude: i128 = whole.parse().map_err(|_| reason::EPOCH_RANGE)?;
    let (secs, nanos) = match (negative, fraction) {
        (false, _) => (magnitude, fraction),
        (true, 0) => (-magnitude, 0),
        // Floor the seconds so that the fraction stays positive.
        (true, _) => (-magnitude - 1, NANOS_PER_SEC - fraction),
    };
    let secs = i64::try_from(secs).map_err(|_| reason::EPOCH_RANGE)?;
    Ok(DateTime { secs, nanos })
}

/// Digits after a decimal point as nanoseconds; extra digits are truncated.
fn parse_fraction(digits: &[u8]) -> ParseResult<u32> {
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return Err(reason::FRACTION);
    }
    let mut nanos = 0;
    for i in 0..9 {
        let digit = digits.get(i).map_or(0, |b| b - b'0');
        nanos = nanos * 10 + u32::from(digit);
    }
    Ok(nanos)
}

/// A cursor over ASCII text for the fixed-layout formats.
struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    fn expect(&mut self, byte: u8, reason: &'static str) -> ParseResult<()> {
        if self.peek().is_some_and(|b| b.eq_ignore_ascii_case(&byte)) {
            self.rest = &self.rest[1..];
            Ok(())
        } else {
            Err(reason)
        }
    }

    fn take(&mut self, len: usize, reason: &'static str) -> ParseResult<&'a [u8]> {
        if self.rest.len() < len {
            return Err(reason);
        }
        let (taken, rest) = self.rest.split_at(len);
        self.rest = rest;
        Ok(taken)
    }

    /// Exactly `len` decimal digits.
    fn number(&mut self, len: usize, reason: &'static str) -> ParseResult<u32> {
        let digits = self.take(len, reason)?;
        digits.iter().try_fold(0, |n, &b| {
            if b.is_ascii_digit() {
                Ok(n * 10 + u32::from(b - b'0'))
            } else {
                Err(reason)
            }
        })
    }

    /// Optional `.digits`, as nanoseconds.
    fn fraction(&mut self) -> ParseResult<u32> {
        if self.peek() != Some(b'.') {
            return Ok(0);
        }
        let len = self.rest[1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let (digits, rest) = self.rest[1..].split_at(len);
        self.rest = rest;
        parse_fraction(digits)
    }

    /// `HH:MM:SS` (the ranges are checked with the date), then an optional fraction as
    /// nanoseconds: the time of day both RFC 3339 and IMF-fixdate write.
    fn time_of_day(&mut self, reason: &'static str) -> ParseResult<([u32; 3], u32)> {
        let hour = self.number(2, reason)?;
        self.expect(b':', reason)?;
        let minute = self.number(2, reason)?;
        self.expect(b':', reason)?;
        let second = self.number(2, reason)?;
        Ok(([hour, minute, second], self.fraction()?))
    }

    /// A three-letter name from `names`, in any case, as its index.
    fn name(
        &mut self,
        names: &[&str],
        reason: &'static str,
        unknown: &'static str,
    ) -> ParseResult<usize> {
        let name = self.take(3, reason)?;
        names
            .iter()
            .position(|known| known.as_bytes().eq_ignore_ascii_case(name))
            .ok_or(unknown)
    }

    fn end(&self) -> ParseResult<()> {
        if self.rest.is_empty() {
            Ok(())
        } else {
            Err("unexpected trailing characters")
        }
    }
}

/// Validates the fields and converts them to seconds since the epoch.
fn to_epoch_secs(year: u32, month: u32, day: u32, time: [u32; 3]) -> ParseResult<i64> {
    let year = i64::from(year);
    if !(1..=12).contains(&month) {
        return Err("month out of range");
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(reason::DAY_RANGE);
    }
    let [hour, minute, second] = time;
    if hour > 23 {
        return Err("hour out of range");
    }
    if minute > 59 {
        return Err("minute out of range");
    }
    // Leap seconds (60) are rejected: the epoch-based representation has no
    // place for them.
    if second > 59 {
        return Err("second out of range");
    }
    let days = days_from_civil(year, month, day);
    Ok(days * SECS_PER_DAY + i64::from(hour * 3600 + minute * 60 + second))
}

/// Parses RFC 3339: `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)`.
fn parse_date_time(text: &str) -> ParseResult<DateTime> {
    use reason::{ISO_DATE as DATE, ISO_OFFSET as OFFSET, ISO_TIME as TIME};
    let mut r = Reader {
        rest: text.as_bytes(),
    };
    let year = r.number(4, DATE)?;
    r.expect(b'-', DATE)?;
    let month = r.number(2, DATE)?;
    r.expect(b'-', DATE)?;
    let day = r.number(2, DATE)?;
    r.expect(b'T', "expected 'T' between date and time")?;
    let (time, nanos) = r.time_of_day(TIME)?;
    let offset = match r.take(1, "missing time zone offset")?[0] {
        b'Z' | b'z' => 0,
        sign @ (b'+' | b'-') => {
            let hours = r.number(2, OFFSET)?;
            r.expect(b':', OFFSET)?;
            let minutes = r.number(2, OFFSET)?;
            if hours > 23 || minutes > 59 {
                return Err("time zone offset out of range");
            }
            let offset = i64::from(hours * 3600 + minutes * 60);
            if sign == b'-' { -offset } else { offset }
        }
        _ => return Err("expected 'Z' or a time zone offset"),
    };
    r.end()?;
    let local = to_epoch_secs(year, month, day, time)?;
    Ok(DateTime {
        secs: local - offset,
        nanos,
    })
}

/// Parses IMF-fixdate: `Tue, 29 Apr 2014 18:30:38[.fraction] GMT`.
fn parse_http_date(text: &str) -> ParseResult<DateTime> {
    use reason::{HTTP_DATE as DATE, HTTP_GMT as GMT, HTTP_TIME as TIME};
    let mut r = Reader {
        rest: text.as_bytes(),
    };
    let weekday = r.name(&WEEKDAYS, DATE, "unknown day of the week")?;
    r.expect(b',', DATE)?;
    r.expect(b' ', DATE)?;
    let day = r.number(2, DATE)?;
    r.expect(b' ', DATE)?;
    let month = r.name(&MONTHS, DATE, "unknown month")?;
    r.expect(b' ', DATE)?;
    let year = r.number(4, DATE)?;
    r.expect(b' ', TIME)?;
    let (time, nanos) = r.time_of_day(TIME)?;
    for &b in b" GMT" {
        r.expect(b, GMT)?;
    }
    r.end()?;
    let secs = to_epoch_secs(year, month as u32 + 1, day, time)?;
    if Civil::from_secs(secs).weekday != weekday {
        return Err("day of the week does not match the date");
    }
    Ok(DateTime { secs, nanos })
}

#[cfg(test)]
mod tests {
    use super::reason::*;
    use super::*;
    use TimestampFormat::{DateTime as Iso, EpochSeconds as Epoch, HttpDate as Http};

    fn dt(secs: i64, nanos: u32) -> DateTime {
        DateTime::from_secs_and_nanos(secs, nanos)
    }

    /// Formats `time` in `format`, checks the text and that it parses back.
    fn round_trip(time: DateTime, format: TimestampFormat, text: &str) {
        assert_eq!(time.fmt(format), text, "formatting {format}");
        assert_eq!(DateTime::parse(format, text), Ok(time), "parsing {text}");
    }

    fn parse_err(format: TimestampFormat, text: &str) -> &'static str {
        match DateTime::parse(format, text) {
            Ok(time) => panic!("{text:?} parsed as {time:?}"),
            Err(err) => {
                assert_eq!(err.format, format);
                err.reason
            }
        }
    }

    /// Checks that each text of `cases` fails to parse in `format` for its reason.
    #[track_caller]
    fn assert_rejected(format: TimestampFormat, cases: &[(&str, &str)]) {
        for &(text, reason) in cases {
            assert_eq!(parse_err(format, text), reason, "parsing {text:?}");
        }
    }

    #[test]
    fn known_vector_in_all_formats() {
        let time = DateTime::from_secs(1_515_531_081);
        round_trip(time, Epoch, "1515531081");
        round_trip(time, Iso, "2018-01-09T20:51:21Z");
        round_trip(time, Http, "Tue, 09 Jan 2018 20:51:21 GMT");
        assert_eq!(time.to_string(), "2018-01-09T20:51:21Z");
        assert_eq!(format!("{time:?}"), "2018-01-09T20:51:21Z");
    }

    #[test]
    fn fractional_seconds_fast_path_agrees_with_the_shortest_decimal() {
        let slow = |secs: f64| parse_epoch_seconds(&secs.to_string()).unwrap();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut samples = vec![
            0.0,
            -0.0,
            0.001,
            -0.001,
            0.5,
            -1.5,
            1e-7,
            -1e-7,
            8589934591.999,
        ];
        for _ in 0..20_000 {
            let millis = (next() % 17_179_869_184_000) as i64 - 8_589_934_592_000;
            samples.push(millis as f64 / 1000.0);
            samples.push(millis as f64 / 1000.0 + (next() % 1000) as f64 * 1e-7);
            samples.push(f64::from_bits(next() >> 2) % 8.5e9);
        }
        for secs in samples {
            assert_eq!(
                DateTime::try_from_fractional_secs(secs),
                Some(slow(secs)),
                "{secs}"
            );
        }
    }

    #[test]
    fn fractional_seconds() {
        let time = dt(1_515_531_081, 123_000_000);
        round_trip(time, Epoch, "1515531081.123");
        round_trip(time, Iso, "2018-01-09T20:51:21.123Z");
        round_trip(time, Http, "Tue, 09 Jan 2018 20:51:21.123 GMT");

        let time = dt(1_576_540_098, 520_000_000);
        round_trip(time, Iso, "2019-12-16T23:48:18.52Z");
        round_trip(time, Http, "Mon, 16 Dec 2019 23:48:18.52 GMT");

        let time = dt(1, 1);
        round_trip(time, Epoch, "1.000000001");
        round_trip(time, Iso, "1970-01-01T00:00:01.000000001Z");
        // HTTP dates keep milliseconds only.
        assert_eq!(time.fmt(Http), "Thu, 01 Jan 1970 00:00:01 GMT");
        assert_eq!(
            dt(0, 123_456_789).fmt(Http),
            "Thu, 01 Jan 1970 00:00:00.123 GMT"
        );
    }

    #[test]
    fn fractions_beyond_nanoseconds_are_truncated() {
        let time = dt(1, 123_456_789);
        assert_eq!(DateTime::parse(Epoch, "1.1234567899"), Ok(time));
        assert_eq!(
            DateTime::parse(Iso, "1970-01-01T00:00:01.12345678999Z"),
            Ok(time)
        );
        assert_eq!(
            DateTime::parse(Http, "Thu, 01 Jan 1970 00:00:01.1234567891 GMT"),
            Ok(time)
        );
        assert_eq!(DateTime::parse(Epoch, "-1.0000000009"), Ok(dt(-1, 0)));
    }

    #[test]
    fn negative_epoch() {
        let time = DateTime::from_fractional_secs(-1.5);
        assert_eq!((time.secs(), time.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(time.as_secs_f64(), -1.5);
        assert_eq!(time.to_millis(), -1500);
        round_trip(time, Epoch, "-1.5");
        round_trip(time, Iso, "1969-12-31T23:59:58.5Z");
        round_trip(time, Http, "Wed, 31 Dec 1969 23:59:58.5 GMT");

        round_trip(dt(-1, 500_000_000), Epoch, "-0.5");
        round_trip(dt(-1, 999_999_999), Epoch, "-0.000000001");
        round_trip(DateTime::from_secs(-86_400), Epoch, "-86400");
        round_trip(DateTime::from_secs(-86_400), Iso, "1969-12-31T00:00:00Z");
        assert_eq!(DateTime::parse(Epoch, "-0"), Ok(DateTime::from_secs(0)));
        assert!(dt(-2, 500_000_000) < dt(-1, 0));
    }

    #[test]
    fn calendar_edges() {
        round_trip(DateTime::from_secs(0), Iso, "1970-01-01T00:00:00Z");
        round_trip(
            DateTime::from_secs(0),
            Http,
            "Thu, 01 Jan 1970 00:00:00 GMT",
        );
        round_trip(
            DateTime::from_secs(-62_135_596_800),
            Iso,
            "0001-01-01T00:00:00Z",
        );
        round_trip(
            DateTime::from_secs(-62_135_596_800),
            Http,
            "Mon, 01 Jan 0001 00:00:00 GMT",
        );
        round_trip(
            dt(253_402_300_799, 999_999_999),
            Iso,
            "9999-12-31T23:59:59.999999999Z",
        );
        round_trip(
            DateTime::from_secs(253_402_300_799),
            Http,
            "Fri, 31 Dec 9999 23:59:59 GMT",
        );
    }

    #[test]
    fn leap_years() {
        let cases = [
            (951_782_400, Iso, "2000-02-29T00:00:00Z"),
            (951_868_800, Iso, "2000-03-01T00:00:00Z"),
            (1_709_164_800, Http, "Thu, 29 Feb 2024 00:00:00 GMT"),
            // 2100 is divisible by 100 but not 400: no 29 February.
            (4_107_542_400, Iso, "2100-03-01T00:00:00Z"),
        ];
        for (secs, format, text) in cases {
            round_trip(DateTime::from_secs(secs), format, text);
        }
        assert_eq!(parse_err(Iso, "2100-02-29T00:00:00Z"), DAY_RANGE);
        assert_eq!(parse_err(Iso, "2023-02-29T00:00:00Z"), DAY_RANGE);
    }

    #[test]
    fn every_day_round_trips_through_the_calendar() {
        // 0001-01-01 to 9999-12-31, checking days advance one at a time.
        let first = days_from_civil(1, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        let mut expected = (1, 1, 1);
        for days in first..=last {
            let (year, month, day) = civil_from_days(days);
            assert_eq!((year, month, day), expected);
            assert_eq!(days_from_civil(year, month, day), days);
            expected = if day < days_in_month(year, month) {
                (year, month, day + 1)
            } else if month < 12 {
                (year, month + 1, 1)
            } else {
                (year + 1, 1, 1)
            };
        }
    }

    #[test]
    fn date_time_parsing_is_lenient_where_rfc_3339_allows() {
        let time = DateTime::from_secs(1_576_540_098);
        assert_eq!(DateTime::parse(Iso, "2019-12-16t23:48:18z"), Ok(time));
        assert_eq!(DateTime::parse(Iso, "2019-12-17T00:48:18+01:00"), Ok(time));
        assert_eq!(DateTime::parse(Iso, "2019-12-16T15:48:18-08:00"), Ok(time));
        assert_eq!(DateTime::parse(Iso, "2019-12-16T23:48:18-00:00"), Ok(time));
        assert_eq!(
            DateTime::parse(Iso, "2019-12-16T23:48:18.5+05:30"),
            Ok(dt(1_576_540_098 - 19_800, 500_000_000))
        );
        assert_eq!(
            DateTime::parse(Http, "tue, 09 jan 2018 20:51:21 gmt"),
            Ok(DateTime::from_secs(1_515_531_081))
        );
    }

    #[test]
    fn date_time_rejections() {
        let cases = [
            ("", ISO_DATE),
            ("2019-12-16", "expected 'T' between date and time"),
            ("2019-12-16 23:48:18Z", "expected 'T' between date and time"),
            ("19-12-16T23:48:18Z", ISO_DATE),
            ("2019/12/16T23:48:18Z", ISO_DATE),
            ("2019-1-16T23:48:18Z", ISO_DATE),
            ("+2019-12-16T23:48:18Z", ISO_DATE),
            ("2019-12-16T23:48Z", ISO_TIME),
            ("2019-12-16T23:48:1xZ", ISO_TIME),
            ("2019-12-16T23:48:18", "missing time zone offset"),
            (
                "2019-12-16T23:48:18UTC",
                "expected 'Z' or a time zone offset",
            ),
            ("2019-12-16T23:48:18.Z", FRACTION),
            ("2019-12-16T23:48:18+0100", ISO_OFFSET),
            ("2019-12-16T23:48:18+01", ISO_OFFSET),
            ("2019-12-16T23:48:18+24:00", "time zone offset out of range"),
            ("2019-12-16T23:48:18+01:60", "time zone offset out of range"),
            ("2019-12-16T23:48:18Z ", "unexpected trailing characters"),
            ("2019-12-16T23:48:18ZZ", "unexpected trailing characters"),
            ("2019-00-16T23:48:18Z", "month out of range"),
            ("2019-13-16T23:48:18Z", "month out of range"),
            ("2019-12-00T23:48:18Z", DAY_RANGE),
            ("2019-12-32T23:48:18Z", DAY_RANGE),
            ("2019-04-31T23:48:18Z", DAY_RANGE),
            ("2020-02-30T23:48:18Z", DAY_RANGE),
            ("2019-12-16T24:00:00Z", "hour out of range"),
            ("2019-12-16T23:60:18Z", "minute out of range"),
            ("2016-12-31T23:59:60Z", "second out of range"),
            ("２019-12-16T23:48:18Z", ISO_DATE),
        ];
        assert_rejected(Iso, &cases);
    }

    #[test]
    fn http_date_rejections() {
        let cases = [
            ("", HTTP_DATE),
            ("Tue 29 Apr 2014 18:30:38 GMT", HTTP_DATE),
            ("Tue, 9 Apr 2014 18:30:38 GMT", HTTP_DATE),
            ("Tuesday, 29 Apr 2014 18:30:38 GMT", HTTP_DATE),
            ("Tux, 29 Apr 2014 18:30:38 GMT", "unknown day of the week"),
            ("Tue, 29 April 2014 18:30:38 GMT", HTTP_DATE),
            ("Tue, 29 Foo 2014 18:30:38 GMT", "unknown month"),
            ("Tue, 29 Apr 14 18:30:38 GMT", HTTP_DATE),
            ("Tue, 29 Apr 2014 18:30 GMT", HTTP_TIME),
            ("Tue, 29 Apr 2014 18:30:38", HTTP_GMT),
            ("Tue, 29 Apr 2014 18:30:38 UTC", HTTP_GMT),
            ("Tue, 29 Apr 2014 18:30:38 +0000", HTTP_GMT),
            ("Tue, 29 Apr 2014 18:30:38. GMT", FRACTION),
            (
                "Tue, 29 Apr 2014 18:30:38 GMT ",
                "unexpected trailing characters",
            ),
            (
                "Wed, 29 Apr 2014 18:30:38 GMT",
                "day of the week does not match the date",
            ),
            ("Thu, 31 Apr 2014 18:30:38 GMT", DAY_RANGE),
            ("Tue, 29 Apr 2014 24:30:38 GMT", "hour out of range"),
            ("Tue, 29 Apr 2014 18:60:38 GMT", "minute out of range"),
            ("Tue, 29 Apr 2014 18:30:60 GMT", "second out of range"),
            // The obsolete RFC 850 and asctime forms are not accepted.
            ("Tuesday, 29-Apr-14 18:30:38 GMT", HTTP_DATE),
            ("Tue Apr 29 18:30:38 2014", HTTP_DATE),
        ];
        assert_rejected(Http, &cases);
    }

    #[test]
    fn epoch_seconds_rejections() {
        let cases = [
            ("", EPOCH_INT),
            ("-", EPOCH_INT),
            ("+1", EPOCH_INT),
            (" 1", EPOCH_INT),
            ("1 ", EPOCH_INT),
            (".5", EPOCH_INT),
            ("1e9", EPOCH_INT),
            ("0x10", EPOCH_INT),
            ("1.", FRACTION),
            ("1.5.5", FRACTION),
            ("1.-5", FRACTION),
            ("9223372036854775808", EPOCH_RANGE),
            ("-9223372036854775808.5", EPOCH_RANGE),
            ("99999999999999999999999999999999999999999", EPOCH_RANGE),
        ];
        assert_rejected(Epoch, &cases);
        round_trip(DateTime::from_secs(i64::MIN), Epoch, "-9223372036854775808");
        round_trip(dt(i64::MIN, 1), Epoch, "-9223372036854775807.999999999");
        round_trip(DateTime::from_secs(i64::MAX), Epoch, "9223372036854775807");
    }

    #[test]
    fn out_of_range_years_format_without_panicking() {
        assert_eq!(
            DateTime::from_secs(253_402_300_800).to_string(),
            "+10000-01-01T00:00:00Z"
        );
        assert_eq!(
            DateTime::from_secs(-62_135_596_801).to_string(),
            "0000-12-31T23:59:59Z"
        );
        assert_eq!(
            DateTime::from_secs(-62_167_219_201).to_string(),
            "-0001-12-31T23:59:59Z"
        );
        for secs in [i64::MIN, i64::MAX] {
            let time = DateTime::from_secs(secs);
            for format in [Epoch, Iso, Http] {
                assert!(!time.fmt(format).is_empty());
            }
        }
        assert!(DateTime::parse(Iso, "+10000-01-01T00:00:00Z").is_err());
    }

    #[test]
    fn constructors_and_accessors() {
        assert_eq!(
            DateTime::from_secs_and_nanos(1, 2_500_000_000),
            dt(3, 500_000_000)
        );
        assert_eq!(DateTime::from_millis(1_500), dt(1, 500_000_000));
        assert_eq!(DateTime::from_millis(-1), dt(-1, 999_000_000));
        assert_eq!(DateTime::from_millis(-1).to_millis(), -1);
        assert_eq!(DateTime::from_millis(i64::MIN).to_millis(), i64::MIN);
        assert_eq!(dt(i64::MAX, 0).to_millis(), i64::MAX);

        let time = DateTime::from_fractional_secs(1_515_531_081.123);
        assert_eq!(time, dt(1_515_531_081, 123_000_000));
        assert_eq!(time.as_secs_f64(), 1_515_531_081.123);
        assert_eq!(DateTime::from_fractional_secs(1e-9), dt(0, 1));
        assert_eq!(DateTime::from_fractional_secs(-0.0), dt(0, 0));
        assert_eq!(DateTime::from_fractional_secs(f64::NAN), dt(0, 0));
        assert_eq!(
            DateTime::from_fractional_secs(f64::INFINITY),
            dt(i64::MAX, 999_999_999)
        );
        assert_eq!(DateTime::from_fractional_secs(-1e300), dt(i64::MIN, 0));
        assert_eq!(DateTime::try_from_fractional_secs(1e19), None);
    }

    #[test]
    fn system_time_conversions() {
        let cases = [
            (UNIX_EPOCH, dt(0, 0)),
            (UNIX_EPOCH + Duration::new(1, 5), dt(1, 5)),
            (
                UNIX_EPOCH - Duration::from_millis(1_500),
                dt(-2, 500_000_000),
            ),
            (UNIX_EPOCH - Duration::from_secs(3), dt(-3, 0)),
        ];
        for (system, time) in cases {
            assert_eq!(DateTime::from(system), time);
            assert_eq!(SystemTime::try_from(time), Ok(system));
        }
        let now = SystemTime::now();
        assert_eq!(SystemTime::try_from(DateTime::from(now)), Ok(now));
        // Whether the extremes fit depends on the platform (they do on Linux).
        for time in [dt(i64::MIN, 0), dt(i64::MAX, 999_999_999)] {
            if let Ok(system) = SystemTime::try_from(time) {
                assert_eq!(DateTime::from(system), time);
            }
        }
        assert_eq!(
            DateTimeRangeError(dt(0, 0)).to_string(),
            "1970-01-01T00:00:00Z is out of range for SystemTime"
        );
    }

    #[test]
    fn error_messages() {
        let err = DateTime::parse(Iso, "2019-13-01T00:00:00Z").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid date-time timestamp: month out of range"
        );
        let err = DateTime::parse(Http, "x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid http-date timestamp: expected a date like `Tue, 29 Apr 2014`"
        );
        let err = DateTime::parse(Epoch, "x").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid epoch-seconds timestamp: expected an integer number of seconds"
        );
    }
}
