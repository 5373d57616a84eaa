//! Techniques beyond светофор on the lesson page, through the one run screen: a 5-step ladder and
//! an exit ticket for a class of 30 in no-device mode, the counts on the projector equal to
//! core's `Tally` of the same answers; the exit ticket's help texts typed in for two students,
//! a refused answer shown in words, the texts shown on the projector only once revealed,
//! sorted, with no name or pseudonym in the projector's page; a reload keeps the records.
//! Needs `cargo xtask dist` first (or runs inside `cargo xtask test`); testids in
//! app/TESTIDS.md.

use anyhow::{Context, Result, ensure};
use lesenka_core::technique::{
    ExitAnswer, ExitTicket, LadderScale, Lang, Response, Tally, Technique,
};
use lesenka_tests::flows::{
    bar_counts, create_class, create_lesson, evidence_values, record_mix, roster, stored_students,
    tiles, viewport,
};
use lesenka_tests::serde_json::Value as Json;
use lesenka_tests::{Harness, Options};

/// The projector view's visible text and every attribute value in it.
const PROJECTOR_TEXT: &str = "
    const view = document.querySelector('[data-testid=\"projector-view\"]');
    const attrs = [...view.querySelectorAll('*')].flatMap(el => [...el.attributes].map(a => a.value));
    return view.innerText + '\\n' + attrs.join('\\n');";

/// Text in the projector view under 32 px (SVG text scaled to the screen).
const SMALL_TEXT: &str = "
    const view = document.querySelector('[data-testid=\"projector-view\"]');
    const small = [];
    for (const el of view.querySelectorAll('*')) {
        const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        const box = el.getBoundingClientRect();
        if (!own || (box.width === 0 && box.height === 0)) continue;
        let px = parseFloat(getComputedStyle(el).fontSize);
        if (el instanceof SVGElement && el.getScreenCTM) px *= el.getScreenCTM().a;
        if (px < 32) small.push(el.tagName + ' ' + px.toFixed(1) + ' ' + el.textContent.trim());
    }
    return small;";

#[tokio::test]
async fn a_five_step_ladder_for_30_shows_cores_tally_on_the_projector() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(1280, 720)).await?;
    let class_path = create_class(&h, "8А", &roster(30)).await?;
    create_lesson(&h, "Степени", "Возвожу в степень").await?;
    h.select_testid("choose-technique-0", "Лесенка успеха").await?;
    h.select_testid("choose-ladder-0", "5 ступенек: услышал и забыл … смогу научить другого")
        .await?;
    h.click_testid("run-technique-0").await?;
    h.wait_for_testid("ladder").await?;
    let mix = [("4", 20usize), ("2", 7), ("1", 3)];
    record_mix(&h, &mix).await?;
    // Core's tally of the same answers.
    let ladder = Technique::Ladder(LadderScale::preset(5, Lang::Ru)?);
    let answers: Vec<Response> = mix
        .iter()
        .flat_map(|(step, n)| std::iter::repeat_n(Response::Step(step.parse().unwrap_or(0)), *n))
        .collect();
    let tally = Tally::of(&ladder, &answers);
    let expected: Vec<String> = tally.options.iter().map(|o| o.count.to_string()).collect();
    let keys: Vec<&str> = tally.options.iter().map(|o| o.key.as_str()).collect();
    h.click_testid("projector-toggle").await?;
    h.wait_for_testid("projector-view").await?;
    viewport(&h, 1280, 720).await?;
    assert_eq!(bar_counts(&h, &keys).await?, expected);
    let legend = h.text_of_testid("scale-legend").await?;
    ensure!(legend.contains("5 — смогу научить другого"), "the class wording: {legend}");
    let small = h.execute(SMALL_TEXT).await?;
    ensure!(small.as_array().is_some_and(Vec::is_empty), "text under 32 px: {small}");
    h.click_testid("projector-exit").await?;
    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 30 записей").await?;
    let values = evidence_values(&h, &class_path).await?;
    let shown: Vec<usize> = ["1", "2", "3", "4", "5"]
        .iter()
        .map(|step| values.iter().filter(|v| v.as_str() == *step).count())
        .collect();
    let counted: Vec<usize> = tally.options.iter().map(|o| o.count as usize).collect();
    assert_eq!(shown, counted, "the stored steps after a reload");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn an_exit_ticket_for_30_in_no_device_mode_and_its_texts_revealed_without_names() -> Result<()>
{
    let h = Harness::start_with(Options::default().with_window(1280, 720)).await?;
    let class_path = create_class(&h, "8Б", &roster(30)).await?;
    create_lesson(&h, "Проценты", "Нахожу процент от числа").await?;
    h.select_testid("choose-technique-lesson-0", "Билет на выход").await?;
    h.click_testid("run-technique-lesson-0").await?;
    h.wait_for_testid("exit-ticket").await?;
    let tiles = tiles(&h).await?;
    assert_eq!(tiles.len(), 30);
    // 20 right and sure (4), 7 wrong and unsure (2), 3 right and unsure (1).
    h.click_testid("pick-exit-0-right").await?;
    h.click_testid("pick-exit-1-conf-4").await?;
    h.click_testid("set-rest").await?;
    h.click_testid("pick-exit-0-wrong").await?;
    h.click_testid("pick-exit-1-conf-2").await?;
    for tile in &tiles[..7] {
        tile.clone().click().await?;
    }
    h.click_testid("pick-exit-0-right").await?;
    h.click_testid("pick-exit-1-conf-1").await?;
    for tile in &tiles[7..10] {
        tile.clone().click().await?;
    }
    h.wait_text_testid("answered", "Ответили: 30 из 30").await?;

    // Two students' «мне нужна помощь с…» typed in from their paper tickets.
    h.click_testid("pick-form").await?;
    let typed = [("с процентами больше 100", false, 2u8), ("с дробями", true, 3)];
    for (i, (help, right, sure)) in typed.iter().enumerate() {
        tiles[i].clone().click().await?;
        h.wait_for_testid("answer-for").await?;
        h.click_testid(if *right { "answer-0-right" } else { "answer-0-wrong" }).await?;
        h.click_testid(&format!("answer-1-conf-{sure}")).await?;
        h.fill_testid("answer-text-2", help).await?;
        h.click_testid("answer-submit").await?;
        h.wait_gone_testid("answer-for").await?;
    }
    // An answer without its check and confidence is refused, in words, and nothing changes.
    tiles[12].clone().click().await?;
    h.fill_testid("answer-text-2", "со всем").await?;
    h.click_testid("answer-submit").await?;
    h.wait_text_testid("answer-error", "Ответ пустой: заполните все поля.").await?;

    // Core's tally of the same answers.
    let ticket = Technique::ExitTicket(ExitTicket::default_for(Lang::Ru));
    let answer = |right: bool, sure: u8, help: &str| {
        Response::ExitTicket(vec![
            ExitAnswer::Check(right),
            ExitAnswer::Confidence(sure),
            ExitAnswer::Text(help.to_owned()),
        ])
    };
    let mut answers: Vec<Response> = Vec::new();
    for (help, right, sure) in typed {
        answers.push(answer(right, sure, help));
    }
    answers.extend(std::iter::repeat_n(answer(false, 2, ""), 5));
    answers.extend(std::iter::repeat_n(answer(true, 1, ""), 3));
    answers.extend(std::iter::repeat_n(answer(true, 4, ""), 20));
    let tally = Tally::of(&ticket, &answers);
    let check = &tally.items[0];
    let sure = &tally.items[1];
    let mut expected = vec![check.correct.to_string(), check.incorrect.to_string()];
    expected.extend(sure.confidence.iter().map(u32::to_string));
    let keys = [
        "exit-0-right",
        "exit-0-wrong",
        "exit-1-conf-1",
        "exit-1-conf-2",
        "exit-1-conf-3",
        "exit-1-conf-4",
    ];
    assert_eq!(bar_counts(&h, &keys).await?, expected, "the teacher's chart");

    h.click_testid("projector-toggle").await?;
    h.wait_for_testid("projector-view").await?;
    viewport(&h, 1280, 720).await?;
    assert_eq!(bar_counts(&h, &keys).await?, expected, "the projector's chart");
    let small = h.execute(SMALL_TEXT).await?;
    ensure!(small.as_array().is_some_and(Vec::is_empty), "text under 32 px: {small}");
    h.wait_text_testid("answered", "Ответили: 30 из 30").await?;
    ensure!(
        !h.exists_testid("projector-texts").await?,
        "texts shown before the teacher reveals them"
    );
    h.click_testid("reveal-texts").await?;
    h.wait_for_testid("projector-texts").await?;
    let mut shown = Vec::new();
    for el in h.all_testid("projector-text").await? {
        shown.push(el.text().await?);
    }
    let mut written: Vec<String> = typed.iter().map(|(t, ..)| (*t).to_owned()).collect();
    written.sort();
    assert_eq!(shown, written, "the texts, sorted, not in roster order");
    let students = stored_students(&h).await?;
    ensure!(students.len() == 60, "30 names and 30 pseudonyms stored: {students:?}");
    let page = h.execute(PROJECTOR_TEXT).await?;
    let page = page.as_str().context("projector text")?;
    for student in &students {
        ensure!(!page.contains(student.as_str()), "«{student}» is on the projector");
    }
    let small = h.execute(SMALL_TEXT).await?;
    ensure!(small.as_array().is_some_and(Vec::is_empty), "text under 32 px: {small}");
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    h.screenshot(out.join("exit-ticket-projector-1280x720.png")).await?;
    h.click_testid("projector-exit").await?;
    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 30 записей").await?;

    let values = evidence_values(&h, &class_path).await?;
    assert_eq!(values.len(), 30);
    for (help, ..) in typed {
        ensure!(values.iter().any(|v| v.contains(help)), "«{help}» kept: {values:?}");
    }
    let errors = h.console_errors()?;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn an_unfinished_sentence_typed_in_and_revealed() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(1280, 720)).await?;
    create_class(&h, "8В", &roster(4)).await?;
    let lesson_path = create_lesson(&h, "Графики", "Строю график функции").await?;
    h.select_testid("choose-technique-lesson-0", "Незаконченное предложение").await?;
    h.fill_testid("stem-lesson-0", "Сегодня я понял, что…").await?;
    h.click_testid("run-technique-lesson-0").await?;
    h.wait_for_testid("unfinished-sentence").await?;
    let tiles = tiles(&h).await?;
    let sentences = ["график — это прямая", "наклон зависит от k"];
    for (tile, text) in tiles.iter().zip(sentences) {
        tile.clone().click().await?;
        h.fill_testid("answer-text-0", text).await?;
        h.click_testid("answer-submit").await?;
        h.wait_gone_testid("answer-for").await?;
    }
    // An empty sentence is refused by core, in words.
    tiles[2].clone().click().await?;
    h.click_testid("answer-submit").await?;
    h.wait_text_testid("answer-error", "Ответ пустой: заполните все поля.").await?;
    assert_eq!(tiles[0].attr("data-answered").await?.as_deref(), Some("true"));
    assert_eq!(tiles[2].attr("data-answered").await?.as_deref(), Some("false"));
    h.click_testid("projector-toggle").await?;
    h.wait_text_testid("answered", "Ответили: 2 из 4").await?;
    h.click_testid("reveal-texts").await?;
    let mut shown = Vec::new();
    for el in h.all_testid("projector-text").await? {
        shown.push(el.text().await?);
    }
    let mut expected: Vec<String> = sentences.iter().map(|s| (*s).to_owned()).collect();
    expected.sort();
    assert_eq!(shown, expected);
    h.click_testid("projector-exit").await?;
    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 2 записи").await?;
    h.reload().await?;
    h.goto(&lesson_path).await?;
    h.wait_text_testid("criterion-count-0", "2 записи").await?;
    h.close().await;
    Ok(())
}

/// Types each answer's fields for one student after another on the teacher's screen, checks that
/// a blank answer is refused in words, then reveals the texts on the projector: each group of
/// the answer's parts under its heading, the texts sorted, in the order `groups` gives.
async fn check_text_technique(
    technique: &str,
    answers: &[&[&str]],
    groups: &[(Option<&str>, Vec<String>)],
) -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(1280, 720)).await?;
    create_class(&h, "7Б", &roster(answers.len() + 1)).await?;
    let lesson_path = create_lesson(&h, "Дроби", "Сравниваю дроби").await?;
    h.select_testid("choose-technique-lesson-0", technique).await?;
    h.click_testid("run-technique-lesson-0").await?;
    let tiles = tiles(&h).await?;
    for (tile, fields) in tiles.iter().zip(answers) {
        tile.clone().click().await?;
        for (i, text) in fields.iter().enumerate() {
            h.fill_testid(&format!("answer-text-{i}"), text).await?;
        }
        h.click_testid("answer-submit").await?;
        h.wait_gone_testid("answer-for").await?;
    }
    tiles[answers.len()].clone().click().await?;
    h.click_testid("answer-submit").await?;
    h.wait_text_testid("answer-error", "Ответ пустой: заполните все поля.").await?;
    h.click_testid("projector-toggle").await?;
    h.click_testid("reveal-texts").await?;
    h.wait_for_testid("projector-texts").await?;
    let shown = h
        .execute(
            "return [...document.querySelectorAll('[data-testid=projector-text-group]')].map(g => ({
                heading: g.querySelector('h3')?.textContent ?? null,
                texts: [...g.querySelectorAll('[data-testid=projector-text]')].map(li => li.innerText),
            }));",
        )
        .await?;
    let expected: Vec<Json> = groups
        .iter()
        .map(|(heading, texts)| lesenka_tests::serde_json::json!({"heading": heading, "texts": texts}))
        .collect();
    ensure!(shown == Json::Array(expected), "{technique}: the projector shows {shown}");
    let page = h.execute("return document.body.innerText").await?;
    for name in stored_students(&h).await? {
        ensure!(!page.as_str().unwrap_or_default().contains(&name), "{name} on the projector");
    }
    h.click_testid("projector-exit").await?;
    h.click_testid("close-technique").await?;
    h.wait_for_testid("saved-notice").await?;
    h.reload().await?;
    h.goto(&lesson_path).await?;
    let records = format!("{} записи", answers.len());
    h.wait_text_testid("criterion-count-0", &records).await?;
    h.close().await;
    Ok(())
}

fn sorted(texts: &[&str]) -> Vec<String> {
    let mut texts: Vec<String> = texts.iter().map(|t| (*t).to_owned()).collect();
    texts.sort();
    texts
}

#[tokio::test]
async fn three_two_one_and_a_cinquain_typed_in_and_revealed_part_by_part() -> Result<()> {
    check_text_technique(
        "3-2-1",
        &[
            &[
                "сокращать",
                "сравнивать",
                "складывать",
                "египетские дроби",
                "проценты",
                "зачем знаменатель?",
            ],
            &[
                "делить",
                "умножать",
                "приводить",
                "старинные меры",
                "доли в музыке",
                "где это нужно?",
            ],
        ],
        &[
            (
                Some("Узнал"),
                sorted(&[
                    "сокращать",
                    "сравнивать",
                    "складывать",
                    "делить",
                    "умножать",
                    "приводить",
                ]),
            ),
            (
                Some("Интересно"),
                sorted(&["египетские дроби", "проценты", "старинные меры", "доли в музыке"]),
            ),
            (Some("Вопросы"), sorted(&["зачем знаменатель?", "где это нужно?"])),
        ],
    )
    .await?;
    let poem = [
        "Дробь",
        "простая, смешанная",
        "делится, сокращается, сравнивается",
        "часть целого числа",
        "доля",
    ];
    let other = [
        "Знаменатель",
        "общий, наименьший",
        "ищется, делит, объединяет",
        "без него не сложить",
        "делитель",
    ];
    let mut poems = vec![poem.join("\n"), other.join("\n")];
    poems.sort();
    check_text_technique("Синквейн", &[&poem, &other], &[(None, poems)]).await
}
