//! Reading input files: text decoding (UTF-8 with or without a BOM, UTF-16 with a BOM,
//! Windows-1251 as a fallback), JSON with located errors, and Lesenka envelopes with core's
//! [`LoadError`] turned into messages that name the file, the line and the cause.

use std::fmt;
use std::path::{Path, PathBuf};

use lesenka_core::persist::{self, FORMAT_VERSION, Kind, LoadError};
use serde::de::DeserializeOwned;

use crate::cp1251;
use crate::output::Lang;

/// A usage mistake (exit status 2): a bad option value, a name that is not in the file.
#[derive(Debug)]
pub struct UsageError(pub String);

impl fmt::Display for UsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// A problem with the data of a file (exit status 1), located when the place is known.
#[derive(Debug)]
pub struct DataError {
    /// The file.
    pub path: PathBuf,
    /// 1-based line and column, when known.
    pub at: Option<(usize, Option<usize>)>,
    /// What is wrong.
    pub cause: String,
    /// The language of the framing words.
    pub lang: Lang,
}

impl DataError {
    /// A problem with the whole file.
    pub fn new(path: &Path, lang: Lang, cause: impl Into<String>) -> Self {
        Self { path: path.to_owned(), at: None, cause: cause.into(), lang }
    }

    /// A problem at a line (and column).
    pub fn at(
        path: &Path,
        lang: Lang,
        line: usize,
        column: Option<usize>,
        cause: impl Into<String>,
    ) -> Self {
        Self { path: path.to_owned(), at: Some((line, column)), cause: cause.into(), lang }
    }
}

impl fmt::Display for DataError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = self.path.display();
        match (self.lang, self.at) {
            (Lang::Ru, None) => write!(f, "файл {path}: {}", self.cause),
            (Lang::Ru, Some((line, None))) => {
                write!(f, "файл {path}, строка {line}: {}", self.cause)
            }
            (Lang::Ru, Some((line, Some(col)))) => {
                write!(f, "файл {path}, строка {line}, столбец {col}: {}", self.cause)
            }
            (Lang::En, None) => write!(f, "file {path}: {}", self.cause),
            (Lang::En, Some((line, None))) => write!(f, "file {path}, line {line}: {}", self.cause),
            (Lang::En, Some((line, Some(col)))) => {
                write!(f, "file {path}, line {line}, column {col}: {}", self.cause)
            }
        }
    }
}

impl std::error::Error for DataError {}

/// How a text file was decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// UTF-8 (a leading BOM is dropped).
    Utf8,
    /// UTF-16 little- or big-endian, recognised by its BOM.
    Utf16,
    /// Windows-1251, recognised because the file was not UTF-8 but read as a Russian text.
    Windows1251,
}

/// Reads a file's bytes; a missing or unreadable file is a [`DataError`].
pub fn read_bytes(path: &Path, lang: Lang) -> Result<Vec<u8>, DataError> {
    std::fs::read(path).map_err(|e| {
        let cause = match (e.kind(), lang) {
            (std::io::ErrorKind::NotFound, Lang::Ru) => "файл не найден".to_owned(),
            (std::io::ErrorKind::NotFound, Lang::En) => "no such file".to_owned(),
            (_, Lang::Ru) => format!("не удалось прочитать: {e}"),
            (_, Lang::En) => format!("cannot be read: {e}"),
        };
        DataError::new(path, lang, cause)
    })
}

/// Decodes a text file: UTF-8 (BOM ignored), UTF-16 with a BOM, else Windows-1251 when the bytes
/// read as a Russian text; otherwise an error that says where the first bad byte is and that the
/// file must be saved as UTF-8.
pub fn decode_text(path: &Path, bytes: &[u8], lang: Lang) -> Result<(String, Encoding), DataError> {
    if let Some(rest) = bytes.strip_prefix(b"\xef\xbb\xbf") {
        return utf8(path, rest, lang).map(|t| (t, Encoding::Utf8));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xff\xfe") {
        return utf16(path, rest, u16::from_le_bytes, lang).map(|t| (t, Encoding::Utf16));
    }
    if let Some(rest) = bytes.strip_prefix(b"\xfe\xff") {
        return utf16(path, rest, u16::from_be_bytes, lang).map(|t| (t, Encoding::Utf16));
    }
    match utf8(path, bytes, lang) {
        Ok(text) => Ok((text, Encoding::Utf8)),
        Err(e) => match cp1251::decode(bytes) {
            Some(text) => Ok((text, Encoding::Windows1251)),
            None => Err(e),
        },
    }
}

fn utf8(path: &Path, bytes: &[u8], lang: Lang) -> Result<String, DataError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(text.to_owned()),
        Err(e) => {
            let before = &bytes[..e.valid_up_to()];
            let line = before.iter().filter(|b| **b == b'\n').count() + 1;
            let line_start = before.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
            let column = String::from_utf8_lossy(&before[line_start..]).chars().count() + 1;
            let cause = match lang {
                Lang::Ru => format!(
                    "файл не в кодировке UTF-8 (неверный байт 0x{:02X}); сохраните его как текст \
                     в UTF-8 («Сохранить как» → кодировка UTF-8)",
                    bytes[e.valid_up_to()]
                ),
                Lang::En => format!(
                    "the file is not UTF-8 text (bad byte 0x{:02X}); save it as UTF-8",
                    bytes[e.valid_up_to()]
                ),
            };
            Err(DataError::at(path, lang, line, Some(column), cause))
        }
    }
}

fn utf16(
    path: &Path,
    bytes: &[u8],
    unit: fn([u8; 2]) -> u16,
    lang: Lang,
) -> Result<String, DataError> {
    let bad = |what: &str| {
        let cause = match lang {
            Lang::Ru => format!("файл в UTF-16 повреждён ({what}); сохраните его как UTF-8"),
            Lang::En => format!("the UTF-16 file is damaged ({what}); save it as UTF-8"),
        };
        DataError::new(path, lang, cause)
    };
    if !bytes.len().is_multiple_of(2) {
        return Err(bad("odd number of bytes"));
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|e| bad(&format!("unpaired surrogate 0x{:04X}", e.unpaired_surrogate())))
}

/// Reads a text file (see [`decode_text`]).
pub fn read_text(path: &Path, lang: Lang) -> Result<(String, Encoding), DataError> {
    let bytes = read_bytes(path, lang)?;
    decode_text(path, &bytes, lang)
}

/// serde_json's message without its trailing « at line L column C».
fn serde_cause(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_owned(),
        None => text,
    }
}

/// A serde_json error located in `path`.
pub fn json_error(path: &Path, lang: Lang, e: &serde_json::Error) -> DataError {
    let cause = match (e.classify(), lang) {
        (serde_json::error::Category::Syntax | serde_json::error::Category::Eof, Lang::Ru) => {
            format!("неверный JSON: {}", serde_cause(e))
        }
        (serde_json::error::Category::Syntax | serde_json::error::Category::Eof, Lang::En) => {
            format!("invalid JSON: {}", serde_cause(e))
        }
        (_, Lang::Ru) => format!("данные не подходят: {}", serde_cause(e)),
        (_, Lang::En) => format!("unexpected data: {}", serde_cause(e)),
    };
    if e.line() == 0 {
        DataError::new(path, lang, cause)
    } else {
        DataError::at(path, lang, e.line(), Some(e.column()), cause)
    }
}

/// Parses JSON text as `T`, with errors located by line and column.
pub fn parse_json<T: DeserializeOwned>(
    path: &Path,
    text: &str,
    lang: Lang,
) -> Result<T, DataError> {
    serde_json::from_str(text).map_err(|e| json_error(path, lang, &e))
}

/// Whether a JSON text is a Lesenka envelope (`"format": "lesenka"` at the top level).
pub fn is_envelope(value: &serde_json::Value) -> bool {
    value.get("format").and_then(|f| f.as_str()) == Some(persist::FORMAT_NAME)
}

/// The envelope read directly, only to locate a payload error by line and column.
#[derive(serde::Deserialize)]
struct Located<T> {
    #[serde(rename = "payload")]
    _payload: T,
}

/// The message of a [`LoadError`] for `path`.
pub fn load_error(path: &Path, lang: Lang, e: &LoadError) -> DataError {
    let cause = match (e, lang) {
        (LoadError::NewerVersion { found, supported }, Lang::Ru) => format!(
            "файл сделан более новой версией Lesenka (версия формата {found}, эта программа \
             читает до {supported}); файл не изменён — обновите Lesenka"
        ),
        (LoadError::NewerVersion { found, supported }, Lang::En) => format!(
            "the file was made by a newer Lesenka (format version {found}; this one reads up to \
             {supported}); the file was not changed — update Lesenka"
        ),
        (LoadError::WrongKind { expected, found }, Lang::Ru) => {
            format!("в файле данные Lesenka вида «{found}», а нужны «{expected}»")
        }
        (LoadError::WrongKind { expected, found }, Lang::En) => {
            format!("the file holds Lesenka {found} data, not {expected}")
        }
        (LoadError::Damaged(reason), Lang::Ru) => format!("данные повреждены: {reason}"),
        (LoadError::Damaged(reason), Lang::En) => format!("the data is damaged: {reason}"),
    };
    DataError::new(path, lang, cause)
}

/// Opens an envelope of `kind` from `text` through core's [`persist::open`]. Syntax errors and
/// payload errors of current-version files are located by line and column.
pub fn open_envelope<T: DeserializeOwned>(
    path: &Path,
    kind: Kind,
    text: &str,
    lang: Lang,
) -> Result<T, DataError> {
    if let Err(e) = serde_json::from_str::<serde_json::Value>(text) {
        return Err(json_error(path, lang, &e));
    }
    match persist::open::<T>(kind, text) {
        Ok(opened) => Ok(opened.value),
        Err(e @ LoadError::Damaged(_)) => {
            let current = persist::peek(text).is_ok_and(|h| h.version == FORMAT_VERSION);
            if current && let Err(located) = serde_json::from_str::<Located<T>>(text) {
                return Err(json_error(path, lang, &located));
            }
            Err(load_error(path, lang, &e))
        }
        Err(e) => Err(load_error(path, lang, &e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], expected: Result<(&str, Encoding), &str>) {
        let got = decode_text(Path::new("f.txt"), bytes, Lang::En);
        match (got, expected) {
            (Ok((text, enc)), Ok((want, want_enc))) => {
                assert_eq!((text.as_str(), enc), (want, want_enc));
            }
            (Err(e), Err(want)) => assert_eq!(e.to_string(), want),
            (got, want) => panic!("{bytes:x?}: got {got:?}, expected {want:?}"),
        }
    }

    #[test]
    fn decodes_the_usual_encodings() {
        check("Сроки".as_bytes(), Ok(("Сроки", Encoding::Utf8)));
        check(b"\xef\xbb\xbfok", Ok(("ok", Encoding::Utf8)));
        check(b"\xff\xfe\x21\x04\x40\x04", Ok(("Ср", Encoding::Utf16)));
        check(b"\xfe\xff\x04\x21\x04\x40", Ok(("Ср", Encoding::Utf16)));
        check(b"\xd1\xf0\xee\xea\xe8", Ok(("Сроки", Encoding::Windows1251)));
        check(
            b"ok\nab\x80\x98",
            Err("file f.txt, line 2, column 3: the file is not UTF-8 text (bad byte 0x80); save \
                 it as UTF-8"),
        );
        check(
            b"\xff\xfe\x21",
            Err("file f.txt: the UTF-16 file is damaged (odd number of bytes); save it as UTF-8"),
        );
    }

    #[test]
    fn locates_json_errors() {
        let e = parse_json::<serde_json::Value>(Path::new("a.json"), "{\n  \"a\": 1,\n}", Lang::En)
            .unwrap_err();
        assert_eq!(e.to_string(), "file a.json, line 3, column 1: invalid JSON: trailing comma");
    }
}
