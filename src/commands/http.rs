//! A minimal HTTP/1.1 server for `medfm serve`: one thread and one request per connection
//! (every response says `Connection: close`), request heads capped in size and time, bodies
//! ignored. Enough for previewing a site on the loopback interface; not a general web server.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

/// Largest request head (request line and headers) read, in bytes.
const MAX_HEAD: usize = 16 * 1024;
/// How long a client may take to send its request head or to read the response.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A request: its method and its target exactly as sent (`/models/a%20b.html?x`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target, not decoded or normalised.
    pub target: String,
}

/// What a response carries.
#[derive(Debug)]
pub(crate) enum Body {
    /// Bytes in memory.
    Bytes(Vec<u8>),
    /// An open file of the given length.
    File(File, u64),
}

/// A response: status, headers (besides the length and `Connection`) and body.
#[derive(Debug)]
pub(crate) struct Response {
    /// Status code.
    pub status: u16,
    /// Extra headers, e.g. `Content-Type`.
    pub headers: Vec<(&'static str, String)>,
    /// The body.
    pub body: Body,
}

impl Response {
    /// A response with `body` of type `content_type`.
    pub(crate) fn bytes(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type", content_type.to_string())],
            body: Body::Bytes(body.into()),
        }
    }

    /// Adds a header.
    pub(crate) fn with_header(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// A listening socket.
pub(crate) struct Server {
    listener: TcpListener,
}

impl Server {
    /// Listens on `addr` (port 0 picks a free port).
    pub(crate) fn bind(addr: SocketAddr) -> io::Result<Server> {
        Ok(Server {
            listener: TcpListener::bind(addr)?,
        })
    }

    /// The address actually listened on.
    pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Answers every connection with `handler`, each on its own thread, until the process ends.
    pub(crate) fn run<H>(self, handler: Arc<H>)
    where
        H: Fn(&Request) -> io::Result<Response> + Send + Sync + 'static,
    {
        for stream in self.listener.incoming().flatten() {
            let handler = Arc::clone(&handler);
            thread::spawn(move || {
                let _ = serve_connection(stream, handler.as_ref());
            });
        }
    }
}

fn serve_connection<H>(stream: TcpStream, handler: &H) -> io::Result<()>
where
    H: Fn(&Request) -> io::Result<Response>,
{
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let mut writer = stream.try_clone()?;
    let response = match read_request(&mut BufReader::new(stream)) {
        Ok(request) => {
            let head_only = request.method == "HEAD";
            let response = handler(&request).unwrap_or_else(|e| {
                Response::bytes(500, "text/plain; charset=utf-8", format!("{e}\n"))
            });
            return write_response(&mut writer, response, head_only);
        }
        Err(_) => Response::bytes(400, "text/plain; charset=utf-8", "bad request\n"),
    };
    write_response(&mut writer, response, false)
}

/// Reads the request head: the request line, then headers up to the empty line.
pub(crate) fn read_request(reader: &mut impl BufRead) -> io::Result<Request> {
    let mut limited = reader.take(MAX_HEAD as u64);
    let mut line = String::new();
    limited.read_line(&mut line)?;
    let mut parts = line.trim_end().split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("malformed request line"));
    };
    if !version.starts_with("HTTP/1.") || method.is_empty() || !target.starts_with('/') {
        return Err(bad("unsupported request"));
    }
    let request = Request {
        method: method.to_string(),
        target: target.to_string(),
    };
    loop {
        let mut header = String::new();
        if limited.read_line(&mut header)? == 0 {
            return Err(bad("request head too long or cut short"));
        }
        if header.trim_end().is_empty() {
            return Ok(request);
        }
    }
}

fn bad(why: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, why)
}

fn write_response(out: &mut impl Write, response: Response, head_only: bool) -> io::Result<()> {
    let length = match &response.body {
        Body::Bytes(b) => b.len() as u64,
        Body::File(_, len) => *len,
    };
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str(&format!(
        "Content-Length: {length}\r\nCache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n"
    ));
    out.write_all(head.as_bytes())?;
    if !head_only {
        match response.body {
            Body::Bytes(b) => out.write_all(&b)?,
            Body::File(file, len) => {
                io::copy(&mut file.take(len), out)?;
            }
        }
    }
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        _ => "Internal Server Error",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> io::Result<Request> {
        read_request(&mut raw.as_bytes())
    }

    #[test]
    fn reads_request_lines_verbatim() {
        let r = parse("GET /a/%2e%2e/b?x=1 HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(
            r,
            Request {
                method: "GET".into(),
                target: "/a/%2e%2e/b?x=1".into()
            }
        );
        assert!(parse("GET /\r\n\r\n").is_err());
        assert!(parse("GET http://x/ HTTP/1.1\r\n\r\n").is_err());
        assert!(
            parse("GET / HTTP/1.1\r\nHost: x\r\n").is_err(),
            "head without its end"
        );
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(parse(&huge).is_err());
    }

    #[test]
    fn writes_length_and_closes() {
        let mut out = Vec::new();
        write_response(&mut out, Response::bytes(404, "text/plain", "no\n"), false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with(
            "HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 3\r\n"
        ));
        assert!(text.contains("Connection: close\r\n\r\nno\n"));
        let mut out = Vec::new();
        write_response(&mut out, Response::bytes(200, "text/plain", "body"), true).unwrap();
        assert!(String::from_utf8(out).unwrap().ends_with("\r\n\r\n"));
    }
}
