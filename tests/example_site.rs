//! The example site (issue 18, item 3): `tests/fixtures/legal-ai/` is a second, different site —
//! a made-up register of AI systems, datasets, benchmarks and tools for legal work, in English
//! only — with its own site.yaml (its content model), content, templates and stylesheet. The
//! real `medfm` binary builds it with no Rust specific to it; these tests check that `medfm
//! check` is clean, that every feature the site declares produced its pages and files, that
//! every internal link resolves and that the declared model reaches the output. Expected values
//! come from the fixture's front matter and site.yaml, read here with serde, never from lists in
//! this file. The browser gates (crawl, Nu HTML Checker, axe) run on it too: `tests/browser/`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use medfm::PartialDate;
use scraper::{ElementRef, Html};
use serde_yaml::Value as Yaml;

use crate::common::{check_links, files, repo_root, select, Link, TestProject, Tristate};

/// The fixture's folder name under `tests/fixtures/`.
const FIXTURE: &str = "legal-ai";

/// An entry of the `systems` collection, as the fixture's site.yaml declares it (every field, so
/// that an undeclared one fails to parse, even those no test reads).
#[allow(dead_code)]
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct System {
    title: String,
    #[serde(default)]
    aliases: Vec<String>,
    summary: String,
    kind: String,
    #[serde(default)]
    jurisdictions: Vec<String>,
    #[serde(default)]
    tasks: Vec<String>,
    #[serde(default)]
    court_level: String,
    licence: String,
    #[serde(default)]
    parameters: Option<f64>,
    #[serde(default)]
    documents: Option<u64>,
    #[serde(default)]
    languages: Vec<String>,
    #[serde(default, deserialize_with = "medfm::optional_date")]
    released: Option<PartialDate>,
    #[serde(default)]
    developers: Vec<String>,
    #[serde(default)]
    open_weights: Tristate,
    #[serde(default)]
    discontinued: bool,
    #[serde(default)]
    derived_from: Vec<String>,
    #[serde(default)]
    evaluated_on: Vec<String>,
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    notes: String,
}

impl System {
    /// The terms of the field a taxonomy is built from.
    fn terms(&self, field: &str) -> Vec<String> {
        let one = |s: &String| {
            if s.is_empty() {
                vec![]
            } else {
                vec![s.clone()]
            }
        };
        match field {
            "kind" => one(&self.kind),
            "jurisdictions" => self.jurisdictions.clone(),
            "tasks" => self.tasks.clone(),
            "court_level" => one(&self.court_level),
            "licence" => one(&self.licence),
            "developers" => self.developers.clone(),
            other => panic!("no taxonomy field {other} in System"),
        }
    }
}

/// A page outside the collection (home, about, the jurisdiction overviews).
#[allow(dead_code)]
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Page {
    title: String,
    summary: String,
    #[serde(default)]
    layout: Option<String>,
    #[serde(default)]
    jurisdictions: Option<String>,
    #[serde(default)]
    weight: Option<i64>,
}

fn fixture() -> PathBuf {
    repo_root().join("tests/fixtures").join(FIXTURE)
}

/// The fixture's site.yaml.
fn config() -> &'static Yaml {
    static CONFIG: OnceLock<Yaml> = OnceLock::new();
    CONFIG.get_or_init(|| {
        let text = fs::read_to_string(fixture().join("site.yaml")).unwrap();
        serde_yaml::from_str(&text).unwrap()
    })
}

/// The declaration of collection `systems`.
fn collection() -> &'static Yaml {
    &config()["collections"]["systems"]
}

/// Reads the front matter of every Markdown file directly in `dir`, by file stem.
fn front_matter<T: serde::de::DeserializeOwned>(dir: &Path) -> BTreeMap<String, T> {
    let mut out = BTreeMap::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.strip_suffix(".md") else {
            continue;
        };
        let text = fs::read_to_string(&path).unwrap();
        let split = medfm::split_front_matter(&name, &text).unwrap();
        let meta = serde_yaml::from_str(split.yaml).unwrap_or_else(|e| panic!("{name}: {e}"));
        out.insert(stem.to_string(), meta);
    }
    out
}

/// Every entry of `content/systems/`, by slug.
fn systems() -> &'static BTreeMap<String, System> {
    static SYSTEMS: OnceLock<BTreeMap<String, System>> = OnceLock::new();
    SYSTEMS.get_or_init(|| {
        let systems = front_matter(&fixture().join("content/systems"));
        assert!(systems.len() >= 10, "only {} entries", systems.len());
        systems
    })
}

/// The jurisdiction overviews (`content/jurisdictions/`), by file stem.
fn overviews() -> BTreeMap<String, Page> {
    front_matter(&fixture().join("content/jurisdictions"))
}

/// The fixture, built once per test run into the target's temporary folder.
fn site() -> &'static Path {
    static SITE: OnceLock<PathBuf> = OnceLock::new();
    SITE.get_or_init(|| {
        let project = TestProject::site_fixture(FIXTURE);
        let out = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("legal-ai-site");
        project.build_to(&out).assert_ok();
        out
    })
}

fn html(rel: &str) -> Html {
    let path = site().join(rel);
    Html::parse_document(
        &fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {rel}: {e}")),
    )
}

fn text(e: &ElementRef<'_>) -> String {
    e.text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The slug of an entry link (`../systems/x.html` → `x`), or `None` for any other link.
fn entry_slug(href: &str) -> Option<String> {
    let file = href.rsplit('/').next()?;
    let slug = file.strip_suffix(".html")?;
    (href.contains("systems/") && systems().contains_key(slug)).then(|| slug.to_string())
}

/// The slugs of the entry cards under `root` (elements matching `selector` in `doc`).
fn card_slugs(doc: &Html, selector: &str) -> Vec<String> {
    select(doc, selector)
        .iter()
        .filter_map(|a| entry_slug(a.value().attr("href").unwrap_or_default()))
        .collect()
}

fn set<T: Ord + Clone>(items: &[T]) -> BTreeSet<T> {
    items.iter().cloned().collect()
}

#[test]
fn check_and_build_report_no_error_and_no_warning() {
    let project = TestProject::site_fixture(FIXTURE);
    let pages = files(&project.root().join("content"))
        .iter()
        .filter(|f| f.ends_with(".md"))
        .count();
    let check = project.run(&["check"]);
    check.assert_ok();
    let build = project.run(&["build", "--out", "out"]);
    build.assert_ok();
    // Both count what the build wrote: every HTML page, and every other file but the marker.
    let built = files(&project.dir.path().join("out"));
    let html = built.iter().filter(|f| f.ends_with(".html")).count();
    let count = format!(
        "{pages} content pages → {html} HTML pages, {} other files",
        built.len() - html - 1
    );
    assert_eq!(
        check.stderr.trim(),
        format!("check passed: 0 errors, 0 warnings ({count})")
    );
    let said = build.stderr.lines().last().unwrap();
    assert!(said.starts_with(&format!("built {count} into ")), "{said}");
    assert!(said.ends_with("(0 warnings)"), "{said}");
}

#[test]
fn every_declared_feature_has_its_pages_and_files() {
    let built: BTreeSet<String> = files(site()).into_iter().collect();
    let mut expected: Vec<String> = [
        "index.html",
        "about.html",
        "404.html",
        "search.html",
        "medfm.css",
        "search.js",
        "table.html",
        "table.js",
        "lineage.html",
        "print.html",
        "data.html",
        "systems/index.html",
        "taxonomies/index.html",
        "atom.xml",
        "sitemap.xml",
        "robots.txt",
        "style.css",
    ]
    .map(String::from)
    .to_vec();
    let name = config()["exports"]["name"].as_str().unwrap();
    expected.extend([format!("{name}.json"), format!("{name}.csv")]);
    expected.extend(systems().keys().map(|s| format!("systems/{s}.html")));
    expected.extend(
        overviews()
            .keys()
            .map(|s| format!("jurisdictions/{s}.html")),
    );
    let taxonomies = collection()["taxonomies"].as_mapping().unwrap();
    assert_eq!(taxonomies.len(), 6, "the fixture declares six taxonomies");
    for (tax, decl) in taxonomies {
        let tax = tax.as_str().unwrap();
        let field = decl["field"].as_str().unwrap();
        expected.push(format!("taxonomies/{tax}/index.html"));
        for system in systems().values() {
            for term in system.terms(field) {
                expected.push(format!("taxonomies/{tax}/{}.html", slug(&term)));
            }
        }
    }
    let missing: Vec<&String> = expected.iter().filter(|f| !built.contains(*f)).collect();
    assert!(missing.is_empty(), "not built: {missing:?}");
    // One language, at the root: no language folder, every page in English.
    assert!(!site().join("en").exists() && !site().join("zh").exists());
    for page in built.iter().filter(|f| f.ends_with(".html")) {
        let doc = html(page);
        let lang = select(&doc, "html")[0].value().attr("lang");
        assert_eq!(lang, Some("en"), "{page}");
    }
}

/// The file name of a free term's page: the name in lower case, dashes between words.
fn slug(name: &str) -> String {
    let lower = name.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    words.join("-")
}

#[test]
fn internal_links_resolve_and_external_ones_stay_on_example_org() {
    let (checked, broken) = check_links(site());
    assert!(
        broken.is_empty(),
        "{} broken links of {checked}: {broken:#?}",
        broken.len()
    );
    eprintln!("[example site] {checked} internal links checked");
    assert!(checked > 1000, "only {checked} internal links checked");
    // The content is fictional: no link may lead to a real website.
    for page in files(site()).iter().filter(|f| f.ends_with(".html")) {
        let doc = html(page);
        for el in select(&doc, "[href], [src]") {
            let href = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if href.starts_with("http:") || href.starts_with("https:") {
                assert!(
                    href.starts_with("https://example.org/"),
                    "{page} links to {href}"
                );
            }
        }
    }
    // Links written in the content as `@/systems/x.md#anchor` reach the heading.
    let doc = html("jurisdictions/united-states.html");
    let anchors: Vec<&str> = select(&doc, ".prose a[href*='#']")
        .iter()
        .filter_map(|a| a.value().attr("href"))
        .collect();
    assert!(
        anchors.contains(&"../systems/clausebench.html#tasks-and-splits"),
        "{anchors:?}"
    );
}

#[test]
fn the_site_says_it_is_fictional() {
    let home = text(&select(&html("index.html"), "main")[0]);
    assert!(
        home.contains("This whole site is a fictional example."),
        "{home}"
    );
    let about = text(&select(&html("about.html"), "main")[0]);
    assert!(about.contains("is not a real register"), "{about}");
    for slug in systems().keys() {
        let doc = html(&format!("systems/{slug}.html"));
        let banner = text(&select(&doc, ".fiction-banner")[0]);
        assert!(banner.contains("made up"), "{slug}: {banner}");
    }
}

#[test]
fn exports_have_one_record_per_entry() {
    let name = config()["exports"]["name"].as_str().unwrap();
    let json: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(site().join(format!("{name}.json"))).unwrap())
            .unwrap();
    let works = json["systems"].as_array().unwrap();
    assert_eq!(json["count"], systems().len());
    let slugs: Vec<String> = works
        .iter()
        .map(|w| w["slug"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(set(&slugs), systems().keys().cloned().collect());
    for w in works {
        let system = &systems()[w["slug"].as_str().unwrap()];
        let fm = &w["front_matter"];
        assert_eq!(fm["title"], system.title.as_str());
        assert_eq!(fm["parameters"].as_f64(), system.parameters);
        assert_eq!(fm["documents"].as_u64(), system.documents);
        assert_eq!(fm["jurisdictions"], serde_json::json!(system.jurisdictions));
        assert_eq!(
            w["bibtex_key"],
            serde_json::Value::Null,
            "no publication, no key"
        );
    }

    let bytes = fs::read(site().join(format!("{name}.csv"))).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    for field in collection()["fields"].as_mapping().unwrap().keys() {
        let field = field.as_str().unwrap();
        assert!(header.iter().any(|h| h == field), "no CSV column {field}");
    }
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), systems().len(), "one CSV row per entry");
    for row in &rows {
        let system = &systems()[&row[column("slug")]];
        let weights = match system.open_weights {
            Tristate::Yes => "true",
            Tristate::No => "false",
            Tristate::Unknown => "unknown",
        };
        assert_eq!(&row[column("open_weights")], weights);
        assert_eq!(&row[column("licence")], system.licence.as_str());
        assert_eq!(
            &row[column("jurisdictions")],
            system.jurisdictions.join("; ")
        );
        let released = system.released.map(|d| d.iso()).unwrap_or_default();
        assert_eq!(&row[column("released")], released);
    }

    // A citation is declared, but no entry records a publication: no BibTeX anywhere, and no
    // empty references.bib either.
    assert!(!site().join("references.bib").exists());
    assert!(!html("data.html").html().contains("references.bib"));
    for slug in systems().keys() {
        let doc = html(&format!("systems/{slug}.html"));
        assert!(select(&doc, "#cite-h").is_empty(), "{slug} shows BibTeX");
    }
}

#[test]
fn numbers_show_with_their_unit_and_facts_on_entry_pages() {
    let unit = collection()["fields"]["parameters"]["unit"]["en"]
        .as_str()
        .unwrap();
    let table = html("table.html");
    let mut models = 0;
    for (slug, system) in systems() {
        let doc = html(&format!("systems/{slug}.html"));
        let facts = text(&select(&doc, ".facts")[0]);
        let row = select(&table, &format!("tr#row-{slug} td.num"));
        assert_eq!(row.len(), 1, "{slug}: one size cell");
        match system.parameters {
            Some(p) => {
                models += 1;
                let shown = format!("{p} {unit}");
                assert!(facts.contains(&shown), "{slug}: {shown:?} not in {facts}");
                assert_eq!(text(&row[0]), shown, "{slug}: table cell");
            }
            None => assert_eq!(text(&row[0]), "", "{slug}: table cell"),
        }
        // The table sorts sizes by value, not by their text ("1.25" before "1.3").
        let key = row[0].value().attr("data-sort").unwrap_or_default();
        assert_eq!(
            key.parse::<f64>().ok(),
            system.parameters,
            "{slug}: sort key {key:?}"
        );
        if let Some(n) = system.documents {
            assert!(facts.contains(&n.to_string()), "{slug}: {n} documents");
        }
        let released = match system.released {
            Some(d) => select(&doc, ".facts time")
                .iter()
                .any(|t| t.value().attr("datetime") == Some(d.iso().as_str())),
            None => facts.contains("Release date unknown"),
        };
        assert!(released, "{slug}: release date");
        let weights = match system.open_weights {
            Tristate::Yes => "open-yes",
            Tristate::No => "open-no",
            Tristate::Unknown => "open-unknown",
        };
        assert_eq!(
            select(&doc, &format!(".facts .{weights}")).len(),
            1,
            "{slug}: open weights"
        );
        assert_eq!(
            !select(&doc, ".badge-discontinued").is_empty(),
            system.discontinued,
            "{slug}: discontinued"
        );
        assert_eq!(
            !select(&doc, ".caveat").is_empty(),
            !system.notes.is_empty()
        );
        for alias in &system.aliases {
            assert!(text(&select(&doc, ".aliases")[0]).contains(alias.as_str()));
        }
        for language in &system.languages {
            assert!(facts.contains(language.as_str()), "{slug}: {language}");
        }
        let links: Vec<&str> = select(&doc, ".facts .links a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .collect();
        let declared: Vec<&str> = system.links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(links, declared, "{slug}: links");
    }
    assert!(models >= 4, "only {models} entries with a size");
}

#[test]
fn term_pages_list_exactly_the_entries_carrying_the_term() {
    let mut pages = 0;
    for (tax, decl) in collection()["taxonomies"].as_mapping().unwrap() {
        let tax = tax.as_str().unwrap();
        let field = decl["field"].as_str().unwrap();
        let index = html(&format!("taxonomies/{tax}/index.html"));
        let terms: Vec<String> = select(&index, ".term-list a")
            .iter()
            .filter_map(|a| a.value().attr("href"))
            .filter_map(|h| h.rsplit('/').next()?.strip_suffix(".html"))
            .map(String::from)
            .collect();
        assert!(!terms.is_empty(), "{tax}: no terms");
        for term in &terms {
            let doc = html(&format!("taxonomies/{tax}/{term}.html"));
            let listed = set(&card_slugs(&doc, "main .card-title"));
            let carrying: BTreeSet<String> = systems()
                .iter()
                .filter(|(_, s)| s.terms(field).iter().any(|t| slug(t) == *term))
                .map(|(slug, _)| slug.clone())
                .collect();
            assert!(!carrying.is_empty(), "{tax}/{term} is carried by no entry");
            assert_eq!(listed, carrying, "taxonomies/{tax}/{term}.html");
            pages += 1;
        }
    }
    assert!(pages >= 20, "only {pages} term pages");
}

#[test]
fn jurisdiction_pages_list_their_entries_by_kind_with_a_timeline() {
    let overviews = overviews();
    assert!(overviews.len() >= 3);
    let with_page: BTreeSet<String> = overviews
        .values()
        .map(|p| p.jurisdictions.clone().expect("a jurisdiction"))
        .collect();
    let kinds: Vec<String> = config()["vocabularies"]["kind"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect();
    let mut ancestors_shown = 0;
    for (stem, page) in &overviews {
        assert_eq!(page.layout.as_deref(), Some("jurisdiction"));
        let term = page.jurisdictions.as_deref().unwrap();
        let doc = html(&format!("jurisdictions/{stem}.html"));
        assert_eq!(text(&select(&doc, "h1")[0]), page.title);
        let listed: BTreeSet<String> = systems()
            .iter()
            .filter(|(_, s)| s.jurisdictions.iter().any(|j| j == term))
            .map(|(slug, _)| slug.clone())
            .collect();
        let cards = card_slugs(&doc, "section[aria-labelledby=entries-h] .card-title");
        assert_eq!(cards.len(), listed.len(), "{stem}: an entry listed twice");
        assert_eq!(set(&cards), listed, "{stem}: listed entries");
        // Grouped by kind, in vocabulary order, each group holding entries of its kind.
        let groups: Vec<String> = select(&doc, "section[aria-labelledby=entries-h] h3")
            .iter()
            .map(|h| {
                h.value()
                    .id()
                    .unwrap()
                    .trim_start_matches("kind-")
                    .to_string()
            })
            .collect();
        let present: Vec<String> = kinds
            .iter()
            .filter(|k| listed.iter().any(|s| systems()[s].kind == **k))
            .cloned()
            .collect();
        assert_eq!(groups, present, "{stem}: groups");
        for card in select(&doc, "section[aria-labelledby=entries-h] li.card") {
            let slug = card_slugs(&Html::parse_fragment(&card.html()), ".card-title");
            let class = card.value().attr("class").unwrap();
            assert!(class.contains(&format!("kind-{}", systems()[&slug[0]].kind)));
        }
        // The timeline: the listed entries and, once each, the earlier entries they derive
        // from (transitively) that no overview lists.
        let mut expected = listed.clone();
        let mut queue: Vec<String> = listed.iter().cloned().collect();
        while let Some(slug) = queue.pop() {
            for parent in &systems()[&slug].derived_from {
                let elsewhere = !systems()[parent]
                    .jurisdictions
                    .iter()
                    .any(|j| with_page.contains(j));
                if elsewhere && expected.insert(parent.clone()) {
                    ancestors_shown += 1;
                    queue.push(parent.clone());
                }
            }
        }
        let timeline = card_slugs(&doc, ".timeline a");
        assert_eq!(timeline.len(), expected.len(), "{stem}: {timeline:?}");
        assert_eq!(set(&timeline), expected, "{stem}: timeline");
        let buckets: Vec<String> = select(&doc, ".timeline time")
            .iter()
            .map(|t| t.value().attr("datetime").unwrap().to_string())
            .collect();
        let mut sorted = buckets.clone();
        sorted.sort();
        assert_eq!(buckets, sorted, "{stem}: timeline in date order");
    }
    assert!(ancestors_shown > 0, "no timeline shows an ancestor");
}

#[test]
fn the_lineage_graph_has_one_node_per_related_entry() {
    let (mut related, mut derived, mut evaluated) = (BTreeSet::new(), 0, 0);
    for (slug, s) in systems() {
        for target in s.derived_from.iter().chain(&s.evaluated_on) {
            assert!(systems().contains_key(target), "{slug} names {target}");
            related.insert(slug.clone());
            related.insert(target.clone());
        }
        derived += s.derived_from.len();
        evaluated += s.evaluated_on.len();
    }
    let doc = html("lineage.html");
    let nodes = card_slugs(&doc, "svg.lineage-graph a.node");
    assert_eq!(nodes.len(), related.len(), "one node per related entry");
    assert_eq!(set(&nodes), related);
    assert_eq!(select(&doc, "svg path.edge.derived-from").len(), derived);
    let dashed = select(&doc, "svg path.edge.evaluated-on[stroke-dasharray]");
    assert_eq!(dashed.len(), evaluated, "dashed evaluated-on arrows");
    assert!(select(&doc, "svg path.edge.derived-from[stroke-dasharray]").is_empty());
    // Datasets and benchmarks are pills; the others boxes with small corners.
    let pills = config()["lineage"]["pill"].as_sequence().unwrap();
    for node in select(&doc, "svg.lineage-graph a.node") {
        let slug = entry_slug(node.value().attr("href").unwrap()).unwrap();
        let rect = node
            .select(&scraper::Selector::parse("rect").unwrap())
            .next()
            .unwrap();
        let number = |a: &str| rect.value().attr(a).unwrap().parse::<f64>().unwrap();
        let pill = pills
            .iter()
            .any(|k| k.as_str() == Some(&systems()[&slug].kind));
        assert_eq!(
            (number("rx") - number("height") / 2.0).abs() < 0.1,
            pill,
            "{slug}: pill shape"
        );
        let licence = format!("licence-{}", systems()[&slug].licence);
        assert!(node.value().attr("class").unwrap().contains(&licence));
    }
    let unlinked = set(&card_slugs(&doc, "section[aria-labelledby=unlinked-h] a"));
    let expected: BTreeSet<String> = systems()
        .keys()
        .filter(|s| !related.contains(*s))
        .cloned()
        .collect();
    assert!(
        !expected.is_empty(),
        "the fixture keeps one entry without lineage"
    );
    assert_eq!(unlinked, expected);
    // Each entry page draws its neighbourhood and both sides of each relation.
    for (slug, s) in systems() {
        let doc = html(&format!("systems/{slug}.html"));
        let graph = select(&doc, ".relations svg.lineage-graph");
        assert_eq!(graph.len(), usize::from(related.contains(slug)), "{slug}");
        let side = |id: &str| -> BTreeSet<String> {
            select(&doc, ".relation")
                .into_iter()
                .filter(|r| !select(&Html::parse_fragment(&r.html()), &format!("#{id}")).is_empty())
                .flat_map(|r| card_slugs(&Html::parse_fragment(&r.html()), ".card-title"))
                .collect()
        };
        let naming = |pick: fn(&System) -> &Vec<String>| -> BTreeSet<String> {
            systems()
                .iter()
                .filter(|(_, other)| pick(other).contains(slug))
                .map(|(k, _)| k.clone())
                .collect()
        };
        assert_eq!(side("derived-from-h"), set(&s.derived_from), "{slug}");
        assert_eq!(side("evaluated-on-h"), set(&s.evaluated_on), "{slug}");
        assert_eq!(side("derivatives-h"), naming(|o| &o.derived_from), "{slug}");
        assert_eq!(side("evaluates-h"), naming(|o| &o.evaluated_on), "{slug}");
    }
}

#[test]
fn table_feed_and_print_view_cover_every_entry() {
    let doc = html("table.html");
    let rows: Vec<String> = select(&doc, "#compare tbody tr")
        .iter()
        .map(|r| {
            r.value()
                .id()
                .unwrap()
                .trim_start_matches("row-")
                .to_string()
        })
        .collect();
    let order_free: BTreeSet<String> = systems().keys().cloned().collect();
    assert_eq!(rows.len(), systems().len());
    assert_eq!(set(&rows), order_free);
    let filters: Vec<&str> = select(&doc, "#table-filters select")
        .iter()
        .filter_map(|s| s.value().attr("name"))
        .collect();
    let declared: Vec<&str> = config()["table"]["filters"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap())
        .collect();
    assert_eq!(filters, declared);
    for (value, state) in [
        ("yes", Tristate::Yes),
        ("no", Tristate::No),
        ("unknown", Tristate::Unknown),
    ] {
        let count = systems()
            .values()
            .filter(|s| s.open_weights == state)
            .count();
        let option = select(
            &doc,
            &format!("select[name=open_weights] option[value={value}]"),
        );
        assert_eq!(option.len(), usize::from(count > 0), "{value}");
        if count > 0 {
            assert!(text(&option[0]).ends_with(&format!("({count})")), "{value}");
        }
        for (slug, s) in systems() {
            let facet = select(&doc, &format!("tr#row-{slug}"))[0]
                .value()
                .attr("data-f-open_weights")
                .map(String::from);
            if s.open_weights == state {
                assert_eq!(facet.as_deref(), Some(value), "{slug}");
            }
        }
    }

    // The feed: the dated entries, newest first, with the declared categories.
    let atom = fs::read_to_string(site().join("atom.xml")).unwrap();
    let xml = roxmltree::Document::parse(&atom).unwrap();
    let entries: Vec<roxmltree::Node<'_, '_>> = xml
        .descendants()
        .filter(|n| n.has_tag_name("entry"))
        .collect();
    let dated: Vec<&System> = systems()
        .values()
        .filter(|s| s.released.is_some())
        .collect();
    assert!(
        dated.len() < systems().len(),
        "the fixture keeps an undated entry"
    );
    assert_eq!(entries.len(), dated.len());
    let published: Vec<&str> = entries
        .iter()
        .map(|e| {
            e.children()
                .find(|c| c.has_tag_name("published"))
                .and_then(|c| c.text())
                .unwrap()
        })
        .collect();
    let mut newest_first = published.clone();
    newest_first.sort_by(|a, b| b.cmp(a));
    assert_eq!(published, newest_first);
    for entry in &entries {
        let title = entry
            .children()
            .find(|c| c.has_tag_name("title"))
            .and_then(|c| c.text())
            .unwrap();
        let system = systems().values().find(|s| s.title == title).unwrap();
        let categories: BTreeSet<&str> = entry
            .children()
            .filter(|c| c.has_tag_name("category"))
            .filter_map(|c| c.attribute("term"))
            .collect();
        let mut expected = BTreeSet::from([system.kind.as_str(), system.licence.as_str()]);
        if !system.court_level.is_empty() {
            expected.insert(system.court_level.as_str());
        }
        assert_eq!(categories, expected, "{title}");
    }

    // The print view: the jurisdiction overviews, then every entry once, by licence.
    let print = html("print.html");
    assert_eq!(select(&print, ".print-section").len(), overviews().len());
    let works: Vec<String> = select(&print, ".print-work h3").iter().map(text).collect();
    let titles: Vec<String> = systems().values().map(|s| s.title.clone()).collect();
    assert_eq!(works.len(), titles.len());
    assert_eq!(set(&works), set(&titles));
    let groups: Vec<String> = select(&print, ".print-group > h2")
        .iter()
        .map(text)
        .collect();
    let licences = config()["vocabularies"]["licence"].as_mapping().unwrap();
    let entries = config()["strings"]["en"]["print_entries"].as_str().unwrap();
    let labels: Vec<String> = licences
        .values()
        .map(|v| format!("{entries}: {}", v["en"].as_str().unwrap()))
        .collect();
    assert_eq!(
        groups, labels,
        "one print group per licence, in vocabulary order"
    );
}
