//! The ПОС leader's bank of practices and year's report against core: a class's year and a
//! plan of this school year (members, events held, moved, cancelled and overdue, goals, an
//! observation protocol, a practice) made with core's types and imported through the data
//! page; on `/pos/practices` a practice added with its lesson's records attached moves the
//! bank's indicator as core's `measure` computes it, an edit keeps its id, the search and the
//! filters find what core's `PracticeQuery` finds, and the CSV is core's `practice_csv` byte for
//! byte; `/pos/report` shows core's `year_report` over the same records (every indicator's
//! value and target, the events' counts), saves one standalone HTML file without scripts,
//! which headless Chromium prints to an A4 PDF that `pdftoppm` turns into
//! `target/screenshots/report-page-N.png`. axe finds nothing on either view; the dashboard,
//! the bank and the report leave screenshots. A class's Лусканова runs of last school year
//! (September, October, March, May) imported with a plan of that year: the report's «before and
//! after» shows core's `year_report` over `band_snapshots` of the same runs — the first autumn
//! run against the last spring one, band by band, counts and shares — and the saved file too.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, Result, ensure};
use chrono::NaiveDate;
use lesenka_core::diagnostics::run::band_snapshots;
use lesenka_core::diagnostics::{
    AnswerSheet, DiagnosticRun, DiagnosticRunDraft, MotivationLevel, RunForm, luskanova,
};
use lesenka_core::evidence::Journal;
use lesenka_core::explain::whole_percent;
use lesenka_core::ids::{
    DiagnosticRunId, EventId, GoalId, MemberId, PlanId, PracticeId, ProtocolId,
};
use lesenka_core::persist::backup::Backup;
use lesenka_core::persist::csv::practice_csv;
use lesenka_core::persist::{Kind, seal};
use lesenka_core::plan::{
    Event, EventStatus, Goal, Indicator, Member, MemberRole, Month, ObservationProtocol, Period,
    Plan, PlanDraft, Practice, PracticeQuery, SchoolYear, current_year, measure, year_report,
};
use lesenka_core::technique::TechniqueKind;
use lesenka_core::text::{Lang, Name};
use lesenka_tests::flows::{app_ready, download, exported};
use lesenka_tests::seed::{Seeded, class_year};
use lesenka_tests::{Harness, Options, axe_violations, testid};
use serde_json::{Value as Json, json};

/// Where screenshots and the printed report go.
fn screenshots() -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "..", "target", "screenshots"].iter().collect()
}

/// Today in the browser (the app's clock).
async fn browser_today(h: &Harness) -> Result<NaiveDate> {
    let v = h
        .execute("const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()];")
        .await?;
    let n = |i: usize| v[i].as_i64().context("date part");
    NaiveDate::from_ymd_opt(n(0)? as i32, n(1)? as u32, n(2)? as u32).context("today")
}

/// A plan of `year` for `seeded`'s lessons: two members, five events (held, overdue, moved,
/// cancelled, ahead), three goals, a protocol of the second lesson and one practice.
fn plan(year: SchoolYear, seeded: &Seeded) -> Result<Plan> {
    let leader =
        Member::new(MemberId::from_u128(1), "Иванова И.И.", Some("учитель"), MemberRole::Leader)?;
    let member = Member::new(MemberId::from_u128(2), "Петрова <П.П.>", None, MemberRole::Member)?;
    let event = |n: u128, month: Month, title: &str, status: EventStatus| -> Result<Event> {
        let mut e = Event::new(EventId::from_u128(n), Period::Month(month), title)?;
        e.status = status;
        Ok(e)
    };
    let mut moved =
        event(4, Month::December, "Круглый стол «Обратная связь»", EventStatus::Planned)?;
    moved.move_to(Period::Month(Month::February));
    let lesson = seeded.lessons.get(1).context("a second lesson")?;
    let protocol = ObservationProtocol {
        id: ProtocolId::from_u128(1),
        lesson: lesson.id(),
        teacher: member.id,
        observer: leader.id,
        date: lesson.date(),
        techniques_seen: [TechniqueKind::TrafficLight].into_iter().collect(),
        criteria: vec![Name::parse("Дана обратная связь")?],
        notes: Some(Name::parse("Светофор в конце урока")?),
    };
    let practice = Practice::from_form(
        PracticeId::from_u128(1),
        "Светофор на этапе закрепления",
        Some(TechniqueKind::TrafficLight),
        "Математика",
        Some(3),
        "Ученики поднимают карточки",
        "https://example.org/svetofor",
        lesson.date(),
    )?;
    Ok(Plan::new(PlanDraft {
        id: PlanId::from_u128(0x505),
        year,
        title: Name::parse(&format!("План работы ПОС на {year} учебный год"))?,
        aim: Some(Name::parse("Внедрение формирующего оценивания")?),
        tasks: vec![Name::parse("Провести открытые уроки")?],
        members: vec![leader, member],
        events: vec![
            event(1, Month::September, "Семинар «Критерии оценивания»", EventStatus::Done)?,
            event(2, Month::October, "Открытый урок по математике", EventStatus::Planned)?,
            event(3, Month::March, "Мастер-класс «Лесенка»", EventStatus::Cancelled)?,
            moved,
            event(5, Month::May, "Анализ работы ПОС за год", EventStatus::Planned)?,
        ],
        goals: vec![
            Goal {
                id: GoalId::from_u128(1),
                title: Name::parse("Приёмы формирующего оценивания на уроках")?,
                indicators: vec![Indicator::TechniqueUse { technique: None, lessons_per_month: 2 }],
            },
            Goal {
                id: GoalId::from_u128(2),
                title: Name::parse("Открытые уроки и банк практик")?,
                indicators: vec![
                    Indicator::OpenLessonsHeld { target: 2 },
                    Indicator::PracticeBankSize { target: 2 },
                ],
            },
        ],
        protocols: vec![protocol],
        practices: vec![practice],
    })?)
}

/// The shown values of the elements whose test id starts with `prefix` and has a
/// `data-current`: (test id, current, target).
async fn shown(h: &Harness, prefix: &str) -> Result<Vec<(String, u32, u32)>> {
    let v: Json = h
        .execute_with(
            "return [...document.querySelectorAll('[data-testid^=\"' + arguments[0] + '\"][data-current]')]
                .map(e => [e.dataset.testid, +e.dataset.current, +e.dataset.target]);",
            vec![json!(prefix)],
        )
        .await?;
    Ok(v.as_array()
        .context("values")?
        .iter()
        .map(|x| {
            let n = |i: usize| x[i].as_u64().map_or(u32::MAX, |v| v as u32);
            (x[0].as_str().unwrap_or_default().to_string(), n(1), n(2))
        })
        .collect())
}

/// Sets a select (or input) by test id to `value` and tells the page.
async fn choose(h: &Harness, id: &str, value: &str) -> Result<()> {
    h.execute_with(
        "const el = document.querySelector(arguments[0]); el.value = arguments[1];
         el.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(testid(id)), json!(value)],
    )
    .await?;
    Ok(())
}

/// The ids of the practices the list shows, in order.
async fn rows(h: &Harness) -> Result<Vec<String>> {
    let v = h
        .execute("return [...document.querySelectorAll('[data-testid=\"practice-row\"]')].map(r => r.dataset.id);")
        .await?;
    Ok(v.as_array()
        .context("rows")?
        .iter()
        .map(|x| x.as_str().unwrap_or_default().to_string())
        .collect())
}

/// The bank's indicators core computes for `plan` as of `today`.
fn bank_indicators(plan: &Plan, today: NaiveDate) -> Vec<(String, u32, u32)> {
    let inputs = plan.goal_inputs(today, &[], &[], 0);
    plan.draft()
        .goals
        .iter()
        .flat_map(|g| &g.indicators)
        .filter(|i| {
            matches!(i, Indicator::PracticeBankSize { .. } | Indicator::PracticeBankGrowth { .. })
        })
        .enumerate()
        .map(|(k, i)| {
            let m = measure(i, &inputs);
            (format!("practices-indicator-{k}"), m.current, m.target)
        })
        .collect()
}

/// axe on the page as it is now, then its screenshot as `<view>-1280x900.png`.
async fn check_view(h: &Harness, view: &str, problems: &mut Vec<String>) -> Result<()> {
    tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    let results = h.axe(view).await?;
    problems.extend(axe_violations(&results).into_iter().map(|v| format!("{view}: {v}")));
    h.screenshot(screenshots().join(format!("{view}-1280x900.png"))).await
}

#[tokio::test]
async fn the_bank_and_the_years_report_are_cores() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(1280, 900)).await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    let today = browser_today(&h).await?;
    let year = current_year(today).context("school year")?;
    let seeded = class_year(4, 12, 2, 5)?;
    let plan = plan(year, &seeded)?;
    let backup = Backup {
        classes: vec![seeded.class.clone()],
        lessons: seeded.lessons.clone(),
        evidence: Journal::from_records(seeded.records.clone()).0,
        plans: vec![plan.clone()],
        ..Backup::default()
    };
    let file = std::env::temp_dir().join(format!("lesenka-report-{}.json", std::process::id()));
    std::fs::write(&file, seal(Kind::Backup, &backup))?;
    h.goto("/data").await?;
    h.wait_for_testid("import-file").await?.send_keys(&file.display().to_string()).await?;
    h.wait_for_testid("import-result").await?;
    std::fs::remove_file(&file)?;
    let mut problems = Vec::new();

    // The dashboard links to the bank and the report.
    h.goto("/pos").await?;
    h.wait_for_testid("pos-report-link").await?;
    h.wait_for_testid("indicator-0-0").await?;
    h.screenshot(screenshots().join("pos-dashboard-1280x900.png")).await?;

    // The bank: its indicator as core measures it, before and after adding a practice.
    h.click_testid("pos-practices-link").await?;
    h.wait_for_testid("practice-form").await?;
    let held = exported(&h).await?;
    let stored = held.plans.first().context("the plan was imported")?;
    ensure!(stored.draft().practices.len() == 1 && stored.draft().protocols.len() == 1);
    let wanted = bank_indicators(stored, today);
    ensure!(wanted.iter().map(|w| w.1).collect::<Vec<_>>() == vec![1], "core: {wanted:?}");
    ensure!(shown(&h, "practices-indicator-").await? == wanted);

    let first = &seeded.lessons[0];
    h.fill_testid("practice-title", "Лесенка в начале урока").await?;
    let ladder =
        TechniqueKind::ALL.iter().position(|k| *k == TechniqueKind::Ladder).context("ladder")?;
    choose(&h, "practice-technique", &ladder.to_string()).await?;
    h.fill_testid("practice-subject", "Русский язык").await?;
    h.fill_testid("practice-grade", "4").await?;
    h.fill_testid("practice-description", "Ученики ставят себя на ступеньку").await?;
    choose(&h, "practice-lesson", &first.id().to_string()).await?;
    h.click_testid("save-practice").await?;
    h.wait_for_testid("practice-saved").await?;
    let held = exported(&h).await?;
    let stored = held.plans.first().context("plan")?;
    let added = stored
        .draft()
        .practices
        .iter()
        .find(|p| p.draft().title.as_str() == "Лесенка в начале урока")
        .context("the practice was not saved")?
        .clone();
    let lesson_records: Vec<_> =
        seeded.records.iter().filter(|r| r.lesson() == first.id()).map(|r| r.id()).collect();
    ensure!(added.lesson() == Some(first.id()), "lesson {:?}", added.lesson());
    ensure!(added.evidence().len() == lesson_records.len() && !lesson_records.is_empty());
    ensure!(added.draft().grade == Some(4) && added.technique() == Some(TechniqueKind::Ladder));
    let wanted = bank_indicators(stored, today);
    ensure!(wanted.iter().map(|w| w.1).collect::<Vec<_>>() == vec![2], "core: {wanted:?}");
    h.wait_until("return document.querySelector('[data-testid=\"practices-indicator-0\"]').dataset.current === '2'").await?;
    ensure!(shown(&h, "practices-indicator-").await? == wanted);

    // A bad grade is refused in words and nothing is saved.
    h.fill_testid("practice-title", "Пятиминутка").await?;
    h.fill_testid("practice-grade", "12").await?;
    h.click_testid("save-practice").await?;
    h.wait_for_testid("form-error").await?;
    ensure!(exported(&h).await?.plans[0].draft().practices.len() == 2);

    // An edit keeps the id and the count.
    h.execute_with(
        "[...document.querySelectorAll('[data-testid=\"practice-row\"]')].find(r => r.dataset.id === arguments[0]).querySelector('[data-testid=\"practice-edit\"]').click();",
        vec![json!(added.id().to_string())],
    )
    .await?;
    h.wait_until("return document.querySelector('[data-testid=\"practice-title\"]').value === 'Лесенка в начале урока'").await?;
    h.fill_testid("practice-title", "Лесенка успеха в начале урока").await?;
    h.click_testid("save-practice").await?;
    h.wait_for_testid("practice-saved").await?;
    let held = exported(&h).await?;
    let stored = held.plans.first().context("plan")?.clone();
    let practices = &stored.draft().practices;
    ensure!(practices.len() == 2, "{} practices after the edit", practices.len());
    let edited = practices.iter().find(|p| p.id() == added.id()).context("edited")?;
    ensure!(edited.draft().title.as_str() == "Лесенка успеха в начале урока");
    ensure!(edited.added_on() == added.added_on() && edited.evidence() == added.evidence());

    // Search and filters find what core finds.
    let core_rows = |q: &PracticeQuery| -> Vec<String> {
        q.find(practices).iter().map(|p| p.id().to_string()).collect()
    };
    h.fill_testid("practices-search", "ЛЕСЕНКА успеха").await?;
    let q = PracticeQuery { text: "ЛЕСЕНКА успеха".into(), ..Default::default() };
    ensure!(core_rows(&q).len() == 1);
    h.wait_until("return document.querySelectorAll('[data-testid=\"practice-row\"]').length === 1")
        .await?;
    ensure!(rows(&h).await? == core_rows(&q));
    h.fill_testid("practices-search", "").await?;
    choose(&h, "practices-filter-grade", "3").await?;
    let q = PracticeQuery { grade: Some(3), ..Default::default() };
    h.wait_until("return document.querySelectorAll('[data-testid=\"practice-row\"]').length === 1")
        .await?;
    ensure!(rows(&h).await? == core_rows(&q), "grade 3");
    choose(&h, "practices-filter-grade", "").await?;
    choose(&h, "practices-filter-subject", "Русский язык").await?;
    let q = PracticeQuery { subject: Some("Русский язык".into()), ..Default::default() };
    h.wait_until("return document.querySelectorAll('[data-testid=\"practice-row\"]').length === 1")
        .await?;
    ensure!(rows(&h).await? == core_rows(&q), "subject");
    // The CSV of what is found is core's, byte for byte.
    let (name, csv) = download(&h, "practices-csv").await?;
    ensure!(name.ends_with(".csv"), "{name}");
    let found: Vec<Practice> = q.find(practices).into_iter().cloned().collect();
    let wanted = practice_csv(&found, &stored.draft().members, &held.lessons);
    ensure!(
        csv == wanted.as_bytes(),
        "CSV {:?} ≠ core's {wanted:?}",
        String::from_utf8_lossy(&csv)
    );
    ensure!(wanted.starts_with('\u{feff}') && wanted.contains(';'));
    choose(&h, "practices-filter-subject", "").await?;
    h.wait_until("return document.querySelectorAll('[data-testid=\"practice-row\"]').length === 2")
        .await?;
    check_view(&h, "pos-practices", &mut problems).await?;

    // The report: every figure is core's year_report over the same records.
    h.goto(&format!("/pos/report?plan={}", stored.id())).await?;
    h.wait_for_testid("report").await?;
    h.wait_gone_testid("journal-loading").await?;
    let held = exported(&h).await?;
    let evidence: Vec<_> = held.evidence.iter().cloned().collect();
    let report = year_report(&held.plans[0], &evidence, &held.lessons, &[], today);
    let wanted: Vec<(String, u32, u32)> = report
        .goals
        .iter()
        .enumerate()
        .flat_map(|(g, goal)| {
            goal.indicators.iter().enumerate().map(move |(i, l)| {
                (
                    format!("report-indicator-{g}-{i}"),
                    l.tracked.measured.current,
                    l.tracked.measured.target,
                )
            })
        })
        .collect();
    ensure!(wanted.len() == 3);
    // The bank now holds two practices, the open lesson is counted from its protocol.
    ensure!(wanted[2].1 == 2 && wanted[1].1 == 1, "core: {wanted:?}");
    let on_page = shown(&h, "report-indicator-").await?;
    ensure!(on_page == wanted, "report {on_page:?} ≠ core's {wanted:?}");
    let counts = h
        .execute("const d = document.querySelector('[data-testid=\"report-counts\"]').dataset; return [+d.done, +d.moved, +d.cancelled, +d.planned, +d.overdue];")
        .await?;
    let c = report.counts;
    ensure!(
        counts == json!([c.done, c.moved, c.cancelled, c.planned, c.overdue]),
        "{counts} ≠ {c:?}"
    );
    ensure!(c.done == 1 && c.cancelled == 1, "{c:?}");
    let bars = h
        .execute("return [...document.querySelectorAll('[data-testid=\"report-indicator-0-0-chart\"] rect')].map(r => +r.dataset.value);")
        .await?;
    let trend: Vec<u32> =
        report.goals[0].indicators[0].tracked.trend.iter().map(|(_, v)| *v).collect();
    ensure!(bars == json!(trend), "chart {bars} ≠ core's trend {trend:?}");
    let not_done = h.count_testid("report-not-done").await?;
    ensure!(not_done == usize::from(!report.not_done.is_empty()));
    let page_text = h.text_of_testid("report").await?;
    ensure!(page_text.contains("Петрова <П.П.>"), "a member's name is not shown as text");
    check_view(&h, "pos-report", &mut problems).await?;

    // Saved as HTML: one standalone file, no scripts, the same figures; printed to A4 pages.
    let (name, html) = download(&h, "report-save-html").await?;
    ensure!(name.ends_with(".html"), "{name}");
    let html = String::from_utf8(html)?;
    ensure!(html.starts_with("<!DOCTYPE html>") && html.contains("<style>"));
    ensure!(!html.to_lowercase().contains("<script"), "the file has a script");
    ensure!(!html.contains(" src=") && !html.contains("<link"), "the file loads something");
    ensure!(html.contains("Петрова &lt;П.П.&gt;"), "a name is not escaped");
    for (id, current, target) in &wanted {
        ensure!(
            html.contains(&format!(
                "data-testid=\"{id}\" data-current=\"{current}\" data-target=\"{target}\""
            )),
            "{id} is not in the file as {current} of {target}"
        );
    }
    let out = screenshots();
    std::fs::create_dir_all(&out)?;
    let html_path = out.join("report.html");
    std::fs::write(&html_path, &html)?;
    let pdf = out.join("report.pdf");
    let chromium = std::env::var("LESENKA_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let profile = std::env::temp_dir().join(format!("lesenka-print-{}", std::process::id()));
    let printed = Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            &format!("--user-data-dir={}", profile.display()),
            &format!("--print-to-pdf={}", pdf.display()),
        ])
        .arg(format!("file://{}", html_path.canonicalize()?.display()))
        .output()
        .context("running chromium --print-to-pdf")?;
    ensure!(printed.status.success(), "chromium: {}", String::from_utf8_lossy(&printed.stderr));
    // The profile is a scratch directory; a leftover one does no harm.
    let _ = std::fs::remove_dir_all(&profile);
    let bytes = std::fs::read(&pdf)?;
    ensure!(bytes.starts_with(b"%PDF"), "not a PDF");
    for old in std::fs::read_dir(&out)? {
        let path = old?.path();
        if path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.starts_with("report-page-"))
        {
            std::fs::remove_file(path)?;
        }
    }
    let pages = Command::new("pdftoppm")
        .args(["-png", "-r", "60"])
        .arg(&pdf)
        .arg(out.join("report-page"))
        .output()
        .context("running pdftoppm (apt-get install poppler-utils)")?;
    ensure!(pages.status.success(), "pdftoppm: {}", String::from_utf8_lossy(&pages.stderr));
    let made: Vec<String> = std::fs::read_dir(&out)?
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.starts_with("report-page-") && n.ends_with(".png"))
        .collect();
    // The goals start on a page of their own.
    ensure!(made.len() >= 2, "{} pages: {made:?}", made.len());

    ensure!(problems.is_empty(), "axe: {problems:#?}");
    h.close().await;
    Ok(())
}

/// A Лусканова sheet of `student` with `answers`.
fn sheet(student: lesenka_core::ids::StudentId, answers: &[usize]) -> AnswerSheet {
    AnswerSheet { respondent: student, answers: answers.iter().map(|a| Some(*a)).collect() }
}

#[tokio::test]
async fn the_years_report_shows_cores_diagnostics_before_and_after() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(1280, 900)).await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    let today = browser_today(&h).await?;
    // Last school year, whose May has passed (the report counts only what was taken by today).
    let year = SchoolYear::new(current_year(today).context("school year")?.start() - 1)?;
    let date = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d).context("date");
    let seeded = class_year(6, 0, 1, 11)?;
    let kids: Vec<_> = seeded.class.students().iter().map(|s| s.id).collect();
    let class = seeded.class.id;
    // Six answer patterns: 14, 10, 30, 0, 26 and 20 points (low, low, high, negative, high,
    // normal).
    let patterns: [[usize; 10]; 6] = [
        [0; 10],
        [0, 1, 0, 1, 2, 0, 1, 0, 0, 1],
        [1, 2, 2, 0, 1, 1, 0, 2, 1, 0],
        [2, 0, 1, 2, 0, 2, 2, 1, 2, 2],
        [1, 2, 2, 0, 1, 1, 0, 2, 0, 1],
        [1, 2, 2, 0, 1, 0, 1, 0, 0, 1],
    ];
    let run = |n: u128, on: NaiveDate, sheets: Vec<AnswerSheet>| -> Result<DiagnosticRun> {
        Ok(DiagnosticRun::new(DiagnosticRunDraft {
            id: DiagnosticRunId::from_u128(0xD1A6_0000 + n),
            class,
            date: on,
            form: RunForm::Luskanova { sheets },
        })?)
    };
    let september: Vec<AnswerSheet> =
        kids.iter().zip(&patterns).map(|(k, p)| sheet(*k, p)).collect();
    // In May the class moved up: 30, 26, 20, 20, 14 and 30 points (three high, two normal,
    // one low), so the two columns differ.
    let may: Vec<AnswerSheet> =
        kids.iter().zip([2, 4, 5, 5, 0, 2]).map(|(k, p)| sheet(*k, &patterns[p])).collect();
    let runs = vec![
        run(1, date(year.start(), 9, 15)?, september.clone())?,
        // A later autumn run (the report takes the first of the start window) ...
        run(2, date(year.start(), 10, 20)?, september[..2].to_vec())?,
        // ... and an earlier spring one (it takes the last of the end window).
        run(3, date(year.end(), 3, 10)?, may[..3].to_vec())?,
        run(4, date(year.end(), 5, 14)?, may.clone())?,
        // Another year's September.
        run(5, date(year.end(), 9, 14)?, may[..1].to_vec())?,
    ];
    let leader =
        Member::new(MemberId::from_u128(1), "Иванова И.И.", Some("учитель"), MemberRole::Leader)?;
    let plan = Plan::new(PlanDraft {
        id: PlanId::from_u128(0x506),
        year,
        title: Name::parse(&format!("План работы ПОС на {year} учебный год"))?,
        aim: None,
        tasks: vec![],
        members: vec![leader],
        events: vec![Event::new(
            EventId::from_u128(1),
            Period::Month(Month::May),
            "Диагностика мотивации",
        )?],
        goals: vec![],
        protocols: vec![],
        practices: vec![],
    })?;
    let backup = Backup {
        classes: vec![seeded.class.clone()],
        plans: vec![plan.clone()],
        diagnostics: runs,
        ..Backup::default()
    };
    let file =
        std::env::temp_dir().join(format!("lesenka-report-diag-{}.json", std::process::id()));
    std::fs::write(&file, seal(Kind::Backup, &backup))?;
    h.goto("/data").await?;
    h.wait_for_testid("import-file").await?.send_keys(&file.display().to_string()).await?;
    h.wait_for_testid("import-result").await?;
    std::fs::remove_file(&file)?;

    h.goto(&format!("/pos/report?plan={}", plan.id())).await?;
    h.wait_for_testid("report").await?;
    h.wait_gone_testid("journal-loading").await?;
    h.wait_for_testid("report-diagnostics").await?;

    // Core over what the app holds: the runs' band snapshots into the year's report.
    let held = exported(&h).await?;
    ensure!(held.diagnostics.len() == 5, "{} runs imported", held.diagnostics.len());
    let evidence: Vec<_> = held.evidence.iter().cloned().collect();
    let report = year_report(
        &held.plans[0],
        &evidence,
        &held.lessons,
        &band_snapshots(&held.diagnostics),
        today,
    );
    let shift = report.diagnostics.context("core finds both waves")?;
    ensure!(shift.start.taken_on == date(year.start(), 9, 15)?, "{:?}", shift.start.taken_on);
    ensure!(shift.end.taken_on == date(year.end(), 5, 14)?, "{:?}", shift.end.taken_on);
    // Core's snapshots are core's scoring of the same sheets.
    let q = luskanova();
    let counted = |sheets: &[AnswerSheet], code: &str| -> Result<u32> {
        let mut n = 0;
        for s in sheets {
            let score = q.score(&s.answers)?;
            n += u32::from(q.bands()[score.band].code.as_str() == code);
        }
        Ok(n)
    };
    let count = |snap: &lesenka_core::plan::BandSnapshot, code: &str| -> u32 {
        snap.bands.iter().filter(|(b, _)| b == code).map(|(_, n)| n).sum()
    };
    for level in MotivationLevel::ALL {
        ensure!(count(&shift.start, level.code()) == counted(&september, level.code())?);
        ensure!(count(&shift.end, level.code()) == counted(&may, level.code())?);
    }
    let wanted: Vec<Json> = shift
        .shares
        .iter()
        .map(|(band, start, end)| {
            json!([
                band,
                count(&shift.start, band),
                count(&shift.end, band),
                whole_percent(*start, Lang::Ru),
                whole_percent(*end, Lang::Ru),
            ])
        })
        .collect();
    ensure!(wanted.len() == 5, "{wanted:?}");
    ensure!(count(&shift.end, "high") == 3 && count(&shift.start, "high") == 2, "{shift:?}");
    let shown = h
        .execute(
            "return [...document.querySelectorAll('[data-testid=\"report-diagnostics-row\"]')]
                .map(r => [r.dataset.band, +r.dataset.startCount, +r.dataset.endCount,
                           r.cells[1].textContent, r.cells[2].textContent]);",
        )
        .await?;
    ensure!(shown == json!(wanted), "report {shown} ≠ core's {wanted:?}");
    let dates = h
        .execute("const d = document.querySelector('[data-testid=\"report-diagnostics-table\"]').dataset; return [d.start, d.end];")
        .await?;
    ensure!(
        dates == json!([shift.start.taken_on.to_string(), shift.end.taken_on.to_string()]),
        "{dates}"
    );
    // The bands are named as the diagnostics pages name them, not by their codes.
    let names = h
        .execute("return [...document.querySelectorAll('[data-testid=\"report-diagnostics-row\"]')].map(r => r.cells[0].textContent);")
        .await?;
    ensure!(names[0] == json!("высокая") && names[4] == json!("негативная"), "{names}");

    // The saved file carries the same figures.
    let (_, html) = download(&h, "report-save-html").await?;
    let html = String::from_utf8(html)?;
    for (band, ..) in &shift.shares {
        let row = format!(
            "data-band=\"{band}\" data-start-count=\"{}\" data-end-count=\"{}\"",
            count(&shift.start, band),
            count(&shift.end, band)
        );
        ensure!(html.contains(&row), "{row} is not in the saved file");
    }
    h.execute("document.querySelector('[data-testid=report-diagnostics]').scrollIntoView()")
        .await?;
    let mut problems = Vec::new();
    check_view(&h, "pos-report-diagnostics", &mut problems).await?;
    ensure!(problems.is_empty(), "axe: {problems:#?}");
    h.close().await;
    Ok(())
}
