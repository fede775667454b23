//! `medfm serve`: builds the site into a temporary folder (never the project's `public/`,
//! removed on Ctrl-C), serves it over HTTP on the loopback interface, watches `content/`, `templates/`, `static/`,
//! `site.yaml` and `CITATION.cff` for changes, rebuilds, and reloads open pages. Builds
//! alternate between two folders, so the one being served is never replaced under a request;
//! each build reuses the unchanged pages of the one being served. Pages get a small script
//! ([`http::RELOAD_PATH`]) that polls [`http::VERSION_PATH`]; it is added to responses only, never
//! to the files on disk. A failed build is printed in the terminal and shown in place of every
//! page until a fix rebuilds.
//!
//! This file holds the options and starts the two halves: [`watch`] notices changes and
//! rebuilds, [`http`] answers requests; [`state`] is what they share (the two folders, the
//! outcome of the latest build, the rebuild).

mod http;
mod state;
mod watch;

use std::fs;
use std::net::{IpAddr, SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, Mutex};
use std::thread;

use anyhow::{anyhow, Result};
use tiny_http::Server;

use crate::load::Project;
use http::answer;
use state::{Shared, Status};
use watch::{watch, Watch, POLL_INTERVAL};

/// Options of `medfm serve`.
#[derive(Debug, clap::Args)]
pub(crate) struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 1111)]
    pub(crate) port: u16,
    /// Address to listen on. The default serves this computer only; anything else exposes the
    /// preview to the network.
    #[arg(long, default_value = "127.0.0.1")]
    pub(crate) bind: IpAddr,
    /// Print every request with its status.
    #[arg(long, short)]
    pub(crate) verbose: bool,
    /// Notice changes by checking every source file 10 times a second instead of through the
    /// system's change events: for file systems without change events, e.g. some network or
    /// container mounts.
    #[arg(long)]
    pub(crate) poll: bool,
    /// Include the pages that say `draft: true` (left out otherwise, with a located error for
    /// any link or citation to one).
    #[arg(long)]
    pub(crate) drafts: bool,
}

/// Runs `medfm serve` until the process is stopped.
pub(crate) fn run(project: &Project, args: &ServeArgs) -> Result<()> {
    serve(
        project,
        &ServeOptions {
            bind: args.bind,
            port: args.port,
            watch: if args.poll {
                Watch::Poll(POLL_INTERVAL)
            } else {
                Watch::Events
            },
            verbose: args.verbose,
            drafts: args.drafts,
        },
    )
}

/// How `serve` listens and watches.
#[derive(Debug, Clone)]
pub(crate) struct ServeOptions {
    /// Address to listen on; loopback unless the user asks otherwise.
    pub(crate) bind: IpAddr,
    /// Port; 0 picks a free one.
    pub(crate) port: u16,
    /// How changes to the sources are noticed.
    pub(crate) watch: Watch,
    /// Print every request.
    pub(crate) verbose: bool,
    /// Build drafts too.
    pub(crate) drafts: bool,
}

/// Builds, serves and watches until the process is stopped.
pub(crate) fn serve(project: &Project, options: &ServeOptions) -> Result<()> {
    let wanted = SocketAddr::new(options.bind, options.port);
    let cannot = |e: &dyn std::fmt::Display| anyhow!("cannot listen on {wanted}: {e}");
    // Bound here rather than by tiny_http, for the plain OS error and the port actually chosen.
    let listener = TcpListener::bind(wanted).map_err(|e| cannot(&e))?;
    let addr = listener.local_addr().map_err(|e| cannot(&e))?;
    let server = Arc::new(Server::from_listener(listener, None).map_err(|e| cannot(&e))?);
    let folder = std::env::temp_dir().join(format!("medfm-serve-{}", addr.port()));
    remove_on_interrupt(folder.clone());
    let shared = Arc::new(Shared {
        project: project.clone(),
        sites: [folder.join("a"), folder.join("b")],
        status: Mutex::new(Status::default()),
        verbose: options.verbose,
        drafts: options.drafts,
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
    // The workers report the error that ends the server (tiny_http stops accepting connections
    // after one); serving returns it, and the watcher thread ends with the process.
    let (stopped, server_stopped) = mpsc::channel();
    for _ in 0..WORKERS {
        let server = Arc::clone(&server);
        let shared = Arc::clone(&shared);
        let stopped = stopped.clone();
        thread::spawn(move || loop {
            match server.recv() {
                Ok(request) => answer(&shared, request),
                Err(e) => {
                    let _ = stopped.send(e);
                    return;
                }
            }
        });
    }
    drop(stopped);
    let how = options.watch;
    thread::spawn(move || watch(&shared, how));
    match server_stopped.recv() {
        Ok(e) => Err(anyhow!("the server stopped accepting connections: {e}")),
        Err(_) => Ok(()),
    }
}

/// On Ctrl-C, removes `folder` (the two sites and any build's staging folder inside it) and
/// ends the process, as the interrupt would have (exit status 130). A build running then is
/// cut off: the process ends right after the removal, and the previous attempt is retried once
/// for a file the build wrote meanwhile.
fn remove_on_interrupt(folder: PathBuf) {
    let installed = ctrlc::set_handler(move || {
        eprintln!("stopping: removing {}", folder.display());
        if fs::remove_dir_all(&folder).is_err() && folder.exists() {
            let _ = fs::remove_dir_all(&folder);
        }
        std::process::exit(130);
    });
    if let Err(e) = installed {
        eprintln!("warning: the build folders will be left behind on Ctrl-C: {e}");
    }
}

/// Threads answering requests; tiny_http reads them from the connections (one thread each).
const WORKERS: usize = 8;
