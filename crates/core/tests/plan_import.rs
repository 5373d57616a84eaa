//! Plan import: own fixtures in the three shapes (and damaged ones) with exact events, the real
//! samples in `../shared/fixtures/plans` when present, and properties on arbitrary text.

use std::path::PathBuf;

use lesenka_core::ids::{EventId, PlanId};
use lesenka_core::plan::{
    ColumnRole, EventKind, EventStatus, ImportedEvent, Layout, LineUse, Month, Period, PlanImport,
    ProblemCause, SchoolYear, import_plan,
};
use proptest::prelude::*;

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/plans").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// What an event must be: (line, row, kind, title, period, responsible).
type Expected<'a> = (usize, usize, EventKind, &'a str, Option<Period>, Option<&'a str>);

fn check_events(import: &PlanImport, expected: &[Expected<'_>]) {
    let got: Vec<Expected<'_>> = import
        .events
        .iter()
        .map(|e| {
            (e.line, e.row, e.kind, e.title.as_str(), e.period.clone(), e.responsible.as_deref())
        })
        .collect();
    assert_eq!(got, expected);
}

fn problems(import: &PlanImport) -> Vec<(usize, usize, ProblemCause)> {
    import.problems.iter().map(|p| (p.line, p.last_line, p.cause.clone())).collect()
}

fn links(e: &ImportedEvent) -> Vec<&str> {
    e.links.iter().map(|l| l.as_str()).collect()
}

/// The accounting law: one use per line; every line marked as a problem is inside a reported
/// problem; every note line is kept in the notes; every problem and event points into the text.
fn check_accounting(text: &str, import: &PlanImport) {
    let n = text.lines().count();
    assert_eq!(import.lines.len(), n);
    for (i, u) in import.lines.iter().enumerate() {
        if *u == LineUse::Problem {
            let line = i + 1;
            assert!(
                import.problems.iter().any(|p| p.line <= line && line <= p.last_line),
                "line {line} is marked as a problem but no problem covers it"
            );
        }
    }
    let notes = import.lines.iter().filter(|u| **u == LineUse::Note).count();
    assert_eq!(notes, import.header.notes.len());
    for p in &import.problems {
        assert!(1 <= p.line && p.line <= p.last_line && p.last_line <= n, "{p:?} outside 1..={n}");
        assert!(!p.to_string().is_empty());
    }
    for e in &import.events {
        assert!(1 <= e.line && e.line <= n);
        assert!(!e.title.trim().is_empty());
        assert!(matches!(import.lines[e.line - 1], LineUse::Row));
    }
}

#[test]
fn grid_with_continuation_row() {
    let text = fixture("grid-small.txt");
    let import = import_plan(&text);
    check_accounting(&text, &import);
    assert_eq!(import.layout, Some(Layout::Grid));
    assert_eq!(
        import.header.title.as_deref(),
        Some("План работы ПОС «Оценивание без страха» на 2018-2019 учебный год")
    );
    assert_eq!(import.header.year, Some(SchoolYear::new(2018).unwrap()));
    assert_eq!(
        import.header.aim.as_deref(),
        Some("создание системы формирующего оценивания в начальной школе.")
    );
    assert_eq!(
        import.header.tasks,
        [
            "изучить приёмы формирующего оценивания",
            "апробировать приёмы на уроках",
            "создать банк практик."
        ]
    );
    use ColumnRole as C;
    assert_eq!(
        import.header.columns,
        [Some(C::Number), Some(C::Title), Some(C::Period), Some(C::Result), Some(C::Responsible)]
    );
    let date = chrono::NaiveDate::from_ymd_opt(2018, 11, 26).unwrap();
    check_events(
        &import,
        &[
            (
                16,
                1,
                EventKind::SeminarWorkshop,
                "Семинар-практикум «Светофор и лесенка успеха»",
                Some(Period::Month(Month::September)),
                Some("Иванова А.А., руководитель ПОС"),
            ),
            (
                17,
                2,
                EventKind::OpenLesson,
                "Открытый урок по математике, 3 класс",
                Some(Period::Date(date)),
                Some("Петрова Б.Б."),
            ),
            (
                19,
                3,
                EventKind::RoundTable,
                "Круглый стол «Критерии оценивания»",
                Some(Period::Range { from: Month::December, to: Month::February }),
                Some("Сидорова В.В."),
            ),
            (
                20,
                4,
                EventKind::Webinar,
                "Вебинар для родителей",
                Some(Period::BySchedule),
                Some("Иванова А.А."),
            ),
            (
                21,
                5,
                EventKind::Analysis,
                "Анализ работы ПОС за год",
                Some(Period::Month(Month::May)),
                Some("Иванова А.А."),
            ),
        ],
    );
    let e = &import.events;
    assert_eq!(
        e[1].planned_result.as_deref(),
        Some("Протокол наблюдения Анализ урока коллегами"),
        "the continuation row joins the result cell"
    );
    assert_eq!(e[1].number.as_deref(), Some("2"));
    assert_eq!(e[3].planned_result, None);
    assert_eq!(links(&e[3]), ["https://example.org/webinar"]);
    assert!(import.problems.is_empty(), "{:#?}", import.problems);
    assert_eq!(
        import.header.notes,
        ["УТВЕРЖДАЮ", "Директор школы ____ И.И. Петрова", "Руководитель ПОС ______ А.А. Иванова"]
    );
}

#[test]
fn numbered_events_one_cell_per_line() {
    let text = fixture("numbered-cells.txt");
    let import = import_plan(&text);
    check_accounting(&text, &import);
    assert_eq!(import.layout, Some(Layout::CellPerLine));
    assert_eq!(import.header.year, Some(SchoolYear::new(2024).unwrap()));
    assert_eq!(import.header.aim.as_deref(), Some("повышение объективности оценивания."));
    let both = Some("Козлова Е.Е., Орлова Г.Г.");
    let oct_nov = Some(Period::Range { from: Month::October, to: Month::November });
    check_events(
        &import,
        &[
            (
                11,
                1,
                EventKind::Report,
                "Доклад «Зачем нужны критерии»",
                Some(Period::Month(Month::September)),
                Some("Козлова Е.Е."),
            ),
            (
                12,
                1,
                EventKind::MasterClass,
                "Мастер-класс «Лесенка успеха»",
                Some(Period::Month(Month::September)),
                Some("Козлова Е.Е."),
            ),
            (17, 2, EventKind::OpenLesson, "Открытый урок (2 класс)", oct_nov.clone(), both),
            (17, 2, EventKind::ExpertSession, "Экспертная сессия по итогам уроков", oct_nov, both),
            (22, 3, EventKind::Other, "Взаимопосещение уроков", Some(Period::WholeYear), None),
        ],
    );
    assert_eq!(links(&import.events[1]), ["https://example.org/mk"]);
    assert!(links(&import.events[0]).is_empty());
    assert_eq!(import.events[4].number.as_deref(), Some("3"));
    assert!(import.problems.is_empty(), "{:#?}", import.problems);
    assert_eq!(
        import.header.notes,
        ["ПОС «Лесенка» 2024-2025 учебный год", "Руководитель ПОС: Козлова Е.Е."]
    );
}

#[test]
fn tasks_carry_over_to_continuation_rows() {
    let text = fixture("tasks-cells.txt");
    let import = import_plan(&text);
    check_accounting(&text, &import);
    assert_eq!(import.header.title.as_deref(), Some("План мероприятий 2024-2025 учебный год"));
    assert_eq!(import.header.year, Some(SchoolYear::new(2024).unwrap()));
    check_events(
        &import,
        &[
            (
                11,
                1,
                EventKind::Meeting,
                "Совещание по единым критериям",
                Some(Period::Range { from: Month::August, to: Month::September }),
                Some("Зам. директора по УВР"),
            ),
            (
                17,
                2,
                EventKind::Seminar,
                "Семинар для учителей «Критерии и рубрики»",
                Some(Period::Month(Month::October)),
                Some("Руководители МО"),
            ),
            (
                23,
                3,
                EventKind::Festival,
                "Фестиваль открытых уроков",
                Some(Period::SchoolYear(SchoolYear::new(2024).unwrap())),
                Some("Руководитель ПОС"),
            ),
        ],
    );
    let tasks: Vec<Option<&str>> = import.events.iter().map(|e| e.task.as_deref()).collect();
    assert_eq!(
        tasks,
        [
            Some("Внедрить единые критерии"),
            Some("Внедрить единые критерии"),
            Some("Создать банк практик")
        ]
    );
    assert_eq!(import.events[1].planned_result.as_deref(), Some("Учителя используют рубрики"));
    assert!(import.problems.is_empty(), "{:#?}", import.problems);
}

#[test]
fn damaged_grid_rows_are_reported_with_their_lines() {
    let text = fixture("damaged-grid.txt");
    let import = import_plan(&text);
    check_accounting(&text, &import);
    check_events(
        &import,
        &[
            (
                5,
                1,
                EventKind::Report,
                "Доклад «Критерии»",
                Some(Period::Month(Month::September)),
                Some("Иванова"),
            ),
            (6, 2, EventKind::Seminar, "Семинар «Рубрики»", None, Some("Петрова")),
            (
                10,
                4,
                EventKind::Analysis,
                "Анализ работы ПОС",
                Some(Period::Month(Month::May)),
                Some("Иванова"),
            ),
        ],
    );
    assert_eq!(
        problems(&import),
        [
            (4, 4, ProblemCause::ContinuationWithoutRow),
            (
                6,
                6,
                ProblemCause::Period {
                    reason: "не удалось понять срок «когда-нибудь»".into()
                }
            ),
            (7, 7, ProblemCause::MissingTitle),
            (8, 8, ProblemCause::TooManyCells { found: 4, expected: 3 }),
            (9, 9, ProblemCause::TextOutsideCells),
        ]
    );
    assert_eq!(import.problems[1].text, "когда-нибудь");
    assert_eq!(import.problems[3].text, "Вебинар | ноябрь | Орлова | лишнее");
    assert_eq!(
        import.problems[4].to_string(),
        "строка 9: текст внутри таблицы вне ячеек: не понятно, к чему он относится \
         — «строка без табуляции внутри таблицы»"
    );
    // The event with the unread period is still there, keeping what was written.
    assert_eq!(import.events[1].period_text, "когда-нибудь");
}

#[test]
fn damaged_cell_rows_are_reported_with_their_lines() {
    let text = fixture("damaged-cells.txt");
    let import = import_plan(&text);
    check_accounting(&text, &import);
    check_events(
        &import,
        &[
            (
                8,
                1,
                EventKind::Report,
                "Доклад «Один»",
                Some(Period::Month(Month::September)),
                Some("Иванова"),
            ),
            (
                17,
                2,
                EventKind::MasterClass,
                "Мастер-класс «Три»",
                Some(Period::Month(Month::November)),
                Some("Петрова"),
            ),
            (22, 3, EventKind::OpenLesson, "Открытый урок", None, Some("Сидорова")),
        ],
    );
    assert_eq!(
        problems(&import),
        [
            (11, 13, ProblemCause::TooFewCells { found: 3, expected: 4 }),
            (
                21,
                21,
                ProblemCause::Period {
                    reason: "не удалось понять срок «Зимой»".into()
                }
            ),
            (25, 28, ProblemCause::MissingTitle),
        ]
    );
    assert_eq!(
        import.problems[0].to_string(),
        "строки 11–13: в строке 3 яч. вместо 4: столбцы не совпадают \
         — «2 | Октябрь | Семинар «Пропущен ответственный»»"
    );
}

#[test]
fn text_without_a_table_is_one_problem() {
    let text = fixture("no-table.txt");
    let import = import_plan(&text);
    check_accounting(&text, &import);
    assert!(import.events.is_empty());
    assert_eq!(import.layout, None);
    assert_eq!(problems(&import), [(1, 1, ProblemCause::NoTable)]);
    assert_eq!(import_plan("").problems, []);
    assert_eq!(import_plan("\n  \n").problems, []);
}

// ---------------------------------------------------------------------------------------------
// The real samples.

fn shared_plans() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/plans");
    dir.is_dir().then_some(dir)
}

fn sample(name: &str) -> Option<(String, PlanImport)> {
    let dir = shared_plans()?;
    let text = std::fs::read_to_string(dir.join(name)).expect("a sample that exists is readable");
    let import = import_plan(&text);
    check_accounting(&text, &import);
    assert!(import.problems.is_empty(), "{name}: {:#?}", import.problems);
    assert!(!import.lines.contains(&LineUse::Problem), "{name}");
    Some((text, import))
}

#[test]
fn real_grid_sample() {
    let Some((_, import)) = sample("gbp-plan-grid.txt") else { return };
    assert_eq!(import.layout, Some(Layout::Grid));
    assert_eq!(import.events.len(), 8);
    assert_eq!(import.header.year, Some(SchoolYear::new(2021).unwrap()));
    assert_eq!(import.header.tasks.len(), 2);
    assert!(import.header.aim.as_deref().unwrap().starts_with("Внедрение системы критериального"));
    let kinds: Vec<EventKind> = import.events.iter().map(|e| e.kind).collect();
    use EventKind::*;
    assert_eq!(
        kinds,
        [Meeting, Meeting, Other, ExpertSession, Festival, Festival, Other, Analysis]
    );
    let months: Vec<Option<Period>> = import.events.iter().map(|e| e.period.clone()).collect();
    use Month::*;
    assert_eq!(
        months,
        [
            Some(Period::Month(September)),
            Some(Period::Month(October)),
            Some(Period::WholeYear),
            Some(Period::Month(December)),
            Some(Period::Month(February)),
            Some(Period::Month(March)),
            Some(Period::Range { from: April, to: August }),
            Some(Period::Month(May)),
        ]
    );
    let festival = &import.events[5];
    assert_eq!(festival.title, "Методический фестиваль «От идеи до результата»");
    assert_eq!(
        festival.planned_result.as_deref(),
        Some(
            "- Проведен цикл методических семинаров, на которых представлен опыт внедрения в ОО \
             системы критериального формирующего оценивания: результаты внедрения, первый опыт, \
             трудности."
        )
    );
    assert_eq!(
        import.events[3].title,
        "Экспертная сессия по введению формирующего оценивания в практику школ"
    );
    assert_eq!(import.events[7].line, 31);
}

#[test]
fn real_monthly_sample() {
    let Some((_, import)) = sample("pos-noo-monthly.txt") else { return };
    assert_eq!(import.layout, Some(Layout::CellPerLine));
    assert_eq!(import.events.len(), 19);
    assert_eq!(import.events.iter().map(|e| e.row).max(), Some(9));
    assert_eq!(import.header.tasks.len(), 5);
    assert_eq!(import.header.members.len(), 4);
    assert_eq!(import.header.year, Some(SchoolYear::new(2022).unwrap()));
    let per_row: Vec<usize> =
        (1..=9).map(|r| import.events.iter().filter(|e| e.row == r).count()).collect();
    assert_eq!(per_row, [2, 3, 2, 2, 2, 2, 2, 2, 2]);
    let open = import.events.iter().filter(|e| e.kind == EventKind::OpenLesson).count();
    assert_eq!(open, 4);
    let webinar = &import.events[4];
    assert_eq!(
        (webinar.line, webinar.kind, webinar.title.as_str()),
        (43, EventKind::Webinar, "Вебинар «Формирующее оценивание: миф или реальность?»")
    );
    assert_eq!(links(webinar), ["https://yandex.ru/video/preview/15429152087622448193"]);
    let round = &import.events[7];
    assert_eq!(round.kind, EventKind::RoundTable);
    assert_eq!(round.period, Some(Period::Month(Month::December)));
    assert_eq!(
        round.title,
        "Круглый стол ««Лестница» вместо пятерки в дневнике: 5 принципов формирующего оценивания»"
    );
    let last = import.events.last().unwrap();
    assert_eq!(last.kind, EventKind::Other);
    assert_eq!(last.period, Some(Period::Month(Month::May)));
    assert_eq!(import.events[17].kind, EventKind::Analysis);
}

#[test]
fn real_objective_sample() {
    let Some((_, import)) = sample("school-objective-assessment.txt") else { return };
    assert_eq!(import.layout, Some(Layout::CellPerLine));
    assert_eq!(import.events.len(), 10);
    assert_eq!(import.header.year, Some(SchoolYear::new(2023).unwrap()));
    let task =
        "Формирование позитивного отношения к вопросам объективной оценки результатов обучения";
    assert!(import.events.iter().all(|e| e.task.as_deref() == Some(task)));
    use Month::*;
    let first = &import.events[0];
    assert_eq!(first.period, Some(Period::Range { from: August, to: October }));
    assert_eq!(first.responsible.as_deref(), Some("Зам. директора по УВР, руководители МО"));
    assert_eq!(import.events[1].kind, EventKind::Seminar);
    assert_eq!(import.events[3].kind, EventKind::TeachersCouncil);
    assert_eq!(
        import.events[4].period,
        Some(Period::SchoolYear(SchoolYear::new(2023).unwrap())),
        "«2023-2024 гг»"
    );
    assert_eq!(import.events[7].period, Some(Period::Month(October)));
    assert_eq!(import.events[9].period, Some(Period::WholeYear));
    assert!(import.header.aim.as_deref().unwrap().starts_with("повышение эффективности"));
}

#[test]
fn large_input_stays_linear() {
    // About 1 MB in each layout, plus inputs built to trip quadratic scans: every row must
    // be read, and the time is printed (`cargo test --test plan_import large -- --nocapture`).
    let mut grid = String::from("Мероприятия\tСроки\tОтветственный\n");
    let mut cells = String::from("\t№\n\tСроки\n\tМероприятия\n\tОтветственные\n\n");
    for i in 0..10_000 {
        grid.push_str(&format!(
            "Доклад «Тема {i}» https://example.org/{i}\tоктябрь\tИванова А.А.\n"
        ));
        cells.push_str(&format!(
            "\t{i}\n\tАвгуст – октябрь\n\t1. Доклад «А»\n2. Вебинар «Б» 3. Открытый урок\n\t\n\n"
        ));
    }
    let spaces = format!("Мероприятия\tСроки\n1. Доклад{}\tмай", " 2".repeat(200_000));
    let headers = "\tСроки\n".repeat(100_000);
    for (text, events) in [(&grid, 10_000), (&cells, 30_000), (&spaces, 1), (&headers, 0)] {
        let started = std::time::Instant::now();
        let import = import_plan(text);
        let elapsed = started.elapsed();
        println!(
            "{} bytes, {} lines: {} events, {} problems in {elapsed:?}",
            text.len(),
            import.lines.len(),
            import.events.len(),
            import.problems.len()
        );
        assert_eq!(import.events.len(), events);
    }
}

// ---------------------------------------------------------------------------------------------
// Properties.

fn messy_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[\\t\\n а-яА-ЯёЁ0-9.,:;«»–—()\\-№\"|]{0,300}",
        proptest::collection::vec(
            prop_oneof![
                Just("\tМероприятия".to_string()),
                Just("\tСроки".to_string()),
                Just("\tОтветственные".to_string()),
                Just("Мероприятия\tСроки\tОтветственный".to_string()),
                Just("| Мероприятия | Сроки |".to_string()),
                Just("\"Доклад\tмай".to_string()),
                Just("\"\tмай\t\"".to_string()),
                Just("".to_string()),
                Just("\t".to_string()),
                Just("\t1. Доклад 2. Вебинар".to_string()),
                Just("2. Открытый урок".to_string()),
                Just("Цель: всё".to_string()),
                Just("Задачи:".to_string()),
                Just("Состав:".to_string()),
                Just("План".to_string()),
                "[\\t а-я0-9.«»\\-]{0,40}",
                "\\PC{0,20}",
            ],
            0..40
        )
        .prop_map(|lines| lines.join("\n")),
    ]
}

const TITLES: [(&str, EventKind); 6] = [
    ("Доклад «Критерии»", EventKind::Report),
    ("Мастер-класс «Светофор»", EventKind::MasterClass),
    ("Открытый урок", EventKind::OpenLesson),
    ("Вебинар «Лесенка»", EventKind::Webinar),
    ("Методическое сопровождение", EventKind::Other),
    ("Круглый стол по итогам", EventKind::RoundTable),
];

fn period_text() -> impl Strategy<Value = (String, Period)> {
    let month = proptest::sample::select(Month::ALL.to_vec());
    prop_oneof![
        month.clone().prop_map(|m| (m.russian().to_uppercase(), Period::Month(m))),
        month.clone().prop_map(|m| (m.russian().to_lowercase(), Period::Month(m))),
        (month.clone(), month, proptest::sample::select(vec![" - ", " – ", "—", "-"]))
            .prop_filter("distinct ends", |(a, b, _)| a != b)
            .prop_map(|(a, b, dash)| {
                (format!("{}{dash}{}", a.russian(), b.russian()), Period::Range { from: a, to: b })
            }),
        Just(("В течение года".to_string(), Period::WholeYear)),
        Just(("по графику".to_string(), Period::BySchedule)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn import_is_total_and_accounts_for_every_line(text in messy_text()) {
        let import = import_plan(&text);
        check_accounting(&text, &import);
    }

    #[test]
    fn well_formed_plans_import_exactly(
        rows in proptest::collection::vec(
            (
                0..TITLES.len(),
                period_text(),
                "[А-Я][а-я]{2,8} [А-Я]\\.[А-Я]\\.",
                any::<bool>(),
                any::<bool>(),
            ),
            1..12,
        ),
        cell_per_line in any::<bool>(),
    ) {
        // Titles and responsibles may hold a line break, as pasted from a word processor; in
        // the grid a title broken over lines is a numbered list (a plain broken first line
        // right under a row reads as the rest of that row's last cell).
        let mut text = String::from("План работы ПОС на 2023-2024 учебный год\n\n");
        let title = |t: usize, broken: bool| {
            if broken {
                format!("1. {}\n2. Открытый урок", TITLES[t].0)
            } else {
                TITLES[t].0.to_string()
            }
        };
        let who = |w: &str, broken: bool| {
            if broken { format!("{w}\nи Петрова") } else { w.to_string() }
        };
        if cell_per_line {
            text.push_str("\tМероприятия\n\tСроки\n\tОтветственные\n\n");
            for (t, (period, _), w, bt, bw) in &rows {
                text.push_str(&format!("\t{}\n\t{period}\n\t{}\n\n", title(*t, *bt), who(w, *bw)));
            }
        } else {
            text.push_str("Мероприятия\tСроки\tОтветственные\n");
            for (t, (period, _), w, bt, bw) in &rows {
                text.push_str(&format!("{}\t{period}\t{}\n", title(*t, *bt), who(w, *bw)));
            }
        }
        let import = import_plan(&text);
        check_accounting(&text, &import);
        prop_assert!(import.problems.is_empty(), "{:#?}", import.problems);
        let expected: usize = rows.iter().map(|r| if r.3 { 2 } else { 1 }).sum();
        prop_assert_eq!(import.events.len(), expected);
        let mut events = import.events.iter();
        // An «Август» before any later month is the August before the school year.
        let mut leading = true;
        for (t, (_, period), w, bt, bw) in &rows {
            let period = &match period {
                Period::Month(Month::August) if leading => Period::AugustBefore,
                Period::Range { from: Month::August, .. } => period.clone(),
                other => {
                    leading = false;
                    other.clone()
                }
            };
            let event = events.next().expect("counted above");
            prop_assert_eq!(event.title.as_str(), TITLES[*t].0);
            prop_assert_eq!(event.kind, TITLES[*t].1);
            prop_assert_eq!(event.period.as_ref(), Some(period));
            if *bt {
                let open = events.next().expect("counted above");
                prop_assert_eq!(open.kind, EventKind::OpenLesson);
                prop_assert_eq!(open.period.as_ref(), Some(period));
                prop_assert_eq!(open.responsible.as_ref(), event.responsible.as_ref());
            }
            let expected_who = who(w, *bw).replace('\n', " ");
            prop_assert_eq!(event.responsible.as_deref(), Some(expected_who.as_str()));
        }
        prop_assert!(!import.lines.contains(&LineUse::Problem));
    }
}

#[test]
fn markdown_tables_read_as_grids() {
    let text = "Цель: научиться оценивать.\n\n\
                | Мероприятия | Сроки | Ответственный |\n\
                |---|:---:|---|\n\
                | Доклад «Светофор» | Сентябрь | Иванова |\n\
                | | | и Петрова |\n\
                | Педсовет | 26.11.2018 | |\n";
    let import = import_plan(text);
    check_accounting(text, &import);
    assert_eq!(import.layout, Some(Layout::Grid));
    let date = chrono::NaiveDate::from_ymd_opt(2018, 11, 26).unwrap();
    check_events(
        &import,
        &[
            (
                5,
                1,
                EventKind::Report,
                "Доклад «Светофор»",
                Some(Period::Month(Month::September)),
                Some("Иванова и Петрова"),
            ),
            (7, 2, EventKind::TeachersCouncil, "Педсовет", Some(Period::Date(date)), None),
        ],
    );
    assert!(import.problems.is_empty(), "{:#?}", import.problems);
}

#[test]
fn imported_events_become_a_plan() {
    let text = fixture("damaged-grid.txt");
    let import = import_plan(&text);
    let year = SchoolYear::new(2020).unwrap();
    let (plan, skipped) = import
        .to_plan(PlanId::from_u128(1), year, |k| EventId::from_u128(100 + k as u128))
        .unwrap();
    let plan = plan.draft();
    // The header's year wins over the fallback; the event without a period waits.
    assert_eq!(plan.year, SchoolYear::new(2023).unwrap());
    assert_eq!(skipped, [1]);
    let titles: Vec<&str> = plan.events.iter().map(|e| e.title.as_str()).collect();
    assert_eq!(titles, ["Доклад «Критерии»", "Анализ работы ПОС"]);
    assert_eq!(plan.events[1].id, EventId::from_u128(102));
    assert_eq!(plan.events[1].kind, EventKind::Analysis);
    assert_eq!(plan.title.as_str(), "План работы ПОС на 2023-2024 учебный год");
}

#[test]
fn header_run_stops_where_the_data_starts() {
    // No blank line after the header, and the first data cell looks like a column name.
    let text = "\tЗадачи\n\tМероприятия\n\tСроки\n\tЗадача первая\n\tСеминар «Критерии»\n\tМарт\n";
    let import = import_plan(text);
    check_accounting(text, &import);
    assert_eq!(import.header.columns.len(), 3);
    check_events(
        &import,
        &[(
            5,
            1,
            EventKind::Seminar,
            "Семинар «Критерии»",
            Some(Period::Month(Month::March)),
            None,
        )],
    );
    assert_eq!(import.events[0].task.as_deref(), Some("Задача первая"));
    assert!(import.problems.is_empty(), "{:#?}", import.problems);
}

#[test]
fn spreadsheet_rows_with_quoted_line_breaks() {
    let text = "Мероприятия\tСроки\tОтветственный\n\
                \"1. Доклад «Светофор»\n\
                2. Вебинар \"\"Лесенка\"\"\"\tОктябрь\tИванова\n\
                Семинар\t\"Ноябрь\"\tПетрова\n\
                \"Открытый урок\"\tДекабрь\t\"Сидорова,\n\
                Орлова\"\n";
    let import = import_plan(text);
    check_accounting(text, &import);
    let october = Some(Period::Month(Month::October));
    check_events(
        &import,
        &[
            (2, 1, EventKind::Report, "Доклад «Светофор»", october.clone(), Some("Иванова")),
            (3, 1, EventKind::Webinar, "Вебинар \"Лесенка\"", october, Some("Иванова")),
            (
                4,
                2,
                EventKind::Seminar,
                "Семинар",
                Some(Period::Month(Month::November)),
                Some("Петрова"),
            ),
            (
                5,
                3,
                EventKind::OpenLesson,
                "Открытый урок",
                Some(Period::Month(Month::December)),
                Some("Сидорова, Орлова"),
            ),
        ],
    );
    assert!(import.problems.is_empty(), "{:#?}", import.problems);
    assert_eq!(import.lines[5], LineUse::Row);
}

#[test]
fn word_processor_rows_broken_inside_cells() {
    let text = "Мероприятия\tПланируемый результат\tСроки\tОтветственный\n\
                Доклад «Светофор»\tОсвоен приём;\n\
                проведён опрос\tСентябрь\tИванова\n\
                Семинар\tЕдиные\n\
                критерии\n\
                приняты\tОктябрь\tПетрова\n\
                Вебинар\tЗаписи\tНоябрь\tОрлова\n";
    let import = import_plan(text);
    check_accounting(text, &import);
    check_events(
        &import,
        &[
            (
                2,
                1,
                EventKind::Report,
                "Доклад «Светофор»",
                Some(Period::Month(Month::September)),
                Some("Иванова"),
            ),
            (
                4,
                2,
                EventKind::Seminar,
                "Семинар",
                Some(Period::Month(Month::October)),
                Some("Петрова"),
            ),
            (
                7,
                3,
                EventKind::Webinar,
                "Вебинар",
                Some(Period::Month(Month::November)),
                Some("Орлова"),
            ),
        ],
    );
    let results: Vec<Option<&str>> =
        import.events.iter().map(|e| e.planned_result.as_deref()).collect();
    assert_eq!(
        results,
        [Some("Освоен приём; проведён опрос"), Some("Единые критерии приняты"), Some("Записи")]
    );
    assert!(import.problems.is_empty(), "{:#?}", import.problems);
}

#[test]
fn a_title_of_only_links_is_reported_and_lone_links_join_their_event() {
    let text = "Мероприятия\tСроки\n\
                https://example.org/only\tмай\n\
                1. Вебинар «Критерии» 2. https://example.org/rec\tиюнь\n";
    let import = import_plan(text);
    check_accounting(text, &import);
    assert_eq!(problems(&import), [(2, 2, ProblemCause::MissingTitle)]);
    check_events(
        &import,
        &[(3, 2, EventKind::Webinar, "Вебинар «Критерии»", Some(Period::Month(Month::June)), None)],
    );
    assert_eq!(links(&import.events[0]), ["https://example.org/rec"]);
}

#[test]
fn cells_of_other_columns_are_kept() {
    let text = "Мероприятия\tФорма проведения\tСроки\tПримечание\tОтметка о выполнении\n\
                Доклад «Критерии»\tочно\tмай\tперенесён с апреля\tпроведено\n\
                Семинар\t\tиюнь\t\tможет быть\n";
    let import = import_plan(text);
    check_accounting(text, &import);
    assert_eq!(
        import.header.column_names,
        ["Мероприятия", "Форма проведения", "Сроки", "Примечание", "Отметка о выполнении"]
    );
    assert_eq!(import.events[0].status, EventStatus::Done);
    // A status we cannot read stays planned and keeps its text among the other cells.
    assert_eq!(import.events[1].status, EventStatus::Planned);
    assert_eq!(
        import.events[1].other,
        [("Отметка о выполнении".to_string(), "может быть".to_string())]
    );
    assert_eq!(
        import.events[0].other,
        [
            ("Форма проведения".to_string(), "очно".to_string()),
            ("Примечание".to_string(), "перенесён с апреля".to_string())
        ]
    );
    assert!(import.problems.is_empty());
}
