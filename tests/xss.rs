//! No script injection from content: the classic XSS payloads go through every front-matter
//! field of a work (both languages) and of a section page, and through raw HTML, headings, code
//! and links in the body. Every file of the built site is then checked where a browser or a feed
//! reader would run script: HTML (DOM-level: no event-handler attributes, no script URLs, no
//! script element but the templates' own, local files and JSON-LD that parses, no frames), the search-index and
//! other JavaScript (evaluated with node in a sandbox whose `alert` throws), feeds and sitemaps
//! (no markup), JSON exports. The payloads must survive as text (escaped, not dropped).

use std::fmt::Write as _;
use std::fs;
use std::path::Path;
use std::process::Command;

use crate::common::{select, TestProject};

/// Each breaks out of a different context: element, attribute, title, script, JS string, URL.
const PAYLOADS: [&str; 9] = [
    "<script>alert('t')</script>",
    "\"><script>alert('a')</script>",
    "'><img src=x onerror=alert('i')>",
    "</title><script>alert('ti')</script>",
    "</script><script>alert('js')</script><!--",
    "\" onmouseover=\"alert('m')",
    "<svg/onload=alert('s')>",
    "javascript:alert('j')",
    "ls\u{2028}\u{2029}';alert('ls');//",
];

/// All payloads in one string, tagged with the field name so a leak says where it came from.
fn payload(field: &str) -> String {
    format!("{field} {}", PAYLOADS.join(" "))
}

/// A YAML double-quoted string.
fn q(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

const BODY: &str = r#"## <img src=x onerror=alert('h')> heading

<script>alert('body')</script>

<img src=x onerror="alert('body-img')">

<a href="javascript:alert('body-a')">click</a> <a href=" JaVaScRiPt:alert('body-b')">b</a>

<iframe src="javascript:alert('f')"></iframe><object data="x.swf"></object><embed src="x">

<div style="background:url(javascript:alert('css'))" onclick="alert('c')">x</div>

<svg><script>alert('svg')</script></svg><math><mtext><table><mglyph><style><img src=x onerror=alert('mx')>

<form action="javascript:alert('form')"><button formaction="javascript:alert('fa')">go</button></form>

**<b onmouseover=alert('b')>bold</b>** <details open ontoggle=alert('d')>x</details>

```python
print("</code></pre><script>alert('code')</script>")
```
"#;

fn xss_work() -> String {
    let fields = [
        "title",
        "full_name",
        "summary",
        "venue",
        "venue_detail",
        "data_scale",
        "headline",
        "discrepancy",
    ];
    let mut fm =
        String::from("---\nkind: model\nstrand: reference\ntheme: foundations\ndate: 2023\n");
    for f in fields {
        let _ = writeln!(fm, "{f}: {}", q(&payload(f)));
    }
    let _ = write!(
        fm,
        "aliases: [{}]\ninstitutions: [{}]\n",
        q(&payload("alias")),
        q(&payload("institution"))
    );
    let _ = write!(fm, "paper:\n  title: {}\n", q(&payload("paper")));
    let _ = write!(
        fm,
        "links:\n  - label: {}\n    url: https://example.org/x\n",
        q(&payload("label"))
    );
    format!("{fm}---\n\n{BODY}")
}

fn xss_translation() -> String {
    let mut fm = String::from("---\n");
    for f in [
        "title",
        "full_name",
        "summary",
        "data_scale",
        "headline",
        "discrepancy",
    ] {
        let _ = writeln!(fm, "{f}: {}", q(&payload(&format!("en-{f}"))));
    }
    format!("{fm}---\n\n{BODY}")
}

fn xss_site() -> TestProject {
    let p = TestProject::fixture("minimal");
    p.write("content/models/xss.md", xss_work());
    p.write("content/models/xss.en.md", xss_translation());
    let about = format!(
        "---\ntitle: {}\nsummary: {}\nweight: 5\n---\n\n{BODY}",
        q(&payload("page-title")),
        q(&payload("page-summary"))
    );
    p.write("content/about.md", about);
    p.build().assert_ok();
    p
}

fn is_script_url(value: &str) -> bool {
    let compact: String = value
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| compact.starts_with(s))
}

/// DOM-level check of one HTML file; returns every problem found.
fn html_problems(rel: &str, text: &str) -> Vec<String> {
    let doc = scraper::Html::parse_document(text);
    let mut out = Vec::new();
    for el in select(&doc, "*") {
        let name = el.value().name();
        if ["iframe", "frame", "object", "embed", "base"].contains(&name) {
            out.push(format!("{rel}: <{name}> element"));
        }
        for (attr, value) in el.value().attrs() {
            let attr = attr.to_ascii_lowercase();
            if attr.starts_with("on") {
                out.push(format!("{rel}: <{name} {attr}=…>"));
            }
            if [
                "href",
                "src",
                "action",
                "formaction",
                "xlink:href",
                "data",
                "poster",
                "background",
            ]
            .contains(&attr.as_str())
                && is_script_url(value)
            {
                out.push(format!("{rel}: <{name} {attr}=\"{value}\">"));
            }
            if attr == "style" && value.to_ascii_lowercase().contains("javascript") {
                out.push(format!("{rel}: script in style attribute"));
            }
        }
        if name == "script" {
            let body: String = el.text().collect();
            match (el.value().attr("src"), el.value().attr("type")) {
                (Some(src), _) if body.trim().is_empty() && !src.contains(':') => {}
                (None, Some("application/ld+json")) => {
                    if serde_json::from_str::<serde_json::Value>(&body).is_err() {
                        out.push(format!(
                            "{rel}: JSON-LD that does not parse (broken out of?): {body}"
                        ));
                    }
                }
                // The templates' own inline scripts are fine; every payload calls `alert`.
                (None, _) if !body.contains("alert") => {}
                _ => out.push(format!("{rel}: foreign <script>: {}", el.html())),
            }
        }
    }
    out
}

#[test]
fn no_payload_survives_as_markup_in_any_html_file() {
    let p = xss_site();
    let mut problems = Vec::new();
    let files = crate::common::files(&p.out());
    for rel in files.iter().filter(|f| f.ends_with(".html")) {
        problems.extend(html_problems(rel, &p.read(rel)));
    }
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn payloads_are_escaped_not_dropped() {
    let p = xss_site();
    let doc = p.html("models/xss.html");
    let h1: String = select(&doc, "h1").first().unwrap().text().collect();
    assert_eq!(h1, payload("title"));
    let desc = select(&doc, "meta[name=description]")
        .first()
        .unwrap()
        .value()
        .attr("content")
        .unwrap()
        .to_string();
    assert_eq!(desc, payload("summary"));
    let text: String = doc.root_element().text().collect();
    for field in [
        "full_name",
        "venue_detail",
        "data_scale",
        "headline",
        "discrepancy",
        "institution",
        "label",
    ] {
        assert!(
            text.contains(&payload(field)),
            "{field} was dropped or mangled"
        );
    }
    let en = p.html("en/models/xss.html");
    let h1: String = select(&en, "h1").first().unwrap().text().collect();
    assert_eq!(h1, payload("en-title"));
    let code: String = select(&doc, "pre.code").first().unwrap().text().collect();
    assert!(
        code.contains("</code></pre><script>alert('code')</script>"),
        "code lost: {code}"
    );
}

#[test]
fn feeds_sitemaps_and_exports_carry_no_markup() {
    let p = xss_site();
    let mut checked = 0;
    for rel in crate::common::files(&p.out()) {
        let path = p.out().join(&rel);
        if rel.ends_with(".xml") {
            let text = fs::read_to_string(&path).unwrap();
            let lower = text.to_ascii_lowercase();
            for tag in ["<script", "<img", "<svg", "<iframe", "<a "] {
                assert!(!lower.contains(tag), "{rel} contains raw {tag}");
            }
            checked += 1;
        } else if rel.ends_with(".json") {
            let value: serde_json::Value =
                serde_json::from_str(&fs::read_to_string(&path).unwrap()).unwrap();
            assert!(
                value.to_string().contains(&q(&payload("title"))[1..20]),
                "{rel} lost the title"
            );
            checked += 1;
        }
    }
    assert!(checked >= 2, "no feed or export checked");
    let feed = p.read("atom.xml");
    assert!(
        feed.contains("title &lt;script&gt;alert"),
        "the feed does not carry the escaped title"
    );
}

/// Evaluates every JavaScript file of the site in a node `vm` sandbox where `alert` throws, and
/// checks the search index still holds the payload as data.
#[test]
fn search_index_and_scripts_cannot_be_broken_out_of() {
    if Command::new("node").arg("--version").output().is_err() {
        assert!(
            std::env::var_os("CI").is_none(),
            "node is required in CI for the JavaScript checks"
        );
        eprintln!("skipping: node is not installed");
        return;
    }
    let p = xss_site();
    let scripts: Vec<String> = crate::common::files(&p.out())
        .into_iter()
        .filter(|f| f.ends_with(".js") && f.contains("search/"))
        .collect();
    assert!(!scripts.is_empty(), "no search index written");
    let runner = r#"
const fs = require('fs'), vm = require('vm');
const ctx = { alert() { throw new Error('alert was called'); } };
ctx.window = ctx; ctx.self = ctx; ctx.globalThis = ctx;
vm.createContext(ctx);
for (const f of process.argv.slice(1)) vm.runInContext(fs.readFileSync(f, 'utf8'), ctx, { filename: f });
process.stdout.write(JSON.stringify({ index: ctx.medfmSearchIndex, text: ctx.medfmSearchText }));
"#;
    let out = Command::new("node")
        .arg("-e")
        .arg(runner)
        .args(scripts.iter().map(|s| p.out().join(s)))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "a search script failed or called alert: {stderr}"
    );
    let data = String::from_utf8_lossy(&out.stdout);
    assert!(
        data.contains("alert('t')"),
        "the search index does not hold the payload as data"
    );
}

#[test]
fn script_links_in_markdown_are_refused() {
    for (body, needle) in [
        ("[x](javascript:alert(1))", "unsafe link"),
        ("<javascript:alert(1)>", "unsafe link"),
        ("![x](data:text/html;base64,PHNjcmlwdD4=)", "unsafe link"),
        ("[x]( VBScript:msgbox(1))", "unsafe link"),
    ] {
        let p = TestProject::fixture("minimal");
        let sam = p.read_source("content/models/sam.md");
        p.write("content/models/sam.md", format!("{sam}\n{body}\n"));
        p.build()
            .assert_error(needle)
            .assert_error("content/models/sam.md:");
    }
}

#[test]
fn script_urls_in_front_matter_links_are_refused() {
    let p = TestProject::fixture("minimal");
    let sam = p
        .read_source("content/models/sam.md")
        .replace("https://arxiv.org/abs/2304.02643", "javascript:alert(1)");
    p.write("content/models/sam.md", sam);
    p.build()
        .assert_error("external links must start with https://");
}

#[test]
fn raw_html_passes_only_when_the_site_trusts_it() {
    let p = TestProject::fixture("minimal");
    let sam = p.read_source("content/models/sam.md");
    p.write(
        "content/models/sam.md",
        format!("{sam}\n<b class=\"keep\" onclick=\"x()\">trusted</b>\n"),
    );
    p.build().assert_ok();
    assert!(!p.read("models/sam.html").contains("onclick"));
    let config = p
        .read_source("site.yaml")
        .replace("trust_raw_html: false", "trust_raw_html: true");
    assert!(config.contains("trust_raw_html: true"));
    p.write("site.yaml", config);
    p.build().assert_ok();
    assert!(
        p.read("models/sam.html").contains("onclick=\"x()\""),
        "trusted raw HTML was altered"
    );
}

#[test]
fn real_site_has_no_foreign_script() {
    let (_dir, out) = crate::common::build_real_site();
    let mut problems = Vec::new();
    for rel in crate::common::files(&out)
        .iter()
        .filter(|f| f.ends_with(".html"))
    {
        problems.extend(html_problems(
            rel,
            &fs::read_to_string(Path::new(&out).join(rel)).unwrap(),
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
