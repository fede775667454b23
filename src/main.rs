//! The `medfm` binary: parses arguments and exits with the library's status code.

fn main() {
    std::process::exit(medfm::run(std::env::args_os()));
}
