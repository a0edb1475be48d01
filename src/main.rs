//! The `charter` binary: everything lives in the library; see `charter --help`.

fn main() -> std::process::ExitCode {
    charter::cli::main()
}
