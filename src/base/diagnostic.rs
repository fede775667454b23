//! Located diagnostics for content errors, printed like a compiler:
//! `content/models/medsam.md:7:3: error: unknown modality "CT scan"`, the source line and a caret.

use std::borrow::Cow;
use std::fmt;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is: errors fail the build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the build or the check.
    Error,
    /// Reported, but the build goes on.
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

/// One problem found in a file, with its position (1-based line and column; 0 = unknown).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path of the offending file, as shown to the user (relative to the project root).
    pub path: PathBuf,
    /// 1-based line, 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column (in characters), 0 when unknown.
    pub col: usize,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// How to fix it (e.g. "did you mean …", the allowed values).
    pub hint: Option<String>,
    /// The offending source line, shown under the message (a boxed `str`: the type stays within
    /// 120 bytes, which results carrying it pass around).
    pub source_line: Option<Box<str>>,
    /// Column of the caret under `source_line` when it is an excerpt (0: same as `col`); at
    /// most about half of [`SOURCE_LINE_MAX_CHARS`], so a byte keeps the type small.
    source_col: u8,
    /// Notes, and the pages a problem of a template was found on: behind one pointer, as most
    /// diagnostics have neither and every `Result` carrying one should stay small.
    extra: Option<Box<Extra>>,
}

/// How many pages one problem was found on, and the one shown as the example.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Pages {
    count: usize,
    example: String,
}

/// What few diagnostics carry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Extra {
    /// What else to know, one line each, printed before the hint (e.g. each missing part of a
    /// translation, where a problem has several).
    notes: Vec<String>,
    /// The pages it was found on (see [`Diagnostic::on_page`]).
    pages: Option<Pages>,
}

impl Diagnostic {
    /// An error in `path` at `line`:`col`.
    pub fn error(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            path: path.into(),
            line,
            col,
            severity: Severity::Error,
            message: message.into(),
            hint: None,
            source_line: None,
            source_col: 0,
            extra: None,
        }
    }

    /// A warning in `path` at `line`:`col`.
    pub fn warning(
        path: impl Into<PathBuf>,
        line: usize,
        col: usize,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, line, col, message)
        }
    }

    /// Adds a note, printed after the message and the notes before it.
    pub fn with_note(mut self, note: impl Into<String>) -> Self {
        self.push_note(note);
        self
    }

    /// Adds a note to a diagnostic already made.
    pub fn push_note(&mut self, note: impl Into<String>) {
        self.extra
            .get_or_insert_with(Box::default)
            .notes
            .push(note.into());
    }

    /// The notes, in order.
    pub fn notes(&self) -> &[String] {
        self.extra.as_deref().map_or(&[], |e| e.notes.as_slice())
    }

    /// Adds a hint printed after the message.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attaches the offending line, taken from the whole file's text. A line longer than
    /// [`SOURCE_LINE_MAX_CHARS`] is cut to that many characters around the column, with `…` for
    /// what was left out (a one-line 50 MB file must not be printed whole).
    pub fn with_source(mut self, file_text: &str) -> Self {
        if self.line > 0 {
            self.source_line = file_text
                .lines()
                .nth(self.line - 1)
                .map(|l| l.trim_end_matches('\r'))
                .map(|line| self.excerpt(line).into());
        }
        self
    }

    /// `line`, or the part of it around the column (the column moves with the cut).
    fn excerpt(&mut self, line: &str) -> String {
        let count = line.chars().take(SOURCE_LINE_MAX_CHARS + 1).count();
        if count <= SOURCE_LINE_MAX_CHARS {
            return line.to_string();
        }
        let start = self.col.saturating_sub(SOURCE_LINE_MAX_CHARS / 2 + 1);
        let mut chars = line.chars().skip(start);
        let kept: String = chars.by_ref().take(SOURCE_LINE_MAX_CHARS).collect();
        let mut out = String::new();
        // The caret counts a leading `…` as one column.
        let caret = if start > 0 {
            self.col - start + 1
        } else {
            self.col
        };
        self.source_col = u8::try_from(caret).unwrap_or(0);
        if start > 0 {
            out.push('…');
        }
        out.push_str(&kept);
        if chars.next().is_some() {
            out.push('…');
        }
        out
    }

    /// Marks the problem as found while rendering `page` (a site path). The same problem found on
    /// several pages — a mistake in a template every page uses — is reported once, with the
    /// number of pages and one of them (see [`Diagnostics::sort`]).
    pub fn on_page(mut self, page: impl Into<String>) -> Self {
        self.extra.get_or_insert_with(Box::default).pages = Some(Pages {
            count: 1,
            example: page.into(),
        });
        self
    }

    /// The pages it was found on, if recorded.
    fn pages(&self) -> Option<&Pages> {
        self.extra.as_deref()?.pages.as_ref()
    }

    /// The message with the pages it was found on, as printed.
    pub fn full_message(&self) -> String {
        match self.pages() {
            None => self.message.clone(),
            Some(Pages { count: 1, example }) => format!("{} (rendering {example})", self.message),
            Some(Pages { count, example }) => {
                format!("{} (rendering {count} pages, e.g. {example})", self.message)
            }
        }
    }

    /// True for errors.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `path:line:col`, leaving out unknown parts.
    pub fn location(&self) -> String {
        let path = self.path.display();
        match (self.line, self.col) {
            (0, _) => format!("{path}"),
            (line, 0) => format!("{path}:{line}"),
            (line, col) => format!("{path}:{line}:{col}"),
        }
    }

    /// The GitHub Actions annotation form: `::error file=…,line=…,col=…::message`.
    pub fn to_github(&self) -> String {
        let mut props = format!("file={}", github_property(&self.path.display().to_string()));
        if self.line > 0 {
            let _ = write!(props, ",line={}", self.line);
        }
        if self.col > 0 {
            let _ = write!(props, ",col={}", self.col);
        }
        let mut message = self.full_message();
        for note in self.notes() {
            let _ = write!(message, "\n{note}");
        }
        if let Some(hint) = &self.hint {
            let _ = write!(message, " ({hint})");
        }
        format!("::{} {props}::{}", self.severity, github_escape(&message))
    }
}

/// A property value of an annotation (`file=…`): its own separators are escaped too.
fn github_property(s: &str) -> String {
    github_escape(s).replace(':', "%3A").replace(',', "%2C")
}

fn github_escape(s: &str) -> String {
    let s = s
        .replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A");
    escape_controls(&s).into_owned()
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            escape_controls(&self.location()),
            self.severity,
            escape_controls(&self.full_message())
        )?;
        if let Some(line) = &self.source_line {
            let gutter = self.line.to_string();
            write!(f, "\n {gutter} | {}", escape_controls(line))?;
            let col = match self.source_col {
                0 => self.col,
                excerpt => usize::from(excerpt),
            };
            if col > 0 {
                let before: String = line.chars().take(col - 1).collect();
                write!(
                    f,
                    "\n {} | {}^",
                    " ".repeat(gutter.len()),
                    caret_pad(&before)
                )?;
            }
        }
        for note in self.notes() {
            write!(f, "\n  = note: {}", escape_controls(note))?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {}", escape_controls(hint))?;
        }
        Ok(())
    }
}

/// `text` with control characters (an escape sequence in a value or a file name could clear or
/// rewrite the terminal) written as `\u{1b}`; tabs stay, they only move the cursor.
pub(crate) fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c.is_control() && c != '\t') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_control() && c != '\t' {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// The blanks that put a caret under the character after `before` as a terminal shows the line:
/// tabs kept, a wide (CJK) character two columns, an escaped control character as long as its
/// escape.
fn caret_pad(before: &str) -> String {
    let mut pad = String::new();
    for c in before.chars() {
        let width = match c {
            '\t' => {
                pad.push('\t');
                continue;
            }
            c if c.is_control() => escape_controls(c.encode_utf8(&mut [0; 4])).len(),
            c => unicode_width::UnicodeWidthChar::width(c).unwrap_or(0),
        };
        pad.extend(std::iter::repeat_n(' ', width));
    }
    pad
}

/// Longest source line quoted under a diagnostic, in characters.
pub(crate) const SOURCE_LINE_MAX_CHARS: usize = 160;

/// A collection of diagnostics that reads as one error.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Number of errors (not warnings).
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    /// True when at least one error is present.
    pub fn has_errors(&self) -> bool {
        self.error_count() > 0
    }

    /// Sorts by file, line and column so output is stable, and drops repeats: the same problem
    /// found on several pages ([`Diagnostic::on_page`]) becomes one, counting the pages, with the
    /// shortest page path (then the first) as its example and that page's hint.
    pub fn sort(&mut self) {
        let example = |d: &Diagnostic| d.pages().map(|p| (p.example.len(), p.example.clone()));
        self.0.sort_by(|a, b| {
            (&a.path, a.line, a.col, &a.message, a.severity, example(a)).cmp(&(
                &b.path,
                b.line,
                b.col,
                &b.message,
                b.severity,
                example(b),
            ))
        });
        self.0.dedup_by(|later, kept| {
            let same = (
                &later.path,
                later.line,
                later.col,
                &later.message,
                later.severity,
            ) == (
                &kept.path,
                kept.line,
                kept.col,
                &kept.message,
                kept.severity,
            );
            let more = later.pages().map(|p| p.count);
            if kept.pages().is_none() {
                return more.is_none() && later == kept;
            }
            match (
                kept.extra.as_deref_mut().and_then(|e| e.pages.as_mut()),
                more,
            ) {
                (Some(pages), Some(more)) if same => {
                    pages.count += more;
                    true
                }
                _ => false,
            }
        });
    }

    /// Summary line: `3 errors, 1 warning`.
    pub fn summary(&self) -> String {
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        format!(
            "{}, {}",
            plural(self.error_count(), "error"),
            plural(self.warning_count(), "warning")
        )
    }
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        write!(f, "{}", self.summary())
    }
}

impl std::error::Error for Diagnostics {}

/// Turns a byte offset in `text` into a 1-based (line, column in characters).
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// An error and its causes on one line (`a: b: c`): Tera nests the real cause of a render error.
pub(crate) fn error_chain(err: &dyn std::error::Error) -> String {
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// Shows `path` relative to `root` when it lies inside it.
pub(crate) fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The closest candidate to `word` by edit distance, if close enough to be a likely typo: a
/// third of the candidate's length (at least 2) but never the whole of either word (`分割` is
/// two edits from `ct`, and no typo of it), or a candidate `word` contains (`CT scan` → `ct`).
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let len = lower.chars().count();
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&lower, &c.to_lowercase()), c))
        .filter(|(d, c)| {
            let c_len = c.chars().count();
            (*d <= (c_len / 3).max(2) && *d < len.min(c_len)) || lower.contains(&c.to_lowercase())
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_like_a_compiler() {
        let text = "---\ntitle: x\nmodalities: [CT scan]\n";
        let d = Diagnostic::error("content/models/x.md", 3, 14, "unknown modality \"CT scan\"")
            .with_hint("did you mean \"ct\"?")
            .with_source(text);
        assert_eq!(
            d.to_string(),
            "content/models/x.md:3:14: error: unknown modality \"CT scan\"\n 3 | modalities: [CT scan]\n   |              ^\n  = help: did you mean \"ct\"?"
        );
    }

    #[test]
    fn a_long_line_is_quoted_around_the_column() {
        let line = format!("{}X{}", "a".repeat(4999), "b".repeat(5000));
        let text = format!("---\n{line}\n");
        let d = Diagnostic::error("a.md", 2, 5000, "bad").with_source(&text);
        let shown = d.to_string();
        let mut lines = shown.lines().skip(1);
        let quoted = lines.next().unwrap().split_once(" | ").unwrap().1;
        let caret = lines.next().unwrap().split_once(" | ").unwrap().1;
        assert_eq!(
            quoted.chars().count(),
            SOURCE_LINE_MAX_CHARS + 2,
            "{quoted}"
        );
        assert!(quoted.starts_with('…') && quoted.ends_with('…'));
        let under = quoted.chars().nth(caret.chars().count() - 1);
        assert_eq!(under, Some('X'), "caret {caret:?}");
        let start = Diagnostic::error("a.md", 2, 3, "bad").with_source(&text);
        let quoted = start.source_line.unwrap();
        assert!(quoted.starts_with("aaa") && quoted.ends_with('…'));
    }

    #[test]
    fn one_problem_on_many_pages_is_reported_once() {
        let on = |page: &str, hint: &str| {
            Diagnostic::error("templates/base.html", 3, 5, "unknown filter `x`")
                .with_hint(hint)
                .on_page(page)
        };
        let mut d = Diagnostics(vec![
            on("en/models/b.html", "en"),
            Diagnostic::error("content/a.md", 1, 1, "bad"),
            on("models/b.html", "zh"),
            on("models/a.html", "zh"),
            Diagnostic::error("content/a.md", 1, 1, "bad"),
        ]);
        d.sort();
        assert_eq!(d.0.len(), 2, "{d:?}");
        assert_eq!(
            d.0[1].to_string(),
            "templates/base.html:3:5: error: unknown filter `x` (rendering 3 pages, e.g. models/a.html)\n  = help: zh"
        );
        let mut one = Diagnostics(vec![on("index.html", "h")]);
        one.sort();
        assert!(one.0[0]
            .to_string()
            .contains("unknown filter `x` (rendering index.html)"));
    }

    #[test]
    fn control_characters_are_escaped_and_the_caret_follows_display_width() {
        let mut d = Diagnostic::error("a\u{1b}[2J.md", 1, 5, "bad \u{1b}[2Jvalue");
        d.source_line = Some("模态: \u{7}x".into());
        d.hint = Some("no \u{0}".into());
        assert_eq!(
            d.to_string(),
            "a\\u{1b}[2J.md:1:5: error: bad \\u{1b}[2Jvalue\n 1 | 模态: \\u{7}x\n   |       ^\n  = help: no \\u{0}"
        );
        let mut wide = Diagnostic::error("a.md", 1, 5, "x");
        wide.source_line = Some("模态: x".into());
        assert!(
            wide.to_string().ends_with(" 1 | 模态: x\n   |       ^"),
            "{wide}"
        );
    }

    #[test]
    fn github_annotation() {
        let d = Diagnostic::error("a.md", 2, 1, "bad\nthing");
        assert_eq!(d.to_github(), "::error file=a.md,line=2,col=1::bad%0Athing");
        let d = Diagnostic::warning("a.md", 0, 0, "incomplete")
            .with_note("one")
            .with_note("two")
            .with_hint("fix");
        assert_eq!(
            d.to_github(),
            "::warning file=a.md::incomplete%0Aone%0Atwo (fix)"
        );
    }

    #[test]
    fn notes_come_before_the_help() {
        let d = Diagnostic::warning("a.md", 2, 1, "incomplete")
            .with_source("---\nx\n")
            .with_note("one")
            .with_note("two")
            .with_hint("fix");
        assert_eq!(
            d.to_string(),
            "a.md:2:1: warning: incomplete\n 2 | x\n   | ^\n  = note: one\n  = note: two\n  = help: fix"
        );
    }

    #[test]
    fn line_col_counts_characters() {
        assert_eq!(line_col("ab\n病理x", 9), (2, 3));
        assert_eq!(line_col("abc", 0), (1, 1));
    }

    #[test]
    fn suggests_close_words() {
        assert_eq!(did_you_mean("CT scan", ["ct", "mri"]), Some("ct"));
        assert_eq!(
            did_you_mean("ultrasond", ["ct", "ultrasound"]),
            Some("ultrasound")
        );
        assert_eq!(did_you_mean("zzzzzz", ["ct", "mri"]), None);
        assert_eq!(did_you_mean("分割", ["ct", "mri"]), None);
        assert_eq!(did_you_mean("mr", ["ct", "mri"]), Some("mri"));
    }
}
