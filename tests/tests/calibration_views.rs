//! The calibration and mastery views against core: a class's teacher and self светофор answers
//! imported as a backup made with core's types, more self answers recorded through a светофор
//! run in the app; the views' figures are compared with core's `calibrate` and
//! `roll_up_evidence` over the records the app exports. Also the projector hiding the students'
//! figures, the method choice kept in the address over a reload, and screenshots at 1280×800
//! under `target/screenshots/`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result, ensure};
use lesenka_core::calibration::calibrate;
use lesenka_core::evidence::{EvidenceRecord, Source};
use lesenka_core::explain::{Lang, hundredths, whole_percent};
use lesenka_core::mastery::{Method, roll_up_evidence};
use lesenka_core::persist::backup::Backup;
use lesenka_core::persist::{Kind, open};
use lesenka_tests::flows::{app_ready, tap_tiles};
use lesenka_tests::seed::{Seeded, class_year};

/// A figure as the Russian interface writes it (core's wording of numbers).
fn ru_hundredths(value: f64, signed: bool) -> String {
    hundredths(value, signed, Lang::Ru)
}

/// A share as the Russian interface writes it.
fn ru_share(value: f64) -> String {
    whole_percent(value, Lang::Ru)
}
use lesenka_tests::{Harness, Options};

fn shots() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots")
}

/// Imports `seeded` through the data page.
async fn import(h: &Harness, seeded: &Seeded, name: &str) -> Result<()> {
    let file = std::env::temp_dir().join(format!("lesenka-{name}-{}.json", std::process::id()));
    std::fs::write(&file, seeded.backup_text())?;
    h.goto("/").await?;
    app_ready(h).await?;
    h.goto("/data").await?;
    let input = h.wait_for_testid("import-file").await?;
    input.send_keys(&file.display().to_string()).await?;
    h.wait_for_testid("import-result").await?;
    std::fs::remove_file(&file)?;
    Ok(())
}

/// The evidence the app holds, read from its export with core.
async fn exported_records(h: &Harness) -> Result<Vec<EvidenceRecord>> {
    let text = h.execute("return window.lesenkaBench.exportText()").await?;
    let backup: Backup = open(Kind::Backup, text.as_str().context("export")?)?.value;
    Ok(backup.evidence.iter().cloned().collect())
}

/// `data-testid` → the text of its first `<b>` (or its own text) for every element whose test id
/// starts with `prefix`.
async fn texts(h: &Harness, prefix: &str) -> Result<BTreeMap<String, String>> {
    let js = "const out = {};
        document.querySelectorAll(`[data-testid^='${arguments[0]}']`).forEach(e => {
            const b = e.querySelector('b');
            out[e.dataset.testid] = (b || e).textContent.trim();
        });
        return out;";
    let got = h.execute_with(js, vec![prefix.into()]).await?;
    let map = got.as_object().context("texts")?;
    Ok(map.iter().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned())).collect())
}

/// The text of the element with `data-testid` `id` as the page holds it (no-break spaces kept,
/// which WebDriver's element text turns into spaces).
async fn text(h: &Harness, id: &str) -> Result<String> {
    let js = "return document.querySelector(`[data-testid='${arguments[0]}']`).textContent.trim()";
    let got = h.execute_with(js, vec![id.into()]).await?;
    Ok(got.as_str().context("text")?.to_owned())
}

/// Runs светофор on the lesson's first criterion, tapping the n-th student's tile n mod 3 + 1
/// times (green, yellow, red, …).
async fn run_traffic_light(h: &Harness, lesson: &str) -> Result<()> {
    h.goto(&format!("/lessons/{lesson}")).await?;
    h.click_testid("run-traffic-light-0").await?;
    tap_tiles(h, |i| i % 3 + 1).await?;
    h.click_testid("close-technique").await?;
    h.wait_for_testid("saved-notice").await?;
    Ok(())
}

#[tokio::test]
async fn calibration_view_shows_cores_figures_for_imported_and_recorded_answers() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(1280, 800)).await?;
    let seeded = class_year(6, 4, 2, 7)?;
    import(&h, &seeded, "calibration").await?;
    // The students answer светофор again in the last lesson: their new lights replace the
    // imported ones in calibration (the latest answer counts).
    let last = seeded.lessons.last().context("lessons")?.id();
    run_traffic_light(&h, &last.to_string()).await?;
    let records = exported_records(&h).await?;
    ensure!(records.len() > seeded.records.len(), "the run's answers were recorded");
    let report = calibrate(&records);
    let class = seeded.class.id;
    let summary = report.classes.get(&class).context("class figures")?;

    h.goto(&format!("/classes/{class}")).await?;
    h.click_testid("open-calibration").await?;
    h.wait_for_testid("calibration-table").await?;
    let pairs = text(&h, "calib-class-pairs").await?;
    assert!(pairs.starts_with(&format!("{} пар", summary.pairs)), "{pairs}");
    let figures = [
        ("calib-class-mean-gap", ru_hundredths(summary.mean_gap, true)),
        ("calib-class-mean-abs-gap", ru_hundredths(summary.mean_abs_gap, false)),
        ("calib-class-exact", ru_share(summary.exact_share)),
        ("calib-class-over", ru_share(summary.over_share)),
        ("calib-class-under", ru_share(summary.under_share)),
    ];
    for (id, want) in figures {
        assert_eq!(text(&h, id).await?, want, "{id}");
    }
    let slope = summary.trend.slope.context("four lessons have a slope")?;
    let shown = text(&h, "calib-class-slope").await?;
    assert!(shown.starts_with(&ru_hundredths(slope, true)), "slope {slope}: {shown}");
    let halves = format!(
        "{} → {}",
        ru_hundredths(summary.trend.first_half.context("first half")?, false),
        ru_hundredths(summary.trend.second_half.context("second half")?, false)
    );
    assert_eq!(text(&h, "calib-class-halves").await?, halves);
    let points = h.attr_of_testid("calibration-chart", "data-points").await?;
    assert_eq!(points, Some(report.series(class, None).len().to_string()));
    assert_eq!(report.series(class, None).len(), 4);

    // Every student × criterion cell and every student's own figures.
    let cells = texts(&h, "calib-cell-").await?;
    assert_eq!(cells.len(), 6 * 2, "{cells:?}");
    let core_cells = report.cells(class);
    for c in &core_cells {
        let id = format!("calib-cell-{}-{}", c.student, c.criterion);
        assert_eq!(cells.get(&id), Some(&ru_hundredths(c.summary.mean_gap, true)), "{id}");
    }
    let rows = texts(&h, "calib-row-").await?;
    for (student, s) in &report.students {
        let gap = format!("calib-row-gap-{student}");
        let exact = format!("calib-row-exact-{student}");
        assert_eq!(rows.get(&gap), Some(&ru_hundredths(s.mean_gap, true)), "{gap}");
        assert_eq!(rows.get(&exact), Some(&ru_share(s.exact_share)), "{exact}");
    }
    // The table is a real table: a caption, column and row headers.
    let headers = h
        .execute(
            "const t = document.querySelector('[data-testid=calibration-table]');
             return [!!t.querySelector('caption'), t.querySelectorAll('th[scope=col]').length,
                     t.querySelectorAll('th[scope=row]').length];",
        )
        .await?;
    assert_eq!(headers, lesenka_tests::serde_json::json!([true, 2 + 4, 6]));
    h.execute("document.querySelector('[data-testid=calibration-chart]').scrollIntoView()").await?;
    h.screenshot(shots().join("calibration-1280x800.png")).await?;
    let axe = h.axe("calibration-data").await?;
    let violations = lesenka_tests::axe_violations(&axe);
    assert!(violations.is_empty(), "axe on calibration-data: {violations:#?}");

    // One student's page shows core's figures for that student.
    let first = &seeded.class.students()[0];
    let own = report.students.get(&first.id).context("first student's figures")?;
    h.goto(&format!("/classes/{class}/students/{}", first.id)).await?;
    h.wait_for_testid("calib-student-mean-gap").await?;
    assert_eq!(text(&h, "calib-student-mean-gap").await?, ru_hundredths(own.mean_gap, true));
    assert_eq!(text(&h, "calib-student-exact").await?, ru_share(own.exact_share));
    let points = h.attr_of_testid("student-calibration-chart", "data-points").await?;
    assert_eq!(points, Some(report.series(class, Some(first.id)).len().to_string()));

    // On the projector, the class's figures stay and no student is named.
    h.goto(&format!("/classes/{class}/calibration")).await?;
    h.wait_for_testid("calibration-table").await?;
    h.click_testid("projector-toggle").await?;
    h.wait_for_testid("calibration-hidden").await?;
    assert_eq!(h.count_testid("calibration-table").await?, 0);
    let page = h.execute("return document.querySelector('main').innerText").await?;
    let page = page.as_str().context("page text")?;
    for s in seeded.class.students() {
        assert!(!page.contains(s.display_name.as_str()), "{} on the projector", s.display_name);
        assert!(!page.contains(s.pseudonym.as_str()), "{} on the projector", s.pseudonym.as_str());
    }
    assert_eq!(text(&h, "calib-class-mean-gap").await?, ru_hundredths(summary.mean_gap, true));
    h.close().await;
    Ok(())
}

/// The mastery cells core gives for `method` over `sources`, by test id.
fn expected_mastery(
    seeded: &Seeded,
    records: &[EvidenceRecord],
    method: Method,
    sources: &[Source],
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for s in seeded.class.students() {
        for c in &seeded.criteria {
            let m = roll_up_evidence(&method, records, s.id, *c, sources, |_| None);
            let text = match m.value {
                Some(v) => ru_share(v),
                None if m.scored > 0 => "нет результата".to_owned(),
                None => "нет данных".to_owned(),
            };
            out.insert(format!("mastery-cell-{}-{c}", s.id), text);
        }
    }
    out
}

#[tokio::test]
async fn mastery_view_shows_cores_roll_up_by_the_chosen_method_and_keeps_it() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(1280, 800)).await?;
    let seeded = class_year(6, 5, 2, 11)?;
    import(&h, &seeded, "mastery").await?;
    let records = exported_records(&h).await?;
    assert_eq!(records.len(), seeded.records.len());
    let class = seeded.class.id;

    // Opened from the class page: Canvas's default, weighted average, over all answers.
    h.goto(&format!("/classes/{class}")).await?;
    h.click_testid("open-mastery").await?;
    h.wait_for_testid("mastery-table").await?;
    let caption = text(&h, "mastery-method-used").await?;
    assert_eq!(caption, "Взвешенное среднее: последняя оценка с весом 65\u{a0}%");
    let all = Source::ALL;
    let want = expected_mastery(&seeded, &records, Method::default(), &all);
    assert_eq!(texts(&h, "mastery-cell-").await?, want);

    // The teacher's answers only (the address keeps it), then the n-times method (the class
    // keeps it).
    h.select_testid("mastery-from", "Оценки учителя").await?;
    h.wait_until("return location.search.includes('from=teacher')").await?;
    h.select_testid("mastery-method", "Не меньше 3 раз на уровне от 75\u{a0}%").await?;
    let n_times = Method::from_key("n_times").context("n times")?;
    let want = expected_mastery(&seeded, &records, n_times, &[Source::Teacher]);
    assert!(want.values().any(|v| v == "нет результата"), "some student lacks 3 greens");
    assert!(want.values().any(|v| v.ends_with('%')), "some student has 3 greens");
    h.wait_until(
        "return document.querySelector('[data-testid=mastery-method-used]').textContent\
         .startsWith('Не меньше')",
    )
    .await?;
    assert_eq!(texts(&h, "mastery-cell-").await?, want);
    h.screenshot(shots().join("mastery-1280x800.png")).await?;
    let axe = h.axe("mastery-data").await?;
    let violations = lesenka_tests::axe_violations(&axe);
    assert!(violations.is_empty(), "axe on mastery-data: {violations:#?}");

    h.reload().await?;
    h.wait_for_testid("mastery-table").await?;
    assert_eq!(texts(&h, "mastery-cell-").await?, want, "the choice survives a reload");
    let chosen = h
        .execute("return [document.querySelector('[data-testid=mastery-method]').value, document.querySelector('[data-testid=mastery-from]').value]")
        .await?;
    assert_eq!(chosen, lesenka_tests::serde_json::json!(["n_times", "teacher"]));

    // The method is the class's: saved with it, so a fresh visit without the address's query
    // and the export both have it.
    h.goto(&format!("/classes/{class}/mastery?from=teacher")).await?;
    h.wait_for_testid("mastery-table").await?;
    assert_eq!(texts(&h, "mastery-cell-").await?, want, "the class keeps its method");
    let text = h.execute("return window.lesenkaBench.exportText()").await?;
    let backup: Backup = open(Kind::Backup, text.as_str().context("export")?)?.value;
    let exported = backup.classes.iter().find(|c| c.id == class).context("the class")?;
    assert_eq!(exported.mastery_method(), n_times);

    // The students' self-assessment, latest answer.
    h.goto(&format!("/classes/{class}/mastery?from=self")).await?;
    h.wait_for_testid("mastery-table").await?;
    h.select_testid("mastery-method", "Последняя оценка").await?;
    h.wait_until(
        "return document.querySelector('[data-testid=mastery-method-used]').textContent\
         .startsWith('Последняя')",
    )
    .await?;
    let want = expected_mastery(&seeded, &records, Method::Latest, &[Source::SelfAssessment]);
    assert_eq!(texts(&h, "mastery-cell-").await?, want);
    h.close().await;
    Ok(())
}

/// The lesson summary's over/under line as the app should write it: core's estimates, named.
fn expected_estimates(seeded: &Seeded, estimates: &[lesenka_core::summary::Estimate]) -> String {
    let name = |e: &lesenka_core::summary::Estimate| {
        let s = seeded.class.students().iter().find(|s| s.id == e.student);
        format!("{} ({:+})", s.map(|s| s.display_name.to_string()).unwrap_or_default(), e.gap)
    };
    estimates.iter().map(name).collect::<Vec<_>>().join(", ")
}

#[tokio::test]
async fn lesson_summary_names_who_over_and_under_estimated_as_core_does() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(1280, 800)).await?;
    // The first seed whose first lesson has both an over- and an under-estimate on its first
    // criterion (the generator is deterministic, so this is always the same one).
    let (seeded, first) = (1..100)
        .find_map(|seed| {
            let seeded = class_year(8, 2, 2, seed).ok()?;
            let journal = lesenka_core::evidence::Journal::from_records(seeded.records.clone()).0;
            let summary = lesenka_core::summary::summarise(&seeded.lessons[0], &journal);
            let first = summary.into_iter().next()?;
            let both = !first.estimates.over.is_empty() && !first.estimates.under.is_empty();
            both.then_some((seeded, first))
        })
        .context("a seed with both estimates")?;
    import(&h, &seeded, "estimates").await?;
    let lesson = &seeded.lessons[0];
    h.goto(&format!("/lessons/{}", lesson.id())).await?;
    h.wait_for_testid("summary-estimates").await?;
    let over = format!(
        "Оценили себя выше, чем учитель: {}",
        expected_estimates(&seeded, &first.estimates.over)
    );
    let under = format!(
        "Оценили себя ниже, чем учитель: {}",
        expected_estimates(&seeded, &first.estimates.under)
    );
    let agreed = format!("Совпадений с оценкой учителя: {}", first.estimates.agreed);
    let shown = h
        .execute(
            "const c = document.querySelector('[data-testid=summary-0]');
             return ['summary-over', 'summary-under', 'summary-agreed']
                 .map(id => c.querySelector(`[data-testid=${id}]`).textContent.trim());",
        )
        .await?;
    assert_eq!(shown, lesenka_tests::serde_json::json!([over, under, agreed]));
    // The counts are the students' own answers only: the teacher's do not add to them.
    let counted: u32 = first.techniques.iter().map(|t| t.answers).sum();
    let own = seeded
        .records
        .iter()
        .filter(|r| r.lesson() == lesson.id() && r.criterion() == seeded.criteria[0])
        .filter(|r| r.source() == Source::SelfAssessment)
        .count();
    assert_eq!(counted as usize, own);
    // Projector mode hides the whole summary, names included.
    h.click_testid("projector-toggle").await?;
    h.wait_gone_testid("summary-estimates").await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn student_page_gathers_marks_with_cores_average_and_period_mark() -> Result<()> {
    use lesenka_core::ids::MarkId;
    use lesenka_core::marks::{
        CONTROL_WORK, Gradebook, HOMEWORK, LESSON_WORK, Mark, MarkingPolicy,
    };
    use lesenka_core::persist::seal;
    use lesenka_core::text::Name;

    let h = Harness::start_with(Options::default().with_window(1280, 800)).await?;
    let seeded = class_year(3, 2, 1, 5)?;
    let policy = MarkingPolicy::school_default();
    let student = seeded.class.students()[1].id;
    let mut book = Gradebook::new(seeded.class.id);
    let day = |d| chrono::NaiveDate::from_ymd_opt(2026, 9, d).context("date");
    for (n, work, date, value) in [
        (1, LESSON_WORK, day(20)?, "5"),
        (2, CONTROL_WORK, day(10)?, "3"),
        (3, HOMEWORK, day(15)?, "4"),
    ] {
        let mark = Mark {
            id: MarkId::from_u128(n),
            student,
            work_type: work,
            date,
            value: Name::parse(value)?,
            comment: None,
        };
        book.add(mark, &policy)?;
    }
    let backup = Backup {
        classes: vec![seeded.class.clone()],
        lessons: seeded.lessons.clone(),
        evidence: lesenka_core::evidence::Journal::from_records(seeded.records.clone()).0,
        gradebooks: vec![book.clone()],
        ..Backup::default()
    };
    let file = std::env::temp_dir().join(format!("lesenka-marks-{}.json", std::process::id()));
    std::fs::write(&file, seal(Kind::Backup, &backup))?;
    h.goto("/").await?;
    lesenka_tests::flows::app_ready(&h).await?;
    h.goto("/data").await?;
    h.wait_for_testid("import-file").await?.send_keys(&file.display().to_string()).await?;
    h.wait_for_testid("import-result").await?;
    std::fs::remove_file(&file)?;

    h.goto(&format!("/classes/{}/students/{student}", seeded.class.id)).await?;
    h.wait_for_testid("student-average").await?;
    // Oldest first: the control work of 10 September, the homework, then the lesson's mark.
    let values = h
        .execute(
            "return [...document.querySelectorAll('[data-testid^=student-mark-] b')]\
             .map(b => b.textContent)",
        )
        .await?;
    assert_eq!(values, lesenka_tests::serde_json::json!(["3", "4", "5"]));
    let report = book.report(student, &policy, None)?;
    let average = report.average.context("an average")?;
    let value = average.value();
    let exact = if value.round_half_up(2) == value { value.exact_text() } else { value.decimal(2) };
    let want = lesenka_core::explain::number_text(exact, Lang::Ru);
    assert_eq!(text(&h, "student-average").await?, want);
    assert_eq!(
        text(&h, "student-term").await?,
        report.term.context("a term mark")?.mark.to_string()
    );
    // A student without marks is told so.
    let other = seeded.class.students()[0].id;
    h.goto(&format!("/classes/{}/students/{other}", seeded.class.id)).await?;
    h.wait_text_testid("student-report", "Отметок пока нет.").await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn the_teachers_own_run_sets_the_students_answers_against_the_teachers() -> Result<()> {
    use lesenka_tests::flows::{create_class, create_lesson, roster};
    let h = Harness::start_with(Options::default().with_window(1280, 800)).await?;
    create_class(&h, "6В", &roster(6)).await?;
    let path = create_lesson(&h, "Дроби", "Сравниваю дроби").await?;
    // The students: green, yellow, red, green, yellow, red.
    h.wait_for_testid("assessor-self").await?;
    run_traffic_light(&h, path.trim_start_matches("/lessons/")).await?;
    // The teacher's own assessment: yellow for everyone.
    h.click_testid("assessor-teacher").await?;
    h.click_testid("run-traffic-light-0").await?;
    tap_tiles(&h, |_| 2).await?;
    h.click_testid("close-technique").await?;
    h.wait_for_testid("saved-notice").await?;
    h.wait_for_testid("summary-estimates").await?;

    let records = exported_records(&h).await?;
    assert_eq!(records.len(), 12);
    let teachers = records.iter().filter(|r| r.source() == Source::Teacher).count();
    assert_eq!(teachers, 6, "the second run is the teacher's");
    // Green over yellow is one step over; red is one under (core's calibration, named).
    let shown = h
        .execute(
            "return ['summary-over', 'summary-under', 'summary-agreed']
                 .map(id => document.querySelector(`[data-testid=${id}]`).textContent.trim());",
        )
        .await?;
    // Core's estimates over the exported records, in core's order, named as the roster does.
    let backup_text = h.execute("return window.lesenkaBench.exportText()").await?;
    let backup: Backup = open(Kind::Backup, backup_text.as_str().context("export")?)?.value;
    let class = backup.classes.first().context("the class")?;
    let lesson = backup.lessons.first().context("the lesson")?;
    let summary = lesenka_core::summary::summarise(lesson, &backup.evidence);
    let estimates = &summary.first().context("a criterion")?.estimates;
    let named = |list: &[lesenka_core::summary::Estimate]| {
        let name = |e: &lesenka_core::summary::Estimate| {
            let s = class.students().iter().find(|s| s.id == e.student);
            format!("{} ({:+})", s.map(|s| s.display_name.to_string()).unwrap_or_default(), e.gap)
        };
        list.iter().map(name).collect::<Vec<_>>().join(", ")
    };
    assert_eq!((estimates.over.len(), estimates.under.len(), estimates.agreed), (2, 2, 2));
    let over: Vec<i32> = estimates.over.iter().map(|e| e.gap).collect();
    assert_eq!(over, [1, 1], "green against the teacher's yellow is one step over");
    assert_eq!(
        shown,
        lesenka_tests::serde_json::json!([
            format!("Оценили себя выше, чем учитель: {}", named(&estimates.over)),
            format!("Оценили себя ниже, чем учитель: {}", named(&estimates.under)),
            "Совпадений с оценкой учителя: 2",
        ])
    );
    // The distribution is the students' own: 2 green, 2 yellow, 2 red, not the teacher's yellows.
    let line = h.text_of_testid("summary-technique").await?;
    assert!(line.contains("— 2 · ") && !line.contains("— 8"), "{line}");
    h.close().await;
    Ok(())
}
