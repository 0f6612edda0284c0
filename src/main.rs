//! The `liaison` binary: everything is in the library, so tests drive the same
//! code.

use std::process::ExitCode;

// Every page builds its HTML in many small strings from several worker threads;
// glibc's allocator spent an eighth of the app's CPU there under load
// (BENCHMARKS.md, session 14), mimalloc's per-thread heaps a fraction of it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    liaison::cli::main()
}
