//! Plan import beyond header tables: text without a header row (PDF extractions with bookmark
//! tags, broken cells, interleaved columns), network plans whose columns are directions, the
//! newer periods (quarters, halves, deadlines, the end of the year, the leading August), the
//! unread lines, the size limit and the bound on what comes out. Data-driven through one
//! `check(input, expected)` helper; the properties run on arbitrary text.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use chrono::NaiveDate;
use lesenka_core::ids::{EventId, PlanId};
use lesenka_core::plan::{
    EXCERPT_CHARS, EventKind, Half, ImportError, Layout, LineUse, MAX_PLAN_BYTES, MAX_PROBLEMS,
    Month, OUTPUT_FACTOR, Period, PlanImport, ProblemCause, Quarter, SchoolYear, import_plan,
    try_import_plan,
};
use proptest::prelude::*;

/// An expected event: (line, kind, title, period, responsible, direction).
type Ev<'a> = (usize, EventKind, &'a str, Option<Period>, Option<&'a str>, Option<&'a str>);

/// What one input must give: its layout, its events in table order, and its unread lines
/// (line, cause).
struct Expected<'a> {
    layout: Option<Layout>,
    events: Vec<Ev<'a>>,
    unread: Vec<(usize, ProblemCause)>,
}

/// The accounting law every import keeps (see `plan_import.rs`), then the expected result.
fn check(input: &str, expected: Expected<'_>) -> PlanImport {
    let import = import_plan(input);
    assert_eq!(import.lines.len(), input.lines().count());
    for e in &import.events {
        assert_eq!(import.lines[e.line - 1], LineUse::Row, "{e:?}");
    }
    for u in &import.unread {
        assert_eq!(import.lines[u.line - 1], LineUse::Problem, "{u:?}");
        assert!(u.text.chars().count() <= EXCERPT_CHARS);
        assert_eq!(u.reason, u.cause.to_string());
    }
    let notes = import.lines.iter().filter(|u| **u == LineUse::Note).count();
    assert_eq!(notes, import.header.notes.len());
    assert_eq!(import.layout, expected.layout, "{input}");
    let got: Vec<Ev<'_>> = import
        .events
        .iter()
        .map(|e| {
            (
                e.line,
                e.kind,
                e.title.as_str(),
                e.period.clone(),
                e.responsible.as_deref(),
                e.direction.as_deref(),
            )
        })
        .collect();
    assert_eq!(got, expected.events, "{input}");
    let unread: Vec<(usize, ProblemCause)> =
        import.unread.iter().map(|u| (u.line, u.cause.clone())).collect();
    assert_eq!(unread, expected.unread, "{input}");
    import
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

use EventKind as K;
use Month::*;

#[test]
fn text_without_a_header_row_is_read_by_its_cues() {
    // As a PDF gives it: bookmark tags, a title broken inside its quotes, the period and the
    // responsible in either order, a post broken over two lines around the period, a
    // numbered list sharing its period, a result line, a deadline, a stray period at the end.
    let text = "[bookmark: page8R_mcid28]УТВЕРЖДАЮ\n\
                Директор школы ____ И.И. Петрова\n\
                План работы ПОС «Лесенка» на 2024-2025 учебный год\n\
                Цель: научиться оценивать по критериям.\n\
                Август\n\
                Педагогический совет «Единые критерии [bookmark: page8R_mcid30]оценивания»\n\
                Зам. директора по УВР,\n\
                руководители МО\n\
                1. Семинар «Критерии оценивания\n\
                на уроках математики»\n\
                I четверть\n\
                Иванова А.А.\n\
                2. Открытый урок «Светофор»\n\
                Петрова Б.Б.\n\
                Мастер-класс «Лесенка успеха»\n\
                - Освоен приём самооценки\n\
                II полугодие\n\
                Сидорова В.В., руководитель ПОС\n\
                Анализ работы ПОС за 2024 – 2025 учебный год\n\
                в конце учебного года\n\
                Иванова А.А.\n\
                Взаимопосещение уроков\n\
                до 01.06.2025\n\
                Март\n\
                Руководитель ПОС ________ А.А. Иванова\n";
    let import = check(
        text,
        Expected {
            layout: Some(Layout::Cues),
            events: vec![
                (
                    6,
                    K::TeachersCouncil,
                    "Педагогический совет «Единые критерии оценивания»",
                    Some(Period::AugustBefore),
                    Some("Зам. директора по УВР, руководители МО"),
                    None,
                ),
                (
                    9,
                    K::Seminar,
                    "Семинар «Критерии оценивания на уроках математики»",
                    Some(Period::Quarter(Quarter::First)),
                    Some("Иванова А.А."),
                    None,
                ),
                (
                    13,
                    K::OpenLesson,
                    "Открытый урок «Светофор»",
                    Some(Period::Quarter(Quarter::First)),
                    Some("Петрова Б.Б."),
                    None,
                ),
                (
                    15,
                    K::MasterClass,
                    "Мастер-класс «Лесенка успеха»",
                    Some(Period::Half(Half::Second)),
                    Some("Сидорова В.В., руководитель ПОС"),
                    None,
                ),
                (
                    19,
                    K::Analysis,
                    "Анализ работы ПОС за 2024 – 2025 учебный год",
                    Some(Period::EndOfYear),
                    Some("Иванова А.А."),
                    None,
                ),
                (
                    22,
                    K::Other,
                    "Взаимопосещение уроков",
                    Some(Period::Deadline(date(2025, 6, 1))),
                    None,
                    None,
                ),
            ],
            unread: vec![(24, ProblemCause::OrphanCue)],
        },
    );
    assert_eq!(import.header.year, Some(SchoolYear::new(2024).unwrap()));
    assert_eq!(import.header.aim.as_deref(), Some("научиться оценивать по критериям."));
    assert_eq!(import.events[3].planned_result.as_deref(), Some("Освоен приём самооценки"));
    assert_eq!(
        import.header.notes,
        ["УТВЕРЖДАЮ", "Директор школы ____ И.И. Петрова", "Руководитель ПОС ________ А.А. Иванова"]
    );
    // The year's order: the August before first, the deadline in June after the end of May.
    let order: Vec<usize> = import.year_order();
    assert_eq!(order, [0, 1, 2, 3, 4, 5]);
}

#[test]
fn a_period_line_between_the_lines_of_a_cell_is_read_around() {
    // The period column's line came out between two lines of the responsible, and of a title.
    check(
        "Семинар «Критерии оценивания»\n\
         Зам. директора\n\
         Сентябрь\n\
         по УВР\n\
         Круглый стол\n\
         Октябрь\n\
         для учителей начальных классов\n\
         Иванова А.А.\n",
        Expected {
            layout: Some(Layout::Cues),
            events: vec![
                (
                    1,
                    K::Seminar,
                    "Семинар «Критерии оценивания»",
                    Some(Period::Month(September)),
                    Some("Зам. директора по УВР"),
                    None,
                ),
                (
                    5,
                    K::RoundTable,
                    "Круглый стол для учителей начальных классов",
                    Some(Period::Month(October)),
                    Some("Иванова А.А."),
                    None,
                ),
            ],
            unread: vec![],
        },
    );
}

#[test]
fn rows_without_a_header_keep_their_cells() {
    // A tab table whose header row was lost: each line is an event, cells in any order.
    check(
        "Доклад «Критерии»\tСентябрь\tИванова А.А.\n\
         Иванова А.А.\tВебинар «Лесенка»\tежеквартально\n\
         Открытый урок\tПетрова Б.Б.\t2 четверть\n\
         Просто заметка без признаков\n",
        Expected {
            layout: Some(Layout::Cues),
            events: vec![
                (
                    1,
                    K::Report,
                    "Доклад «Критерии»",
                    Some(Period::Month(September)),
                    Some("Иванова А.А."),
                    None,
                ),
                (
                    2,
                    K::Webinar,
                    "Вебинар «Лесенка»",
                    Some(Period::Quarterly),
                    Some("Иванова А.А."),
                    None,
                ),
                (
                    3,
                    K::OpenLesson,
                    "Открытый урок",
                    Some(Period::Quarter(Quarter::Second)),
                    Some("Петрова Б.Б."),
                    None,
                ),
            ],
            unread: vec![(4, ProblemCause::NoCues)],
        },
    );
}

#[test]
fn texts_with_no_event_stay_one_problem() {
    for text in ["Просто текст,\nв котором нет таблицы мероприятий.", "Иванова А.А.\nсовсем"]
    {
        let import = check(text, Expected { layout: None, events: vec![], unread: vec![] });
        assert_eq!(import.problems.len(), 1);
        assert_eq!(import.problems[0].cause, ProblemCause::NoTable);
    }
}

#[test]
fn direction_grids_give_one_event_per_dated_part_of_a_cell() {
    let text = "План работы сети школ на 2024-2025 учебный год\n\n\
                Формы работы\tI направление «Критерии»\tII направление «Самооценка»\tIII\n\
                Семинары\t«Критерии» для 5-х классов (октябрь)\tСеминар «Лесенка» (январь); вебинар «Светофор» (март)\t\n\
                Открытые уроки\tУрок математики (для 5 кл.) (ноябрь)\t\tУрок чтения (до 01.06.2025)\n\
                \tУрок физики (Август)\t\t\n\
                Консультации\tпо запросу\t\t\n\
                Конференции\t\t\t\n";
    let first = Some("I направление «Критерии»");
    let second = Some("II направление «Самооценка»");
    let import = check(
        text,
        Expected {
            layout: Some(Layout::Directions),
            events: vec![
                (
                    4,
                    K::Seminar,
                    "«Критерии» для 5-х классов",
                    Some(Period::Month(October)),
                    None,
                    first,
                ),
                (4, K::Seminar, "Семинар «Лесенка»", Some(Period::Month(January)), None, second),
                (4, K::Webinar, "вебинар «Светофор»", Some(Period::Month(March)), None, second),
                (
                    5,
                    K::OpenLesson,
                    "Урок математики (для 5 кл.)",
                    Some(Period::Month(November)),
                    None,
                    first,
                ),
                (
                    5,
                    K::OpenLesson,
                    "Урок чтения",
                    Some(Period::Deadline(date(2025, 6, 1))),
                    None,
                    Some("III"),
                ),
                // Not at the top of the plan: the August at the year's end.
                (6, K::OpenLesson, "Урок физики", Some(Period::Month(August)), None, first),
                (7, K::Other, "по запросу", None, None, first),
            ],
            unread: vec![(8, ProblemCause::MissingTitle)],
        },
    );
    let kinds: Vec<&str> = import.events.iter().map(|e| e.other[0].1.as_str()).collect::<Vec<_>>();
    assert_eq!(
        kinds[..6],
        ["Семинары", "Семинары", "Семинары", "Открытые уроки", "Открытые уроки", "Открытые уроки"]
    );
    assert!(matches!(
        &import.problems.iter().find(|p| p.line == 7).unwrap().cause,
        ProblemCause::Period { reason } if reason.contains("(октябрь)")
    ));
    // The direction reaches the plan's event.
    let (plan, skipped) = import
        .to_plan(PlanId::from_u128(1), SchoolYear::new(2024).unwrap(), |k| {
            EventId::from_u128(10 + k as u128)
        })
        .unwrap();
    assert_eq!(skipped, [6]);
    assert_eq!(plan.draft().events[0].direction.as_ref().map(|d| d.as_str()), first);
}

#[test]
fn a_leading_august_comes_first_in_the_year() {
    let text = "Мероприятия\tСроки\n\
                Педсовет «Критерии»\tАвгуст\n\
                Семинар\tI полугодие\n\
                Доклад\tв конце учебного года\n\
                Открытый урок\tМай\n\
                Совещание по итогам\tАвгуст\n\
                Вебинар\tпо графику\n";
    let import = check(
        text,
        Expected {
            layout: Some(Layout::Grid),
            events: vec![
                (
                    2,
                    K::TeachersCouncil,
                    "Педсовет «Критерии»",
                    Some(Period::AugustBefore),
                    None,
                    None,
                ),
                (3, K::Seminar, "Семинар", Some(Period::Half(Half::First)), None, None),
                (4, K::Report, "Доклад", Some(Period::EndOfYear), None, None),
                (5, K::OpenLesson, "Открытый урок", Some(Period::Month(May)), None, None),
                (6, K::Meeting, "Совещание по итогам", Some(Period::Month(August)), None, None),
                (7, K::Webinar, "Вебинар", Some(Period::BySchedule), None, None),
            ],
            unread: vec![],
        },
    );
    // By-schedule starts with the year; the end of the year is May; the last August is last.
    assert_eq!(import.year_order(), [0, 1, 5, 2, 3, 4]);
    let (plan, _) = import
        .to_plan(PlanId::from_u128(2), SchoolYear::new(2024).unwrap(), |k| {
            EventId::from_u128(k as u128 + 1)
        })
        .unwrap();
    let titles: Vec<&str> = plan.events_by_month().iter().map(|e| e.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Педсовет «Критерии»",
            "Семинар",
            "Вебинар",
            "Доклад",
            "Открытый урок",
            "Совещание по итогам"
        ]
    );
}

#[test]
fn unread_lines_come_one_by_one_with_their_reasons_and_short_excerpts() {
    let long = "очень длинная ячейка ".repeat(20);
    let text = format!(
        "Мероприятия\tСроки\tОтветственный\n\
         Доклад\tмай\tИванова\n\
         \t\tПетрова\n\
         Семинар\t{long}\tОрлова\n\
         Вебинар\tиюнь\tОрлова\tлишнее\tещё\n"
    );
    let import = import_plan(&text);
    let unread: Vec<(usize, &str)> =
        import.unread.iter().map(|u| (u.line, u.reason.as_str())).collect();
    assert_eq!(unread, [(5, "в строке 5 яч. вместо 3: лишние ячейки")]);
    let period = import.problems.iter().find(|p| p.line == 4).unwrap();
    assert!(period.text.chars().count() <= EXCERPT_CHARS && period.text.ends_with('…'));
    let ProblemCause::Period { reason } = &period.cause else { panic!("{period:?}") };
    assert!(reason.chars().count() < EXCERPT_CHARS + 40, "{reason}");
    assert!(period.to_string().chars().count() < 200, "{period}");
}

#[test]
fn the_shared_samples_without_their_header_rows_read_by_cues() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/plans");
    let Ok(entries) = std::fs::read_dir(&dir) else { return };
    let mut seen = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let with_header = import_plan(&text);
        // Drop the header row(s) and the tabs, as a PDF extraction would.
        let names = &with_header.header.column_names;
        let stripped: String = text
            .lines()
            .filter(|l| {
                let cells: Vec<String> =
                    l.split('\t').map(|c| c.trim().to_owned()).filter(|c| !c.is_empty()).collect();
                let header_row = cells == *names;
                let header_cell = cells.len() == 1 && names.contains(&cells[0]);
                !header_row && !header_cell
            })
            .map(|l| l.replace('\t', "\n"))
            .collect::<Vec<_>>()
            .join("\n");
        let cues = import_plan(&stripped);
        assert_eq!(cues.layout, Some(Layout::Cues), "{}", path.display());
        let periods =
            |i: &PlanImport| i.events.iter().map(|e| e.period.clone()).collect::<Vec<_>>();
        assert_eq!(periods(&cues), periods(&with_header), "{}", path.display());
        seen += 1;
    }
    assert!(seen > 0);
}

#[test]
fn a_50_mb_paste_is_refused_quickly() {
    let row = "Доклад «Критерии»\tСентябрь\tИванова А.А.\n";
    let huge = row.repeat(50 * 1024 * 1024 / row.len() + 1);
    let started = Instant::now();
    let refused = try_import_plan(&huge);
    let lenient = import_plan(&huge);
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert_eq!(refused, Err(ImportError::TooLarge { bytes: huge.len(), limit: MAX_PLAN_BYTES }));
    assert!(refused.unwrap_err().to_string().contains("слишком велик"));
    assert!(lenient.events.is_empty() && lenient.lines.is_empty());
    assert_eq!(
        lenient.problems[0].cause,
        ProblemCause::TooLarge { bytes: huge.len(), limit: MAX_PLAN_BYTES }
    );
    // Just under the limit, it is read.
    let fits = row.repeat(MAX_PLAN_BYTES / row.len());
    assert!(try_import_plan(&fits).is_ok());
}

/// The size of everything an import gives, as JSON.
fn output_size(import: &PlanImport) -> usize {
    serde_json::to_string(import).map(|s| s.len()).unwrap_or(usize::MAX)
}

/// The bound on output: `OUTPUT_FACTOR` for events, the per-line uses, the capped problems.
fn bound(input: usize) -> usize {
    (OUTPUT_FACTOR + 16) * input + 2 * 1024 * 1024
}

#[test]
fn output_stays_bounded_on_inputs_built_to_blow_it_up() {
    // One huge result cell copied into every event of a long numbered list; thousands of
    // one-character bad lines; a cue text of lone periods.
    let result = "р".repeat(600_000);
    let list: String = (1..=20_000).map(|k| format!("{k}. Доклад ")).collect();
    let copies = format!("Мероприятия\tПланируемый результат\tСроки\n{list}\t{result}\tмай\n");
    let lines = format!("Мероприятия\tСроки\n{}", "x\n".repeat(500_000));
    let periods = "Сентябрь\n".repeat(100_000);
    // Without a header: a quote left open over every later line; a long numbered list sharing
    // a responsible that runs on in lower case.
    let open_quote = format!("Семинар «начало\n{}", "продолжение строки\n".repeat(50_000));
    let siblings = format!(
        "{}Иванова А.А.\n{}май\n",
        (1..=20_000).map(|k| format!("{k}. Доклад\n")).collect::<String>(),
        "и коллеги\n".repeat(50_000)
    );
    for text in [copies, lines, periods, open_quote, siblings] {
        assert!(text.len() <= MAX_PLAN_BYTES, "{}", text.len());
        let started = Instant::now();
        let import = try_import_plan(&text).unwrap();
        let size = output_size(&import);
        println!("{} bytes in, {size} bytes out, {:?}", text.len(), started.elapsed());
        assert!(size <= bound(text.len()), "{size} > {}", bound(text.len()));
        assert!(import.problems.len() <= MAX_PROBLEMS);
        assert!(import.unread.len() <= MAX_PROBLEMS);
    }
}

fn messy_plan_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                Just("Формы работы\tI\tII\tIII".to_string()),
                Just("Семинары\tСеминар (октябрь)\t(\t)".to_string()),
                Just("\t«Критерии» (до 01.06.2018); вебинар (март)\t".to_string()),
                Just("[bookmark: page8R_mcid28]Сентябрь".to_string()),
                Just("1. Семинар «Критерии".to_string()),
                Just("2. Открытый урок".to_string()),
                Just("I полугодие".to_string()),
                Just("1 четверть Иванова А.А.".to_string()),
                Just("Зам. директора по УВР,".to_string()),
                Just("руководители МО".to_string()),
                Just("- результат".to_string()),
                Just("Август".to_string()),
                Just("до 31.02.2018".to_string()),
                Just("Мероприятия\tСроки".to_string()),
                Just("".to_string()),
                "[\\t а-яА-Я0-9.«»()\\-IV]{0,40}",
                "\\PC{0,20}",
            ],
            0..40,
        )
        .prop_map(|lines| lines.join("\n")),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn import_never_panics_and_its_output_is_bounded(text in messy_plan_text()) {
        let import = import_plan(&text);
        prop_assert_eq!(import.lines.len(), text.lines().count());
        prop_assert!(output_size(&import) <= bound(text.len()));
        for p in &import.problems {
            prop_assert!(p.text.chars().count() <= EXCERPT_CHARS);
            prop_assert!(1 <= p.line && p.line <= p.last_line);
        }
        for e in &import.events {
            prop_assert_eq!(import.lines[e.line - 1], LineUse::Row);
        }
        let mut order = import.year_order();
        order.sort();
        prop_assert_eq!(order, (0..import.events.len()).collect::<Vec<_>>());
    }

    #[test]
    fn every_period_reads_back_from_its_display(
        n in 1u32..=4,
        half in 1u32..=2,
        d in 1u32..=28,
        m in 1u32..=12,
    ) {
        let periods = [
            Period::Quarter(Quarter::from_number(n).unwrap()),
            Period::Half(Half::from_number(half).unwrap()),
            Period::Deadline(date(2024, m, d)),
            Period::Date(date(2024, m, d)),
        ];
        for p in periods {
            prop_assert_eq!(Period::parse(&p.to_string()), Ok(p.clone()));
        }
    }
}
