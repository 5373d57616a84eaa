//! The `lesenka` command line (in progress).
fn main() {}
