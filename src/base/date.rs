//! Dates known to the year, the month or the day (`2024`, `2024-03`, `2024-03-05`): sources
//! rarely give more than a month, and a date must never claim more precision than its source.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// A date known to the year, the month or the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    /// Year, e.g. 2024.
    pub year: u16,
    /// Month 1–12, if known.
    pub month: Option<u8>,
    /// Day 1–31, if known.
    pub day: Option<u8>,
}

impl PartialDate {
    /// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Result<Self, String> {
        let parts: Vec<&str> = s.trim().split('-').collect();
        let num = |p: &str, what: &str| -> Result<u16, String> {
            p.parse::<u16>()
                .map_err(|_| format!("invalid {what} `{p}` in date `{s}`"))
        };
        if parts.is_empty() || parts.len() > 3 || parts[0].len() != 4 {
            return Err(format!(
                "invalid date `{s}`: expected YYYY, YYYY-MM or YYYY-MM-DD"
            ));
        }
        let year = num(parts[0], "year")?;
        let small = |p: &&str, what: &str| -> Result<u8, String> {
            u8::try_from(num(p, what)?).map_err(|_| format!("invalid {what} in date `{s}`"))
        };
        let month = parts.get(1).map(|m| small(m, "month")).transpose()?;
        let day = parts.get(2).map(|d| small(d, "day")).transpose()?;
        if month.is_some_and(|m| !(1..=12).contains(&m)) {
            return Err(format!("invalid month in date `{s}`: months are 01 to 12"));
        }
        if let (Some(m), Some(d)) = (month, day) {
            let last = days_in_month(year, m);
            if !(1..=last).contains(&d) {
                return Err(format!(
                    "invalid day in date `{s}`: {year}-{m:02} has {last} days"
                ));
            }
        }
        Ok(PartialDate { year, month, day })
    }

    /// Today's date (UTC), the bound for dates in front matter.
    pub fn today() -> PartialDate {
        let today = time::OffsetDateTime::now_utc().date();
        PartialDate {
            year: u16::try_from(today.year()).unwrap_or(u16::MAX),
            month: Some(u8::from(today.month())),
            day: Some(today.day()),
        }
    }

    /// A date known to the year.
    pub fn year(year: u16) -> Self {
        PartialDate {
            year,
            month: None,
            day: None,
        }
    }

    /// A date known to the month.
    pub fn month(year: u16, month: u8) -> Self {
        PartialDate {
            year,
            month: Some(month),
            day: None,
        }
    }

    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, as precise as the date is known.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// A full date for feeds and sitemaps, filling unknown parts with the first month/day.
    pub fn full(&self) -> String {
        format!(
            "{:04}-{:02}-{:02}",
            self.year,
            self.month.unwrap_or(1),
            self.day.unwrap_or(1)
        )
    }
}

/// Days in `month` (1–12) of `year`, by the Gregorian calendar.
fn days_in_month(year: u16, month: u8) -> u8 {
    time::Month::try_from(month).map_or(31, |m| m.length(i32::from(year)))
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

impl<'de> Deserialize<'de> for PartialDate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DateVisitor)?.ok_or_else(|| {
            de::Error::custom("a date cannot be empty: expected YYYY, YYYY-MM or YYYY-MM-DD")
        })
    }
}

/// Reads an optional date: absent, `null` or `""` mean unknown.
pub fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<PartialDate>, D::Error> {
    deserializer.deserialize_any(DateVisitor)
}

/// A date written as a number (`2024`) or a string, `None` for `null` or blank text. The value
/// is visited directly rather than buffered (as an untagged enum would), so that a wrong date is
/// reported by the deserialiser at the value itself, under its field's name.
struct DateVisitor;

impl Visitor<'_> for DateVisitor {
    type Value = Option<PartialDate>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a date as YYYY, YYYY-MM or YYYY-MM-DD")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        PartialDate::parse(&v.to_string())
            .map(Some)
            .map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        PartialDate::parse(&v.to_string())
            .map(Some)
            .map_err(E::custom)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v.trim().is_empty() {
            return Ok(None);
        }
        PartialDate::parse(v).map(Some).map_err(E::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_precision() {
        assert_eq!(PartialDate::parse("2024").unwrap().iso(), "2024");
        assert_eq!(PartialDate::parse("2024-03").unwrap().iso(), "2024-03");
        assert_eq!(
            PartialDate::parse("2024-02-29").unwrap().full(),
            "2024-02-29"
        );
        assert!(PartialDate::parse("2023-02-29").is_err());
        assert!(PartialDate::parse("2024-13").is_err());
        assert!(PartialDate::parse("2024-300").is_err());
        assert!(PartialDate::parse("24").is_err());
    }

    #[test]
    fn date_from_yaml_number_or_string() {
        let d: PartialDate = serde_yaml::from_str("2024").unwrap();
        assert_eq!(d.iso(), "2024");
        let d: PartialDate = serde_yaml::from_str("2024-01-22").unwrap();
        assert_eq!(d.day, Some(22));
    }

    #[test]
    fn blank_dates_are_unknown_and_wrong_ones_are_errors() {
        let read = |yaml: &str| optional_date(serde_yaml::Deserializer::from_str(yaml));
        assert_eq!(read("~").unwrap(), None);
        assert_eq!(read("''").unwrap(), None);
        assert_eq!(read("2024-03").unwrap().unwrap().iso(), "2024-03");
        let err = read("2023-02-30").unwrap_err().to_string();
        assert!(err.starts_with("invalid day in date `2023-02-30`"), "{err}");
        let err = read("[2024]").unwrap_err().to_string();
        assert!(err.contains("expected a date as YYYY"), "{err}");
        assert!(serde_yaml::from_str::<PartialDate>("''").is_err());
    }

    #[test]
    fn today_is_a_full_date_after_2025() {
        let today = PartialDate::today();
        assert!(today.year >= 2025 && today.month.is_some() && today.day.is_some());
    }
}
