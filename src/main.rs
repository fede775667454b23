//! The `medfm` binary: parses arguments and exits with the library's status code.

/// jemalloc, where it builds: ~15% less CPU than the system allocator for the same peak memory.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() {
    std::process::exit(medfm::run(std::env::args_os()));
}
