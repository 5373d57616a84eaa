//! The teacher's rubric and gradebook screens in headless Chromium: a rubric with two criteria,
//! assessing a student (S, S_min, S_max, both normalisations, the mark from the band table), an
//! edit after use making version 2 while the assessment keeps version 1, the gradebook's weighted
//! average with its calculation, term mark, what-if and the school's rules, a reload, an export
//! imported twice, the same in English, and damaged, newer or full storage. Needs
//! `cargo xtask dist` first. The testids are listed in app/TESTIDS.md.

use anyhow::{Context, Result, ensure};
use lesenka_tests::Harness;
use lesenka_tests::flows::{LevelRow, app_ready, create_class, fill_criterion, fill_storage};

/// Writes the app's export file and returns its path.
async fn export_to_file(h: &Harness, tag: &str) -> Result<std::path::PathBuf> {
    let export = h.execute("return window.lesenkaBench.exportText()").await?;
    let file = std::env::temp_dir().join(format!("lesenka-{tag}-{}.json", std::process::id()));
    std::fs::write(&file, export.as_str().context("export text")?)?;
    Ok(file)
}

/// Clears the storage, then imports `file` twice; returns the two marks lines of the results.
async fn import_twice(h: &Harness, file: &std::path::Path) -> Result<Vec<String>> {
    h.local_storage_clear().await?;
    h.goto("/").await?;
    h.reload().await?;
    h.wait_for_testid("no-classes").await?;
    let mut lines = Vec::new();
    for _ in 0..2 {
        h.goto("/data").await?;
        let input = h.wait_for_testid("import-file").await?;
        input.send_keys(&file.display().to_string()).await?;
        lines.push(h.text_of_testid("import-result-marks").await?);
    }
    Ok(lines)
}

const ARGUMENTS: [LevelRow<'static>; 3] = [
    ("нет", "Аргументов нет", "Я пока не привожу аргументов", "0"),
    ("один", "Один аргумент", "Я привожу один аргумент", "1"),
    ("два", "Два аргумента и больше", "Я привожу два аргумента", "2"),
];
const FACTS: [LevelRow<'static>; 3] = [
    ("ошибки", "Есть фактические ошибки", "Я ошибаюсь в фактах", "1"),
    ("верно", "Без ошибок", "Я не ошибаюсь в фактах", "2"),
    ("точно", "Без ошибок, с датами", "Я называю даты", "3"),
];

#[tokio::test]
async fn a_rubric_scores_a_student_and_an_edit_after_use_makes_version_2() -> Result<()> {
    let h = Harness::start().await?;
    create_class(&h, "6В", "Белова Анна\nГусев Олег").await?;
    h.click_testid("nav-rubrics").await?;
    h.wait_for_testid("no-rubrics").await?;

    // Bad input is refused with a message in Russian.
    h.click_testid("save-rubric").await?;
    h.wait_text_testid("form-error", "Введите название рубрики.").await?;
    h.fill_testid("rubric-title", "Эссе по истории").await?;
    fill_criterion(&h, 0, "Аргументы", &ARGUMENTS).await?;
    h.click_testid("add-criterion").await?;
    let mut facts = FACTS;
    facts[2].3 = "";
    fill_criterion(&h, 1, "Факты", &facts).await?;
    h.click_testid("save-rubric").await?;
    h.wait_text_testid("form-error", "Критерий 2, уровень 3: баллы — целое число от 0.").await?;
    h.fill_testid("level-1-2-points", "1").await?;
    h.click_testid("save-rubric").await?;
    h.wait_text_testid(
        "form-error",
        "Критерий 2, уровень 3: баллов должно быть больше, чем у уровня ниже.",
    )
    .await?;
    h.fill_testid("level-1-2-points", "3").await?;
    h.click_testid("save-rubric").await?;
    h.wait_text_testid("rubric-name", "Эссе по истории").await?;
    h.wait_text_testid("rubric-latest", "Последняя версия: 1").await?;
    let rubric_path =
        h.execute("return location.pathname").await?.as_str().context("path")?.to_owned();
    // Home counts it, also after a reload (once the stored rubrics are read).
    h.goto("/").await?;
    h.wait_text_testid("home-rubric-count", "1 рубрика").await?;
    h.reload().await?;
    h.wait_text_testid("home-rubric-count", "1 рубрика").await?;
    h.goto(&rubric_path).await?;

    // Points per level: Аргументы 0 / 1 / 2, Факты 1 / 2 / 3: S_min = 1, S_max = 5.
    // (levels, S, S/S_max·100, (S−S_min)/(S_max−S_min)·100, mark by <50/70/90 %)
    let cases = [
        ((0, 0), "1", "20", "0", "2"),
        ((1, 0), "2", "40", "25", "2"),
        ((1, 1), "3", "60", "50", "3"),
        ((2, 2), "5", "100", "100", "5"),
        ((2, 1), "4", "80", "75", "4"),
    ];
    for ((a, f), s, of_max, min_to_max, mark) in cases {
        h.click_testid(&format!("assess-0-{a}")).await?;
        h.click_testid(&format!("assess-1-{f}")).await?;
        h.wait_text_testid("score-s", s).await?;
        assert_eq!(h.text_of_testid("score-min").await?, "1");
        assert_eq!(h.text_of_testid("score-max").await?, "5");
        assert_eq!(h.text_of_testid("grade-of-max").await?, of_max, "levels {a}, {f}");
        assert_eq!(h.text_of_testid("grade-min-to-max").await?, min_to_max, "levels {a}, {f}");
        assert_eq!(h.text_of_testid("band-mark").await?, mark, "levels {a}, {f}");
    }
    // Core's explanation lines for the last choice.
    assert_eq!(h.text_of_testid("score-explain").await?, "S = 2 + 2 = 4 (мин. 1, макс. 5)");
    assert_eq!(h.text_of_testid("grade-of-max-explain").await?, "G = 4 / 5 · 100 = 80");
    assert_eq!(
        h.text_of_testid("grade-min-to-max-explain").await?,
        "G = (4 − 1) / (5 − 1) · 100 = 75"
    );
    let band = h.text_of_testid("band-explain").await?;
    assert!(band.contains("80") && band.ends_with("→ 4"), "band explanation: {band}");
    // A bad G_max is named, not computed.
    h.fill_testid("grade-max", "ноль").await?;
    h.wait_text_testid("grade-error", "G_max — число больше 0, например 100 или 10.").await?;
    h.fill_testid("grade-max", "10").await?;
    h.wait_text_testid("grade-of-max", "8").await?;

    h.click_testid("save-assessment").await?;
    h.wait_text_testid("assessment-note", "Оценка сохранена (версия 1).").await?;
    let row = h.text_of_testid("assessment-row").await?;
    assert!(row.contains("Белова Анна"), "{row}");
    assert!(row.contains("версия 1 · S = 4 из 5, отметка «4»"), "{row}");

    // Editing the used version makes version 2; the assessment keeps version 1.
    h.fill_testid("level-1-2-points", "4").await?;
    h.click_testid("save-edit").await?;
    h.wait_text_testid(
        "edit-note",
        "Версия 1 уже использована в оценивании и не меняется: создана версия 2.",
    )
    .await?;
    h.wait_text_testid("rubric-latest", "Последняя версия: 2").await?;
    assert!(h.text_of_testid("rubric-version-1").await?.contains("использована"));
    assert!(h.text_of_testid("rubric-version-2").await?.contains("баллы 1–6"));
    let row = h.text_of_testid("assessment-row").await?;
    assert!(row.contains("версия 1 · S = 4 из 5, отметка «4»"), "{row}");
    assert_eq!(h.attr_of_testid("assessment-row", "data-version").await?.as_deref(), Some("1"));
    // Version 2 is unused, so another edit changes it in place.
    h.fill_testid("criterion-1-title", "Факты и даты").await?;
    h.click_testid("save-edit").await?;
    h.wait_text_testid(
        "edit-note",
        "Версия 2 ещё не использовалась в оценивании, поэтому изменена.",
    )
    .await?;
    assert_eq!(h.count_testid("rubric-version-3").await?, 0);

    // The assessment becomes a gradebook mark through the band table.
    h.select_testid("to-gradebook-work", "Контрольная работа").await?;
    h.click_testid("to-gradebook-0").await?;
    h.wait_text_testid("to-gradebook-note", "В журнал выставлена отметка «4»: Белова Анна.")
        .await?;
    // A second click does not put the same assessment into the gradebook twice.
    h.click_testid("to-gradebook-0").await?;
    h.wait_text_testid("to-gradebook-note", "Эта оценка уже выставлена в журнал: Белова Анна.")
        .await?;

    // Everything is still there after a reload.
    h.reload().await?;
    h.wait_text_testid("rubric-latest", "Последняя версия: 2").await?;
    assert_eq!(h.count_testid("assessment-row").await?, 1);
    assert_eq!(h.attr_of_testid("assessment-row", "data-version").await?.as_deref(), Some("1"));
    h.goto("/").await?;
    h.click_testid("class-link").await?;
    h.click_testid("open-gradebook").await?;
    h.wait_for_testid("gb-mark-0-0").await?;
    assert!(h.text_of_testid("gb-mark-0-0").await?.starts_with('4'));
    assert_eq!(h.count_testid("gb-mark-0-1").await?, 0, "one mark, not two");

    // Export, then import twice on an empty device: the second import adds nothing.
    let file = export_to_file(&h, "rubrics").await?;
    let lines = import_twice(&h, &file).await?;
    assert!(lines[0].contains("рубрик 1, оценок по рубрикам 1, отметок 1"), "first: {}", lines[0]);
    assert!(lines[1].contains("рубрик 0, оценок по рубрикам 0, отметок 0"), "second: {}", lines[1]);
    h.goto(&rubric_path).await?;
    h.wait_text_testid("rubric-latest", "Последняя версия: 2").await?;
    assert_eq!(h.count_testid("assessment-row").await?, 1);
    assert_eq!(h.count_testid("rubric-version-2").await?, 1);
    let _ = std::fs::remove_file(&file);
    let errors = h.console_errors()?;
    ensure!(errors.is_empty(), "console errors: {errors:#?}");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn the_gradebook_shows_the_weighted_average_with_its_calculation() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "7А", "Орлова Вера\nСеменов Илья").await?;
    h.click_testid("open-gradebook").await?;
    h.wait_text_testid("gradebook-title", "Журнал отметок: 7А").await?;
    let weights = h.text_of_testid("policy-weights").await?;
    assert!(weights.contains("Контрольная работа — 5"), "{weights}");

    // The domain check: 5 (урок, w3), 5 (д/з, w1), 4 (к/р, w5) → 40/9 ≈ 4,44.
    let marks = [("5", "Работа на уроке"), ("5", "Домашняя работа"), ("4", "Контрольная работа")];
    for (k, (value, work)) in marks.iter().enumerate() {
        h.select_testid("mark-value", value).await?;
        h.select_testid("mark-work", work).await?;
        h.click_testid("add-mark").await?;
        h.wait_for_testid(&format!("gb-mark-0-{k}")).await?;
    }
    h.wait_text_testid("gb-average-0", "4,44").await?;
    assert_eq!(
        h.text_of_testid("gb-explain-0").await?,
        "(5·3 + 5·1 + 4·5) / (3 + 1 + 5) = 40/9 ≈ 4,44"
    );
    assert_eq!(h.text_of_testid("gb-term-0").await?, "4");
    let rule = h.text_of_testid("gb-rule-0").await?;
    assert!(rule.contains("4,44 ≥ 3,65 → 4"), "{rule}");
    assert_eq!(h.text_of_testid("gb-average-1").await?, "—");

    // What-if to 4,65 (rounded half up: 4,645 counts), per work type.
    let target =
        h.execute("return document.querySelector('[data-testid=\"whatif-target\"]').value").await?;
    assert_eq!(target.as_str(), Some("4,65"));
    let what_if = [
        (
            "Контрольная работа",
            "Нужно ещё 2 отметки «5», чтобы средний балл стал не ниже 4,65: он станет 4,74.",
        ),
        (
            "Работа на уроке",
            "Нужно ещё 2 отметки «5», чтобы средний балл стал не ниже 4,65: он станет 4,67.",
        ),
        (
            "Домашняя работа",
            "Нужно ещё 6 отметок «5», чтобы средний балл стал не ниже 4,65: он станет 4,67.",
        ),
    ];
    for (work, answer) in what_if {
        h.select_testid("whatif-work", work).await?;
        h.wait_text_testid("whatif-answer", answer).await?;
    }
    h.fill_testid("whatif-target", "4,4").await?;
    h.wait_text_testid("whatif-answer", "Средний балл уже не ниже 4,4.").await?;
    h.fill_testid("whatif-target", "пять").await?;
    h.wait_text_testid("whatif-error", "Введите число, например 4,65.").await?;

    // The school's rules: a heavier homework changes the average; bad rules are refused.
    h.fill_testid("policy-weight-2", "2").await?;
    h.click_testid("save-policy").await?;
    h.wait_text_testid("policy-note", "Правила сохранены.").await?;
    // (5·3 + 5·2 + 4·5) / (3 + 2 + 5) = 4,5
    h.wait_text_testid("gb-average-0", "4,5").await?;
    h.fill_testid("policy-threshold-1", "4,7").await?;
    h.click_testid("save-policy").await?;
    h.wait_text_testid(
        "policy-note",
        "Правила не сохранены: пороги должны идти по убыванию, а 4,7 стоит после 4,65.",
    )
    .await?;
    h.fill_testid("policy-threshold-1", "3,65").await?;
    h.fill_testid("policy-weight-2", "0").await?;
    h.click_testid("save-policy").await?;
    h.wait_text_testid(
        "policy-note",
        "Вес «Домашняя работа» — число больше 0, например 3 или 1,5.",
    )
    .await?;
    assert_eq!(h.text_of_testid("gb-average-0").await?, "4,5");
    h.fill_testid("policy-weight-2", "1").await?;
    h.click_testid("save-policy").await?;
    h.wait_text_testid("policy-note", "Правила сохранены.").await?;
    h.wait_text_testid("gb-average-0", "4,44").await?;

    // Bad input keeps the gradebook as it was; a removed mark leaves the average.
    h.fill_testid("mark-date", "").await?;
    h.click_testid("add-mark").await?;
    h.wait_text_testid("form-error", "Укажите дату работы.").await?;
    assert_eq!(h.count_testid("gb-mark-0-3").await?, 0);
    h.fill_testid("mark-date", "2026-11-20").await?;
    h.select_testid("mark-value", "2").await?;
    h.click_testid("add-mark").await?;
    h.wait_for_testid("gb-mark-0-3").await?;
    // (40 + 2·5) / (9 + 5) = 50/14 ≈ 3,57
    h.wait_text_testid("gb-average-0", "3,57").await?;
    h.click_testid("remove-mark-0-3").await?;
    h.wait_text_testid("gb-average-0", "4,44").await?;

    // Projector mode: pseudonyms instead of names.
    assert_eq!(h.text_of_testid("gb-name-0").await?, "Орлова Вера");
    h.click_testid("projector-toggle").await?;
    h.wait_until("document.body.classList.contains('projector')").await?;
    h.wait_until(
        "!document.querySelector('[data-testid=\"gb-name-0\"]').textContent.includes('Орлова')",
    )
    .await
    .context("a real name on the projector")?;
    assert!(!h.text_of_testid("gb-name-0").await?.is_empty());
    h.click_testid("projector-toggle").await?;

    // A reload keeps the marks.
    h.reload().await?;
    h.wait_text_testid("gb-average-0", "4,44").await?;
    assert_eq!(h.count_testid("gb-mark-0-2").await?, 1);
    assert_eq!(h.count_testid("gb-mark-0-3").await?, 0);

    // Export, then import twice on an empty device: no duplicates.
    let file = export_to_file(&h, "gradebook").await?;
    let lines = import_twice(&h, &file).await?;
    assert!(lines[0].contains("отметок 3."), "first: {}", lines[0]);
    assert!(lines[1].contains("отметок 0. Уже были: 4."), "second: {}", lines[1]);
    h.goto(&format!("{class_path}/gradebook")).await?;
    h.wait_text_testid("gb-average-0", "4,44").await?;
    assert_eq!(h.count_testid("gb-mark-0-2").await?, 1);
    assert_eq!(h.count_testid("gb-mark-0-3").await?, 0);
    let _ = std::fs::remove_file(&file);
    let errors = h.console_errors()?;
    ensure!(errors.is_empty(), "console errors: {errors:#?}");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn in_english_numbers_take_a_decimal_point_and_plurals_change() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    h.click_testid("lang-switch").await?;
    h.wait_text_testid("nav-rubrics", "Rubrics").await?;
    create_class(&h, "8Б", "Зайцева Ольга").await?;
    h.click_testid("open-gradebook").await?;
    h.wait_text_testid("gradebook-title", "Gradebook: 8Б").await?;
    let marks = [("5", "Работа на уроке"), ("5", "Домашняя работа"), ("4", "Контрольная работа")];
    for (k, (value, work)) in marks.iter().enumerate() {
        h.select_testid("mark-value", value).await?;
        h.select_testid("mark-work", work).await?;
        h.click_testid("add-mark").await?;
        h.wait_for_testid(&format!("gb-mark-0-{k}")).await?;
    }
    h.wait_text_testid("gb-average-0", "4.44").await?;
    assert_eq!(
        h.text_of_testid("gb-explain-0").await?,
        "(5·3 + 5·1 + 4·5) / (3 + 1 + 5) = 40/9 ≈ 4.44"
    );
    let answers = [
        (
            "Контрольная работа",
            "With 2 marks «5» more, the average reaches at least 4.65: it becomes 4.74.",
        ),
        (
            "Домашняя работа",
            "With 6 marks «5» more, the average reaches at least 4.65: it becomes 4.67.",
        ),
    ];
    for (work, answer) in answers {
        h.select_testid("whatif-work", work).await?;
        h.wait_text_testid("whatif-answer", answer).await?;
    }
    // A lower target: (40 + 5·5) / (9 + 5) = 65/14 ≈ 4.64 reaches 4.5 (4.495 rounds up to it).
    h.fill_testid("whatif-target", "4.5").await?;
    h.select_testid("whatif-work", "Контрольная работа").await?;
    h.wait_text_testid(
        "whatif-answer",
        "With 1 mark «5» more, the average reaches at least 4.5: it becomes 4.64.",
    )
    .await?;
    h.fill_testid("mark-date", "").await?;
    h.click_testid("add-mark").await?;
    h.wait_text_testid("form-error", "Enter the date of the work.").await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn damaged_newer_or_full_storage_never_loses_rubrics_or_marks() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;

    // A damaged rubrics value is moved aside, and rubrics can still be made.
    let damaged = "{\"format\":\"lesenka\",\"version\":1,\"kind\":\"rubrics\",\"pay";
    h.local_storage_set("lesenka.rubrics", damaged).await?;
    h.reload().await?;
    let banner = h.text_of_testid("banner-quarantine").await?;
    assert!(banner.contains("lesenka.quarantine.lesenka.rubrics."), "{banner}");
    let keys = h.local_storage_keys().await?;
    let aside: Vec<&String> =
        keys.iter().filter(|k| k.starts_with("lesenka.quarantine.lesenka.rubrics.")).collect();
    assert_eq!(aside.len(), 1, "keys: {keys:?}");
    assert_eq!(h.local_storage_get(aside[0]).await?.as_deref(), Some(damaged));
    h.click_testid("nav-rubrics").await?;
    h.wait_for_testid("no-rubrics").await?;
    h.fill_testid("rubric-title", "Устный ответ").await?;
    fill_criterion(&h, 0, "Полнота", &ARGUMENTS).await?;
    h.click_testid("save-rubric").await?;
    h.wait_text_testid("rubric-latest", "Последняя версия: 1").await?;

    // A full storage: the new mark stays in memory, the banner offers an export, and what was
    // saved before is intact after a reload.
    let class_path = create_class(&h, "9Г", "Яковлева Ирина").await?;
    let book_path = format!("{class_path}/gradebook");
    h.goto(&book_path).await?;
    h.click_testid("add-mark").await?;
    h.wait_for_testid("gb-mark-0-0").await?;
    fill_storage(&h).await?;
    h.select_testid("mark-value", "3").await?;
    h.fill_testid("mark-comment", "устный ответ у доски").await?;
    h.click_testid("add-mark").await?;
    h.wait_for_testid("gb-mark-0-1").await?;
    let banner = h.text_of_testid("banner-quota").await?;
    assert!(banner.contains("последние изменения пока только в памяти"), "{banner}");
    assert!(h.exists_testid("export-button").await?, "an export is offered");
    // Said in the teacher's language, not the browser's error name.
    let error = h.text_of_testid("form-error").await?;
    assert!(error.contains("хранилище браузера переполнено"), "{error}");
    assert!(!error.contains("QuotaExceededError"), "{error}");
    let export = h.execute("return window.lesenkaBench.exportText()").await?;
    let export = export.as_str().context("export text")?;
    assert!(export.contains("устный ответ у доски"), "the unsaved mark is exported");
    h.reload().await?;
    h.goto(&book_path).await?;
    h.wait_for_testid("gb-mark-0-0").await?;
    assert_eq!(h.count_testid("gb-mark-0-1").await?, 0);
    h.execute("Object.keys(localStorage).filter(k => k.startsWith('junk.')).forEach(k => localStorage.removeItem(k));")
        .await?;

    // Gradebooks written by a newer version: read-only, never overwritten.
    let newer = "{\"format\":\"lesenka\",\"version\":99,\"kind\":\"gradebook\",\"payload\":[]}";
    h.local_storage_set("lesenka.gradebooks", newer).await?;
    h.reload().await?;
    h.wait_for_testid("banner-read-only").await?;
    h.goto(&book_path).await?;
    h.click_testid("add-mark").await?;
    h.wait_for_testid("form-error").await?;
    assert_eq!(h.count_testid("gb-mark-0-0").await?, 0);
    assert_eq!(h.local_storage_get("lesenka.gradebooks").await?.as_deref(), Some(newer));
    h.close().await;
    Ok(())
}

/// Creates class `name` with two students and opens its gradebook; the gradebook's path.
async fn open_gradebook(h: &Harness, name: &str) -> Result<String> {
    create_class(h, name, "Орлова Вера\nСеменов Илья").await?;
    h.click_testid("open-gradebook").await?;
    h.wait_text_testid("gradebook-title", &format!("Журнал отметок: {name}")).await?;
    let path = h.execute("return location.pathname").await?;
    Ok(path.as_str().context("path")?.to_owned())
}

/// Gives `student` the mark `value` (work type and date as the form has them).
async fn add_mark(h: &Harness, student: &str, value: &str) -> Result<()> {
    h.select_testid("mark-student", student).await?;
    h.select_testid("mark-value", value).await?;
    h.click_testid("add-mark").await
}

#[tokio::test]
async fn two_tabs_marking_one_class_keep_each_others_marks() -> Result<()> {
    let h = Harness::start().await?;
    let book_path = open_gradebook(&h, "7А").await?;
    let first = h.client().window().await?;
    let second = h.client().new_window(true).await?.handle;

    // Tab 1 gives the first mark, so the class's gradebook now exists in both tabs.
    add_mark(&h, "Орлова Вера", "5").await?;
    h.wait_for_testid("gb-mark-0-0").await?;
    // Tab 2, opened on the same gradebook, marks the other student.
    h.client().switch_to_window(second.clone()).await?;
    h.goto(&book_path).await?;
    h.wait_for_testid("gb-mark-0-0").await?;
    add_mark(&h, "Семенов Илья", "3").await?;
    h.wait_for_testid("gb-mark-1-0").await?;
    // Back in tab 1, without a reload: its copy of the gradebook is refreshed, so a second mark
    // there keeps tab 2's.
    h.client().switch_to_window(first).await?;
    h.wait_for_testid("gb-mark-1-0").await?;
    add_mark(&h, "Орлова Вера", "4").await?;
    h.wait_for_testid("gb-mark-0-1").await?;
    for window in [None, Some(second)] {
        if let Some(w) = window {
            h.client().switch_to_window(w).await?;
        }
        h.reload().await?;
        h.goto(&book_path).await?;
        for id in ["gb-mark-0-0", "gb-mark-0-1", "gb-mark-1-0"] {
            h.wait_for_testid(id).await?;
        }
        let mark = h.text_of_testid("gb-mark-1-0").await?;
        assert!(mark.starts_with('3'), "{mark}");
    }
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn the_first_mark_keeps_the_rules_another_tab_saved_meanwhile() -> Result<()> {
    let h = Harness::start().await?;
    let book_path = open_gradebook(&h, "7Б").await?;
    h.fill_testid("policy-weight-2", "2").await?;
    h.click_testid("save-policy").await?;
    h.wait_text_testid("policy-note", "Правила сохранены.").await?;
    let rules = h.local_storage_get("lesenka.policy").await?.context("rules saved")?;

    // This tab starts with no rules saved; then the rules appear in storage as another tab's
    // save would put them, before this tab hears of it (a write from this tab's own scripts
    // raises no `storage` event here).
    h.execute("localStorage.removeItem('lesenka.policy')").await?;
    h.reload().await?;
    h.goto(&book_path).await?;
    h.wait_for_testid("policy-weights").await?;
    assert!(h.text_of_testid("policy-weights").await?.contains("Домашняя работа — 1"));
    h.local_storage_set("lesenka.policy", &rules).await?;
    // The first mark saves the rules in force with it: the stored ones, not the defaults.
    add_mark(&h, "Орлова Вера", "5").await?;
    h.wait_for_testid("gb-mark-0-0").await?;
    h.wait_until(
        "return document.querySelector('[data-testid=\"policy-weights\"]').textContent.includes('Домашняя работа — 2')",
    )
    .await?;
    h.reload().await?;
    h.goto(&book_path).await?;
    h.wait_for_testid("gb-mark-0-0").await?;
    let weights = h.text_of_testid("policy-weights").await?;
    assert!(weights.contains("Домашняя работа — 2"), "{weights}");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn marks_two_tabs_add_to_one_gradebook_at_once_are_all_kept() -> Result<()> {
    let h = Harness::start().await?;
    let book_path = open_gradebook(&h, "7В").await?;
    add_mark(&h, "Орлова Вера", "5").await?;
    h.wait_for_testid("gb-mark-0-0").await?;
    add_mark(&h, "Семенов Илья", "3").await?;
    h.wait_for_testid("gb-mark-1-0").await?;
    let with_both = h.local_storage_get("lesenka.gradebooks").await?.context("gradebooks saved")?;
    h.click_testid("remove-mark-1-0").await?;
    h.wait_gone_testid("gb-mark-1-0").await?;

    // Another tab's save puts Семенов's mark back into storage, and this tab has not heard of it
    // yet (its own scripts' writes raise no `storage` event here) when it gives a mark of its own:
    // the two saves are merged mark by mark.
    h.local_storage_set("lesenka.gradebooks", &with_both).await?;
    add_mark(&h, "Орлова Вера", "4").await?;
    h.wait_for_testid("gb-mark-0-1").await?;
    h.wait_for_testid("gb-mark-1-0").await?;
    h.reload().await?;
    h.goto(&book_path).await?;
    for id in ["gb-mark-0-0", "gb-mark-0-1", "gb-mark-1-0"] {
        h.wait_for_testid(id).await?;
    }
    assert_eq!(h.count_testid("gb-mark-0-2").await?, 0);
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_rubric_changed_here_and_in_another_tab_at_once_is_named_in_the_banner() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/rubrics").await?;
    h.wait_for_testid("no-rubrics").await?;
    h.fill_testid("rubric-title", "Устный ответ").await?;
    fill_criterion(&h, 0, "Полнота", &ARGUMENTS).await?;
    h.click_testid("save-rubric").await?;
    h.wait_text_testid("rubric-latest", "Последняя версия: 1").await?;
    // Another tab renamed the rubric; its storage event has not reached this tab yet.
    h.execute(
        "const v = JSON.parse(localStorage.getItem('lesenka.rubrics'));
         v.payload[0].title = 'Устный ответ (кафедра)';
         localStorage.setItem('lesenka.rubrics', JSON.stringify(v));",
    )
    .await?;
    // This tab edits the same rubric: its version is kept, and the clash is named.
    h.fill_testid("level-0-2-points", "3").await?;
    h.click_testid("save-edit").await?;
    h.wait_for_testid("edit-note").await?;
    let banner = h.text_of_testid("banner-conflicts").await?;
    assert!(banner.contains("рубрика «Устный ответ»"), "{banner}");
    assert!(banner.contains("сохранён вариант этой вкладки"), "{banner}");
    let stored = h.local_storage_get("lesenka.rubrics").await?.context("stored")?;
    assert!(stored.contains("\"title\":\"Устный ответ\""), "this tab's version kept: {stored}");
    h.close().await;
    Ok(())
}
