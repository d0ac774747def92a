//! `lectern`: the command-line front door to Lectern (`lectern-core` and `lectern-ingest`).

mod cli;

fn main() -> std::process::ExitCode {
    cli::run()
}
