fn main() -> std::process::ExitCode {
    theorist::cli::main()
}
