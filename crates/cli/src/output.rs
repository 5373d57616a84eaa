//! Output: the `--format` and `--lang` options, JSON printing, numbers in the reader's
//! convention, and atomic file writes (a temporary file in the same folder, then a rename).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::ValueEnum;
use serde::Serialize;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// JSON, for scripts (the default).
    Json,
    /// Readable text in the chosen language.
    Text,
}

/// The language of text output and messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Русский (the default).
    Ru,
    /// English.
    En,
}

impl Lang {
    /// Picks the Russian or the English wording.
    pub fn pick<'a>(self, ru: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ru => ru,
            Lang::En => en,
        }
    }

    /// Core's language for explanations.
    pub fn core(self) -> lesenka_core::explain::Lang {
        match self {
            Lang::Ru => lesenka_core::explain::Lang::Ru,
            Lang::En => lesenka_core::explain::Lang::En,
        }
    }

    /// A decimal in the language's convention (a comma in Russian).
    pub fn number(self, text: String) -> String {
        lesenka_core::explain::number_text(text, self.core())
    }
}

/// Pretty JSON of a value, with a final newline.
pub fn json<T: Serialize>(value: &T) -> anyhow::Result<String> {
    let mut text = serde_json::to_string_pretty(value).context("writing JSON")?;
    text.push('\n');
    Ok(text)
}

/// Writes text to standard output. A reader that stops early (`| head`) is not an error.
pub fn print(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other.context("writing to standard output"),
    }
}

/// The path a file will have, resolved through symbolic links even when it does not exist yet
/// (its folder must exist).
pub fn resolved(path: &Path) -> Option<PathBuf> {
    if let Ok(p) = path.canonicalize() {
        return Some(p);
    }
    let name = path.file_name()?;
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.canonicalize().ok()?,
        _ => std::env::current_dir().ok()?,
    };
    Some(parent.join(name))
}

/// Writes `bytes` to `path` atomically: into a temporary file in the same folder, flushed to
/// disk, then renamed over `path`. A failure leaves `path` as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let name =
        path.file_name().with_context(|| format!("{} is not a file name", path.display()))?;
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut file = std::fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(e).with_context(|| format!("writing {}", path.display()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_atomically_and_leaves_nothing_behind() {
        let dir = std::env::temp_dir().join(format!("lesenka-output-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("out.json");
        for text in ["first", "second, longer"] {
            write_atomic(&path, text.as_bytes()).unwrap();
            assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
        }
        let names: Vec<_> =
            std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["out.json"]);
        // A missing folder fails and creates nothing.
        let missing = dir.join("no-such-folder").join("out.json");
        assert!(write_atomic(&missing, b"x").is_err());
        assert!(!missing.exists());
        // A file that does not exist yet resolves inside its (resolved) folder.
        assert_eq!(
            resolved(&dir.join("new.json")),
            Some(dir.canonicalize().unwrap().join("new.json"))
        );
        assert_eq!(resolved(&missing), None);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn numbers_follow_the_language() {
        assert_eq!(Lang::Ru.number("4.44".into()), "4,44");
        assert_eq!(Lang::En.number("4.44".into()), "4.44");
        assert_eq!(Lang::Ru.pick("да", "yes"), "да");
    }
}
