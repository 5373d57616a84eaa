//! Diagnostics in the browser: «Анкета Лускановой» for a class on the shared tablet at 768×1024
//! (several students pick their names and answer by large icons; the tablet returns to the name
//! list with no name or answer left), the teacher's screen reading the items aloud, and the
//! results — each student's band and the class distribution — equal to lesenka-core's scoring
//! of the same answers, kept across a reload; an anonymous satisfaction survey with a chart per
//! item equal to core's summary. axe on the new views; screenshots (tablet 768×1024, results
//! 1280×720). A stored sheet corrected and deleted on the teacher's screen through core's
//! `corrected`/`without_sheet` (the rows and bands equal core's, a refusal changes nothing, a
//! deletion asks first, a reload keeps both); in English the items and answers are core's
//! English wording on the teacher's screen and the tablet, as are a built-in survey's statements
//! and scale. Needs `cargo xtask dist` first;
//! testids in app/TESTIDS.md.

use std::path::PathBuf;

use anyhow::{Context, Result, ensure};
use lesenka_core::diagnostics::cohort::WaveSummary;
use lesenka_core::diagnostics::likert::{Audience, LikertSheet};
use lesenka_core::diagnostics::luskanova::luskanova_in;
use lesenka_core::diagnostics::run::{satisfaction_survey, survey_wording};
use lesenka_core::diagnostics::{AnswerSheet, DiagnosticRun, DiagnosticRunDraft, RunForm};
use lesenka_core::diagnostics::{MotivationLevel, luskanova};
use lesenka_core::ids::{DiagnosticRunId, StudentId};
use lesenka_core::plan::{GoalInputs, Indicator, measure};
use lesenka_core::roster::Class;
use lesenka_core::text::Lang;
use lesenka_tests::flows::{create_class, exported, roster, smallest_target, testids_starting};
use lesenka_tests::{Harness, Options};

fn shots() -> PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots")
}

/// Answers every item on the tablet, one tap per item, waiting for each next item.
async fn answer_all(h: &Harness, answers: &[usize]) -> Result<()> {
    let total = answers.len();
    for (i, a) in answers.iter().enumerate() {
        h.wait_text_testid("diag-item-number", &format!("Вопрос {} из {total}", i + 1)).await?;
        h.click_testid(&format!("diag-answer-{a}")).await?;
    }
    h.wait_for_testid("diag-thanks").await?;
    Ok(())
}

fn assert_axe_clean(axe: &lesenka_tests::serde_json::Value, view: &str) {
    let violations = lesenka_tests::axe_violations(axe);
    assert!(violations.is_empty(), "axe on {view}: {violations:#?}");
}

/// (name, total, band code) per row of the teacher's results table.
async fn result_rows(h: &Harness) -> Result<Vec<(String, u32, String)>> {
    h.wait_for_testid("diag-student-bands").await?;
    let rows = h
        .execute(
            "return [...document.querySelectorAll('[data-testid=diag-student-row]')]
                .map(r => [r.cells[0].innerText.trim(), r.cells[1].innerText.trim(), r.getAttribute('data-band')])",
        )
        .await?;
    let mut out = Vec::new();
    for r in rows.as_array().into_iter().flatten() {
        out.push((
            r[0].as_str().context("name")?.to_owned(),
            r[1].as_str().context("total")?.parse()?,
            r[2].as_str().context("band")?.to_owned(),
        ));
    }
    Ok(out)
}

async fn band_counts(h: &Harness) -> Result<Vec<u32>> {
    let mut out = Vec::new();
    for level in MotivationLevel::ALL {
        let id = format!("bar-count-{}", level.code());
        let text = h.text_of_testid(&id).await?;
        out.push(text.parse()?);
    }
    Ok(out)
}

#[tokio::test]
async fn luskanova_on_the_shared_tablet_gives_cores_bands() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(768, 1024)).await?;
    let names = roster(4);
    let class_path = create_class(&h, "2А", &names).await?;
    h.click_testid("open-diagnostics").await?;
    h.wait_for_testid("diagnostics-page").await?;
    h.click_testid("diag-start-luskanova").await?;
    h.wait_for_testid("diag-run-page").await?;
    let run_path = h.execute("return location.pathname").await?;
    let run_path = run_path.as_str().context("run path")?.to_owned();

    // The teacher's screen reads the items aloud, in core's wording.
    let q = luskanova();
    assert_eq!(h.text_of_testid("read-aloud-text").await?, q.items()[0].text.as_str());
    h.click_testid("read-aloud-next").await?;
    h.wait_text_testid("read-aloud-text", q.items()[1].text.as_str()).await?;

    // Four students, four answer patterns: all first options, all last, and two mixed.
    let sheets: Vec<Vec<usize>> = vec![
        vec![0; 10],
        vec![2; 10],
        vec![1, 2, 2, 0, 1, 1, 0, 2, 1, 0],
        vec![1, 0, 2, 1, 1, 0, 0, 1, 1, 2],
    ];
    h.click_testid("diag-open-tablet").await?;
    h.wait_for_testid("diag-tablet").await?;
    let picks = name_buttons(&h).await?;
    assert_eq!(picks.len(), 4);
    ensure!(smallest_target(&h, "[data-testid^=\"diag-pick-\"]").await? >= 44.0, "names < 44 px");
    for (k, answers) in sheets.iter().enumerate() {
        h.click_testid(&picks[k]).await?;
        h.wait_for_testid("diag-item-text").await?;
        assert_eq!(h.text_of_testid("diag-item-text").await?, q.items()[0].text.as_str());
        let options = h.execute("return document.querySelectorAll('.diag-answer').length").await?;
        assert_eq!(options.as_u64(), Some(3), "three answers per item, as in the form");
        ensure!(smallest_target(&h, ".diag-answer").await? >= 44.0, "answers < 44 px");
        if k == 0 {
            h.screenshot(shots().join("diagnostics-tablet-768x1024.png")).await?;
            assert_axe_clean(&h.axe("diagnostics-tablet").await?, "diagnostics-tablet");
        }
        answer_all(&h, answers).await?;
        let page = h.execute("return document.body.innerText").await?;
        let page = page.as_str().context("page text")?;
        for name in names.lines() {
            ensure!(!page.contains(name), "«{name}» is still on the tablet");
        }
        for level in MotivationLevel::ALL {
            ensure!(!page.contains(level.label_ru()), "a band is on the tablet");
        }
        h.click_testid("diag-next-student").await?;
        assert_eq!(name_buttons(&h).await?.len(), 4, "back to the name list");
    }

    // Core's scoring of the same answers.
    let expected: Vec<(String, u32, String)> = names
        .lines()
        .zip(&sheets)
        .map(|(name, a)| {
            let answers: Vec<Option<usize>> = a.iter().map(|x| Some(*x)).collect();
            let s = q.score(&answers).expect("a complete sheet");
            let level = MotivationLevel::from_band(s.band).expect("a band");
            (name.to_owned(), s.total, level.code().to_owned())
        })
        .collect();
    let mut counts = vec![0u32; 5];
    for (_, total, _) in &expected {
        counts[MotivationLevel::from_total(*total).expect("0..=30") as usize] += 1;
    }

    h.set_window_size(1280, 720).await?;
    h.goto(&run_path).await?;
    assert_eq!(result_rows(&h).await?, expected);
    assert_eq!(band_counts(&h).await?, counts);
    // A reload keeps them.
    h.reload().await?;
    h.goto(&run_path).await?;
    assert_eq!(result_rows(&h).await?, expected);
    assert_eq!(band_counts(&h).await?, counts);
    h.execute("document.querySelector('[data-testid=diag-results]').scrollIntoView()").await?;
    h.screenshot(shots().join("diagnostics-results-1280x720.png")).await?;
    assert_axe_clean(&h.axe("diagnostics-results").await?, "diagnostics-results");
    h.goto(&format!("{class_path}/diagnostics")).await?;
    h.wait_for_testid("diag-runs").await?;
    assert_axe_clean(&h.axe("diagnostics-list").await?, "diagnostics-list");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_satisfaction_survey_is_anonymous_with_a_chart_per_item() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(768, 1024)).await?;
    let names = roster(3);
    create_class(&h, "3Б", &names).await?;
    h.click_testid("open-diagnostics").await?;
    h.click_testid("diag-start-survey-students").await?;
    h.wait_for_testid("diag-run-page").await?;
    let run_path = h.execute("return location.pathname").await?;
    let run_path = run_path.as_str().context("run path")?.to_owned();
    h.click_testid("diag-open-tablet").await?;
    h.wait_for_testid("diag-survey-start").await?;
    let survey = satisfaction_survey(Audience::Students);
    let sheets: Vec<Vec<usize>> = vec![vec![2, 1, 2, 0], vec![2, 2, 1, 0], vec![0, 1, 2, 2]];
    for answers in &sheets {
        h.click_testid("diag-survey-start").await?;
        ensure!(h.count_testid("diag-names").await? == 0, "a survey asks no name");
        answer_all(&h, answers).await?;
        h.click_testid("diag-next-student").await?;
    }
    let summary = survey
        .summarise(
            &sheets
                .iter()
                .map(|a| LikertSheet { answers: a.iter().map(|x| Some(*x as u8)).collect() })
                .collect::<Vec<_>>(),
        )
        .context("core's summary")?;
    h.set_window_size(1280, 720).await?;
    h.reload().await?;
    h.goto(&run_path).await?;
    h.wait_for_testid("diag-likert-results").await?;
    assert_eq!(h.text_of_testid("likert-respondents").await?, "ответили: 3");
    for (i, item) in summary.items.iter().enumerate() {
        for (p, a) in item.answers.iter().enumerate() {
            let shown = h.text_of_testid(&format!("bar-count-{i}-{p}")).await?;
            assert_eq!(shown, a.count.to_string(), "item {i}, point {p}");
        }
    }
    let page = h.execute("return document.body.innerText").await?;
    for name in names.lines() {
        ensure!(!page.as_str().unwrap_or_default().contains(name), "a name on the survey");
    }
    h.screenshot(shots().join("diagnostics-survey-1280x720.png")).await?;
    assert_axe_clean(&h.axe("diagnostics-survey").await?, "diagnostics-survey");
    // In English the built-in statements and the scale read in core's English wording; the
    // counts stay.
    h.click_testid("lang-switch").await?;
    h.goto(&run_path).await?;
    h.wait_for_testid("diag-likert-results").await?;
    for (i, item) in survey.items().iter().enumerate() {
        let caption = h
            .execute(&format!(
                "return document.querySelector('[data-testid=\"likert-item-{i}\"] figcaption').textContent"
            ))
            .await?;
        assert_eq!(
            caption.as_str(),
            Some(survey_wording(item.text.as_str(), Lang::En)),
            "item {i}"
        );
        for (p, a) in summary.items[i].answers.iter().enumerate() {
            let shown = h.text_of_testid(&format!("bar-count-{i}-{p}")).await?;
            assert_eq!(shown, a.count.to_string(), "item {i}, point {p} in English");
        }
    }
    let page = h.execute("return document.body.innerText").await?;
    ensure!(page.as_str().unwrap_or_default().contains("fully satisfied"), "the scale in English");
    h.close().await;
    Ok(())
}

/// The band counts drawn inside the element with test id `wrapper`, lowest band first.
async fn counts_in(h: &Harness, wrapper: &str) -> Result<Vec<u32>> {
    let codes: Vec<&str> = MotivationLevel::ALL.iter().map(|l| l.code()).collect();
    let shown = h
        .execute_with(
            "return arguments[1].map(c => {
                 const el = document.querySelector(`[data-testid=${arguments[0]}] [data-testid=bar-count-${c}]`);
                 return el ? Number(el.textContent.trim()) : -1; })",
            vec![wrapper.into(), lesenka_tests::serde_json::json!(codes)],
        )
        .await?;
    Ok(shown
        .as_array()
        .into_iter()
        .flatten()
        .map(|v| u32::try_from(v.as_i64().unwrap_or(-1)).unwrap_or(u32::MAX))
        .collect())
}

fn wave_counts(w: &WaveSummary) -> Vec<u32> {
    w.bands.iter().map(|b| b.count).collect()
}

/// Gives the Лусканова form to the class on the page's date, every student answering.
async fn give_luskanova(
    h: &Harness,
    class_path: &str,
    date: &str,
    sheets: &[Vec<usize>],
) -> Result<()> {
    h.goto(&format!("{class_path}/diagnostics")).await?;
    h.fill_testid("diag-date", date).await?;
    h.click_testid("diag-start-luskanova").await?;
    h.click_testid("diag-open-tablet").await?;
    let picks = name_buttons(h).await?;
    for (pick, answers) in picks.iter().zip(sheets) {
        h.click_testid(pick).await?;
        answer_all(h, answers).await?;
        h.click_testid("diag-next-student").await?;
        name_buttons(h).await?;
    }
    Ok(())
}

#[tokio::test]
async fn september_and_may_are_compared_by_core_on_the_class_and_community_pages() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(1280, 720)).await?;
    let names = roster(3);
    let class_path = create_class(&h, "1В", &names).await?;
    let today = h
        .execute("const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()]")
        .await?;
    let part = |i: usize| today[i].as_i64().unwrap_or(0);
    let today = chrono::NaiveDate::from_ymd_opt(part(0) as i32, part(1) as u32, part(2) as u32)
        .context("the browser's date")?;
    let year = lesenka_core::plan::current_year(today).context("school year")?;
    let september: Vec<Vec<usize>> = vec![vec![2; 10], vec![1; 10], vec![0; 10]];
    let may: Vec<Vec<usize>> =
        vec![vec![1, 2, 2, 0, 1, 1, 0, 2, 1, 0], vec![1; 10], vec![2, 0, 1, 2, 0, 2, 2, 1, 2, 2]];
    give_luskanova(&h, &class_path, &format!("{}-09-15", year.start()), &september).await?;
    give_luskanova(&h, &class_path, &format!("{}-05-14", year.end()), &may).await?;

    // Core's comparison of the same answers (students in roster order, as on the tablet).
    let class = {
        let text = h.execute("return window.lesenkaBench.exportText()").await?;
        let backup: lesenka_core::persist::backup::Backup = lesenka_core::persist::open(
            lesenka_core::persist::Kind::Backup,
            text.as_str().context("export")?,
        )?
        .value;
        backup.classes.into_iter().next().context("the class")?
    };
    let sheets = |all: &[Vec<usize>]| -> Vec<AnswerSheet> {
        class
            .students()
            .iter()
            .zip(all)
            .map(|(s, a)| AnswerSheet {
                respondent: s.id,
                answers: a.iter().map(|x| Some(*x)).collect(),
            })
            .collect()
    };
    let core =
        lesenka_core::diagnostics::compare_waves(&luskanova(), &sheets(&september), &sheets(&may))?;
    h.goto(&format!("{class_path}/diagnostics")).await?;
    h.wait_for_testid("diag-september-may").await?;
    assert_eq!(counts_in(&h, "diag-wave-start").await?, wave_counts(&core.start));
    assert_eq!(counts_in(&h, "diag-wave-end").await?, wave_counts(&core.end));
    let p = &core.paired;
    let mut said = format!(
        "Ответили оба раза: {}; перешли в более высокую группу: {}, в более низкую: {}, остались: {}.",
        p.pairs, p.moved_up, p.moved_down, p.stayed
    );
    if let Some(m) = p.mean_change {
        said.push_str(&format!(
            " Средний сдвиг балла: {}.",
            lesenka_core::explain::hundredths(m, true, lesenka_core::text::Lang::Ru)
        ));
    }
    assert_eq!(h.text_of_testid("diag-paired").await?, said);
    h.screenshot(shots().join("diagnostics-september-may-1280x720.png")).await?;
    assert_axe_clean(&h.axe("diagnostics-september-may").await?, "diagnostics-september-may");

    // The ПОС page of this year's plan: the community's waves and core's indicator.
    let plan = format!(
        "План работы ПОС на {}-{} учебный год\n№\tМероприятия\tСроки\tОтветственный\n\
         1\tСеминар «Критерии оценивания»\tСентябрь\tИванова И.И.\n\
         2\tДиагностика мотивации\tМай\tПетрова П.П.\n",
        year.start(),
        year.end()
    );
    h.goto("/pos/import").await?;
    h.fill_testid("plan-paste", &plan).await?;
    h.wait_for_testid("plan-accept").await?;
    h.click_testid("plan-accept").await?;
    h.wait_for_testid("pos-diagnostics").await?;
    let community =
        lesenka_core::diagnostics::compare_waves(&luskanova(), &sheets(&september), &sheets(&may))?;
    assert_eq!(counts_in(&h, "pos-diagnostics").await?, wave_counts(&community.start));
    let snapshots = vec![
        lesenka_core::plan::BandSnapshot {
            taken_on: chrono::NaiveDate::from_ymd_opt(year.start(), 9, 15).context("date")?,
            bands: community.start.bands.iter().rev().map(|b| (b.code.clone(), b.count)).collect(),
        },
        lesenka_core::plan::BandSnapshot {
            taken_on: chrono::NaiveDate::from_ymd_opt(year.end(), 5, 14).context("date")?,
            bands: community.end.bands.iter().rev().map(|b| (b.code.clone(), b.count)).collect(),
        },
    ];
    let inputs = GoalInputs {
        year,
        as_of: today,
        evidence: &[],
        events: &[],
        members: &[],
        protocols: &[],
        practices: &[],
        diagnostics: &snapshots,
        satisfaction_responses: 0,
    };
    let m = measure(&Indicator::DiagnosticsAtStartAndEnd, &inputs);
    assert_eq!(
        h.text_of_testid("pos-diag-indicator").await?,
        format!("Диагностика в начале и в конце года: {} из {}", m.current, m.target)
    );
    assert_eq!(h.attr_of_testid("pos-diag-indicator", "data-met").await?, Some(m.met.to_string()));
    h.execute("document.querySelector('[data-testid=pos-diagnostics]').scrollIntoView()").await?;
    h.screenshot(shots().join("pos-diagnostics-1280x720.png")).await?;
    assert_axe_clean(&h.axe("pos-diagnostics").await?, "pos-diagnostics");
    h.close().await;
    Ok(())
}

/// Sets a `<select>` by test id, as a person choosing an option does.
async fn choose(h: &Harness, id: &str, value: &str) -> Result<()> {
    h.execute_with(
        "const el = document.querySelector(arguments[0]); el.value = arguments[1];
         el.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![lesenka_tests::testid(id).into(), value.into()],
    )
    .await?;
    Ok(())
}

/// Clicks the button `testid` in the results row of `student`.
async fn row_button(h: &Harness, student: StudentId, testid: &str) -> Result<()> {
    h.execute_with(
        "document.querySelector(`[data-testid=diag-student-row][data-student=\"${arguments[0]}\"] [data-testid=${arguments[1]}]`).click();",
        vec![student.to_string().into(), testid.into()],
    )
    .await?;
    Ok(())
}

/// Core's rows of the teacher's table for `run`'s sheets: (name, total, band code), roster order.
fn core_rows(class: &Class, run: &DiagnosticRun) -> Vec<(String, u32, String)> {
    let scores = run.student_scores();
    class
        .students()
        .iter()
        .filter_map(|s| {
            let score = scores.iter().find(|x| x.respondent == s.id)?;
            Some((s.display_name.to_string(), score.total, score.level.code().to_owned()))
        })
        .collect()
}

#[tokio::test]
async fn a_stored_sheet_is_corrected_and_deleted_through_core() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(1280, 900)).await?;
    h.goto("/").await?;
    lesenka_tests::flows::app_ready(&h).await?;
    let seeded = lesenka_tests::seed::class_year(4, 0, 1, 3)?;
    let class = seeded.class.clone();
    let kids: Vec<StudentId> = class.students().iter().map(|s| s.id).collect();
    let patterns: [[usize; 10]; 4] = [
        [0; 10],
        [1, 2, 2, 0, 1, 1, 0, 2, 1, 0],
        [2, 0, 1, 2, 0, 2, 2, 1, 2, 2],
        [1, 2, 2, 0, 1, 0, 1, 0, 0, 1],
    ];
    let sheets: Vec<AnswerSheet> = kids
        .iter()
        .zip(&patterns)
        .map(|(k, p)| AnswerSheet { respondent: *k, answers: p.iter().map(|a| Some(*a)).collect() })
        .collect();
    let stored = DiagnosticRun::new(DiagnosticRunDraft {
        id: DiagnosticRunId::from_u128(0xD1A6_5EED),
        class: class.id,
        date: chrono::NaiveDate::from_ymd_opt(2026, 9, 14).context("date")?,
        form: RunForm::Luskanova { sheets },
    })?;
    let backup = lesenka_core::persist::backup::Backup {
        classes: vec![class.clone()],
        diagnostics: vec![stored.clone()],
        ..Default::default()
    };
    let file = std::env::temp_dir().join(format!("lesenka-diag-edit-{}.json", std::process::id()));
    std::fs::write(
        &file,
        lesenka_core::persist::seal(lesenka_core::persist::Kind::Backup, &backup),
    )?;
    h.goto("/data").await?;
    h.wait_for_testid("import-file").await?.send_keys(&file.display().to_string()).await?;
    h.wait_for_testid("import-result").await?;
    std::fs::remove_file(&file)?;
    let run_path = format!("/classes/{}/diagnostics/{}", class.id, stored.id());
    h.goto(&run_path).await?;
    assert_eq!(result_rows(&h).await?, core_rows(&class, &stored));

    // Correct the second student's sheet: item 1's answer from the pro-school one to neutral.
    let who = kids[1];
    row_button(&h, who, "diag-sheet-edit").await?;
    h.wait_for_testid("diag-sheet-editor").await?;
    let values = h
        .execute("return [...document.querySelectorAll('[data-testid^=diag-sheet-item-]')].map(s => s.value)")
        .await?;
    let wanted: Vec<String> = patterns[1].iter().map(|a| a.to_string()).collect();
    assert_eq!(values, lesenka_tests::serde_json::json!(wanted), "the stored answers");
    let q = luskanova();
    let first = h
        .execute("return [...document.querySelectorAll('[data-testid=diag-sheet-item-0] option')].map(o => o.textContent)")
        .await?;
    let mut options = vec!["— нет ответа —".to_owned()];
    options.extend(q.items()[0].options.iter().map(|o| o.text.to_string()));
    assert_eq!(first, lesenka_tests::serde_json::json!(options), "core's wording");
    h.execute("document.querySelector('[data-testid=diag-sheet-editor]').scrollIntoView()").await?;
    h.screenshot(shots().join("diagnostics-sheet-editor-1280x900.png")).await?;
    assert_axe_clean(&h.axe("diagnostics-sheet-editor").await?, "diagnostics-sheet-editor");
    choose(&h, "diag-sheet-item-0", "0").await?;
    h.click_testid("diag-sheet-save").await?;
    h.wait_text_testid("diag-sheet-outcome", "Исправления сохранены.").await?;
    let mut fixed = patterns[1].map(Some).to_vec();
    fixed[0] = Some(0);
    let corrected = stored.corrected(who, fixed.clone())?;
    assert_eq!(corrected.student_scores()[1].total, 28);
    assert_eq!(result_rows(&h).await?, core_rows(&class, &corrected));
    let dist = corrected.distribution().context("distribution")?;
    assert_eq!(band_counts(&h).await?, wave_counts(&dist));
    assert_eq!(exported(&h).await?.diagnostics, vec![corrected.clone()]);

    // An item left without an answer is refused in words; nothing stored changes.
    row_button(&h, who, "diag-sheet-edit").await?;
    h.wait_for_testid("diag-sheet-editor").await?;
    choose(&h, "diag-sheet-item-3", "").await?;
    h.click_testid("diag-sheet-save").await?;
    h.wait_text_testid("diag-sheet-outcome", "Нет ответа на вопрос 4.").await?;
    ensure!(h.count_testid("diag-sheet-editor").await? == 1, "the form stays open");
    assert_eq!(exported(&h).await?.diagnostics, vec![corrected.clone()]);
    h.click_testid("diag-sheet-cancel").await?;
    h.wait_gone_testid("diag-sheet-editor").await?;

    // Deleting asks first; «Отмена» keeps the sheet.
    let gone = kids[2];
    row_button(&h, gone, "diag-sheet-delete").await?;
    h.wait_for_testid("diag-sheet-confirm").await?;
    let name = &class.students()[2].display_name;
    ensure!(h.text_of_testid("diag-sheet-confirm").await?.contains(name.as_str()));
    h.execute("document.querySelector('[data-testid=diag-sheet-confirm]').scrollIntoView({block: 'center'})").await?;
    h.screenshot(shots().join("diagnostics-sheet-confirm-1280x900.png")).await?;
    assert_axe_clean(&h.axe("diagnostics-sheet-confirm").await?, "diagnostics-sheet-confirm");
    h.click_testid("diag-sheet-confirm-cancel").await?;
    h.wait_gone_testid("diag-sheet-confirm").await?;
    assert_eq!(exported(&h).await?.diagnostics, vec![corrected.clone()]);
    row_button(&h, gone, "diag-sheet-delete").await?;
    h.click_testid("diag-sheet-confirm-delete").await?;
    h.wait_text_testid("diag-sheet-outcome", "Анкета удалена.").await?;
    let after = corrected.without_sheet(gone)?;
    assert_eq!(result_rows(&h).await?, core_rows(&class, &after));
    assert_eq!(result_rows(&h).await?.len(), 3);
    let dist = after.distribution().context("distribution")?;
    assert_eq!(band_counts(&h).await?, wave_counts(&dist));

    // A reload keeps both changes, and the class's list counts three sheets.
    h.reload().await?;
    h.goto(&run_path).await?;
    assert_eq!(result_rows(&h).await?, core_rows(&class, &after));
    assert_eq!(band_counts(&h).await?, wave_counts(&dist));
    assert_eq!(exported(&h).await?.diagnostics, vec![after.clone()]);
    h.goto(&format!("/classes/{}/diagnostics", class.id)).await?;
    h.wait_for_testid("diag-runs").await?;
    ensure!(h.text_of_testid("diag-runs").await?.contains("заполнено: 3"));

    // In English the items and answers are core's English wording; the scores stay.
    h.click_testid("lang-switch").await?;
    h.goto(&run_path).await?;
    let en = luskanova_in(Lang::En);
    h.wait_text_testid("read-aloud-text", en.items()[0].text.as_str()).await?;
    assert_eq!(
        result_rows(&h).await?.iter().map(|r| r.1).collect::<Vec<_>>(),
        core_rows(&class, &after).iter().map(|r| r.1).collect::<Vec<_>>()
    );
    row_button(&h, who, "diag-sheet-edit").await?;
    h.wait_for_testid("diag-sheet-editor").await?;
    let first = h
        .execute("return [...document.querySelectorAll('[data-testid=diag-sheet-item-0] option')].slice(1).map(o => o.textContent)")
        .await?;
    let english: Vec<String> = en.items()[0].options.iter().map(|o| o.text.to_string()).collect();
    assert_eq!(first, lesenka_tests::serde_json::json!(english));
    assert_axe_clean(&h.axe("diagnostics-sheet-editor-en").await?, "diagnostics-sheet-editor-en");
    h.click_testid("diag-sheet-cancel").await?;
    // The tablet asks in English too.
    h.click_testid("diag-open-tablet").await?;
    let picks = name_buttons(&h).await?;
    h.click_testid(&picks[0]).await?;
    h.wait_text_testid("diag-item-text", en.items()[0].text.as_str()).await?;
    let labels = h
        .execute(
            "return [...document.querySelectorAll('.diag-answer span')].map(s => s.textContent)",
        )
        .await?;
    assert_eq!(labels, lesenka_tests::serde_json::json!(english));
    h.click_testid("diag-cancel").await?;
    name_buttons(&h).await?;
    ensure!(exported(&h).await?.diagnostics == vec![after], "giving up saves nothing");
    h.close().await;
    Ok(())
}

/// The test ids of the tablet's name buttons, in order.
async fn name_buttons(h: &Harness) -> Result<Vec<String>> {
    testids_starting(h, "diag-pick-").await
}
