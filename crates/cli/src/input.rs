//! Reading input files: text decoding by `encoding_rs` (UTF-8 with or without a BOM, UTF-16 with
//! a BOM or recognised by its zero bytes, and the legacy encodings schools' files come in —
//! Windows-1251, KOI8-R, CP866… — guessed by `chardetng`), JSON with located errors, and
//! Lesenka envelopes with core's [`LoadError`] turned into messages that name the file, the line
//! and the cause.

use std::fmt;
use std::path::{Path, PathBuf};

use lesenka_core::persist::{self, FORMAT_VERSION, Kind, LoadError};
use serde::de::DeserializeOwned;

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

/// How a text file was decoded: one of `encoding_rs`'s encodings.
pub type Encoding = &'static encoding_rs::Encoding;

/// The encoding's name in lower case («utf-8», «windows-1251», «koi8-r», «utf-16le»).
pub fn encoding_name(e: Encoding) -> String {
    e.name().to_ascii_lowercase()
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

/// Decodes a text file: a BOM (UTF-8, UTF-16LE/BE) decides; else UTF-16 without a BOM when
/// every other byte is zero; else UTF-8 when the bytes are valid UTF-8; else the legacy
/// encoding `chardetng` guesses, when the text it gives reads as a text (no control characters,
/// no undecodable bytes, and most non-ASCII characters letters). Otherwise an error that says
/// where the first byte that is not UTF-8 is and that the file must be saved as UTF-8.
pub fn decode_text(path: &Path, bytes: &[u8], lang: Lang) -> Result<(String, Encoding), DataError> {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(damaged(path, lang, encoding));
        }
        return Ok((text.into_owned(), encoding));
    }
    if let Some(encoding) = utf16_without_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(bytes);
        if !had_errors && reads_as_text(&text) {
            return Ok((text.into_owned(), encoding));
        }
    }
    let utf8_error = match utf8(path, bytes, lang) {
        Ok(text) => return Ok((text, encoding_rs::UTF_8)),
        Err(e) => e,
    };
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    // The «ru» domain tips a close call toward the Cyrillic encodings; UTF-8 was ruled out above.
    let mut encoding = detector.guess(Some(b"ru"), chardetng::Utf8Detection::Deny);
    let (mut text, had_errors) = encoding.decode_without_bom_handling(bytes);
    // KOI8-U is KOI8-R with Ukrainian letters; a Russian text is called by the name it was
    // saved with.
    if encoding == encoding_rs::KOI8_U {
        let (as_r, r_errors) = encoding_rs::KOI8_R.decode_without_bom_handling(bytes);
        if !r_errors && as_r == text {
            (encoding, text) = (encoding_rs::KOI8_R, as_r);
        }
    }
    if had_errors || encoding == encoding_rs::UTF_8 || !reads_as_text(&text) {
        return Err(utf8_error);
    }
    Ok((text.into_owned(), encoding))
}

/// UTF-16 without a BOM: an even length and, in the first 4 KiB, (nearly) every character in
/// the blocks a Russian plan uses — its high byte 0x00 (ASCII, «», of which at least one is
/// there), 0x04 (Cyrillic), 0x20 or 0x21 (dashes, quotes, «…», «№») — with a low byte that is
/// not zero: a pattern no 8-bit text has.
fn utf16_without_bom(bytes: &[u8]) -> Option<Encoding> {
    if bytes.len() < 4 || !bytes.len().is_multiple_of(2) {
        return None;
    }
    let head = &bytes[..bytes.len().min(4096)];
    let looks = |high: usize| {
        let (mut plausible, mut zero_high, mut pairs) = (0usize, false, 0usize);
        for pair in head.chunks_exact(2) {
            let (lo, hi) = (pair[1 - high], pair[high]);
            pairs += 1;
            if lo != 0 && matches!(hi, 0x00 | 0x04 | 0x20 | 0x21) {
                plausible += 1;
                zero_high |= hi == 0;
            }
        }
        zero_high && plausible * 100 >= pairs * 99
    };
    if looks(1) {
        Some(encoding_rs::UTF_16LE)
    } else if looks(0) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// Whether a decoded text reads as a text: no control characters but tab, line breaks and form
/// feed, no replacement characters, and at least 70 % of its non-ASCII characters letters.
fn reads_as_text(text: &str) -> bool {
    let (mut high, mut letters) = (0usize, 0usize);
    for c in text.chars() {
        if c == '\u{fffd}' || (c.is_control() && !matches!(c, '\t' | '\n' | '\r' | '\u{c}')) {
            return false;
        }
        if !c.is_ascii() {
            high += 1;
            letters += usize::from(c.is_alphabetic());
        }
    }
    letters * 10 >= high * 7
}

fn damaged(path: &Path, lang: Lang, encoding: Encoding) -> DataError {
    let name = encoding.name();
    let cause = match lang {
        Lang::Ru => format!("файл в {name} повреждён; сохраните его как UTF-8"),
        Lang::En => format!("the {name} file is damaged; save it as UTF-8"),
    };
    DataError::new(path, lang, cause)
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

    fn check(bytes: &[u8], expected: Result<(&str, &str), &str>) {
        let got = decode_text(Path::new("f.txt"), bytes, Lang::En);
        match (got, expected) {
            (Ok((text, enc)), Ok((want, want_enc))) => {
                assert_eq!((text.as_str(), encoding_name(enc).as_str()), (want, want_enc));
            }
            (Err(e), Err(want)) => assert_eq!(e.to_string(), want),
            (got, want) => panic!("{bytes:x?}: got {got:?}, expected {want:?}"),
        }
    }

    /// A plan's opening in Russian, long enough for detection to see its letters.
    const PLAN: &str = "План работы ПОС на 2023–2024 учебный год — №1…\n\n\
                        Мероприятия\tСроки\tОтветственный\n\
                        Доклад «Критерии оценивания»\tСентябрь\tИванова А.А.\n\
                        Открытый урок «Светофор»\tАпрель - Август\tПетрова Б.Б.\n\
                        Круглый стол\tВ течение года\tСидорова В.В., ответственная\n";

    #[test]
    fn decodes_the_usual_encodings() {
        check("Сроки".as_bytes(), Ok(("Сроки", "utf-8")));
        check(b"\xef\xbb\xbfok", Ok(("ok", "utf-8")));
        check(b"\xff\xfe\x21\x04\x40\x04", Ok(("Ср", "utf-16le")));
        check(b"\xfe\xff\x04\x21\x04\x40", Ok(("Ср", "utf-16be")));
        check(b"\xd1\xf0\xee\xea\xe8", Ok(("Сроки", "windows-1251")));
        check(
            b"ok\nab\x80\x98",
            Err("file f.txt, line 2, column 3: the file is not UTF-8 text (bad byte 0x80); save \
                 it as UTF-8"),
        );
        check(b"\xff\xfe\x21", Err("file f.txt: the UTF-16LE file is damaged; save it as UTF-8"));
    }

    #[test]
    fn a_plan_in_each_schools_encoding_reads_right() {
        for (encoding, name) in [
            (encoding_rs::WINDOWS_1251, "windows-1251"),
            (encoding_rs::KOI8_R, "koi8-r"),
            (encoding_rs::IBM866, "ibm866"),
        ] {
            // KOI8-R and CP866 have no «»: such files quote with ".
            let plan = if encoding == encoding_rs::WINDOWS_1251 {
                PLAN.to_owned()
            } else {
                PLAN.replace(['«', '»'], "\"")
                    .replace(['–', '—'], "-")
                    .replace('…', "...")
                    .replace('№', "N")
            };
            let (bytes, _, unmappable) = encoding.encode(&plan);
            assert!(!unmappable, "{name}");
            check(&bytes, Ok((&plan, name)));
        }
        let mut with_bom = b"\xef\xbb\xbf".to_vec();
        with_bom.extend_from_slice(PLAN.as_bytes());
        check(&with_bom, Ok((PLAN, "utf-8")));
        let le: Vec<u8> = PLAN.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let be: Vec<u8> = PLAN.encode_utf16().flat_map(u16::to_be_bytes).collect();
        check(&le, Ok((PLAN, "utf-16le")));
        check(&be, Ok((PLAN, "utf-16be")));
        let mut le_bom = b"\xff\xfe".to_vec();
        le_bom.extend_from_slice(&le);
        check(&le_bom, Ok((PLAN, "utf-16le")));
    }

    #[test]
    fn locates_json_errors() {
        let e = parse_json::<serde_json::Value>(Path::new("a.json"), "{\n  \"a\": 1,\n}", Lang::En)
            .unwrap_err();
        assert_eq!(e.to_string(), "file a.json, line 3, column 1: invalid JSON: trailing comma");
    }
}
