//! Generates the `i18n` module from locales/ru.json and locales/en.json.
//!
//! This is what `leptos_i18n_build::TranslationsInfos` does (parse, report, generate), with its
//! two crates called directly: the app needs no ICU data, so the build needs no exporter for it.

use std::error::Error;
use std::path::PathBuf;

use leptos_i18n_parser::parse_locales::options::{Config, ParseOptions};
use leptos_i18n_parser::parse_locales::parse_locales;

fn main() -> Result<(), Box<dyn Error>> {
    println!("cargo::rerun-if-changed=build.rs");
    println!("cargo::rerun-if-changed=Cargo.toml");
    let dir = PathBuf::from(std::env::var_os("OUT_DIR").ok_or("OUT_DIR is not set")?).join("i18n");
    // `interpolate_display` lets `t_string!` fill in values (dates, counts) as plain text.
    let options = ParseOptions::new().interpolate_display(true);
    let cfg = Config::new("ru")?.add_locale("en")?.parse_options(options);
    let parsed = parse_locales(None, cfg)?;
    for path in parsed.tracked_files.iter().flatten() {
        println!("cargo::rerun-if-changed={path}");
    }
    for warning in parsed.diag.warnings().iter() {
        println!("cargo::warning={warning}");
    }
    for error in parsed.diag.errors().iter() {
        println!("cargo::error={error}");
    }
    let code = leptos_i18n_codegen::gen_code(&parsed, None, false, None, true)?;
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("mod.rs"), code.to_string())?;
    Ok(())
}
