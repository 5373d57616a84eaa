//! Core's refusals as a teacher meets them, in the interface's language: a lesson with too many
//! criteria or too long a topic or criterion, a rubric whose points add up beyond what a score
//! holds, a grade maximum of 0 and term-mark thresholds out of order. In Russian no word of core's
//! English `Display` is left (no ASCII letter outside the teacher's own text); in English the
//! same refusals read in English. Needs `cargo xtask dist` first.

use anyhow::{Result, ensure};
use lesenka_tests::flows::{LevelRow, app_ready, create_class, fill_criterion};
use lesenka_tests::{Harness, Options};

/// Two levels, the higher worth more than a rubric score can hold twice over.
const HUGE: [LevelRow<'static>; 2] =
    [("нет", "Не приводит", "Я не привожу", "0"), ("да", "Приводит", "Я привожу", "4000000000")];
const SMALL: [LevelRow<'static>; 2] =
    [("нет", "Не приводит", "Я не привожу", "0"), ("да", "Приводит", "Я привожу", "1")];

/// Thirteen criteria, one per line (a lesson takes at most twelve).
fn thirteen_criteria() -> String {
    (1..=13).map(|i| format!("Критерий {i}")).collect::<Vec<_>>().join("\n")
}

/// Fails when `message` holds a Latin letter: a word of core's English would have one.
fn ensure_no_english(message: &str) -> Result<()> {
    ensure!(!message.chars().any(|c| c.is_ascii_alphabetic()), "English left in «{message}»");
    Ok(())
}

/// Fills the new-lesson form shown and saves; waits for `expected` as its error and returns it.
async fn refused_lesson(
    h: &Harness,
    topic: &str,
    criteria: &str,
    expected: &str,
) -> Result<String> {
    h.fill_testid("lesson-topic", topic).await?;
    h.fill_testid("lesson-criteria", criteria).await?;
    h.click_testid("save-lesson").await?;
    h.wait_text_testid("form-error", expected).await?;
    h.text_of_testid("form-error").await
}

/// A new rubric of two criteria whose top levels are worth 4 000 000 000 points each; the error.
async fn refused_rubric(h: &Harness) -> Result<String> {
    h.click_testid("nav-rubrics").await?;
    h.fill_testid("rubric-title", "Эссе").await?;
    fill_criterion(h, 0, "Аргументы", &HUGE).await?;
    h.click_testid("add-criterion").await?;
    fill_criterion(h, 1, "Факты", &HUGE).await?;
    h.click_testid("save-rubric").await?;
    h.text_of_testid("form-error").await
}

/// In the class's gradebook, a threshold for «4» above the one for «5»; the note shown.
async fn refused_thresholds(h: &Harness, class_path: &str, threshold: &str) -> Result<String> {
    h.goto(&format!("{class_path}/gradebook")).await?;
    h.fill_testid("policy-threshold-1", threshold).await?;
    h.click_testid("save-policy").await?;
    h.wait_for_testid("policy-note").await?;
    h.text_of_testid("policy-note").await
}

#[tokio::test]
async fn core_refusals_are_said_in_russian() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "5А", "Белова Анна").await?;

    h.click_testid("new-lesson").await?;
    let (long_topic, long_criterion) = ("я".repeat(501), "я".repeat(302));
    let cases = [
        ("Дроби", thirteen_criteria(), "в уроке 13 критериев, а можно не больше 12."),
        (
            long_topic.as_str(),
            "Складываю дроби".into(),
            "в теме урока 501 символ, а можно не больше 500.",
        ),
        (
            "Дроби",
            format!("Сокращаю дроби\n{long_criterion}"),
            "в критерии 2 — 302 символа, а можно не больше 300.",
        ),
    ];
    for (topic, criteria, reason) in cases {
        let expected = format!("Урок не создан: {reason}");
        ensure_no_english(&refused_lesson(&h, topic, &criteria, &expected).await?)?;
    }

    let error = refused_rubric(&h).await?;
    assert_eq!(error, "Не получилось: сумма наибольших баллов всех критериев больше 4294967295.");
    ensure_no_english(&error)?;

    // A rubric that is accepted, then a grade maximum of 0: core refuses to scale to it.
    h.click_testid("remove-criterion-1").await?;
    fill_criterion(&h, 0, "Аргументы", &SMALL).await?;
    h.click_testid("save-rubric").await?;
    h.wait_for_testid("rubric-name").await?;
    h.click_testid("assess-0-1").await?;
    h.wait_text_testid("score-s", "1").await?;
    h.fill_testid("grade-max", "0").await?;
    h.wait_until(
        "return document.querySelector('[data-testid=\"grade-of-max\"]').textContent.includes('Не получилось')",
    )
    .await?;
    let line = h.text_of_testid("grade-of-max").await?;
    let (_, message) = line.split_once("Не получилось").unwrap_or(("", &line));
    assert_eq!(message, ": максимум шкалы должен быть больше 0, а не 0.", "{line}");
    ensure_no_english(message)?;
    let errors = h.console_errors()?;
    ensure!(errors.is_empty(), "console errors: {errors:#?}");

    let note = refused_thresholds(&h, &class_path, "4,7").await?;
    assert_eq!(
        note,
        "Правила не сохранены: пороги должны идти по убыванию, а 4,7 стоит после 4,65."
    );
    ensure_no_english(&note)?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn the_same_refusals_are_said_in_english() -> Result<()> {
    // The app starts in Russian whatever the browser's language; the teacher switches.
    let h = Harness::start_with(Options::english()).await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    h.click_testid("lang-switch").await?;
    h.wait_text_testid("nav-rubrics", "Rubrics").await?;
    let class_path = create_class(&h, "5A", "Anna Belova").await?;

    h.click_testid("new-lesson").await?;
    let expected =
        "The lesson was not created: the lesson has 13 criteria; at most 12 are allowed.";
    refused_lesson(&h, "Fractions", &thirteen_criteria(), expected).await?;
    let error = refused_rubric(&h).await?;
    assert_eq!(
        error,
        "That did not work: the highest points of all criteria add up to more than 4294967295."
    );
    let note = refused_thresholds(&h, &class_path, "4.7").await?;
    assert_eq!(note, "The rules were not saved: thresholds must go down, but 4.7 follows 4.65.");
    h.close().await;
    Ok(())
}
