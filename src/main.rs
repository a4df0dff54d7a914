//! The `privgate` command: serve, check, scrub, test, subjects, audit. The subcommands live in
//! `src/cli/`, one module each; README "Commands" describes them.

mod cli;

/// jemalloc: a server allocator with per-thread caches; fewer cycles in malloc/free than
/// glibc's on the request path, and a peak RSS that stays within the 64 MiB target at 256
/// connections (README "Performance" has the measurement).
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    cli::main()
}
