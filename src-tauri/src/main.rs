// No console window on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// mimalloc rather than glibc's malloc: the interpreter, parser and validator allocate many small,
/// short-lived blocks (decision 0011).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    stepwise_app::run();
}
