//! The one build path: `cargo xtask run|test|dist|bench` (in progress).
fn main() {}
