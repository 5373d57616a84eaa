//! The shared tablet at 768×1024 (and turned to landscape): the teacher sets a ladder with its
//! own student wording on the lesson page, each student picks their name and answers per
//! criterion in the student's words, the tablet returns to the list with no name left on screen,
//! «Моя лесенка» draws the student's own steps; peer feedback «две звезды и пожелание» with the
//! teacher's pairs is refused in words when too short (nothing saved) and saved about the
//! reviewed classmate when valid, naming its reviewer; a reload keeps everything. Needs `cargo xtask dist` first (or
//! runs inside `cargo xtask test`); testids in app/TESTIDS.md.

use anyhow::{Context, Result, ensure};
use lesenka_tests::flows::{
    create_class, create_lesson, evidence_values, exported, roster, smallest_target,
    testids_starting,
};
use lesenka_tests::{Harness, Options};

const LADDER: &str = "не освоил | я пока не умею\n\
                      освоил с помощью | я умею с подсказкой\n\
                      освоил | я умею сам";

#[tokio::test]
async fn a_shared_tablet_self_assessment_on_the_ladder_in_the_students_words() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(768, 1024)).await?;
    let names = roster(5);
    let class_path = create_class(&h, "4А", &names).await?;
    create_lesson(&h, "Умножение", "Умножаю на однозначное\nПроверяю делением").await?;
    h.select_testid("choose-technique-tablet-0", "Лесенка успеха").await?;
    h.select_testid("choose-ladder-tablet-0", "Своя лесенка").await?;
    h.fill_testid("ladder-custom-tablet-0", LADDER).await?;
    h.click_testid("run-technique-tablet-0").await?;
    h.wait_for_testid("student-lesson-page").await?;
    let tablet = h.execute("return location.pathname + location.search").await?;
    let tablet = tablet.as_str().context("tablet address")?.to_owned();

    let picks = name_buttons(&h).await?;
    assert_eq!(picks.len(), 5);
    ensure!(smallest_target(&h, "[data-testid^=\"pick-\"]").await? >= 44.0, "name buttons < 44 px");
    h.click_testid(&picks[0]).await?;
    h.wait_for_testid("self-0-1").await?;
    let step = h.text_of_testid("self-0-1").await?;
    ensure!(
        step.contains("я пока не умею") && !step.contains("не освоил"),
        "student wording: {step}"
    );
    ensure!(h.text_of_testid("self-1-3").await?.contains("я умею сам"));
    ensure!(smallest_target(&h, ".light-choice").await? >= 44.0, "step buttons < 44 px");
    h.click_testid("self-0-3").await?;
    h.click_testid("self-1-2").await?;
    assert_eq!(h.attr_of_testid("self-0-3", "aria-pressed").await?.as_deref(), Some("true"));
    h.click_testid("student-submit").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 2 записи").await?;
    let page = h.execute("return document.body.innerText").await?;
    let page = page.as_str().context("page text")?;
    for name in names.lines() {
        ensure!(!page.contains(name), "«{name}» is still on the tablet");
    }
    h.click_testid("student-next").await?;
    assert_eq!(name_buttons(&h).await?.len(), 5, "back to the name list");

    // The tablet turned to landscape: nothing wider than the screen.
    h.set_window_size(1024, 768).await?;
    h.click_testid(&picks[1]).await?;
    h.wait_for_testid("self-0-1").await?;
    let wide = h.execute("return document.documentElement.scrollWidth <= innerWidth").await?;
    ensure!(wide.as_bool() == Some(true), "the page scrolls sideways in landscape");
    h.click_testid("self-0-1").await?;
    h.click_testid("student-submit").await?;
    h.wait_for_testid("student-thanks").await?;
    h.set_window_size(768, 1024).await?;

    // A reload keeps the tablet's technique and the answers; «Моя лесенка» shows one's own steps.
    h.reload().await?;
    h.goto(&tablet).await?;
    let picks = name_buttons(&h).await?;
    h.click_testid(&picks[0]).await?;
    h.wait_for_testid("self-0-1").await?;
    h.click_testid("my-ladder").await?;
    h.wait_for_testid("ladder-history").await?;
    assert_eq!(h.attr_of_testid("ladder-history-0", "data-steps").await?.as_deref(), Some("3"));
    assert_eq!(h.attr_of_testid("ladder-history-1", "data-steps").await?.as_deref(), Some("2"));
    h.goto(&tablet).await?;
    let picks = name_buttons(&h).await?;
    h.click_testid(&picks[2]).await?;
    h.click_testid("my-ladder").await?;
    h.wait_for_testid("ladder-history-none").await?;

    let values = evidence_values(&h, &class_path).await?;
    let mut values = values;
    values.sort();
    assert_eq!(values, ["1", "2", "3"], "three steps kept");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn peer_feedback_is_refused_when_too_short_and_saved_about_the_peer_by_its_reviewer()
-> Result<()> {
    let h = Harness::start_with(Options::default().with_window(768, 1024)).await?;
    let names = roster(4);
    let class_path = create_class(&h, "4Б", &names).await?;
    create_lesson(&h, "Изложение", "Передаю главную мысль").await?;
    h.click_testid("peer-in-turn").await?;
    h.click_testid("peer-open-tablet").await?;
    h.wait_for_testid("student-lesson-page").await?;
    let picks = name_buttons(&h).await?;
    assert_eq!(picks.len(), 4);
    h.click_testid(&picks[0]).await?;
    let whom = h.text_of_testid("peer-whom").await?;
    let second = names.lines().nth(1).context("a second student")?;
    ensure!(whom.contains(second), "the first reviews the second: {whom}");
    h.fill_testid("answer-text-0", "ок").await?;
    h.fill_testid("answer-text-1", "крупный почерк").await?;
    h.fill_testid("answer-text-2", "добавь пример").await?;
    h.click_testid("answer-submit").await?;
    h.wait_text_testid(
        "answer-error",
        "Звезда 1: что получилось — слишком коротко: нужно хотя бы 3 символа.",
    )
    .await?;
    ensure!(!h.exists_testid("student-thanks").await?, "a refused review moved on");
    h.fill_testid("answer-text-0", "ясный план").await?;
    h.click_testid("answer-submit").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 1 запись").await?;

    let values = evidence_values(&h, &class_path).await?;
    assert_eq!(values, ["★ ясный план ★ крупный почерк — добавь пример"], "one review kept");
    let student = h
        .execute("return document.querySelector('[data-testid=\"evidence-row\"]').innerText")
        .await?;
    let row = student.as_str().context("row")?;
    ensure!(row.contains(second), "the review is about the peer: {row}");
    // It names who wrote it: the first student, the reviewer.
    let first = names.lines().next().context("a first student")?;
    h.wait_text_testid("evidence-author", &format!("отзыв написал(а): {first}")).await?;
    let backup = exported(&h).await?;
    let review = backup.evidence.iter().next().context("the review")?;
    let class = backup.classes.first().context("the class")?;
    let by =
        class.students().iter().find(|s| Some(s.id) == review.author()).context("an author")?;
    ensure!(by.display_name.to_string() == first, "stored author {}", by.display_name);
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn an_exit_ticket_on_the_shared_tablet_keeps_the_keyboard_for_text_only() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(768, 1024)).await?;
    let class_path = create_class(&h, "4В", &roster(3)).await?;
    create_lesson(&h, "Дроби", "Сравниваю дроби").await?;
    h.select_testid("choose-technique-tablet-0", "Билет на выход").await?;
    h.click_testid("run-technique-tablet-0").await?;
    let picks = name_buttons(&h).await?;
    h.click_testid(&picks[1]).await?;
    h.wait_for_testid("text-answer").await?;
    // The check and the confidence are buttons; only the help item is a text field.
    let fields = h
        .execute(
            "return document.querySelectorAll('.text-answer input, .text-answer textarea').length",
        )
        .await?;
    assert_eq!(fields.as_u64(), Some(1), "one text field");
    ensure!(smallest_target(&h, ".answer-choice").await? >= 44.0, "answer buttons < 44 px");
    // Without the confidence core refuses the ticket, in words, and nothing is saved.
    h.click_testid("answer-0-right").await?;
    h.click_testid("answer-submit").await?;
    h.wait_text_testid("answer-error", "Ответ пустой: заполните все поля.").await?;
    h.click_testid("answer-1-conf-3").await?;
    h.fill_testid("answer-text-2", "с общим знаменателем").await?;
    h.click_testid("answer-submit").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 1 запись").await?;
    let values = evidence_values(&h, &class_path).await?;
    assert_eq!(values, ["верно · уверенность 3/4 · с общим знаменателем"]);
    h.close().await;
    Ok(())
}

/// The test ids of the tablet's name buttons, in order.
async fn name_buttons(h: &Harness) -> Result<Vec<String>> {
    testids_starting(h, "pick-").await
}
