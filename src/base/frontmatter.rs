//! Splits a content file into YAML front matter and Markdown body, and parses the front matter
//! into typed structs with errors positioned in the file (not in the front-matter block).

use indexmap::IndexMap;
use serde::de::{DeserializeOwned, DeserializeSeed};

use crate::base::diagnostic::{did_you_mean, Diagnostic};

/// A content file cut into its two parts, with the line numbers where each starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` fences.
    pub yaml: &'a str,
    /// 1-based file line of the first YAML line.
    pub yaml_line: usize,
    /// The Markdown after the closing fence.
    pub body: &'a str,
    /// 1-based file line of the first body line.
    pub body_line: usize,
}

/// Strips a UTF-8 byte-order mark, which editors on Windows like to add.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Cuts `text` (BOM already stripped) at its `---` fences. The error is positioned.
pub fn split<'a>(path: &str, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let first_line_end = text.find('\n').map_or(text.len(), |i| i + 1);
    if text.trim().is_empty() {
        return Err(Diagnostic::error(
            path,
            1,
            1,
            "empty file: a page needs front matter between `---` lines",
        )
        .with_hint("start the file with `---`, then `title: …`, then `---`"));
    }
    if text[..first_line_end].trim_end() != "---" {
        return Err(Diagnostic::error(
            path,
            1,
            1,
            "missing front matter: the file must start with a `---` line",
        )
        .with_hint("start the file with `---`, the YAML fields, then another `---`")
        .with_source(text));
    }
    let mut offset = first_line_end;
    let mut line = 2;
    while offset < text.len() {
        let end = text[offset..]
            .find('\n')
            .map_or(text.len(), |i| offset + i + 1);
        if text[offset..end].trim_end() == "---" {
            return Ok(Split {
                yaml: &text[first_line_end..offset],
                yaml_line: 2,
                body: &text[end..],
                body_line: line + 1,
            });
        }
        offset = end;
        line += 1;
    }
    Err(Diagnostic::error(
        path,
        1,
        1,
        "front matter is not closed: no second `---` line",
    )
    .with_hint("end the YAML fields with a line holding only `---`")
    .with_source(text))
}

/// Parses the YAML of `split` into `T`, turning serde errors into a positioned diagnostic.
/// `file_text` is the whole file, for the quoted source line.
pub fn parse<T: DeserializeOwned>(
    path: &str,
    file_text: &str,
    split: &Split<'_>,
) -> Result<T, Diagnostic> {
    check_nesting(path, file_text, split)?;
    // An empty document is YAML `null`; treat it as an empty mapping so "missing field" is reported.
    let yaml = if split.yaml.trim().is_empty() {
        "{}"
    } else {
        split.yaml
    };
    serde_yaml::from_str(yaml).map_err(|err| yaml_diagnostic(path, file_text, split, &err))
}

/// Most problems reported for one file's front matter: past them, the rest is noise.
const MAX_PROBLEMS: usize = 32;

/// What [`parse_seed_all`] makes of front matter that has problems.
#[derive(Debug)]
pub(crate) struct Partial<T> {
    /// The value of what is left once the fields with problems are taken out; `None` when the
    /// YAML itself is broken.
    pub(crate) rest: Option<T>,
    /// Every problem found, in order.
    pub(crate) problems: Vec<Diagnostic>,
    /// The fields taken out (or excused from being required).
    pub(crate) fields: Vec<String>,
}

/// [`parse`] through a [`DeserializeSeed`] (for front matter whose fields are declared at run
/// time), and on past the first problem to every problem of the front matter. After a
/// problem inside a top-level field's block, that block is blanked (its lines kept, empty) and
/// the YAML parsed again; after a missing required field, `make_seed` is asked for a seed that
/// excuses it. So each unknown field, value of the wrong type and missing field is reported once,
/// in the order serde meets them. A problem that no field's block holds (broken YAML) ends the
/// search. `make_seed` gets the names of the fields blanked or excused so far.
pub(crate) fn parse_seed_all<T, S, F>(
    path: &str,
    file_text: &str,
    split: &Split<'_>,
    make_seed: F,
) -> Result<T, Partial<T>>
where
    F: Fn(&[String]) -> S,
    S: for<'de> DeserializeSeed<'de, Value = T>,
{
    let mut partial = Partial {
        rest: None,
        problems: Vec::new(),
        fields: Vec::new(),
    };
    if let Err(d) = check_nesting(path, file_text, split) {
        partial.problems.push(d);
        return Err(partial);
    }
    let mut lines: Vec<String> = split.yaml.lines().map(str::to_string).collect();
    loop {
        let yaml = lines.join("\n");
        let text = if yaml.trim().is_empty() { "{}" } else { &yaml };
        let seed = make_seed(&partial.fields);
        let err = match seed.deserialize(serde_yaml::Deserializer::from_str(text)) {
            Ok(value) if partial.problems.is_empty() => return Ok(value),
            Ok(value) => {
                partial.rest = Some(value);
                return Err(partial);
            }
            Err(err) => err,
        };
        let now = Split {
            yaml: &yaml,
            ..*split
        };
        let d = yaml_diagnostic(path, file_text, &now, &err);
        let raw = strip_location(&err.to_string());
        let located = is_field_problem(&raw)
            && (err.location().is_some() || refine_position(&now, &raw).is_some());
        let missing = (d.message.strip_prefix("missing required field "))
            .and_then(backticked)
            .map(str::to_string);
        let line = d.line.saturating_sub(split.yaml_line);
        partial.problems.push(d);
        let progress = match missing {
            Some(field) if !partial.fields.contains(&field) => {
                partial.fields.push(field);
                true
            }
            Some(_) => false,
            None => located && blank_block(&mut lines, line, &mut partial.fields),
        };
        if !progress || partial.problems.len() >= MAX_PROBLEMS {
            return Err(partial);
        }
    }
}

/// Whether serde's `message` is about one field (its value's type, an unknown, duplicate or
/// missing field) rather than about the YAML itself, after which nothing can be trusted.
fn is_field_problem(message: &str) -> bool {
    let (parent, rest) = field_path(message);
    let about_fields = ["unknown field ", "duplicate field ", "missing field "];
    parent.is_some() || about_fields.iter().any(|p| rest.starts_with(p))
}

/// Blanks the top-level field block that holds YAML line `index` (0-based), noting the field's
/// name in `names`; false when no field block holds it (nothing was blanked).
fn blank_block(lines: &mut [String], index: usize, names: &mut Vec<String>) -> bool {
    if lines.is_empty() {
        return false;
    }
    let is_top_key = |l: &str| {
        !l.starts_with([' ', '\t', '-', '#', '{', '[', '}', ']'])
            && l.split_once(':').is_some_and(|(k, _)| !k.trim().is_empty())
    };
    let Some(start) = (0..=index.min(lines.len() - 1))
        .rev()
        .find(|&i| is_top_key(&lines[i]))
    else {
        return false;
    };
    let end = (start + 1..lines.len())
        .find(|&i| is_top_key(&lines[i]))
        .unwrap_or(lines.len());
    if index >= end {
        return false;
    }
    let name = lines[start].split_once(':').map_or("", |(k, _)| k.trim());
    names.push(name.trim_matches(['"', '\'']).to_string());
    for line in &mut lines[start..end] {
        line.clear();
    }
    true
}

/// Deepest nesting accepted in YAML. The YAML scanner's time grows with the square of the
/// nesting depth (100,000 brackets took minutes); real front matter nests two or three levels.
pub(crate) const MAX_NESTING: usize = 64;

/// Refuses YAML nested deeper than [`MAX_NESTING`] — flow brackets (`[`, `{`, counted even
/// inside quotes, which only errs on the safe side) or block indentation — before parsing it.
fn check_nesting(path: &str, file_text: &str, split: &Split<'_>) -> Result<(), Diagnostic> {
    let mut depth = 0usize;
    for (i, line) in split.yaml.lines().enumerate() {
        let indent = line.len() - line.trim_start_matches([' ', '-', '\t', '?', ':']).len();
        let mut too_deep = (indent > 2 * MAX_NESTING).then_some(1);
        for (col, c) in line.chars().enumerate() {
            match c {
                '[' | '{' => depth += 1,
                ']' | '}' => depth = depth.saturating_sub(1),
                _ => continue,
            }
            if depth > MAX_NESTING {
                too_deep = too_deep.or(Some(col + 1));
                break;
            }
        }
        if let Some(col) = too_deep {
            return Err(Diagnostic::error(
                path,
                split.yaml_line + i,
                col,
                format!("front matter is nested more than {MAX_NESTING} levels deep"),
            )
            .with_hint("front-matter values are flat text, lists or small maps")
            .with_source(file_text));
        }
    }
    Ok(())
}

fn yaml_diagnostic(
    path: &str,
    file_text: &str,
    split: &Split<'_>,
    err: &serde_yaml::Error,
) -> Diagnostic {
    let raw = err.to_string();
    let message = strip_location(&raw);
    let (line, col) = match err.location() {
        Some(loc) => (split.yaml_line + loc.line() - 1, loc.column()),
        None => (split.yaml_line, 1),
    };
    let (line, col) = match unclosed_flow(&message) {
        Some(_) => unclosed_flow_position(split, line),
        None => refine_position(split, &message),
    }
    .unwrap_or((line, col));
    let (message, hint) = friendly(&message);
    let mut d = Diagnostic::error(path, line, col, message).with_source(file_text);
    d.hint = hint;
    d
}

/// serde_yaml writes " at line L column C" into its messages (at the end, and sometimes in the
/// middle too); we print positions ourselves, so every such phrase goes.
fn strip_location(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(i) = rest.find(" at line ") {
        out.push_str(&rest[..i]);
        let after = &rest[i + " at line ".len()..];
        let digits = |s: &str| s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let line_len = digits(after);
        let tail = after[line_len..].strip_prefix(" column ");
        match tail {
            Some(tail) if line_len > 0 && digits(tail) > 0 => rest = &tail[digits(tail)..],
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The bracket missing from a flow list (`]`) or mapping (`}`) YAML found unclosed.
fn unclosed_flow(message: &str) -> Option<char> {
    if message.contains("while parsing a flow sequence") {
        Some(']')
    } else if message.contains("while parsing a flow mapping") {
        Some('}')
    } else {
        None
    }
}

/// Where the flow list or mapping YAML found unclosed was opened: the last line at or before
/// `line` (1-based, in the file) whose brackets do not balance; YAML reports the next line.
fn unclosed_flow_position(split: &Split<'_>, line: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = split.yaml.lines().collect();
    let last = line
        .checked_sub(split.yaml_line)?
        .min(lines.len().checked_sub(1)?);
    (0..=last).rev().find_map(|i| {
        let mut open = Vec::new();
        for (col, c) in lines[i].chars().enumerate() {
            match c {
                '[' | '{' => open.push(col),
                ']' | '}' => {
                    open.pop();
                }
                _ => {}
            }
        }
        open.last().map(|&col| (split.yaml_line + i, col + 1))
    })
}

/// An "unknown field" error points at the key itself where we can find it; a "missing field"
/// error at the start of the front matter (the mapping that lacks it).
fn refine_position(split: &Split<'_>, message: &str) -> Option<(usize, usize)> {
    let (parent, message) = field_path(message);
    if message.starts_with("missing field ") && parent.is_none() {
        return Some((split.yaml_line, 1));
    }
    if let Some(rest) = message.strip_prefix("duplicate key ") {
        return locate_repeat(split, parent?, backticked(rest)?);
    }
    if let Some(rest) = message.strip_prefix("duplicate field ") {
        let key = backticked(rest)?;
        return match parent {
            Some(parent) => locate_repeat(split, parent, key),
            None => locate_second_key(split, key),
        };
    }
    let field = backticked(message.strip_prefix("unknown field ")?)?;
    match parent {
        // Inside a group field (`paper: { isbn: … }`): the key under its parent.
        Some(parent) if !parent.contains('[') => {
            let mut keys: Vec<&str> = parent.split('.').collect();
            keys.push(field);
            locate_path(split, &keys)
        }
        Some(_) => None,
        None => locate_key(split, field),
    }
}

/// The second top-level `key:` of the front matter.
fn locate_second_key(split: &Split<'_>, key: &str) -> Option<(usize, usize)> {
    let mut named = split.yaml.lines().enumerate().filter(|(_, line)| {
        line.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    });
    named.nth(1).map(|(i, _)| (split.yaml_line + i, 1))
}

/// The second occurrence of `key` under the mapping at `parent` (`vocabularies.theme`): the
/// first as [`locate_path`] finds it, then the next line at its indentation naming it again.
fn locate_repeat(split: &Split<'_>, parent: &str, key: &str) -> Option<(usize, usize)> {
    let mut keys: Vec<&str> = parent.split('.').collect();
    keys.push(key);
    let (first, col) = locate_path(split, &keys)?;
    let indent = col - 1;
    let again = split
        .yaml
        .lines()
        .enumerate()
        .skip(first - split.yaml_line + 1);
    for (i, line) in again {
        let own = line.len() - line.trim_start().len();
        if !line.trim().is_empty() && own < indent {
            break;
        }
        let named = line[own..]
            .strip_prefix(key)
            .is_some_and(|r| r.trim_start().starts_with(':'));
        if own == indent && named {
            return Some((split.yaml_line + i, col));
        }
    }
    Some((first, col))
}

/// serde_yaml's path of the value an error is about (`paper.doi: invalid type…` → `paper.doi`),
/// and the rest of the message.
fn field_path(message: &str) -> (Option<&str>, &str) {
    let Some((path, rest)) = message.split_once(": ") else {
        return (None, message);
    };
    let is_path = !path.is_empty()
        && path
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '[' | ']'));
    if is_path {
        (Some(path), rest)
    } else {
        (None, message)
    }
}

fn backticked(s: &str) -> Option<&str> {
    let s = s.strip_prefix('`')?;
    Some(&s[..s.find('`')?])
}

/// Rewrites serde's wording into ours, with a hint.
fn friendly(message: &str) -> (String, Option<String>) {
    let (parent, inner) = field_path(message);
    if let Some(rest) = inner.strip_prefix("unknown field ") {
        return unknown_field(parent, rest);
    }
    if let Some(rest) = message.strip_prefix("missing field ") {
        let field = backticked(rest).unwrap_or(rest);
        return (
            format!("missing required field {rest}"),
            Some(format!(
                "add `{field}: …` to the front matter; `medfm schema` describes every field"
            )),
        );
    }
    if let Some(hint) = hint_for(message, SYNTAX_HINTS) {
        return (message.to_string(), Some(hint.into()));
    }
    if let Some(bracket) = unclosed_flow(message) {
        return (
            format!(
                "this {} is not closed: `{bracket}` is missing",
                if bracket == ']' { "list" } else { "mapping" }
            ),
            Some(format!(
                "end it with `{bracket}` on the same line, e.g. `tasks: [segmentation, detection]`; \
                 quote a value holding `,`, `[`, `]`, `{{` or `}}`"
            )),
        );
    }
    if message.contains("repetition limit exceeded") {
        return (
            "front matter expands too much: its YAML aliases repeat values past the limit".into(),
            Some(
                "write the values out instead of repeating anchors (`&x`) with aliases (`*x`)"
                    .into(),
            ),
        );
    }
    let hint = hint_for(message, VALUE_HINTS);
    (message.to_string(), hint.map(str::to_string))
}

/// `unknown field `x`, expected one of `a`, `b`` under `parent`: the field's full name, and the
/// allowed fields with the nearest first.
fn unknown_field(parent: Option<&str>, rest: &str) -> (String, Option<String>) {
    let field = backticked(rest).unwrap_or(rest);
    let shown = match parent {
        Some(parent) => format!("{parent}.{field}"),
        None => field.to_string(),
    };
    let expected: Vec<&str> = rest.split('`').skip(3).step_by(2).collect();
    let hint = match did_you_mean(field, expected.iter().copied()) {
        Some(best) => format!(
            "did you mean `{best}`? allowed fields: {}",
            expected.join(", ")
        ),
        None => format!("allowed fields: {}", expected.join(", ")),
    };
    (format!("unknown field `{shown}`"), Some(hint))
}

/// Hints for serde's messages that are kept as written: the message contains one of the texts.
type Hints = &'static [(&'static [&'static str], &'static str)];

/// Hints for mistakes of YAML's syntax and of a field's shape, checked first.
const SYNTAX_HINTS: Hints = &[
    (&["duplicate field", "duplicate entry"], "each field may appear only once"),
    (
        &["mapping values are not allowed"],
        "a value containing `: ` must be quoted, e.g. summary: \"A: B\" (or 'A: B')",
    ),
    (
        &["is a number with a unit: write"],
        "front matter gives the number alone: the site adds the unit declared in site.yaml when it shows the value",
    ),
];

/// Hints for values written wrongly, checked last.
const VALUE_HINTS: Hints = &[
    (
        &["invalid date `", " in date `", "expected a date as "],
        "write a date as 2024, 2024-03 or 2024-03-05, as precise as the source; \
         leave it empty if the source gives none",
    ),
    (
        &[
            "found character that cannot start any token",
            "found a tab character",
        ],
        "YAML does not allow tabs for indentation; use spaces",
    ),
];

/// The hint of the first entry of `hints` one of whose texts `message` contains.
fn hint_for(message: &str, hints: Hints) -> Option<&'static str> {
    (hints.iter())
        .find(|(texts, _)| texts.iter().any(|t| message.contains(t)))
        .map(|&(_, hint)| hint)
}

/// The 1-based file position of a top-level `key:` in the front matter.
pub(crate) fn locate_key(split: &Split<'_>, key: &str) -> Option<(usize, usize)> {
    split.yaml.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix(key)?;
        rest.trim_start()
            .starts_with(':')
            .then_some((split.yaml_line + i, 1))
    })
}

/// The 1-based file position of `value` within the block of top-level field `key`
/// (the key's line and the indented lines after it); falls back to the key itself.
pub(crate) fn locate_value(split: &Split<'_>, key: &str, value: &str) -> Option<(usize, usize)> {
    let (key_line, _) = locate_key(split, key)?;
    let lines: Vec<&str> = split.yaml.lines().collect();
    let first = key_line - split.yaml_line;
    for (i, line) in lines.iter().enumerate().skip(first) {
        if i > first && !line.starts_with([' ', '-', '\t']) && !line.trim().is_empty() {
            break;
        }
        let search_from = if i == first { key.len() + 1 } else { 0 };
        if let Some(pos) = line.get(search_from..).and_then(|rest| rest.find(value)) {
            let col = line[..search_from + pos].chars().count() + 1;
            return Some((split.yaml_line + i, col));
        }
    }
    Some((key_line, 1))
}

/// The 1-based file position of the nested key `path` (`["collections", "models", "fields"]`)
/// in block YAML: each key is looked for among the lines indented under the previous one, then
/// inside the previous key's line (a flow mapping such as `a: { b: 1 }`). Where the path stops
/// being found, the position of the deepest key found is returned.
pub(crate) fn locate_path(split: &Split<'_>, path: &[&str]) -> Option<(usize, usize)> {
    let lines: Vec<&str> = split.yaml.lines().collect();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let is_key = |l: &str, key: &str| {
        let t = l.trim_start().trim_start_matches("- ");
        t.strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with(':'))
    };
    let mut found: Option<(usize, usize)> = None;
    // The block being searched: lines after `start`, indented deeper than `depth`.
    let (mut start, mut depth) = (0usize, None::<usize>);
    for key in path {
        let from = if depth.is_some() { start + 1 } else { 0 };
        let content = |l: &&str| !l.trim().is_empty() && !l.trim_start().starts_with('#');
        let block: Vec<(usize, &str)> = lines
            .iter()
            .copied()
            .enumerate()
            .skip(from)
            .take_while(|(_, l)| !content(l) || depth.is_none_or(|d| indent(l) > d))
            .filter(|(_, l)| content(l))
            .collect();
        // Keys of this level are the least indented lines of the block.
        let level = block.iter().map(|(_, l)| indent(l)).min();
        let hit = block
            .iter()
            .find(|(_, l)| Some(indent(l)) == level && is_key(l, key));
        match hit {
            Some(&(i, l)) => {
                found = Some((split.yaml_line + i, indent(l) + 1));
                (start, depth) = (i, Some(indent(l)));
            }
            None => {
                let line = lines.get(start).filter(|_| depth.is_some())?;
                let col = line
                    .find(&format!("{key}:"))
                    .map(|b| line[..b].chars().count() + 1);
                return col.map(|c| (split.yaml_line + start, c)).or(found);
            }
        }
    }
    found
}

/// Deserialises a mapping whose keys must be unique, for `#[serde(deserialize_with)]`: YAML
/// forbids a repeated key, but serde_yaml lets the last one silently replace the first.
pub(crate) fn unique_keys<'de, D, V>(deserializer: D) -> Result<IndexMap<String, V>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: serde::Deserialize<'de>,
{
    <UniqueKeys<V> as serde::Deserialize>::deserialize(deserializer).map(|m| m.0)
}

/// A mapping of mappings, both with unique keys (see [`unique_keys`]).
pub(crate) fn unique_nested_keys<'de, D, V>(
    deserializer: D,
) -> Result<IndexMap<String, IndexMap<String, V>>, D::Error>
where
    D: serde::Deserializer<'de>,
    V: serde::Deserialize<'de>,
{
    let outer = <UniqueKeys<UniqueKeys<V>> as serde::Deserialize>::deserialize(deserializer)?;
    Ok(outer.0.into_iter().map(|(k, v)| (k, v.0)).collect())
}

/// An [`IndexMap`] whose deserialisation refuses a repeated key.
struct UniqueKeys<V>(IndexMap<String, V>);

impl<'de, V: serde::Deserialize<'de>> serde::Deserialize<'de> for UniqueKeys<V> {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Keys<V>(std::marker::PhantomData<V>);
        impl<'de, V: serde::Deserialize<'de>> serde::de::Visitor<'de> for Keys<V> {
            type Value = UniqueKeys<V>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a mapping")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Self::Value, A::Error> {
                let mut out = IndexMap::new();
                while let Some(key) = map.next_key::<String>()? {
                    if out.contains_key(&key) {
                        return Err(serde::de::Error::custom(format!(
                            "duplicate key `{key}`: a key may appear once in a mapping"
                        )));
                    }
                    let value = map.next_value()?;
                    out.insert(key, value);
                }
                Ok(UniqueKeys(out))
            }
        }
        deserializer.deserialize_map(Keys(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[test]
    fn locates_nested_keys() {
        let text = "a:\n  b:\n    c: 1\n  d: { e: 2 }\nc: 3\n";
        let s = Split {
            yaml: text,
            yaml_line: 1,
            body: "",
            body_line: 0,
        };
        assert_eq!(locate_path(&s, &["a", "b", "c"]), Some((3, 5)));
        assert_eq!(locate_path(&s, &["c"]), Some((5, 1)));
        assert_eq!(locate_path(&s, &["a", "d", "e"]), Some((4, 8)));
        assert_eq!(locate_path(&s, &["a", "x"]), Some((1, 1)));
        assert_eq!(locate_path(&s, &["x"]), None);
    }

    #[test]
    fn every_serde_position_is_stripped_from_messages() {
        assert_eq!(
            strip_location(
                "found a tab character that violates indentation at line 2 column 1, while scanning a plain scalar at line 3 column 1"
            ),
            "found a tab character that violates indentation, while scanning a plain scalar"
        );
        assert_eq!(strip_location("bad at line 7"), "bad at line 7");
        assert_eq!(strip_location("plain"), "plain");
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Meta {
        #[allow(dead_code)]
        title: String,
        #[serde(default)]
        #[allow(dead_code)]
        tags: Vec<String>,
    }

    #[test]
    fn splits_and_counts_lines() {
        let text = "---\ntitle: a\n---\nbody\n";
        let s = split("p.md", text).unwrap();
        assert_eq!(s.yaml, "title: a\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn crlf_works() {
        let text = "---\r\ntitle: a\r\n---\r\nbody\r\n";
        let s = split("p.md", text).unwrap();
        let meta: Meta = parse("p.md", text, &s).unwrap();
        assert_eq!(meta.title, "a");
    }

    #[test]
    fn unclosed_and_empty_are_errors() {
        assert!(split("p.md", "---\ntitle: a\n")
            .unwrap_err()
            .message
            .contains("not closed"));
        assert!(split("p.md", "").unwrap_err().message.contains("empty"));
        assert!(split("p.md", "# hi")
            .unwrap_err()
            .message
            .contains("missing front matter"));
    }

    #[test]
    fn unknown_field_is_located_with_suggestion() {
        let text = "---\ntitle: a\ntagz: [x]\n---\n";
        let s = split("p.md", text).unwrap();
        let d = parse::<Meta>("p.md", text, &s).unwrap_err();
        assert_eq!((d.line, d.col), (3, 1));
        assert_eq!(d.message, "unknown field `tagz`");
        assert!(d.hint.unwrap().starts_with("did you mean `tags`?"));
    }

    #[test]
    fn type_error_is_located_in_file_lines() {
        let text = "---\ntitle: a\ntags: 3\n---\n";
        let s = split("p.md", text).unwrap();
        let d = parse::<Meta>("p.md", text, &s).unwrap_err();
        assert_eq!(d.line, 3);
        assert!(d.message.contains("invalid type"), "{}", d.message);
    }

    #[test]
    fn missing_field() {
        let text = "---\ntags: []\n---\n";
        let s = split("p.md", text).unwrap();
        let d = parse::<Meta>("p.md", text, &s).unwrap_err();
        assert_eq!(d.message, "missing required field `title`");
    }

    #[test]
    fn locates_values() {
        let text = "---\ntitle: a\ntags:\n  - x\n  - CT scan\nother: 1\n---\n";
        let s = split("p.md", text).unwrap();
        assert_eq!(locate_value(&s, "tags", "CT scan"), Some((5, 5)));
        assert_eq!(locate_value(&s, "title", "a"), Some((2, 8)));
    }

    #[test]
    fn deep_nesting_is_refused_before_parsing() {
        let deep = format!(
            "---\ntitle: a\ntags: {}{}\n---\n",
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let s = split("p.md", &deep).unwrap();
        let d = parse::<Meta>("p.md", &deep, &s).unwrap_err();
        assert_eq!((d.line, d.col), (3, 7 + MAX_NESTING));
        assert!(d.message.contains("nested more than"), "{}", d.message);
        let block = format!("---\ntitle: a\ntags:\n{}x\n---\n", "- ".repeat(10_000));
        let s = split("p.md", &block).unwrap();
        assert!(parse::<Meta>("p.md", &block, &s)
            .unwrap_err()
            .message
            .contains("nested"));
        let fine = "---\ntitle: a\ntags: [[x]]\n---\n";
        let s = split("p.md", fine).unwrap();
        assert!(!parse::<Meta>("p.md", fine, &s)
            .unwrap_err()
            .message
            .contains("nested"));
    }
}
