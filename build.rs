//! Finds the tools the browser tests need (Chromium, axe-core, the Nu HTML Checker with Java)
//! so that, on a machine without them, those tests are reported as *ignored*, with the reason,
//! and counted in the test summary ("… passed; 0 failed; 23 ignored") instead of passing
//! without checking anything. With `CI` set nothing is ignored: a missing tool fails its tests
//! (`.ci/run` installs them all). The library and the binary do not use these flags.

use std::env;
use std::path::{Path, PathBuf};

fn main() {
    for var in ["CI", "CHROME", "PATH", "MEDFM_AXE_JS", "MEDFM_VNU_JAR"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    println!("cargo::rerun-if-changed=build.rs");
    // npm ci fills .ci/node_modules; installing Chromium or Java adds a file to a PATH folder.
    println!("cargo::rerun-if-changed=.ci");
    let path_dirs: Vec<PathBuf> = env::split_paths(&env::var_os("PATH").unwrap_or_default())
        .filter(|d| d.is_absolute() && d.is_dir())
        .collect();
    for dir in &path_dirs {
        println!("cargo::rerun-if-changed={}", dir.display());
    }
    let flags = ["medfm_no_chromium", "medfm_no_axe", "medfm_no_vnu"];
    for flag in flags {
        println!("cargo::rustc-check-cfg=cfg({flag})");
    }
    if env::var_os("CI").is_some_and(|v| !v.is_empty()) {
        return;
    }
    let on_path = |names: &[&str]| {
        names
            .iter()
            .any(|n| path_dirs.iter().any(|d| d.join(n).is_file()))
    };
    let file = |var: &str, rel: &str| match env::var_os(var) {
        Some(p) => Path::new(&p).is_file(),
        None => Path::new(".ci/node_modules").join(rel).is_file(),
    };
    let chromium = match env::var_os("CHROME") {
        Some(p) => Path::new(&p).is_file(),
        None => on_path(&["chromium", "chromium-browser", "google-chrome"]),
    };
    let axe = file("MEDFM_AXE_JS", "axe-core/axe.min.js");
    let vnu = file("MEDFM_VNU_JAR", "vnu-jar/build/dist/vnu.jar") && on_path(&["java"]);
    for (found, flag) in [(chromium, flags[0]), (axe, flags[1]), (vnu, flags[2])] {
        if !found {
            println!("cargo::rustc-cfg={flag}");
        }
    }
}
