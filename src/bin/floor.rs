//! `floor`: the lower bound a static site generator can reach on a corpus — every Markdown file
//! under a folder read, parsed with pulldown-cmark and rendered to HTML with its fenced code
//! highlighted by syntect (the same parser options and highlighter as `medfm`), on all cores,
//! with no front-matter parsing beyond the cut, no templates and no writes.
//!
//! `floor <content-dir> [--no-highlight]` prints pages, HTML bytes and the time; `bench/run.sh`
//! measures the whole process with hyperfine like every other build. `--no-highlight` emits code
//! blocks as escaped text, which shows what highlighting costs compared with Markdown itself.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{Context, Result};
use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};
use rayon::prelude::*;

use medfm::{escape_code, highlight_block, parser_options};

/// The same allocator as `medfm`, so the two are measured alike.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let highlight = !args.iter().any(|a| a == "--no-highlight");
    let Some(dir) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: floor <content-dir> [--no-highlight]");
        return ExitCode::from(2);
    };
    match run(Path::new(dir), highlight) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("floor: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(dir: &Path, highlight: bool) -> Result<()> {
    let start = Instant::now();
    let files = markdown_files(dir);
    let bytes: Vec<usize> = files
        .par_iter()
        .map(|path| {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("reading {}", path.display()))?;
            Ok(render(body(&text), highlight).len())
        })
        .collect::<Result<_>>()?;
    println!(
        "floor: {} pages, {} bytes of HTML, {:.3} s on {} threads (highlighting {})",
        files.len(),
        bytes.iter().sum::<usize>(),
        start.elapsed().as_secs_f64(),
        rayon::current_num_threads(),
        if highlight { "on" } else { "off" }
    );
    Ok(())
}

fn markdown_files(dir: &Path) -> Vec<PathBuf> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file() && e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.into_path())
        .collect()
}

/// The text after the closing `---` of the front matter.
fn body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("---\n") else {
        return text;
    };
    match rest.find("\n---\n") {
        Some(i) => &rest[i + 5..],
        None => rest,
    }
}

/// Markdown to HTML; fenced code through syntect (or escaped when `highlight` is off).
fn render(body: &str, highlight: bool) -> String {
    let mut events = Vec::new();
    let mut code: Option<(String, String)> = None;
    for event in Parser::new_ext(body, parser_options()) {
        match (event, code.as_mut()) {
            (Event::Start(Tag::CodeBlock(kind)), _) => {
                let lang = match kind {
                    CodeBlockKind::Fenced(l) => l.to_string(),
                    CodeBlockKind::Indented => String::new(),
                };
                code = Some((lang, String::new()));
            }
            (Event::Text(t), Some((_, text))) => text.push_str(&t),
            (Event::End(TagEnd::CodeBlock), Some(_)) => {
                let (lang, text) = code.take().unwrap_or_default();
                let html = if highlight {
                    highlight_block(&lang, &text)
                } else {
                    escape_code(&text)
                };
                events.push(Event::Html(html.into()));
            }
            (other, _) => events.push(other),
        }
    }
    let mut html = String::with_capacity(body.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    html
}
