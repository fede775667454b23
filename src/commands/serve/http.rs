//! Answering the requests of `medfm serve`.
//!
//! `tiny_http` reads the requests (their target reaches [`request_path`] verbatim) and a few
//! worker threads answer them, as HTTP/1.0 so each connection closes after its response (see
//! `write_response`). What is answered is decided here: GET and HEAD only (HEAD without the
//! body), paths refused when they would leave the site whatever their encoding, folders
//! redirected to their slash form, the site's `404.html`, content types from `mime_guess`,
//! files streamed from disk except HTML (which gets the reload script), and every response
//! `Cache-Control: no-store` and `X-Content-Type-Options: nosniff`.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use tiny_http::{HTTPVersion, Header, Method, Request, Response, ResponseBox};

use super::state::{Shared, Status};
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
/// prefixes, NUL and other control characters), whatever its encoding.
pub(crate) fn request_path(url_path: &str) -> Option<String> {
    let rest = url_path.strip_prefix('/')?;
    let decoded = percent_decode(rest);
    if decoded.contains(|c: char| c == '\\' || c.is_control()) {
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
            // One leading slash: `//en/` would be read by a browser as another host's address.
            return Target::Redirect(format!("/{}/", url_path.trim_start_matches('/')));
        }
        file = file.join("index.html");
    }
    match (file.canonicalize(), site.canonicalize()) {
        (Ok(file), Ok(root)) if !file.starts_with(&root) => Target::Refused,
        (Ok(file), Ok(_)) if file.is_file() => Target::File(file),
        _ => Target::NotFound,
    }
}

/// Answers one request.
pub(super) fn answer(shared: &Shared, request: Request) {
    let response = response(shared, request.method(), request.url());
    if shared.verbose {
        eprintln!(
            "{} {} {}",
            request.method(),
            request.url(),
            response.status_code().0
        );
    }
    let head_only = *request.method() == Method::Head;
    let mut writer = request.into_writer();
    // A client that went away meanwhile is no error.
    let _ = write_response(finish(response), &mut writer, head_only);
}

/// Writes `response` as HTTP/1.0 (with its `Content-Length`, never chunked; body omitted for
/// HEAD), so that the client closes the connection after it, as it did when every response of
/// the hand-written server said `Connection: close` (tiny_http drops that header from
/// responses). tiny_http reads each connection on a thread of its pool, and a new connection
/// can stay queued while every pool thread waits on an idle keep-alive connection: Chromium
/// page loads then hung until the browser dropped a connection. Closed connections give their
/// thread back at once.
fn write_response(response: ResponseBox, out: &mut impl Write, head_only: bool) -> io::Result<()> {
    response.raw_print(&mut *out, HTTPVersion(1, 0), &[], head_only, None)?;
    out.flush()
}

/// Adds the headers every response carries.
fn finish(response: ResponseBox) -> ResponseBox {
    response
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

/// The response to `method` on `url` (the request target as sent, `/a%20b.html?x=1`).
fn response(shared: &Shared, method: &Method, url: &str) -> ResponseBox {
    if !matches!(method, Method::Get | Method::Head) {
        return text(405, "only GET and HEAD are served");
    }
    let path = url.split(['?', '#']).next().unwrap_or("");
    let status = shared.status();
    if path == VERSION_PATH {
        return text(200, &status.version.to_string());
    }
    if path == RELOAD_PATH {
        return bytes(200, "text/javascript; charset=utf-8", RELOAD_JS);
    }
    let site = &shared.sites[status.current];
    let served = match resolve(site, path) {
        Target::Refused => Ok(text(403, "refused: the path leaves the site folder")),
        // The target is ASCII (tiny_http refuses anything else), so it makes a valid header.
        Target::Redirect(to) => Ok(match Header::from_bytes("Location", to) {
            Ok(location) => text(301, "moved").with_header(location),
            Err(()) => text(400, "bad request"),
        }),
        Target::NotFound if status.error.is_some() => Ok(html(
            error_page(status.error.as_deref().unwrap_or(""), status.version),
            500,
        )),
        Target::NotFound => Ok(not_found(site, &status)),
        Target::File(file) => serve_file(&file, &status, 200),
    };
    served.unwrap_or_else(|e| text(500, &e.to_string()))
}

fn not_found(site: &Path, status: &Status) -> ResponseBox {
    let page = site.join("404.html");
    serve_file(&page, status, 404).unwrap_or_else(|_| text(404, "not found"))
}

/// A file of the site, streamed from disk; HTML is read to add the reload script (or replaced
/// by the error page while the build fails).
fn serve_file(file: &Path, status: &Status, code: u16) -> io::Result<ResponseBox> {
    let kind = content_type(file);
    if kind.starts_with("text/html") {
        return Ok(match &status.error {
            Some(error) => html(error_page(error, status.version), 500),
            None => html(inject(&fs::read_to_string(file)?, status.version), code),
        });
    }
    // tiny_http takes the length from the file's metadata and copies the file to the socket.
    Ok(Response::from_file(fs::File::open(file)?)
        .with_status_code(code)
        .with_header(header("Content-Type", &kind))
        .boxed())
}

/// A header whose value is known to be ASCII.
fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("header names and values here are ASCII")
}

fn bytes(code: u16, content_type: &str, body: impl Into<Vec<u8>>) -> ResponseBox {
    Response::from_data(body)
        .with_status_code(code)
        .with_header(header("Content-Type", content_type))
        .boxed()
}

fn html(page: String, code: u16) -> ResponseBox {
    bytes(code, "text/html; charset=utf-8", page)
}

fn text(code: u16, body: &str) -> ResponseBox {
    bytes(code, "text/plain; charset=utf-8", format!("{body}\n"))
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

/// The `Content-Type` of a file, by extension: `mime_guess`'s table, except that the site's
/// citation exports (`.bib`, `.ris`, `.cff`) are plain text so browsers show them, feeds and
/// sitemaps are `application/xml`, and `.mjs` is JavaScript like `.js`; `charset=utf-8` on every
/// `text/` type (the site is UTF-8 throughout); `application/octet-stream` when unknown.
fn content_type(path: &Path) -> String {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let essence = match ext.as_str() {
        "bib" | "ris" | "cff" => "text/plain",
        "xml" => "application/xml",
        "mjs" => "text/javascript",
        _ => mime_guess::from_ext(&ext)
            .first_raw()
            .unwrap_or("application/octet-stream"),
    };
    if essence.starts_with("text/") {
        format!("{essence}; charset=utf-8")
    } else {
        essence.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Project;
    use std::sync::Mutex;

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
            "/a%0D%0ALocation:%20x",
            "/a\nb",
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
        assert_eq!(
            resolve(&site, "//models"),
            Target::Redirect("/models/".into())
        );
        assert!(matches!(resolve(&site, "/models/"), Target::File(_)));
        assert_eq!(resolve(&site, "/nope.html"), Target::NotFound);
        assert_eq!(resolve(&site, "/../secret.txt"), Target::Refused);
        assert_eq!(resolve(&site, "/%2e%2e/secret.txt"), Target::Refused);
    }

    #[test]
    fn content_types_follow_mime_guess_with_the_sites_own_formats() {
        let cases = [
            ("index.html", "text/html; charset=utf-8"),
            ("style.css", "text/css; charset=utf-8"),
            ("app.js", "text/javascript; charset=utf-8"),
            ("app.mjs", "text/javascript; charset=utf-8"),
            ("models.json", "application/json"),
            ("atom.xml", "application/xml"),
            ("robots.txt", "text/plain; charset=utf-8"),
            ("references.bib", "text/plain; charset=utf-8"),
            ("medsam.ris", "text/plain; charset=utf-8"),
            ("CITATION.cff", "text/plain; charset=utf-8"),
            ("models.csv", "text/csv; charset=utf-8"),
            ("logo.svg", "image/svg+xml"),
            ("a.PNG", "image/png"),
            ("a.jpg", "image/jpeg"),
            ("a.gif", "image/gif"),
            ("a.webp", "image/webp"),
            ("favicon.ico", "image/x-icon"),
            ("font.woff2", "font/woff2"),
            ("paper.pdf", "application/pdf"),
            ("medfm-site.zip", "application/zip"),
            ("clip.mp4", "video/mp4"),
            ("data.unknown-ext", "application/octet-stream"),
            ("Makefile", "application/octet-stream"),
        ];
        for (file, kind) in cases {
            assert_eq!(content_type(Path::new(file)), kind, "{file}");
        }
    }

    /// A server state over a built site in a temporary folder.
    fn shared_with_site(error: Option<&str>) -> (tempfile::TempDir, Shared) {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("a");
        fs::create_dir_all(site.join("models")).unwrap();
        fs::write(site.join("index.html"), "<html><body>home</body></html>").unwrap();
        fs::write(site.join("404.html"), "<html><body>lost</body></html>").unwrap();
        fs::write(site.join("style.css"), "body{}").unwrap();
        fs::write(site.join("big.txt"), "x".repeat(100_000)).unwrap();
        let shared = Shared {
            project: Project::new(dir.path()),
            sites: [site, dir.path().join("b")],
            status: Mutex::new(Status {
                version: 4,
                error: error.map(str::to_string),
                current: 0,
            }),
            verbose: false,
            drafts: false,
        };
        (dir, shared)
    }

    /// The response as written to the socket, for `method`.
    fn wire(shared: &Shared, method: &Method, url: &str) -> String {
        let head_only = *method == Method::Head;
        let mut out = Vec::new();
        write_response(finish(response(shared, method, url)), &mut out, head_only).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn status_of(wire: &str) -> u16 {
        wire.split(' ').nth(1).unwrap().parse().unwrap()
    }

    #[test]
    fn responses_carry_status_headers_and_bodies() {
        let (_dir, shared) = shared_with_site(None);
        let home = wire(&shared, &Method::Get, "/?x=1");
        assert!(home.starts_with("HTTP/1.0 200 OK\r\n"), "{home}");
        for header in [
            "Content-Type: text/html; charset=utf-8\r\n",
            "Cache-Control: no-store\r\n",
            "X-Content-Type-Options: nosniff\r\n",
        ] {
            assert!(home.contains(header), "{header} in {home}");
        }
        assert!(home.ends_with(&format!("home{}</body></html>", reload_script(4))));

        let css = wire(&shared, &Method::Get, "/style.css");
        assert!(css.contains("Content-Type: text/css; charset=utf-8\r\nCache-Control"));
        assert!(css.contains("Content-Length: 6\r\n") && css.ends_with("\r\n\r\nbody{}"));

        // Large bodies too keep their length (tiny_http chunks HTTP/1.1 bodies over 32 KiB).
        let big = wire(&shared, &Method::Get, "/big.txt");
        assert!(big.contains("Content-Length: 100000\r\n"), "{big:.300}");
        assert!(!big.contains("chunked"));
        let head = wire(&shared, &Method::Head, "/big.txt");
        assert!(head.contains("Content-Length: 100000\r\n") && head.ends_with("\r\n\r\n"));

        let moved = wire(&shared, &Method::Get, "/models");
        assert_eq!(status_of(&moved), 301);
        assert!(moved.contains("Location: /models/\r\n"), "{moved}");
        let lost = wire(&shared, &Method::Get, "/nope.html");
        assert_eq!(status_of(&lost), 404);
        assert!(lost.contains("lost<script"), "the site's 404 page: {lost}");
        let refused = wire(&shared, &Method::Get, "/%2e%2e/a/index.html");
        assert_eq!(status_of(&refused), 403);
        assert!(refused.ends_with("refused: the path leaves the site folder\n"));
        assert_eq!(status_of(&wire(&shared, &Method::Post, "/")), 405);
        assert_eq!(status_of(&wire(&shared, &Method::Options, "/")), 405);
        assert!(wire(&shared, &Method::Get, VERSION_PATH).ends_with("\r\n\r\n4\n"));
        let js = wire(&shared, &Method::Get, RELOAD_PATH);
        assert!(js.contains("Content-Type: text/javascript; charset=utf-8\r\n"));
        assert!(js.ends_with(RELOAD_JS));
    }

    #[test]
    fn a_failed_build_replaces_pages_but_not_assets() {
        let (_dir, shared) = shared_with_site(Some("a.md:1:1: error: <bad>"));
        for url in ["/", "/nope.html"] {
            let page = wire(&shared, &Method::Get, url);
            assert_eq!(status_of(&page), 500, "{url}");
            assert!(page.contains("Build failed") && page.contains("&lt;bad&gt;"));
        }
        assert_eq!(status_of(&wire(&shared, &Method::Get, "/style.css")), 200);
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
