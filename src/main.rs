//! The `liaison` binary: everything is in the library, so tests drive the same
//! code.

use std::process::ExitCode;

fn main() -> ExitCode {
    liaison::cli::main()
}
