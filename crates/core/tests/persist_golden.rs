//! Golden files: saved data of every released format version must keep opening, with the same
//! content, at the current version.
//!
//! `tests/golden/v{N}-{name}.{ext}` holds what version N wrote: `backup.json` (an envelope of
//! kind backup), `classes.json` (kind classes), `journal-chunk.txt` (the localStorage text of
//! one compact journal chunk, chunk layout 1) and `journal-chunk-2.txt` (chunk layout 2, which
//! keeps a peer review's author, over the same records and one authored review). Released files
//! are never edited. When a new version is released,
//! run `cargo test -p lesenka-core --test persist_golden -- --ignored` once: it writes the new
//! version's files (never overwriting old ones) from the same fixtures.

use std::fs;
use std::path::PathBuf;

use chrono::{DateTime, NaiveDate, Utc};
use lesenka_core::evidence::{EvidenceDraft, EvidenceRecord, Journal, Source};
use lesenka_core::ids::{ClassId, CriterionId, EvidenceId, LessonId, StudentId};
use lesenka_core::lesson::Lesson;
use lesenka_core::persist::backup::{Backup, Collection, import_backup};
use lesenka_core::persist::compact::{
    decode_chunk, encode_chunk, from_storage_text, to_storage_text,
};
use lesenka_core::persist::{FORMAT_VERSION, Kind, open, open_current, seal_at};
use lesenka_core::roster::Class;
use lesenka_core::technique::{ExitAnswer, Light, Response, TechniqueKind, Thumb};
use lesenka_core::text::Name;

const NAMES: [&str; 4] =
    ["backup.json", "classes.json", "journal-chunk.txt", "journal-chunk-2.txt"];

/// The records of [`evidence`] and a peer review naming its reviewer (chunk layout 2).
fn evidence_with_author() -> Vec<EvidenceRecord> {
    let mut records = evidence();
    let mut draft = records.iter().find(|r| r.source() == Source::Peer).unwrap().as_draft().clone();
    draft.id = lesenka_core::ids::EvidenceId::from_u128(0xE0A);
    draft.author = Some(StudentId::from_u128(0x103));
    records.push(EvidenceRecord::new(draft).unwrap());
    records
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn read(name: &str) -> String {
    let path = golden_dir().join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.strip_suffix('\n').map(str::to_owned).unwrap_or(text)
}

fn date(d: u32, m: u32) -> NaiveDate {
    let y = if m >= 9 { 2024 } else { 2025 };
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn saved_at() -> DateTime<Utc> {
    DateTime::from_timestamp(1_748_606_400, 0).expect("valid time") // 2025-05-30T12:00:00Z
}

fn classes() -> Vec<Class> {
    let mut a = Class::new(ClassId::from_u128(0x5A), Name::parse("5А").unwrap());
    for (id, name) in [(0x101, "Иванова Мария"), (0x102, "Петров Пётр"), (0x103, "Сидоров Иван")]
    {
        a.add_student(StudentId::from_u128(id), Name::parse(name).unwrap()).unwrap();
    }
    let mut b = Class::new(ClassId::from_u128(0x7B), Name::parse("7 Б (информатика)").unwrap());
    b.add_student(StudentId::from_u128(0x201), Name::parse("Ёлкина Алёна").unwrap()).unwrap();
    vec![a, b]
}

fn lessons() -> Vec<Lesson> {
    let class = ClassId::from_u128(0x5A);
    let c1 = (CriterionId::from_u128(0xC1), "Сравниваю дроби с одинаковыми знаменателями");
    let c2 = (CriterionId::from_u128(0xC2), "Объясняю, как я сравнил");
    vec![
        Lesson::with_texts(
            LessonId::from_u128(0x1E1),
            class,
            date(2, 9),
            "Сравнение дробей",
            &[c1, c2],
        )
        .unwrap(),
        Lesson::with_texts(
            LessonId::from_u128(0x1E2),
            class,
            date(3, 9),
            "Дроби; \"задачи\"",
            &[c1],
        )
        .unwrap(),
    ]
}

/// id, lesson, student, criterion, technique, value, source, seconds after 08:30, milliseconds.
type Row = (u128, u128, Option<StudentId>, CriterionId, TechniqueKind, Response, Source, i64, u32);

fn evidence() -> Vec<EvidenceRecord> {
    let s = |n: u128| Some(StudentId::from_u128(n));
    let c1 = CriterionId::from_u128(0xC1);
    let c2 = CriterionId::from_u128(0xC2);
    let rows: Vec<Row> = vec![
        (
            1,
            0x1E1,
            s(0x101),
            c1,
            TechniqueKind::TrafficLight,
            Response::Light(Light::Green),
            Source::SelfAssessment,
            0,
            0,
        ),
        (
            2,
            0x1E1,
            s(0x102),
            c1,
            TechniqueKind::TrafficLight,
            Response::Light(Light::Red),
            Source::SelfAssessment,
            3,
            250,
        ),
        (
            3,
            0x1E1,
            None,
            c2,
            TechniqueKind::TrafficLight,
            Response::Light(Light::Yellow),
            Source::SelfAssessment,
            5,
            0,
        ),
        (4, 0x1E1, s(0x101), c2, TechniqueKind::Ladder, Response::Step(4), Source::Teacher, 60, 0),
        (
            5,
            0x1E1,
            s(0x103),
            c1,
            TechniqueKind::FistToFive,
            Response::Fingers(0),
            Source::SelfAssessment,
            61,
            999,
        ),
        (
            6,
            0x1E1,
            s(0x102),
            c1,
            TechniqueKind::Thumbs,
            Response::Thumb(Thumb::Sideways),
            Source::SelfAssessment,
            62,
            0,
        ),
        (
            7,
            0x1E1,
            s(0x103),
            c2,
            TechniqueKind::TwoStarsAndAWish,
            Response::TwoStarsAndAWish {
                stars: ["понятно объяснил".into(), "аккуратно; без ошибок".into()],
                wish: "говорить \"громче\"".into(),
            },
            Source::Peer,
            600,
            0,
        ),
        (
            8,
            0x1E2,
            s(0x101),
            c1,
            TechniqueKind::ThreeTwoOne,
            Response::ThreeTwoOne {
                three: ["числитель".into(), "знаменатель".into(), "сравнение".into()],
                two: ["дроби на пицце".into(), String::new()],
                one: "а если знаменатели разные?".into(),
            },
            Source::SelfAssessment,
            86_400,
            0,
        ),
        (
            9,
            0x1E2,
            None,
            c1,
            TechniqueKind::UnfinishedSentence,
            Response::Text("Сегодня я понял, что ½ > ⅓".into()),
            Source::SelfAssessment,
            86_401,
            0,
        ),
        (
            10,
            0x1E2,
            s(0x102),
            c1,
            TechniqueKind::Cinquain,
            Response::Lines(vec![
                "Дробь".into(),
                "простая, правильная".into(),
                "делит, сравнивает, сокращает".into(),
                "Дробь — часть целого".into(),
                "Доля".into(),
            ]),
            Source::SelfAssessment,
            86_500,
            0,
        ),
        (
            11,
            0x1E2,
            s(0x103),
            c1,
            TechniqueKind::ExitTicket,
            Response::ExitTicket(vec![
                ExitAnswer::Check(true),
                ExitAnswer::Confidence(3),
                ExitAnswer::Text("мне нужна помощь с задачей 5".into()),
            ]),
            Source::SelfAssessment,
            88_000,
            0,
        ),
    ];
    let start = date(2, 9).and_hms_opt(8, 30, 0).unwrap().and_utc().timestamp();
    rows.into_iter()
        .map(|(id, lesson, student, criterion, technique, value, source, secs, ms)| {
            let lesson_date = if lesson == 0x1E1 { date(2, 9) } else { date(3, 9) };
            EvidenceRecord::new(EvidenceDraft {
                id: EvidenceId::from_u128(0xE0_0000 + id),
                lesson: LessonId::from_u128(lesson),
                lesson_date,
                class: ClassId::from_u128(0x5A),
                student,
                criterion,
                technique,
                value,
                source,
                author: None,
                recorded_at: DateTime::from_timestamp(start + secs, ms * 1_000_000).unwrap(),
            })
            .unwrap()
        })
        .collect()
}

fn backup() -> Backup {
    let (journal, conflicts) = Journal::from_records(evidence());
    assert!(conflicts.is_empty());
    Backup { classes: classes(), lessons: lessons(), evidence: journal, ..Backup::default() }
}

#[test]
fn v1_backup_opens_with_its_content() {
    let opened = open::<Backup>(Kind::Backup, &read("v1-backup.json")).unwrap();
    assert_eq!(opened.found_version, 1);
    assert_eq!(opened.saved_at, Some(saved_at()));
    assert_eq!(opened.value, backup());
    // Importing the old backup into the current data adds nothing and reports nothing.
    let report = import_backup(&backup(), &read("v1-backup.json")).unwrap();
    assert_eq!(report.added.total(), 0);
    assert_eq!(report.duplicates.get(Collection::Evidence), evidence().len());
    assert!(report.problems.is_empty());
}

#[test]
fn v1_classes_open_with_their_content() {
    let opened = open::<Vec<Class>>(Kind::Classes, &read("v1-classes.json")).unwrap();
    assert_eq!(opened.found_version, 1);
    assert_eq!(opened.value, classes());
    assert_eq!(opened.value[0].students()[2].pseudonym.as_str(), "🐼 3");
}

#[test]
fn v1_journal_chunk_decodes_to_its_records() {
    let bytes = from_storage_text(&read("v1-journal-chunk.txt")).unwrap();
    assert_eq!(&bytes[..4], b"LSJ\x01");
    assert_eq!(decode_chunk(&bytes).unwrap(), evidence());
}

/// Opens one golden file at the current version and checks it against the fixtures.
fn open_golden(name: &str) {
    let text = read(name);
    let stem = name.split_once('-').map(|(_, rest)| rest).unwrap_or_default();
    match stem {
        "backup.json" => assert_eq!(open::<Backup>(Kind::Backup, &text).unwrap().value, backup()),
        "classes.json" => {
            assert_eq!(open::<Vec<Class>>(Kind::Classes, &text).unwrap().value, classes())
        }
        "journal-chunk.txt" => {
            assert_eq!(decode_chunk(&from_storage_text(&text).unwrap()).unwrap(), evidence())
        }
        "journal-chunk-2.txt" => assert_eq!(
            decode_chunk(&from_storage_text(&text).unwrap()).unwrap(),
            evidence_with_author()
        ),
        other => panic!("unexpected golden file {name} ({other})"),
    }
}

#[test]
fn every_golden_file_of_every_released_version_opens_at_the_current_version() {
    let mut names: Vec<String> = fs::read_dir(golden_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for version in 1..=FORMAT_VERSION {
        for name in NAMES {
            let file = format!("v{version}-{name}");
            assert!(names.contains(&file), "golden file {file} is missing");
        }
    }
    for name in &names {
        let version: u32 = name
            .strip_prefix('v')
            .and_then(|r| r.split_once('-'))
            .and_then(|(v, _)| v.parse().ok())
            .unwrap_or_else(|| panic!("golden file {name} is not named v<N>-<name>"));
        assert!(version <= FORMAT_VERSION, "golden file {name} is from the future");
        open_golden(name);
    }
}

#[test]
fn the_fast_path_opens_the_current_golden_files_exactly_as_open_does() {
    let v = FORMAT_VERSION;
    let text = read(&format!("v{v}-backup.json"));
    let fast = open_current::<Backup>(Kind::Backup, &text).expect("a current backup");
    let full = open::<Backup>(Kind::Backup, &text).unwrap();
    assert_eq!(
        (fast.value, fast.found_version, fast.saved_at),
        (full.value, full.found_version, full.saved_at)
    );
    let text = read(&format!("v{v}-classes.json"));
    let fast = open_current::<Vec<Class>>(Kind::Classes, &text).expect("current classes");
    assert_eq!(fast.value, open::<Vec<Class>>(Kind::Classes, &text).unwrap().value);
    // Anything else is left to `open`: another kind, an older or newer version, damage.
    assert!(open_current::<Vec<Class>>(Kind::Lessons, &text).is_none());
    let newer = text.replacen(&format!("\"version\":{v}"), &format!("\"version\":{}", v + 1), 1);
    assert!(open_current::<Vec<Class>>(Kind::Classes, &newer).is_none());
    assert!(open_current::<Vec<Class>>(Kind::Classes, &text[..text.len() / 2]).is_none());
}

#[test]
fn the_current_version_writes_exactly_its_own_golden_files() {
    let v = FORMAT_VERSION;
    assert_eq!(seal_at(Kind::Backup, &backup(), saved_at()), read(&format!("v{v}-backup.json")));
    assert_eq!(seal_at(Kind::Classes, &classes(), saved_at()), read(&format!("v{v}-classes.json")));
    assert_eq!(
        to_storage_text(&encode_chunk(&evidence_with_author())),
        read(&format!("v{v}-journal-chunk-2.txt"))
    );
}

/// Writes the golden files of the current version if they do not exist yet (never overwrites).
#[test]
#[ignore = "run once when a format version is released"]
fn write_golden_files_for_the_current_version() {
    // Exactly what this version writes, one line each.
    let files = [
        ("backup.json", seal_at(Kind::Backup, &backup(), saved_at()) + "\n"),
        ("classes.json", seal_at(Kind::Classes, &classes(), saved_at()) + "\n"),
        ("journal-chunk.txt", to_storage_text(&encode_chunk(&evidence())) + "\n"),
        ("journal-chunk-2.txt", to_storage_text(&encode_chunk(&evidence_with_author())) + "\n"),
    ];
    for (name, content) in files {
        let path = golden_dir().join(format!("v{FORMAT_VERSION}-{name}"));
        if !path.exists() {
            fs::create_dir_all(golden_dir()).unwrap();
            fs::write(&path, content).unwrap();
        }
    }
}
