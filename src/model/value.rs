//! The value of a declared field in a page's front matter, one variant per [`FieldType`], and
//! the small typed values some of them hold (links, tri-state facts).

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};

use crate::base::date::PartialDate;
use crate::model::schema::{Field, FieldType};

/// An external link with a label.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub(crate) struct Link {
    /// What the link is, e.g. `arXiv`, `GitHub`.
    pub(crate) label: String,
    /// Absolute `https://` URL.
    pub(crate) url: String,
}

/// A fact known to be true, known to be false, or not known — `unknown` is not `false`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Tristate {
    /// Known true.
    Yes,
    /// Known false.
    No,
    /// Not established by a source.
    #[default]
    Unknown,
}

impl Tristate {
    /// `yes`, `no` or `unknown`: the value templates and filters use.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Tristate::Yes => "yes",
            Tristate::No => "no",
            Tristate::Unknown => "unknown",
        }
    }

    /// Sort rank: yes 0, no 1, unknown 2.
    pub(crate) fn rank(self) -> u8 {
        match self {
            Tristate::Yes => 0,
            Tristate::No => 1,
            Tristate::Unknown => 2,
        }
    }

    /// As front matter writes it: `true`, `false` or `"unknown"`.
    pub(crate) fn to_json(self) -> serde_json::Value {
        match self {
            Tristate::Yes => true.into(),
            Tristate::No => false.into(),
            Tristate::Unknown => "unknown".into(),
        }
    }

    /// As the CSV export writes it: `true`, `false` or `unknown`.
    pub(crate) fn to_text(self) -> &'static str {
        match self {
            Tristate::Yes => "true",
            Tristate::No => "false",
            Tristate::Unknown => "unknown",
        }
    }
}

impl<'de> Deserialize<'de> for Tristate {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TristateVisitor;
        impl Visitor<'_> for TristateVisitor {
            type Value = Tristate;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("true, false or unknown")
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Tristate, E> {
                Ok(if v { Tristate::Yes } else { Tristate::No })
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Tristate, E> {
                match v {
                    "unknown" => Ok(Tristate::Unknown),
                    _ => Err(E::invalid_value(de::Unexpected::Str(v), &self)),
                }
            }
        }
        deserializer.deserialize_any(TristateVisitor)
    }
}

/// The value of one field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldValue {
    /// `text`.
    Text(String),
    /// `text-list`.
    TextList(Vec<String>),
    /// `bool`.
    Bool(bool),
    /// `date`; `None` when unknown.
    Date(Option<PartialDate>),
    /// `tristate`.
    Tristate(Tristate),
    /// `term`; empty when none.
    Term(String),
    /// `terms`.
    Terms(Vec<String>),
    /// `refs`: slugs.
    Refs(Vec<String>),
    /// `links`.
    Links(Vec<Link>),
    /// `url`; empty when none.
    Url(String),
    /// `number`; `None` when unknown.
    Number(Option<f64>),
    /// `integer`; `None` when absent.
    Integer(Option<i64>),
    /// `group`: one text per sub-field.
    Group(Vec<String>),
}

impl FieldValue {
    /// The value of an absent optional field of `field`'s type.
    pub(crate) fn empty(field: &Field) -> FieldValue {
        match field.ty {
            FieldType::Text => FieldValue::Text(String::new()),
            FieldType::TextList => FieldValue::TextList(Vec::new()),
            FieldType::Bool => FieldValue::Bool(false),
            FieldType::Date => FieldValue::Date(None),
            FieldType::Tristate => FieldValue::Tristate(Tristate::Unknown),
            FieldType::Term => FieldValue::Term(String::new()),
            FieldType::Terms => FieldValue::Terms(Vec::new()),
            FieldType::Refs => FieldValue::Refs(Vec::new()),
            FieldType::Links => FieldValue::Links(Vec::new()),
            FieldType::Url => FieldValue::Url(String::new()),
            FieldType::Number => FieldValue::Number(None),
            FieldType::Integer => FieldValue::Integer(None),
            FieldType::Group => FieldValue::Group(vec![String::new(); field.fields.len()]),
        }
    }

    /// True when the value says nothing: empty text or list, unknown date or number. (A
    /// `bool` or `tristate` always says something.)
    pub(crate) fn is_empty(&self) -> bool {
        match self {
            FieldValue::Text(s) | FieldValue::Term(s) | FieldValue::Url(s) => s.trim().is_empty(),
            FieldValue::TextList(v) | FieldValue::Terms(v) | FieldValue::Refs(v) => v.is_empty(),
            FieldValue::Links(v) => v.is_empty(),
            FieldValue::Date(d) => d.is_none(),
            FieldValue::Number(n) => n.is_none(),
            FieldValue::Integer(n) => n.is_none(),
            FieldValue::Group(v) => v.iter().all(|s| s.trim().is_empty()),
            FieldValue::Bool(_) | FieldValue::Tristate(_) => false,
        }
    }

    /// True for a `bool` that is true or a `tristate` that is `yes`.
    pub(crate) fn is_true(&self) -> bool {
        matches!(
            self,
            FieldValue::Bool(true) | FieldValue::Tristate(Tristate::Yes)
        )
    }

    /// The text of a text-like value (`text`, `term`, `url`), else "".
    pub(crate) fn as_str(&self) -> &str {
        match self {
            FieldValue::Text(s) | FieldValue::Term(s) | FieldValue::Url(s) => s,
            _ => "",
        }
    }

    /// The strings of a list value (`text-list`, `terms`, `refs`), else none.
    pub(crate) fn as_list(&self) -> &[String] {
        match self {
            FieldValue::TextList(v) | FieldValue::Terms(v) | FieldValue::Refs(v) => v,
            _ => &[],
        }
    }

    /// The terms of a `term` or `terms` value: none for an empty `term`.
    pub(crate) fn terms(&self) -> &[String] {
        match self {
            FieldValue::Term(s) if s.trim().is_empty() => &[],
            FieldValue::Term(s) => std::slice::from_ref(s),
            FieldValue::Terms(v) => v,
            _ => &[],
        }
    }

    /// The date of a `date` value.
    pub(crate) fn as_date(&self) -> Option<PartialDate> {
        match self {
            FieldValue::Date(d) => *d,
            _ => None,
        }
    }

    /// The links of a `links` value.
    pub(crate) fn as_links(&self) -> &[Link] {
        match self {
            FieldValue::Links(v) => v,
            _ => &[],
        }
    }

    /// The value as front matter writes it, for the JSON export (objects have sorted keys).
    pub(crate) fn to_json(&self, field: &Field) -> serde_json::Value {
        use serde_json::Value;
        let strings = |v: &[String]| Value::Array(v.iter().map(|s| s.as_str().into()).collect());
        match self {
            FieldValue::Text(s) | FieldValue::Term(s) | FieldValue::Url(s) => s.as_str().into(),
            FieldValue::TextList(v) | FieldValue::Terms(v) | FieldValue::Refs(v) => strings(v),
            FieldValue::Bool(b) => (*b).into(),
            FieldValue::Date(d) => d.map_or(Value::Null, |d| d.iso().into()),
            FieldValue::Tristate(t) => t.to_json(),
            FieldValue::Links(links) => serde_json::to_value(links).unwrap_or_default(),
            FieldValue::Number(n) => n.map_or(Value::Null, Value::from),
            FieldValue::Integer(n) => n.map_or(Value::Null, Value::from),
            FieldValue::Group(values) => Value::Object(
                (field.subfields.iter())
                    .zip(values)
                    .map(|(sub, v)| (sub.name.clone(), v.as_str().into()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tristate_is_yes_no_or_unknown() {
        let yes: Tristate = serde_yaml::from_str("true").unwrap();
        let no: Tristate = serde_yaml::from_str("false").unwrap();
        let unknown: Tristate = serde_yaml::from_str("unknown").unwrap();
        assert_eq!(
            (yes, no, unknown),
            (Tristate::Yes, Tristate::No, Tristate::Unknown)
        );
        assert!(serde_yaml::from_str::<Tristate>("maybe").is_err());
        assert_eq!(unknown.to_json(), serde_json::json!("unknown"));
        assert_eq!((yes.rank(), no.key(), no.to_text()), (0, "no", "false"));
    }

    #[test]
    fn emptiness_follows_the_type() {
        assert!(FieldValue::Text("  ".into()).is_empty());
        assert!(FieldValue::Date(None).is_empty());
        assert!(!FieldValue::Bool(false).is_empty());
        assert!(!FieldValue::Tristate(Tristate::Unknown).is_empty());
        assert_eq!(FieldValue::Term(String::new()).terms(), &[] as &[String]);
        assert_eq!(FieldValue::Term("ct".into()).terms(), ["ct".to_string()]);
    }
}
