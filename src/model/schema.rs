//! The front-matter schema: typed structs for work pages, other pages and their translations.
//! Facts live in the default-language file; a translation file carries only translated text.

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

/// Front matter of a work page (`content/models/<slug>.md`): every fact about one work.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WorkMeta {
    /// Short display name, e.g. `MedSAM`. Required.
    pub title: String,
    /// Expanded name, e.g. `Segment Anything in Medical Images`. Default: empty.
    #[serde(default)]
    pub full_name: String,
    /// Other names readers search for (paper titles, acronyms). Default: none.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// True when the work has no official name and `title` is a descriptive one of ours. Default: false.
    #[serde(default)]
    pub descriptive_title: bool,
    /// One of the `kind` vocabulary: model, dataset, benchmark, method, … Required.
    pub kind: String,
    /// One of the `strand` vocabulary. Required.
    pub strand: String,
    /// One of the `theme` vocabulary: the sub-theme within the strand. Required.
    pub theme: String,
    /// Publication date of the version described: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`;
    /// empty when no source gives one. Default: empty (unknown).
    #[serde(default, deserialize_with = "optional_date")]
    pub date: Option<PartialDate>,
    /// Short venue name, used as a taxonomy term (e.g. `Nature Medicine`). Default: empty (none).
    #[serde(default)]
    pub venue: String,
    /// Bibliographic detail of the venue, free text. Default: empty.
    #[serde(default)]
    pub venue_detail: String,
    /// The original publication, for citations. Default: empty.
    #[serde(default)]
    pub paper: Paper,
    /// arXiv identifier such as `2306.13465`. Default: empty.
    #[serde(default)]
    pub arxiv: String,
    /// Institutions behind the work (English names), a taxonomy. Default: none.
    #[serde(default)]
    pub institutions: Vec<String>,
    /// Keys of the `modality` vocabulary. Default: none.
    #[serde(default)]
    pub modalities: Vec<String>,
    /// Keys of the `organ` vocabulary. Default: none.
    #[serde(default)]
    pub organs: Vec<String>,
    /// Keys of the `task` vocabulary. Default: none.
    #[serde(default)]
    pub tasks: Vec<String>,
    /// Slugs of work pages this work builds on (lineage). Default: none.
    #[serde(default)]
    pub builds_on: Vec<String>,
    /// Slugs of dataset or benchmark pages this work trains or evaluates on. Default: none.
    #[serde(default)]
    pub uses: Vec<String>,
    /// Data scale in the paper's figures (translatable). Default: empty (unknown).
    #[serde(default)]
    pub data_scale: String,
    /// The headline result, one sentence (translatable). Default: empty (unknown).
    #[serde(default)]
    pub headline: String,
    /// Whether code is public: `true`, `false` or `unknown`. Default: unknown.
    #[serde(default)]
    pub open_code: Openness,
    /// Whether weights are public: `true`, `false` or `unknown`. Default: unknown.
    #[serde(default)]
    pub open_weights: Openness,
    /// External links (paper, code, weights), each `https://`. Default: none.
    #[serde(default)]
    pub links: Vec<Link>,
    /// One sentence shown in lists and search results (translatable). Required.
    pub summary: String,
    /// Where the review article disagrees with the original paper (translatable). Default: empty.
    #[serde(default)]
    pub discrepancy: String,
}

/// Translated text of a work page (`<slug>.<lang>.md`): only text, never facts.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct WorkTranslation {
    /// Display name, when it differs in this language. Default: the default-language title.
    #[serde(default)]
    pub title: Option<String>,
    /// Expanded name in this language. Default: the default-language one.
    #[serde(default)]
    pub full_name: Option<String>,
    /// One-sentence summary. Required.
    pub summary: String,
    /// Data scale in this language. Default: the default-language text.
    #[serde(default)]
    pub data_scale: Option<String>,
    /// Headline result in this language. Default: the default-language text.
    #[serde(default)]
    pub headline: Option<String>,
    /// Discrepancy note in this language. Default: the default-language text.
    #[serde(default)]
    pub discrepancy: Option<String>,
}

/// Front matter of a non-work page: home, trend pages, outlook, about.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PageMeta {
    /// Page title. Required.
    pub title: String,
    /// One-sentence summary, used in lists, search and meta description. Required.
    pub summary: String,
    /// Template family: `home`, `trend` or `page`. Default: `home` for `_index.md`, else `page`.
    #[serde(default)]
    pub layout: Option<Layout>,
    /// For trend pages: the strand whose works the page lists. Default: none.
    #[serde(default)]
    pub strand: Option<String>,
    /// Order in the navigation; pages without a weight are not in the navigation. Default: none.
    #[serde(default)]
    pub weight: Option<i32>,
}

/// Translated text of a non-work page.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PageTranslation {
    /// Page title in this language. Required.
    pub title: String,
    /// Summary in this language. Required.
    pub summary: String,
}

/// Which template family renders a non-work page.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// The home page.
    Home,
    /// A trend page listing the works of one strand.
    Trend,
    /// A plain prose page.
    Page,
}

/// Bibliographic detail of the original publication.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Paper {
    /// Title of the paper. Default: empty.
    #[serde(default)]
    pub title: String,
    /// Volume. Default: empty.
    #[serde(default)]
    pub volume: String,
    /// Issue number. Default: empty.
    #[serde(default)]
    pub number: String,
    /// Pages or article number. Default: empty.
    #[serde(default)]
    pub pages: String,
    /// DOI without the `https://doi.org/` prefix. Default: empty.
    #[serde(default)]
    pub doi: String,
}

/// An external link with a label.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// What the link is, e.g. `arXiv`, `GitHub`.
    pub label: String,
    /// Absolute `https://` URL.
    pub url: String,
}

/// Tri-state openness: known open, known closed, or not known — `unknown` is not `false`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Openness {
    /// Publicly released.
    Yes,
    /// Known not to be released.
    No,
    /// Not established by a source.
    #[default]
    Unknown,
}

impl<'de> Deserialize<'de> for Openness {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OpennessVisitor;
        impl Visitor<'_> for OpennessVisitor {
            type Value = Openness;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("true, false or unknown")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Openness, E> {
                Ok(if v { Openness::Yes } else { Openness::No })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Openness, E> {
                match v {
                    "unknown" => Ok(Openness::Unknown),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        deserializer.deserialize_any(OpennessVisitor)
    }
}

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
        let month = parts
            .get(1)
            .map(|m| num(m, "month"))
            .transpose()?
            .map(|m| m as u8);
        let day = parts
            .get(2)
            .map(|d| num(d, "day"))
            .transpose()?
            .map(|d| d as u8);
        if month.is_some_and(|m| !(1..=12).contains(&m)) {
            return Err(format!("invalid month in date `{s}`"));
        }
        if day.is_some_and(|d| !(1..=days_in_month(year, month.unwrap_or(1))).contains(&d)) {
            return Err(format!("invalid day in date `{s}`"));
        }
        Ok(PartialDate { year, month, day })
    }

    /// ISO form with the known precision: `2024`, `2024-03`, `2024-03-05`.
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
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = PartialDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date as YYYY, YYYY-MM or YYYY-MM-DD")
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<PartialDate, E> {
                PartialDate::parse(&v.to_string()).map_err(E::custom)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PartialDate, E> {
                PartialDate::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(DateVisitor)
    }
}

/// Reads an optional date: absent, `null` or `""` mean unknown.
fn optional_date<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<PartialDate>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Empty,
        Date(PartialDate),
        Text(String),
    }
    match Raw::deserialize(deserializer)? {
        Raw::Empty => Ok(None),
        Raw::Date(d) => Ok(Some(d)),
        Raw::Text(t) if t.trim().is_empty() => Ok(None),
        Raw::Text(t) => PartialDate::parse(&t).map(Some).map_err(de::Error::custom),
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
        assert!(PartialDate::parse("24").is_err());
    }

    #[test]
    fn openness_is_tri_state() {
        let yes: Openness = serde_yaml::from_str("true").unwrap();
        let no: Openness = serde_yaml::from_str("false").unwrap();
        let unknown: Openness = serde_yaml::from_str("unknown").unwrap();
        assert_eq!(
            (yes, no, unknown),
            (Openness::Yes, Openness::No, Openness::Unknown)
        );
        assert!(serde_yaml::from_str::<Openness>("maybe").is_err());
    }

    #[test]
    fn date_from_yaml_number_or_string() {
        let d: PartialDate = serde_yaml::from_str("2024").unwrap();
        assert_eq!(d.iso(), "2024");
        let d: PartialDate = serde_yaml::from_str("2024-01-22").unwrap();
        assert_eq!(d.day, Some(22));
    }
}
