//! `medfm serve`: builds the site into a temporary folder (never the project's `public/`),
//! serves it over HTTP on the loopback interface, polls `content/`, `templates/`, `static/` and
//! `site.yaml` for changes, rebuilds, and reloads open pages. Builds alternate between two
//! folders, so the one being served is never replaced under a request; each build reuses the
//! unchanged pages of the one being served. Pages get a small script
//! ([`RELOAD_PATH`]) that polls [`VERSION_PATH`]; it is added to responses only, never to the
//! files on disk. A failed build is printed in the terminal and shown in place of every page
//! until a fix rebuilds.

use std::fs;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use crate::commands::http::{Body, Request, Response, Server};
use anyhow::{anyhow, Context as _, Result};
use walkdir::WalkDir;

use crate::base::diagnostic::Diagnostics;
use crate::build;
use crate::load::Project;
use crate::markup::highlight::escape;
use crate::markup::markdown::percent_decode;

/// The endpoint answering the number of the latest build; open pages reload when it changes.
pub(crate) const VERSION_PATH: &str = "/__medfm/version";

/// The live-reload script, a file of its own so a `script-src 'self'` policy allows it.
pub(crate) const RELOAD_PATH: &str = "/__medfm/reload.js";

/// Polls [`VERSION_PATH`] and reloads the page when the build number differs from the one the
/// page was served with (its `data-version`).
const RELOAD_JS: &str = r#"(function () {
  var script = document.currentScript;
  var version = script ? script.getAttribute("data-version") : null;
  function poll() {
    fetch("/__medfm/version", { cache: "no-store" })
      .then(function (r) { return r.text(); })
      .then(function (t) {
        if (t.trim() !== version) { location.reload(); } else { setTimeout(poll, 300); }
      })
      .catch(function () { setTimeout(poll, 1000); });
  }
  poll();
})();
"#;

/// Options of `medfm serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 1111)]
    pub port: u16,
    /// Address to listen on. The default serves this computer only; anything else exposes the
    /// preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// Print every request with its status.
    #[arg(long, short)]
    pub verbose: bool,
}

/// Runs `medfm serve` until the process is stopped.
pub(crate) fn run(project: &Project, args: &ServeArgs) -> Result<()> {
    serve(
        project,
        &ServeOptions {
            bind: args.bind,
            port: args.port,
            poll: Duration::from_millis(100),
            verbose: args.verbose,
        },
    )
}

/// How `serve` listens and watches.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    /// Address to listen on; loopback unless the user asks otherwise.
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// How often the sources are polled for changes.
    pub poll: Duration,
    /// Print every request.
    pub verbose: bool,
}

/// The state shared by the watcher and the request handlers.
struct Shared {
    project: Project,
    /// Two folders used in turn: one is served while the next build fills the other, so a
    /// request never meets a site being replaced.
    sites: [PathBuf; 2],
    status: Mutex<Status>,
    /// Print every request.
    verbose: bool,
}

/// The outcome of the latest build.
#[derive(Debug, Clone, Default)]
struct Status {
    /// Incremented by every build, failed or not.
    version: u64,
    /// The diagnostics of a failed build, as printed in the terminal.
    error: Option<String>,
    /// Index (into `Shared::sites`) of the folder served: the latest successful build.
    current: usize,
}

/// Builds, serves and watches until the process is stopped.
pub(crate) fn serve(project: &Project, options: &ServeOptions) -> Result<()> {
    let wanted = SocketAddr::new(options.bind, options.port);
    let server = Server::bind(wanted).map_err(|e| anyhow!("cannot listen on {wanted}: {e}"))?;
    let addr = server
        .local_addr()
        .context("reading the address listened on")?;
    let folder = std::env::temp_dir().join(format!("medfm-serve-{}", addr.port()));
    let shared = Arc::new(Shared {
        project: project.clone(),
        sites: [folder.join("a"), folder.join("b")],
        status: Mutex::new(Status::default()),
        verbose: options.verbose,
    });
    eprintln!(
        "building {} into {}",
        project.root.display(),
        folder.display()
    );
    shared.rebuild();
    if !options.bind.is_loopback() {
        eprintln!(
            "warning: listening on {}: other machines on the network can read the site",
            options.bind
        );
    }
    println!("serving at http://{addr}/ (Ctrl-C to stop)");
    let watcher = Arc::clone(&shared);
    let poll = options.poll;
    thread::spawn(move || watch(&watcher, poll));
    server.run(Arc::new(move |request: &Request| respond(&shared, request)));
    Ok(())
}

impl Shared {
    fn status(&self) -> Status {
        self.status
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Builds the site; reports the outcome in the terminal and to the pages.
    fn rebuild(&self) {
        let start = Instant::now();
        let current = self.status().current;
        let next = 1 - current;
        // The newest site is the one being served: unchanged pages are linked from it.
        let options = build::BuildOptions {
            reuse_from: Some(self.sites[current].clone()),
            ..Default::default()
        };
        let result = build::build_with(&self.project, &self.sites[next], options);
        let outcome = match result {
            Ok(report) => {
                for w in &report.warnings.0 {
                    eprintln!("{w}");
                }
                let ms = start.elapsed().as_secs_f64() * 1000.0;
                eprintln!(
                    "built {} pages in {ms:.0} ms ({} warnings)",
                    report.pages,
                    report.warnings.0.len()
                );
                Ok(())
            }
            Err(err) => {
                let text = match err.downcast_ref::<Diagnostics>() {
                    Some(d) => d.to_string(),
                    None => format!("error: {err:#}"),
                };
                eprintln!(
                    "{text}\nbuild failed: the pages show the errors until a change fixes them"
                );
                Err(text)
            }
        };
        let mut status = self.status.lock().unwrap_or_else(PoisonError::into_inner);
        status.version += 1;
        match outcome {
            Ok(()) => {
                status.current = next;
                status.error = None;
            }
            Err(text) => status.error = Some(text),
        }
    }
}

/// Rebuilds whenever the watched files change, until the process ends.
fn watch(shared: &Shared, poll: Duration) {
    let mut last = fingerprint(&shared.project);
    loop {
        thread::sleep(poll);
        let now = fingerprint(&shared.project);
        if now == last {
            continue;
        }
        // Let a save that touches several files settle, then build what is there.
        thread::sleep(poll.min(Duration::from_millis(50)));
        last = fingerprint(&shared.project);
        eprintln!("change detected, rebuilding");
        shared.rebuild();
    }
}

/// Path, modification time and size of every watched file, sorted.
fn fingerprint(project: &Project) -> Vec<(PathBuf, Option<SystemTime>, u64)> {
    let mut files = Vec::new();
    let roots = [
        project.content_dir(),
        project.templates_dir(),
        project.static_dir(),
        project.config_path(),
    ];
    for root in roots {
        for entry in WalkDir::new(root)
            .follow_links(false)
            .into_iter()
            .filter_map(|e| e.ok())
        {
            if let Ok(meta) = entry.metadata() {
                files.push((entry.path().to_path_buf(), meta.modified().ok(), meta.len()));
            }
        }
    }
    files.sort();
    files
}

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
enum Target {
    /// A file inside the site.
    File(PathBuf),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    /// Nothing there.
    NotFound,
    /// The path would leave the site folder.
    Refused,
}

/// The site-relative path of a request path (`/models/a%20b.html` → `models/a b.html`), or
/// `None` when any decoded segment is `.`, `..`, or not a plain name (backslashes, drive
/// prefixes, NUL), whatever its encoding.
pub(crate) fn request_path(url_path: &str) -> Option<String> {
    let rest = url_path.strip_prefix('/')?;
    let decoded = percent_decode(rest);
    if decoded.contains(['\\', '\0']) {
        return None;
    }
    let mut parts = Vec::new();
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        let mut components = Path::new(segment).components();
        match (components.next(), components.next()) {
            (Some(Component::Normal(_)), None) => parts.push(segment),
            _ => return None,
        }
    }
    Some(parts.join("/"))
}

fn resolve(site: &Path, url_path: &str) -> Target {
    let Some(rel) = request_path(url_path) else {
        return Target::Refused;
    };
    let mut file = site.join(&rel);
    if file.is_dir() {
        if !url_path.ends_with('/') {
            return Target::Redirect(format!("{url_path}/"));
        }
        file = file.join("index.html");
    }
    match (file.canonicalize(), site.canonicalize()) {
        (Ok(file), Ok(root)) if !file.starts_with(&root) => Target::Refused,
        (Ok(file), Ok(_)) if file.is_file() => Target::File(file),
        _ => Target::NotFound,
    }
}

fn respond(shared: &Shared, request: &Request) -> io::Result<Response> {
    let response = response(shared, request)?;
    if shared.verbose {
        eprintln!("{} {} {}", request.method, request.target, response.status);
    }
    Ok(response)
}

fn response(shared: &Shared, request: &Request) -> io::Result<Response> {
    if !matches!(request.method.as_str(), "GET" | "HEAD") {
        return Ok(text(405, "only GET and HEAD are served"));
    }
    let path = request.target.split(['?', '#']).next().unwrap_or("");
    let status = shared.status();
    if path == VERSION_PATH {
        return Ok(text(200, &status.version.to_string()));
    }
    if path == RELOAD_PATH {
        return Ok(Response::bytes(
            200,
            "text/javascript; charset=utf-8",
            RELOAD_JS,
        ));
    }
    let site = &shared.sites[status.current];
    Ok(match resolve(site, path) {
        Target::Refused => text(403, "refused: the path leaves the site folder"),
        Target::Redirect(to) => text(301, "moved").with_header("Location", to),
        Target::NotFound if status.error.is_some() => html(
            error_page(status.error.as_deref().unwrap_or(""), status.version),
            500,
        ),
        Target::NotFound => not_found(site, &status),
        Target::File(file) => serve_file(&file, &status, 200)?,
    })
}

fn not_found(site: &Path, status: &Status) -> Response {
    let page = site.join("404.html");
    serve_file(&page, status, 404).unwrap_or_else(|_| text(404, "not found"))
}

fn serve_file(file: &Path, status: &Status, code: u16) -> io::Result<Response> {
    let kind = content_type(file);
    if kind.starts_with("text/html") {
        return Ok(match &status.error {
            Some(error) => html(error_page(error, status.version), 500),
            None => html(inject(&fs::read_to_string(file)?, status.version), code),
        });
    }
    let file = fs::File::open(file)?;
    let len = file.metadata()?.len();
    Ok(Response {
        status: code,
        headers: vec![("Content-Type", kind.to_string())],
        body: Body::File(file, len),
    })
}

fn html(page: String, code: u16) -> Response {
    Response::bytes(code, "text/html; charset=utf-8", page)
}

fn text(code: u16, body: &str) -> Response {
    Response::bytes(code, "text/plain; charset=utf-8", format!("{body}\n"))
}

/// The live-reload script tag for a page served at `version`.
fn reload_script(version: u64) -> String {
    format!("<script src=\"{RELOAD_PATH}\" data-version=\"{version}\"></script>")
}

/// Adds the reload script before `</body>` (or at the end).
fn inject(html: &str, version: u64) -> String {
    let script = reload_script(version);
    match html.rfind("</body>") {
        Some(i) => format!("{}{script}{}", &html[..i], &html[i..]),
        None => format!("{html}{script}"),
    }
}

/// The page shown instead of every page while the latest build fails.
fn error_page(error: &str, version: u64) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Build failed · medfm serve</title>\
         <style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;color:#1b1b1b}}pre{{background:#fff4f4;\
         border:1px solid #d33;padding:1rem;overflow:auto;white-space:pre-wrap}}</style></head><body>\
         <h1>Build failed</h1><p>Fix the problems below and save: this page reloads by itself.</p>\
         <pre id=\"medfm-build-error\">{}</pre></body></html>",
        escape(error)
    )
    .replace("</body>", &format!("{}</body>", reload_script(version)))
}

/// The `Content-Type` of a file, by extension.
fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml",
        "txt" | "bib" | "ris" | "cff" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_stay_inside() {
        assert_eq!(request_path("/").as_deref(), Some(""));
        assert_eq!(
            request_path("/models/a%20b.html").as_deref(),
            Some("models/a b.html")
        );
        assert_eq!(request_path("/en//models/").as_deref(), Some("en/models"));
        assert_eq!(request_path("/%E6%A6%82.html").as_deref(), Some("概.html"));
        for bad in [
            "/../x",
            "/a/../../x",
            "/%2e%2e/x",
            "/%2E%2E%2Fx",
            "/..%2fx",
            "/..%5cx",
            "/a\\..\\x",
            "/./x",
            "/%00",
            "x",
        ] {
            assert_eq!(request_path(bad), None, "{bad}");
        }
        // Decoded once only: `%252e` is a file literally named `%2e`, inside the site.
        assert_eq!(request_path("/%252e%252e/x").as_deref(), Some("%2e%2e/x"));
    }

    #[test]
    fn resolves_files_folders_and_escapes() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        fs::create_dir_all(site.join("models")).unwrap();
        fs::write(site.join("index.html"), "<html><body>home</body></html>").unwrap();
        fs::write(site.join("models/index.html"), "list").unwrap();
        fs::write(dir.path().join("secret.txt"), "secret").unwrap();
        assert_eq!(
            resolve(&site, "/"),
            Target::File(site.join("index.html").canonicalize().unwrap())
        );
        assert_eq!(
            resolve(&site, "/models"),
            Target::Redirect("/models/".into())
        );
        assert!(matches!(resolve(&site, "/models/"), Target::File(_)));
        assert_eq!(resolve(&site, "/nope.html"), Target::NotFound);
        assert_eq!(resolve(&site, "/../secret.txt"), Target::Refused);
        assert_eq!(resolve(&site, "/%2e%2e/secret.txt"), Target::Refused);
    }

    #[test]
    fn script_is_injected_before_body_end() {
        let html = inject("<html><body><p>x</p></body></html>", 7);
        assert!(html.contains("<script src=\"/__medfm/reload.js\" data-version=\"7\"></script>"));
        assert!(html.ends_with("</script></body></html>"));
        let page = error_page("a.md:1:1: error: <bad>", 3);
        assert!(page.contains("&lt;bad&gt;") && page.contains(RELOAD_PATH));
    }
}
