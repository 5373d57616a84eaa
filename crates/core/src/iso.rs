//! Dates and times as Lesenka stores them (ISO 8601 / RFC 3339), read without chrono's
//! general-purpose parser.
//!
//! chrono's `FromStr` goes through its whole format machinery (strftime items, RFC 2822, time
//! zone names), which is a large share of what a browser downloads before the first screen. The
//! stored forms are fixed, so this module reads exactly them:
//! - a date: `2026-11-22` (a year outside 0..=9999 carries a sign, `+10000-01-01`, as chrono
//!   writes it);
//! - a time: `2026-11-22T08:30:00Z`, with an optional fraction of 1–9 digits and either `Z` or an
//!   offset `±HH:MM` (a lower-case `t`/`z` or a space for `T` are accepted too, as chrono does).
//!
//! Writing stays chrono's (its `Display` and RFC 3339 writers are small), so stored files are
//! byte for byte what they were. [`date`] and [`time_opt`] plug this into serde with
//! `#[serde(with = …)]`.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Reads a stored date (`2026-11-22`); `None` for anything else or an impossible date.
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let (year, rest) = split_year(text)?;
    let rest = rest.strip_prefix('-')?;
    let (month, rest) = digits(rest, 2)?;
    let rest = rest.strip_prefix('-')?;
    let (day, rest) = digits(rest, 2)?;
    if !rest.is_empty() {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

/// Reads a stored RFC 3339 time (`2026-11-22T08:30:00.250Z`, `2026-11-22T11:30:00+03:00`) as
/// UTC; `None` for anything else.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let split = text.find(['T', 't', ' '])?;
    let date = parse_date(&text[..split])?;
    let rest = &text[split + 1..];
    let (hour, rest) = digits(rest, 2)?;
    let (minute, rest) = digits(rest.strip_prefix(':')?, 2)?;
    let (second, mut rest) = digits(rest.strip_prefix(':')?, 2)?;
    let mut nano = 0;
    if let Some(fraction) = rest.strip_prefix('.') {
        let len = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if !(1..=9).contains(&len) {
            return None;
        }
        let (value, tail) = digits(fraction, len)?;
        nano = value * 10u32.pow(9 - len as u32);
        rest = tail;
    }
    let offset = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let (hours, tail) = digits(&rest[1..], 2)?;
            let (minutes, tail) = digits(tail.strip_prefix(':')?, 2)?;
            if !tail.is_empty() || minutes > 59 {
                return None;
            }
            sign * (hours as i32 * 3600 + minutes as i32 * 60)
        }
    };
    // A leap second is written as second 60 (chrono keeps it as 59 plus a second of nanos).
    let (second, nano) = if second == 60 { (59, nano + 1_000_000_000) } else { (second, nano) };
    let time = NaiveTime::from_hms_nano_opt(hour, minute, second, nano)?;
    let local = NaiveDateTime::new(date, time);
    let offset = FixedOffset::east_opt(offset)?;
    Some(offset.from_local_datetime(&local).single()?.with_timezone(&Utc))
}

/// The year: four digits, or a sign and at least four digits.
fn split_year(text: &str) -> Option<(i32, &str)> {
    let (sign, body) = match text.as_bytes().first()? {
        b'+' => (1, &text[1..]),
        b'-' => (-1, &text[1..]),
        _ => (1, text),
    };
    let len = body.bytes().take_while(u8::is_ascii_digit).count();
    let signed = sign == -1 || text.starts_with('+');
    if len < 4 || (!signed && len != 4) || len > 6 {
        return None;
    }
    let (year, rest) = digits(body, len)?;
    Some((sign * i32::try_from(year).ok()?, rest))
}

/// Exactly `n` ASCII digits at the start of `text`, and what follows.
fn digits(text: &str, n: usize) -> Option<(u32, &str)> {
    let head = text.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let value = head.bytes().fold(0u32, |acc, b| acc * 10 + u32::from(b - b'0'));
    Some((value, &text[n..]))
}

/// `#[serde(with = "crate::iso::date")]` for a [`NaiveDate`].
pub mod date {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the date as chrono does (`2026-11-22`).
    pub fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        date.serialize(serializer)
    }

    /// Reads a date with [`super::parse_date`].
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        super::parse_date(&text).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected a date such as \"2026-11-22\", found \"{text}\""
            ))
        })
    }
}

/// `#[serde(with = "crate::iso::time_opt")]` for an `Option<DateTime<Utc>>`.
pub mod time_opt {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes the time as chrono does (RFC 3339, UTC, `Z`), or `null`.
    pub fn serialize<S: Serializer>(
        time: &Option<DateTime<Utc>>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        time.serialize(serializer)
    }

    /// Reads a time with [`super::parse_time`], or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        let Some(text) = <Option<std::borrow::Cow<'de, str>>>::deserialize(deserializer)? else {
            return Ok(None);
        };
        super::parse_time(&text).map(Some).ok_or_else(|| {
            serde::de::Error::custom(format!(
                "expected an RFC 3339 time such as \"2024-09-02T08:30:00Z\", found \"{text}\""
            ))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check_date(text: &str, expected: Option<(i32, u32, u32)>) {
        let expected = expected.map(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d).unwrap());
        assert_eq!(parse_date(text), expected, "{text:?}");
    }

    #[test]
    fn dates() {
        check_date("2026-11-22", Some((2026, 11, 22)));
        check_date("0001-01-01", Some((1, 1, 1)));
        check_date("+10000-01-01", Some((10000, 1, 1)));
        check_date("-0044-03-15", Some((-44, 3, 15)));
        check_date("2024-02-29", Some((2024, 2, 29)));
        for bad in [
            "2025-02-29",
            "2026-13-01",
            "2026-11-31",
            "26-11-22",
            "2026-1-22",
            "2026-11-22 ",
            " 2026-11-22",
            "2026/11/22",
            "20261122",
            "",
            "10000-01-01",
            "2026-11-2x",
            "２０２６-11-22",
        ] {
            check_date(bad, None);
        }
    }

    fn check_time(text: &str, expected: Option<&str>) {
        let expected = expected.map(|e| e.parse::<DateTime<Utc>>().unwrap());
        assert_eq!(parse_time(text), expected, "{text:?}");
    }

    #[test]
    fn times() {
        check_time("2024-09-02T08:30:00Z", Some("2024-09-02T08:30:00Z"));
        check_time("2024-09-02t08:30:00z", Some("2024-09-02T08:30:00Z"));
        check_time("2024-09-02 08:30:00Z", Some("2024-09-02T08:30:00Z"));
        check_time("2024-09-02T08:30:00.5Z", Some("2024-09-02T08:30:00.500Z"));
        check_time("2024-09-02T08:30:00.123456789Z", Some("2024-09-02T08:30:00.123456789Z"));
        check_time("2024-09-02T11:30:00+03:00", Some("2024-09-02T08:30:00Z"));
        check_time("2024-09-01T23:30:00-09:00", Some("2024-09-02T08:30:00Z"));
        for bad in [
            "2024-09-02T08:30:00",
            "2024-09-02T08:30Z",
            "2024-09-02T24:00:00Z",
            "2024-09-02T08:30:00.Z",
            "2024-09-02T08:30:00.1234567890Z",
            "2024-09-02T08:30:00+0300",
            "2024-09-02T08:30:00+03:60",
            "yesterday",
            "",
            "2024-09-02",
            "2024-09-02T08:30:00ZZ",
        ] {
            check_time(bad, None);
        }
    }

    #[test]
    fn serde_reads_what_chrono_writes_and_refuses_the_rest() {
        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Row {
            #[serde(with = "date")]
            day: NaiveDate,
            #[serde(with = "time_opt")]
            at: Option<DateTime<Utc>>,
        }
        let row = Row {
            day: NaiveDate::from_ymd_opt(2026, 11, 22).unwrap(),
            at: Some("2026-11-22T08:30:00.250Z".parse().unwrap()),
        };
        let text = serde_json::to_string(&row).unwrap();
        assert_eq!(text, r#"{"day":"2026-11-22","at":"2026-11-22T08:30:00.250Z"}"#);
        assert_eq!(serde_json::from_str::<Row>(&text).unwrap(), row);
        let none = serde_json::from_str::<Row>(r#"{"day":"2026-11-22","at":null}"#).unwrap();
        assert_eq!(none.at, None);
        let err = serde_json::from_str::<Row>(r#"{"day":"22.11.2026","at":null}"#).unwrap_err();
        assert!(err.to_string().contains("expected a date such as"), "{err}");
    }

    proptest! {
        #[test]
        fn reads_every_date_chrono_writes(days in -100_000i32..4_000_000) {
            let date = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            prop_assert_eq!(parse_date(&date.to_string()), Some(date));
        }

        #[test]
        fn reads_every_time_chrono_writes(secs in 0i64..20_000_000_000, nanos in 0u32..1_000_000_000) {
            let time = DateTime::<Utc>::from_timestamp(secs, nanos).unwrap();
            let written = serde_json::to_value(time).unwrap();
            prop_assert_eq!(parse_time(written.as_str().unwrap()), Some(time));
            let offset = time.with_timezone(&FixedOffset::east_opt(3 * 3600).unwrap());
            prop_assert_eq!(parse_time(&offset.to_rfc3339()), Some(time));
        }

        #[test]
        fn never_panics(text in "\\PC{0,40}") {
            let _ = parse_date(&text);
            let _ = parse_time(&text);
        }
    }
}
