//! Compact binary chunks of the evidence journal, and their dense UTF-16 storage text.
//!
//! The app appends one chunk (typically one lesson's records) instead of rewriting a year of
//! evidence. A chunk is:
//!
//! ```text
//! magic "LSJ" (3 bytes) · chunk version (1 byte, CHUNK_VERSION)
//! time unit (1 byte: 0 seconds, 1 milliseconds, 2 nanoseconds) · base second (zigzag varint)
//! classes:  count (varint), then 16-byte UUIDs
//! students: count, then 16-byte UUIDs
//! criteria: count, then 16-byte UUIDs
//! lessons:  count, then per lesson: 16-byte UUID · date (zigzag varint, days from 0001-01-01)
//!           · class index (varint)
//! records:  count, then per record:
//!   evidence id (16 bytes) · head byte · [technique code + response, if head says "general"]
//!   · lesson index · [student index, if named] · [author's student index, if authored]
//!   · criterion index · time
//! ```
//!
//! A record with an author (a peer review's reviewer) is written the general way with the head
//! byte `AUTHORED + source * 2 + named`, and its author's index after the student's (version 2;
//! version-1 chunks, which have neither, still read, their records with no author).
//!
//! The head byte is `((value_code * 3) + source) * 2 + named`. Value codes 0–21 are the small
//! answers with their usual technique: lights (0–2 green/yellow/red, светофор), thumbs (3–5
//! up/sideways/down), fingers 0–5 (6–11, кулак–пять), ladder steps 1–10 (12–21); code 22 is
//! "general": the technique code ([`TechniqueKind::code`]) and a tagged response follow, texts as
//! length-prefixed UTF-8. Sources are 0 self, 1 teacher, 2 peer. Time is the record's
//! `recorded_at` minus the chunk's base second, in the coarsest unit that keeps every record
//! exact (nanosecond chunks store whole seconds and the sub-second part separately). Varints are
//! LEB128; signed numbers are zigzag-encoded.
//!
//! [`decode_chunk`] checks everything (truncation, bad indices, bad UTF-8, unknown tags, trailing
//! bytes) and validates every record through [`EvidenceRecord::new`]; it returns a [`ChunkError`]
//! on damage and never panics.
//!
//! [`to_storage_text`] packs bytes 15 bits per UTF-16 code unit into characters
//! U+3000..=U+AFFF (never surrogates, so each is exactly one code unit in localStorage), after one
//! header character U+3000 + p, where p (0–14) is the number of padding bits in the last
//! character; the byte length is `(15 · data characters − p) / 8`.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use chrono::{DateTime, Datelike, NaiveDate};
use uuid::Uuid;

use crate::evidence::{Conflict, EvidenceDraft, EvidenceRecord, Journal, Source};
use crate::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use crate::technique::{ExitAnswer, Light, Response, ResponseError, TechniqueKind, Thumb};

/// The first bytes of every chunk.
pub const MAGIC: [u8; 3] = *b"LSJ";
/// The chunk layout version this build writes and reads.
pub const CHUNK_VERSION: u8 = 2;
/// The oldest chunk layout this build still reads (version 1: no author of peer records).
pub const OLDEST_CHUNK_VERSION: u8 = 1;

/// The first storage-text character; data characters are `STORAGE_BASE + 15-bit group`.
pub const STORAGE_BASE: u32 = 0x3000;

const LADDER_CODES: u8 = 10;
const GENERAL: u8 = 22;
const MAX_HEAD: u8 = (GENERAL * 3 + 2) * 2 + 1;
/// The head byte of a record with an author, plus `source * 2 + named` (version 2).
pub const AUTHORED: u8 = MAX_HEAD + 1;
const MAX_AUTHORED_HEAD: u8 = AUTHORED + 2 * 2 + 1;

/// Why a chunk (or its storage text) could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChunkError {
    /// The bytes do not start with the chunk magic.
    #[error("not a Lesenka journal chunk: expected the bytes \"LSJ\" at the start")]
    BadMagic,
    /// A chunk layout this build does not know (written by a newer Lesenka).
    #[error("journal chunk version {found} is newer than the {supported} this version reads")]
    NewerVersion {
        /// The version byte found.
        found: u8,
        /// The version this build reads.
        supported: u8,
    },
    /// The bytes end early.
    #[error("the chunk ends at byte {at}, where {expected} was expected")]
    Truncated {
        /// Offset where more bytes were needed.
        at: usize,
        /// What was being read.
        expected: &'static str,
    },
    /// A number too large for its field.
    #[error("byte {at}: {what} is too large")]
    Overflow {
        /// Offset of the number.
        at: usize,
        /// What was being read.
        what: &'static str,
    },
    /// An index past the end of its dictionary.
    #[error("byte {at}: {table} index {index} is past the {len} entries of the dictionary")]
    BadIndex {
        /// Offset of the index.
        at: usize,
        /// Which dictionary.
        table: &'static str,
        /// The index.
        index: u64,
        /// The dictionary's size.
        len: usize,
    },
    /// A tag byte with no meaning.
    #[error("byte {at}: {value} is not a valid {what}")]
    BadTag {
        /// Offset of the byte.
        at: usize,
        /// What it should have been.
        what: &'static str,
        /// The value found.
        value: u64,
    },
    /// A text that is not UTF-8.
    #[error("byte {at}: a text is not valid UTF-8")]
    BadUtf8 {
        /// Offset of the text.
        at: usize,
    },
    /// A date or time outside the representable range.
    #[error("byte {at}: {what} is out of range")]
    BadTime {
        /// Offset of the value.
        at: usize,
        /// Date or time.
        what: &'static str,
    },
    /// A record that does not pass validation.
    #[error("record {index} is not valid: {source}")]
    InvalidRecord {
        /// 0-based record number.
        index: usize,
        /// Why.
        source: ResponseError,
    },
    /// Bytes after the last record.
    #[error("{count} unexpected bytes after the last record at byte {at}")]
    TrailingBytes {
        /// Offset of the first extra byte.
        at: usize,
        /// How many.
        count: usize,
    },
    /// The storage text is empty (it always has a header character).
    #[error("the stored journal text is empty; expected at least its header character")]
    EmptyStorageText,
    /// A character outside the storage alphabet.
    #[error(
        "character {index} of the stored journal text (U+{code:04X}) is outside U+3000..U+AFFF"
    )]
    BadStorageChar {
        /// 0-based character number.
        index: usize,
        /// Its code point.
        code: u32,
    },
    /// Header and length of the storage text disagree, or padding bits are not zero.
    #[error("the stored journal text has an inconsistent length or padding")]
    BadStorageLength,
}

// ----- encoding -----

struct Dict<K> {
    index: HashMap<K, usize>,
    items: Vec<K>,
}

impl<K: Copy + Eq + Hash> Dict<K> {
    fn new() -> Self {
        Self { index: HashMap::new(), items: Vec::new() }
    }
    fn add(&mut self, key: K) -> usize {
        *self.index.entry(key).or_insert_with(|| {
            self.items.push(key);
            self.items.len() - 1
        })
    }
}

#[derive(Clone, Copy)]
enum TimeUnit {
    Seconds = 0,
    Millis = 1,
    Nanos = 2,
}

fn put_varint(out: &mut Vec<u8>, mut value: u128) {
    loop {
        let byte = (value & 0x7f) as u8;
        value >>= 7;
        if value == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_usize(out: &mut Vec<u8>, value: usize) {
    put_varint(out, value as u128);
}

fn zigzag(value: i64) -> u128 {
    (((value << 1) ^ (value >> 63)) as u64).into()
}

fn unzigzag(value: u64) -> i64 {
    ((value >> 1) as i64) ^ -((value & 1) as i64)
}

fn put_text(out: &mut Vec<u8>, text: &str) {
    put_usize(out, text.len());
    out.extend_from_slice(text.as_bytes());
}

const fn source_code(source: Source) -> u8 {
    match source {
        Source::SelfAssessment => 0,
        Source::Teacher => 1,
        Source::Peer => 2,
    }
}

fn source_from_code(code: u8) -> Source {
    match code {
        0 => Source::SelfAssessment,
        1 => Source::Teacher,
        _ => Source::Peer,
    }
}

const fn light_code(light: Light) -> u8 {
    match light {
        Light::Green => 0,
        Light::Yellow => 1,
        Light::Red => 2,
    }
}

const fn thumb_code(thumb: Thumb) -> u8 {
    match thumb {
        Thumb::Up => 0,
        Thumb::Sideways => 1,
        Thumb::Down => 2,
    }
}

/// The small value code of a record, if its answer has one with its usual technique.
fn small_code(technique: TechniqueKind, value: &Response) -> Option<u8> {
    match (technique, value) {
        (TechniqueKind::TrafficLight, Response::Light(l)) => Some(light_code(*l)),
        (TechniqueKind::Thumbs, Response::Thumb(t)) => Some(3 + thumb_code(*t)),
        (TechniqueKind::FistToFive, Response::Fingers(n)) if *n <= 5 => Some(6 + n),
        (TechniqueKind::Ladder, Response::Step(s)) if (1..=LADDER_CODES).contains(s) => {
            Some(12 + s - 1)
        }
        _ => None,
    }
}

fn small_value(code: u8) -> (TechniqueKind, Response) {
    match code {
        0..=2 => (TechniqueKind::TrafficLight, Response::Light(Light::ALL[code as usize])),
        3..=5 => (TechniqueKind::Thumbs, Response::Thumb(Thumb::ALL[(code - 3) as usize])),
        6..=11 => (TechniqueKind::FistToFive, Response::Fingers(code - 6)),
        _ => (TechniqueKind::Ladder, Response::Step(code - 12 + 1)),
    }
}

fn put_response(out: &mut Vec<u8>, value: &Response) {
    match value {
        Response::Light(l) => out.extend([0, light_code(*l)]),
        Response::Step(s) => out.extend([1, *s]),
        Response::Fingers(n) => out.extend([2, *n]),
        Response::Thumb(t) => out.extend([3, thumb_code(*t)]),
        Response::TwoStarsAndAWish { stars, wish } => {
            out.push(4);
            stars.iter().chain([wish]).for_each(|t| put_text(out, t));
        }
        Response::ThreeTwoOne { three, two, one } => {
            out.push(5);
            three.iter().chain(two).chain([one]).for_each(|t| put_text(out, t));
        }
        Response::Text(t) => {
            out.push(6);
            put_text(out, t);
        }
        Response::Lines(lines) => {
            out.push(7);
            put_usize(out, lines.len());
            lines.iter().for_each(|t| put_text(out, t));
        }
        Response::ExitTicket(answers) => {
            out.push(8);
            put_usize(out, answers.len());
            for answer in answers {
                match answer {
                    ExitAnswer::Check(ok) => out.push(u8::from(*ok)),
                    ExitAnswer::Confidence(c) => out.extend([2, *c]),
                    ExitAnswer::Text(t) => {
                        out.push(3);
                        put_text(out, t);
                    }
                }
            }
        }
    }
}

/// Encodes records as one chunk, in the given order.
pub fn encode_chunk(records: &[EvidenceRecord]) -> Vec<u8> {
    let mut classes = Dict::<ClassId>::new();
    let mut students = Dict::<StudentId>::new();
    let mut criteria = Dict::<CriterionId>::new();
    let mut lessons = Dict::<(LessonId, NaiveDate, ClassId)>::new();
    let mut lesson_classes = Vec::new();
    let indices: Vec<(usize, Option<usize>, Option<usize>, usize)> = records
        .iter()
        .map(|r| {
            let lesson = lessons.add((r.lesson(), r.lesson_date(), r.class()));
            if lesson == lesson_classes.len() {
                lesson_classes.push(classes.add(r.class()));
            }
            let student = r.student().map(|s| students.add(s));
            let author = r.author().map(|a| students.add(a));
            (lesson, student, author, criteria.add(r.criterion()))
        })
        .collect();
    let base = records.iter().map(|r| r.recorded_at().timestamp()).min().unwrap_or(0);
    let unit = if records.iter().all(|r| r.recorded_at().timestamp_subsec_nanos() == 0) {
        TimeUnit::Seconds
    } else if records.iter().all(|r| {
        let n = r.recorded_at().timestamp_subsec_nanos();
        n < 1_000_000_000 && n % 1_000_000 == 0
    }) {
        TimeUnit::Millis
    } else {
        TimeUnit::Nanos
    };

    let mut out = Vec::with_capacity(64 + records.len() * 26);
    out.extend_from_slice(&MAGIC);
    out.push(CHUNK_VERSION);
    out.push(unit as u8);
    put_varint(&mut out, zigzag(base));
    put_ids(&mut out, classes.items.iter().map(ClassId::as_uuid));
    put_ids(&mut out, students.items.iter().map(StudentId::as_uuid));
    put_ids(&mut out, criteria.items.iter().map(CriterionId::as_uuid));
    put_usize(&mut out, lessons.items.len());
    for ((lesson, date, _), class) in lessons.items.iter().zip(&lesson_classes) {
        out.extend_from_slice(lesson.as_bytes());
        put_varint(&mut out, zigzag(i64::from(date.num_days_from_ce())));
        put_usize(&mut out, *class);
    }
    put_usize(&mut out, records.len());
    for (r, (lesson, student, author, criterion)) in records.iter().zip(indices) {
        out.extend_from_slice(r.id().as_bytes());
        let named = u8::from(r.student().is_some());
        let source = source_code(r.source());
        let small = if author.is_some() { None } else { small_code(r.technique(), r.value()) };
        match small {
            Some(code) => out.push((code * 3 + source) * 2 + named),
            None => {
                out.push(if author.is_some() {
                    AUTHORED + source * 2 + named
                } else {
                    (GENERAL * 3 + source) * 2 + named
                });
                out.push(r.technique().code());
                put_response(&mut out, r.value());
            }
        }
        put_usize(&mut out, lesson);
        if let Some(student) = student {
            put_usize(&mut out, student);
        }
        if let Some(author) = author {
            put_usize(&mut out, author);
        }
        put_usize(&mut out, criterion);
        let at = r.recorded_at();
        let secs = (i128::from(at.timestamp()) - i128::from(base)) as u128;
        let nanos = at.timestamp_subsec_nanos();
        match unit {
            TimeUnit::Seconds => put_varint(&mut out, secs),
            TimeUnit::Millis => put_varint(&mut out, secs * 1000 + u128::from(nanos / 1_000_000)),
            TimeUnit::Nanos => {
                put_varint(&mut out, secs);
                put_varint(&mut out, nanos.into());
            }
        }
    }
    out
}

fn put_ids<'a>(out: &mut Vec<u8>, ids: impl ExactSizeIterator<Item = &'a Uuid>) {
    put_usize(out, ids.len());
    ids.for_each(|id| out.extend_from_slice(id.as_bytes()));
}

// ----- decoding -----

struct Reader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    fn take(&mut self, n: usize, expected: &'static str) -> Result<&'a [u8], ChunkError> {
        if self.remaining() < n {
            return Err(ChunkError::Truncated { at: self.bytes.len(), expected });
        }
        let slice = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    fn byte(&mut self, expected: &'static str) -> Result<u8, ChunkError> {
        Ok(self.take(1, expected)?[0])
    }

    fn varint(&mut self, what: &'static str) -> Result<u128, ChunkError> {
        let at = self.pos;
        let mut value: u128 = 0;
        let mut shift = 0u32;
        loop {
            let byte = self.byte(what)?;
            let low = u128::from(byte & 0x7f);
            if shift == 126 && low > 3 {
                return Err(ChunkError::Overflow { at, what });
            }
            value |= low << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
            shift += 7;
            if shift > 126 {
                return Err(ChunkError::Overflow { at, what });
            }
        }
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, ChunkError> {
        let at = self.pos;
        u64::try_from(self.varint(what)?).map_err(|_| ChunkError::Overflow { at, what })
    }

    /// A count of items each at least `min_size` bytes long, checked against what is left.
    fn count(&mut self, what: &'static str, min_size: usize) -> Result<usize, ChunkError> {
        let at = self.pos;
        let n = self.u64(what)?;
        let fits =
            usize::try_from(n).ok().filter(|n| n.saturating_mul(min_size) <= self.remaining());
        fits.ok_or(ChunkError::Overflow { at, what })
    }

    fn index(&mut self, table: &'static str, len: usize) -> Result<usize, ChunkError> {
        let at = self.pos;
        let index = self.u64(table)?;
        usize::try_from(index).ok().filter(|i| *i < len).ok_or(ChunkError::BadIndex {
            at,
            table,
            index,
            len,
        })
    }

    fn uuid(&mut self, expected: &'static str) -> Result<Uuid, ChunkError> {
        let bytes = self.take(16, expected)?;
        let mut array = [0u8; 16];
        array.copy_from_slice(bytes);
        Ok(Uuid::from_bytes(array))
    }

    fn uuids(&mut self, what: &'static str) -> Result<Vec<Uuid>, ChunkError> {
        let n = self.count(what, 16)?;
        (0..n).map(|_| self.uuid(what)).collect()
    }

    fn text(&mut self) -> Result<String, ChunkError> {
        let at = self.pos;
        let len = self.count("text length", 1)?;
        let bytes = self.take(len, "text")?;
        String::from_utf8(bytes.to_vec()).map_err(|_| ChunkError::BadUtf8 { at })
    }

    fn small(&mut self, what: &'static str, max: u8) -> Result<u8, ChunkError> {
        let at = self.pos;
        let value = self.byte(what)?;
        if value > max {
            return Err(ChunkError::BadTag { at, what, value: value.into() });
        }
        Ok(value)
    }

    fn response(&mut self) -> Result<Response, ChunkError> {
        let at = self.pos;
        let tag = self.byte("response tag")?;
        Ok(match tag {
            0 => Response::Light(Light::ALL[self.small("light", 2)? as usize]),
            1 => Response::Step(self.byte("ladder step")?),
            2 => Response::Fingers(self.byte("fingers")?),
            3 => Response::Thumb(Thumb::ALL[self.small("thumb", 2)? as usize]),
            4 => Response::TwoStarsAndAWish {
                stars: [self.text()?, self.text()?],
                wish: self.text()?,
            },
            5 => Response::ThreeTwoOne {
                three: [self.text()?, self.text()?, self.text()?],
                two: [self.text()?, self.text()?],
                one: self.text()?,
            },
            6 => Response::Text(self.text()?),
            7 => {
                let n = self.count("cinquain line count", 1)?;
                Response::Lines((0..n).map(|_| self.text()).collect::<Result<_, _>>()?)
            }
            8 => {
                let n = self.count("exit ticket answer count", 1)?;
                let mut answers = Vec::with_capacity(n);
                for _ in 0..n {
                    let at = self.pos;
                    answers.push(match self.byte("exit ticket answer")? {
                        0 => ExitAnswer::Check(false),
                        1 => ExitAnswer::Check(true),
                        2 => ExitAnswer::Confidence(self.byte("confidence")?),
                        3 => ExitAnswer::Text(self.text()?),
                        value => {
                            return Err(ChunkError::BadTag {
                                at,
                                what: "exit ticket answer tag",
                                value: value.into(),
                            });
                        }
                    });
                }
                Response::ExitTicket(answers)
            }
            value => {
                return Err(ChunkError::BadTag { at, what: "response tag", value: value.into() });
            }
        })
    }
}

/// Decodes a chunk made by [`encode_chunk`]. Total: damage gives a [`ChunkError`], never a panic.
pub fn decode_chunk(bytes: &[u8]) -> Result<Vec<EvidenceRecord>, ChunkError> {
    let mut r = Reader { bytes, pos: 0 };
    if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
        return Err(ChunkError::BadMagic);
    }
    r.pos = MAGIC.len();
    let version = r.byte("the chunk version")?;
    if version > CHUNK_VERSION {
        return Err(ChunkError::NewerVersion { found: version, supported: CHUNK_VERSION });
    }
    if version < OLDEST_CHUNK_VERSION {
        return Err(ChunkError::BadTag { at: 3, what: "chunk version", value: version.into() });
    }
    let at = r.pos;
    let unit = match r.byte("the time unit")? {
        0 => TimeUnit::Seconds,
        1 => TimeUnit::Millis,
        2 => TimeUnit::Nanos,
        value => return Err(ChunkError::BadTag { at, what: "time unit", value: value.into() }),
    };
    let base = unzigzag(r.u64("base time")?);
    let classes = r.uuids("class dictionary")?;
    let students = r.uuids("student dictionary")?;
    let criteria = r.uuids("criterion dictionary")?;
    let lesson_count = r.count("lesson dictionary", 18)?;
    let mut lessons = Vec::with_capacity(lesson_count);
    for _ in 0..lesson_count {
        let id = LessonId::from_uuid(r.uuid("lesson id")?);
        let at = r.pos;
        let days = unzigzag(r.u64("lesson date")?);
        let date = i32::try_from(days)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .ok_or(ChunkError::BadTime { at, what: "lesson date" })?;
        let class = ClassId::from_uuid(classes[r.index("class", classes.len())?]);
        lessons.push((id, date, class));
    }
    let count = r.count("record count", 20)?;
    let mut records = Vec::with_capacity(count);
    for index in 0..count {
        let id = EvidenceId::from_uuid(r.uuid("evidence id")?);
        let at = r.pos;
        let head = r.byte("record head")?;
        let authored = version >= 2 && (AUTHORED..=MAX_AUTHORED_HEAD).contains(&head);
        if head > MAX_HEAD && !authored {
            return Err(ChunkError::BadTag { at, what: "record head", value: head.into() });
        }
        let (named, source, code) = if authored {
            let bits = head - AUTHORED;
            (bits & 1 == 1, source_from_code(bits >> 1), GENERAL)
        } else {
            (head & 1 == 1, source_from_code((head >> 1) % 3), (head >> 1) / 3)
        };
        let (technique, value) = if code == GENERAL {
            let at = r.pos;
            let tcode = r.byte("technique")?;
            let technique = TechniqueKind::from_code(tcode).ok_or(ChunkError::BadTag {
                at,
                what: "technique code",
                value: tcode.into(),
            })?;
            (technique, r.response()?)
        } else {
            small_value(code)
        };
        let (lesson, lesson_date, class) = lessons[r.index("lesson", lessons.len())?];
        let student = if named {
            Some(StudentId::from_uuid(students[r.index("student", students.len())?]))
        } else {
            None
        };
        let author = if authored {
            Some(StudentId::from_uuid(students[r.index("author", students.len())?]))
        } else {
            None
        };
        let criterion = CriterionId::from_uuid(criteria[r.index("criterion", criteria.len())?]);
        let at = r.pos;
        let (secs, nanos) = match unit {
            TimeUnit::Seconds => (r.varint("time")?, 0),
            TimeUnit::Millis => {
                let ms = r.varint("time")?;
                (ms / 1000, (ms % 1000) as u32 * 1_000_000)
            }
            TimeUnit::Nanos => {
                let secs = r.varint("time")?;
                let nanos = u32::try_from(r.u64("time")?)
                    .map_err(|_| ChunkError::BadTime { at, what: "record time" })?;
                (secs, nanos)
            }
        };
        let recorded_at = i64::try_from(secs)
            .ok()
            .and_then(|s| s.checked_add(base))
            .and_then(|s| DateTime::from_timestamp(s, nanos))
            .ok_or(ChunkError::BadTime { at, what: "record time" })?;
        let draft = EvidenceDraft {
            id,
            lesson,
            lesson_date,
            class,
            student,
            criterion,
            technique,
            value,
            source,
            author,
            recorded_at,
        };
        records.push(
            EvidenceRecord::new(draft)
                .map_err(|source| ChunkError::InvalidRecord { index, source })?,
        );
    }
    if r.remaining() > 0 {
        return Err(ChunkError::TrailingBytes { at: r.pos, count: r.remaining() });
    }
    Ok(records)
}

/// Groups records by lesson (in lesson-id order, records in the order given): the usual unit of
/// one chunk, so the app appends a lesson's chunk instead of rewriting the year.
pub fn split_by_lesson<'a>(
    records: impl IntoIterator<Item = &'a EvidenceRecord>,
) -> BTreeMap<LessonId, Vec<EvidenceRecord>> {
    let mut lessons: BTreeMap<LessonId, Vec<EvidenceRecord>> = BTreeMap::new();
    for record in records {
        lessons.entry(record.lesson()).or_default().push(record.clone());
    }
    lessons
}

/// Decodes a chunk and appends its records to `journal`, returning the id conflicts met (the
/// journal resolves them as [`Journal::append`] does). On damage nothing is appended.
pub fn decode_into(journal: &mut Journal, bytes: &[u8]) -> Result<Vec<Conflict>, ChunkError> {
    let records = decode_chunk(bytes)?;
    Ok(records.into_iter().filter_map(|r| journal.append(r).err()).collect())
}

// ----- storage text -----

/// Packs bytes into a dense text for localStorage: one header character, then 15 bits per
/// character in U+3000..=U+AFFF (one UTF-16 code unit each, never a surrogate).
pub fn to_storage_text(bytes: &[u8]) -> String {
    let data_chars = (bytes.len() * 8).div_ceil(15);
    let padding = data_chars * 15 - bytes.len() * 8;
    let mut out = String::with_capacity((data_chars + 1) * 3);
    out.push(storage_char(padding as u32));
    let mut acc: u32 = 0;
    let mut bits = 0;
    for byte in bytes {
        acc = (acc << 8) | u32::from(*byte);
        bits += 8;
        if bits >= 15 {
            bits -= 15;
            out.push(storage_char((acc >> bits) & 0x7fff));
            acc &= (1 << bits) - 1;
        }
    }
    if bits > 0 {
        out.push(storage_char((acc << (15 - bits)) & 0x7fff));
    }
    out
}

fn storage_char(group: u32) -> char {
    // STORAGE_BASE + group ≤ 0xAFFF, far below the surrogates at 0xD800.
    char::from_u32(STORAGE_BASE + group).unwrap_or(char::REPLACEMENT_CHARACTER)
}

/// Reads a text made by [`to_storage_text`] back into the exact bytes.
pub fn from_storage_text(text: &str) -> Result<Vec<u8>, ChunkError> {
    let mut chars = text.chars().enumerate().map(|(index, c)| {
        let code = u32::from(c);
        code.checked_sub(STORAGE_BASE)
            .filter(|g| *g <= 0x7fff)
            .ok_or(ChunkError::BadStorageChar { index, code })
    });
    let padding = chars.next().ok_or(ChunkError::EmptyStorageText)??;
    if padding >= 15 {
        return Err(ChunkError::BadStorageLength);
    }
    let mut out = Vec::with_capacity(text.len() / 3 * 15 / 8 + 1);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut data_chars = 0usize;
    let mut last = 0u32;
    for group in chars {
        let group = group?;
        data_chars += 1;
        last = group;
        acc = (acc << 15) | group;
        bits += 15;
        while bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    let total_bits = data_chars * 15;
    let padding = padding as usize;
    if padding > total_bits || !(total_bits - padding).is_multiple_of(8) {
        return Err(ChunkError::BadStorageLength);
    }
    if data_chars > 0 && padding > 0 && last & ((1 << padding) - 1) != 0 {
        return Err(ChunkError::BadStorageLength);
    }
    let len = (total_bits - padding) / 8;
    if len + 1 < out.len() || len > out.len() {
        return Err(ChunkError::BadStorageLength);
    }
    out.truncate(len);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;
    use proptest::prelude::*;

    fn record(
        n: u128,
        technique: TechniqueKind,
        value: Response,
        student: Option<u128>,
    ) -> EvidenceRecord {
        EvidenceRecord::new(EvidenceDraft {
            id: EvidenceId::from_u128(0xE000 + n),
            lesson: LessonId::from_u128(0x1E55),
            lesson_date: NaiveDate::from_ymd_opt(2024, 9, 2).unwrap(),
            class: ClassId::from_u128(0xC1A5),
            student: student.map(StudentId::from_u128),
            criterion: CriterionId::from_u128(0xC817),
            technique,
            value,
            source: Source::SelfAssessment,
            author: None,
            recorded_at: DateTime::from_timestamp(1_725_265_800 + n as i64, 0).unwrap(),
        })
        .unwrap()
    }

    fn check(bytes: &[u8], expected: Result<usize, ChunkError>) {
        assert_eq!(decode_chunk(bytes).map(|r| r.len()), expected);
    }

    #[test]
    fn a_light_record_is_small() {
        let records =
            [record(1, TechniqueKind::TrafficLight, Response::Light(Light::Red), Some(7))];
        let bytes = encode_chunk(&records);
        // header 4 + unit 1 + base 5 + 3 dictionaries of one id (3 × 17) + lesson (1 + 16 + 3 + 1)
        // + count 1 + record (16 + head + lesson + student + criterion + time)
        assert_eq!(bytes.len(), 4 + 1 + 5 + 51 + 21 + 1 + 21);
        assert_eq!(&bytes[..4], b"LSJ\x02");
        assert_eq!(decode_chunk(&bytes).unwrap(), records);
    }

    #[test]
    fn a_reviews_author_is_kept_and_version_1_chunks_still_read() {
        let review = Response::TwoStarsAndAWish {
            stars: ["ясно".into(), "чисто".into()],
            wish: "пример".into(),
        };
        let plain = record(1, TechniqueKind::TwoStarsAndAWish, review, Some(7));
        let mut draft = plain.as_draft().clone();
        draft.source = Source::Peer;
        draft.author = Some(StudentId::from_u128(8));
        let reviewed = EvidenceRecord::new(draft).unwrap();
        let with_author = encode_chunk(std::slice::from_ref(&reviewed));
        assert_eq!(decode_chunk(&with_author).unwrap(), std::slice::from_ref(&reviewed));
        // The author costs its index, and its id in the student dictionary.
        let without = encode_chunk(std::slice::from_ref(&plain));
        assert_eq!(with_author.len(), without.len() + 1 + 16);
        // A version-1 chunk (no author anywhere) reads as before.
        let mut old = without.clone();
        old[3] = 1;
        assert_eq!(decode_chunk(&old).unwrap(), [plain]);
        // In version 1 an authored head byte is damage, not an author.
        let mut forged = with_author.clone();
        forged[3] = 1;
        assert!(matches!(
            decode_chunk(&forged),
            Err(ChunkError::BadTag { what: "record head", .. })
        ));
    }

    #[test]
    fn damage_is_reported() {
        let records = [
            record(1, TechniqueKind::Ladder, Response::Step(3), Some(7)),
            record(
                2,
                TechniqueKind::UnfinishedSentence,
                Response::Text("Сегодня я понял".into()),
                None,
            ),
        ];
        let good = encode_chunk(&records);
        check(&good, Ok(2));
        check(b"", Err(ChunkError::BadMagic));
        check(b"PK\x03\x04", Err(ChunkError::BadMagic));
        check(b"LSJ", Err(ChunkError::Truncated { at: 3, expected: "the chunk version" }));
        check(b"LSJ\x09", Err(ChunkError::NewerVersion { found: 9, supported: 2 }));
        check(b"LSJ\x00", Err(ChunkError::BadTag { at: 3, what: "chunk version", value: 0 }));
        check(b"LSJ\x02\x07", Err(ChunkError::BadTag { at: 4, what: "time unit", value: 7 }));
        let mut extra = good.clone();
        extra.push(0);
        check(&extra, Err(ChunkError::TrailingBytes { at: good.len(), count: 1 }));
        check(
            &good[..good.len() - 1],
            Err(ChunkError::Truncated { at: good.len() - 1, expected: "time" }),
        );
        // Bad UTF-8 inside the text: its bytes are the 15 bytes before the last index and time.
        let text_start = good.len() - 3 - "Сегодня я понял".len();
        let mut bad = good.clone();
        bad[text_start] = 0xff;
        assert!(matches!(decode_chunk(&bad), Err(ChunkError::BadUtf8 { .. })));
        // A text answer relabelled as a ladder is refused by record validation.
        let mut relabelled = good.clone();
        relabelled[text_start - 3] = TechniqueKind::Ladder.code();
        assert_eq!(
            decode_chunk(&relabelled),
            Err(ChunkError::InvalidRecord {
                index: 1,
                source: ResponseError::WrongShape { technique: TechniqueKind::Ladder, got: "text" },
            })
        );
    }

    #[test]
    fn every_truncation_and_byte_flip_is_an_error_not_a_panic() {
        let records = [
            record(
                1,
                TechniqueKind::ExitTicket,
                Response::ExitTicket(vec![
                    ExitAnswer::Check(true),
                    ExitAnswer::Confidence(3),
                    ExitAnswer::Text("дроби".into()),
                ]),
                Some(1),
            ),
            record(
                2,
                TechniqueKind::Cinquain,
                Response::Lines(vec!["Дробь".into(), "простая, десятичная".into()]),
                None,
            ),
        ];
        let good = encode_chunk(&records);
        assert_eq!(decode_chunk(&good).unwrap(), records);
        for len in 0..good.len() {
            assert!(decode_chunk(&good[..len]).is_err(), "truncated to {len}");
        }
        for i in 0..good.len() {
            for flip in [0x01, 0x80, 0xff] {
                let mut bytes = good.clone();
                bytes[i] ^= flip;
                let _ = decode_chunk(&bytes);
            }
        }
    }

    #[test]
    fn a_journal_is_stored_as_one_chunk_per_lesson() {
        let mut other_lesson = record(3, TechniqueKind::Ladder, Response::Step(2), Some(4)).into();
        let EvidenceDraft { lesson, lesson_date, .. } = &mut other_lesson;
        *lesson = LessonId::from_u128(0x1E56);
        *lesson_date = NaiveDate::from_ymd_opt(2024, 9, 3).unwrap();
        let records = [
            record(1, TechniqueKind::TrafficLight, Response::Light(Light::Green), Some(4)),
            EvidenceRecord::new(other_lesson).unwrap(),
            record(2, TechniqueKind::TrafficLight, Response::Light(Light::Red), None),
        ];
        let (journal, _) = Journal::from_records(records.clone());
        let chunks = split_by_lesson(journal.iter());
        assert_eq!(chunks.len(), 2);
        assert_eq!(chunks[&LessonId::from_u128(0x1E55)], [records[0].clone(), records[2].clone()]);
        let mut restored = Journal::new();
        for chunk in chunks.values() {
            assert_eq!(decode_into(&mut restored, &encode_chunk(chunk)), Ok(vec![]));
        }
        assert_eq!(restored, journal);
        // Loading a chunk twice is harmless; a damaged chunk appends nothing.
        let again = encode_chunk(&chunks[&LessonId::from_u128(0x1E56)]);
        assert_eq!(decode_into(&mut restored, &again), Ok(vec![]));
        assert!(matches!(
            decode_into(&mut restored, &again[..again.len() - 1]),
            Err(ChunkError::Truncated { .. })
        ));
        assert_eq!(restored, journal);
    }

    #[test]
    fn bad_indices() {
        let records = [record(1, TechniqueKind::Thumbs, Response::Thumb(Thumb::Up), Some(3))];
        let mut bytes = encode_chunk(&records);
        let lesson_index = bytes.len() - 4;
        bytes[lesson_index] = 5;
        assert_eq!(
            decode_chunk(&bytes),
            Err(ChunkError::BadIndex { at: lesson_index, table: "lesson", index: 5, len: 1 })
        );
    }

    #[test]
    fn storage_text_examples() {
        let check = |bytes: &[u8], expected: &str| {
            assert_eq!(to_storage_text(bytes), expected);
            assert_eq!(from_storage_text(expected).unwrap(), bytes);
        };
        check(b"", "\u{3000}");
        // 0xFF → 1111_1111 + 7 zero bits of padding.
        check(&[0xff], "\u{3007}\u{af80}");
        check(&[0x00, 0x01], "\u{300e}\u{3000}\u{7000}");
        assert_eq!(from_storage_text(""), Err(ChunkError::EmptyStorageText));
        assert_eq!(from_storage_text("\u{3007}"), Err(ChunkError::BadStorageLength));
        assert_eq!(from_storage_text("\u{3007}\u{af81}"), Err(ChunkError::BadStorageLength));
        assert_eq!(from_storage_text("\u{3010}\u{3000}"), Err(ChunkError::BadStorageLength));
        assert_eq!(
            from_storage_text("\u{3007}a"),
            Err(ChunkError::BadStorageChar { index: 1, code: 0x61 })
        );
    }

    fn arb_text() -> impl Strategy<Value = String> {
        prop_oneof![".{0,12}", Just(String::new()), Just("Не понял, как делить дроби".to_owned())]
    }

    fn arb_response() -> impl Strategy<Value = (TechniqueKind, Response)> {
        use TechniqueKind as K;
        prop_oneof![
            prop::sample::select(Light::ALL.to_vec())
                .prop_map(|l| (K::TrafficLight, Response::Light(l))),
            prop::sample::select(Thumb::ALL.to_vec()).prop_map(|t| (K::Thumbs, Response::Thumb(t))),
            (0u8..=5).prop_map(|n| (K::FistToFive, Response::Fingers(n))),
            (1u8..=10).prop_map(|n| (K::Ladder, Response::Step(n))),
            (arb_text(), arb_text(), arb_text()).prop_map(|(a, b, w)| (
                K::TwoStarsAndAWish,
                Response::TwoStarsAndAWish { stars: [a, b], wish: w }
            )),
            prop::collection::vec(arb_text(), 6).prop_map(|t| (
                K::ThreeTwoOne,
                Response::ThreeTwoOne {
                    three: [t[0].clone(), t[1].clone(), t[2].clone()],
                    two: [t[3].clone(), t[4].clone()],
                    one: t[5].clone()
                }
            )),
            "[а-я]{1,10}".prop_map(|t| (K::UnfinishedSentence, Response::Text(t))),
            prop::collection::vec(arb_text(), 1..=5)
                .prop_map(|l| (K::Cinquain, Response::Lines(l))),
            prop::collection::vec(
                prop_oneof![
                    any::<bool>().prop_map(ExitAnswer::Check),
                    (1u8..=4).prop_map(ExitAnswer::Confidence),
                    arb_text().prop_map(ExitAnswer::Text),
                ],
                1..=3
            )
            .prop_map(|a| (K::ExitTicket, Response::ExitTicket(a))),
        ]
    }

    fn arb_time() -> impl Strategy<Value = DateTime<Utc>> {
        prop_oneof![
            (1_700_000_000i64..1_800_000_000).prop_map(|s| DateTime::from_timestamp(s, 0).unwrap()),
            (1_700_000_000i64..1_800_000_000, 0u32..1000)
                .prop_map(|(s, ms)| DateTime::from_timestamp(s, ms * 1_000_000).unwrap()),
            (-50_000_000_000i64..50_000_000_000, 0u32..1_000_000_000)
                .prop_map(|(s, n)| DateTime::from_timestamp(s, n).unwrap()),
        ]
    }

    prop_compose! {
        fn arb_record()(
            id in any::<u128>(),
            lesson in 0u128..4,
            day in -100_000i32..1_000_000,
            class in 0u128..3,
            student in proptest::option::of(0u128..40),
            author in proptest::option::of(40u128..44),
            criterion in 0u128..5,
            (technique, value) in arb_response(),
            source in prop::sample::select(Source::ALL.to_vec()),
            recorded_at in arb_time(),
        ) -> EvidenceRecord {
            EvidenceRecord::new(EvidenceDraft {
                id: EvidenceId::from_u128(id),
                lesson: LessonId::from_u128(lesson),
                lesson_date: NaiveDate::from_num_days_from_ce_opt(day).unwrap(),
                class: ClassId::from_u128(class),
                student: student.map(StudentId::from_u128),
                criterion: CriterionId::from_u128(criterion),
                technique,
                value,
                source,
                author: author.map(StudentId::from_u128),
                recorded_at,
            }).unwrap()
        }
    }

    proptest! {
        #[test]
        fn chunks_round_trip(records in prop::collection::vec(arb_record(), 0..40)) {
            let bytes = encode_chunk(&records);
            prop_assert_eq!(decode_chunk(&bytes).unwrap(), records);
            let text = to_storage_text(&bytes);
            prop_assert_eq!(from_storage_text(&text).unwrap(), bytes);
        }

        #[test]
        fn storage_text_round_trips(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let text = to_storage_text(&bytes);
            prop_assert!(text.chars().all(|c| (0x3000..=0xAFFF).contains(&u32::from(c))));
            prop_assert_eq!(text.encode_utf16().count(), 1 + (bytes.len() * 8).div_ceil(15));
            prop_assert_eq!(from_storage_text(&text).unwrap(), bytes);
        }

        #[test]
        fn decoding_arbitrary_bytes_never_panics(tail in prop::collection::vec(any::<u8>(), 0..300), with_magic in any::<bool>()) {
            let mut bytes = if with_magic { b"LSJ\x01".to_vec() } else { Vec::new() };
            bytes.extend(tail);
            let _ = decode_chunk(&bytes);
        }

        #[test]
        fn decoding_arbitrary_text_never_panics(text in ".{0,60}", groups in prop::collection::vec(0x3000u32..0x3010, 0..20)) {
            let _ = from_storage_text(&text);
            let packed: String = groups.into_iter().filter_map(char::from_u32).collect();
            let _ = from_storage_text(&packed);
        }
    }
}
