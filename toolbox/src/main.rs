//! The toolbox's entry point: the arguments come from the host, the exit status goes back to it.

use std::process::ExitCode;

fn main() -> ExitCode {
    let argv: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
    let status = docklings_toolbox::main_with(argv);
    // Exit statuses are 0..=255 on a real system too: `exit 256` is 0.
    ExitCode::from(u8::try_from(status & 0xff).unwrap_or(1))
}
