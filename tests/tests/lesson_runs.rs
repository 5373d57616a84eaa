//! Runs of every fixed-scale technique on a lesson page: no-device mode for a class of 30 (the
//! светофор's 20 / 7 / 3 in at most 15 taps, a 5-step лесенка успеха, the teacher's own ladder
//! with both wordings, кулак–пять and большой палец), the lesson's summary (teacher's screen
//! only), and the projector view at 1280×720 and 1920×1080: the chart on the first
//! screen, type of at least 32 px, and no student's name or pseudonym anywhere in the page.
//! Needs `cargo xtask dist` first (or runs inside `cargo xtask test`); testids in
//! app/TESTIDS.md.

use anyhow::{Context, Result, ensure};
use lesenka_tests::flows::{
    bar_counts, create_class, create_lesson, evidence_values, record_mix, roster, stored_students,
    tiles, viewport,
};
use lesenka_tests::serde_json::Value as Json;
use lesenka_tests::{Harness, Options};

fn count_starting(values: &[String], prefix: &str) -> usize {
    values.iter().filter(|v| v.starts_with(prefix)).count()
}

#[tokio::test]
async fn no_device_mode_records_20_green_7_yellow_3_red_in_at_most_15_taps() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "6А", &roster(30)).await?;
    let lesson_path = create_lesson(&h, "Дроби", "Сравниваю дроби").await?;
    h.click_testid("run-traffic-light-0").await?;
    let taps = record_mix(&h, &[("green", 20), ("yellow", 7), ("red", 3)]).await?;
    ensure!(taps <= 15, "{taps} taps for 20 / 7 / 3");
    assert_eq!(bar_counts(&h, &["green", "yellow", "red"]).await?, ["20", "7", "3"]);
    h.wait_text_testid("answered", "Ответили: 30 из 30").await?;
    h.wait_text_testid("all-answered", "Все отметились").await?;
    let tiles = tiles(&h).await?;
    assert_eq!(tiles[6].attr("data-light").await?.as_deref(), Some("yellow"));
    assert_eq!(tiles[9].attr("data-light").await?.as_deref(), Some("red"));
    assert_eq!(tiles[10].attr("data-light").await?.as_deref(), Some("green"));

    // Undo steps back the last tap only; «следующее по кругу» cycles again.
    h.click_testid("undo").await?;
    assert_eq!(tiles[9].attr("data-light").await?.as_deref(), Some("green"));
    h.click_testid("pick-cycle").await?;
    tiles[9].clone().click().await?;
    assert_eq!(tiles[9].attr("data-light").await?.as_deref(), Some("yellow"));
    tiles[9].clone().click().await?;
    assert_eq!(bar_counts(&h, &["green", "yellow", "red"]).await?, ["20", "7", "3"]);

    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 30 записей").await?;
    // The summary on the teacher's screen: the distribution, and who chose red, by name.
    let summary = h.text_of_testid("summary-0").await?;
    ensure!(
        summary.contains("Светофор: Зелёный — 20 · Жёлтый — 7 · Красный — 3"),
        "the distribution: {summary}"
    );
    let red = h.text_of_testid("summary-lowest").await?;
    ensure!(red.starts_with("«Красный»: "), "who chose red: {red}");
    for name in ["Петров Захар 8", "Сидоров Ирина 9", "Смирнов Кирилл 10"]
    {
        ensure!(red.contains(name), "{name} chose red: {red}");
    }
    ensure!(!red.contains("Иванов Анна 1,") && red.matches(", ").count() == 2, "only them: {red}");
    h.click_testid("projector-toggle").await?;
    h.wait_gone_testid("lesson-summary").await?;
    let text = h.execute("return document.body.innerText").await?;
    ensure!(
        !text.as_str().unwrap_or_default().contains("Петров Захар 8"),
        "a name on the projector"
    );
    h.click_testid("projector-toggle").await?;
    h.wait_for_testid("lesson-summary").await?;
    let values = evidence_values(&h, &class_path).await?;
    assert_eq!(values.len(), 30);
    assert_eq!(
        [
            count_starting(&values, "Зелёный"),
            count_starting(&values, "Жёлтый"),
            count_starting(&values, "Красный")
        ],
        [20, 7, 3]
    );
    h.goto(&lesson_path).await?;
    h.wait_text_testid("criterion-count-0", "30 записей").await?;
    let errors = h.console_errors()?;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_five_step_ladder_for_a_class_of_30_in_no_device_mode() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "6Б", &roster(30)).await?;
    let lesson_path =
        create_lesson(&h, "Проценты", "Нахожу процент от числа\nРешаю задачи").await?;
    h.select_testid("choose-technique-1", "Лесенка успеха").await?;
    h.select_testid("choose-ladder-1", "5 ступенек: услышал и забыл … смогу научить другого")
        .await?;
    h.click_testid("run-technique-1").await?;
    h.wait_for_testid("ladder").await?;
    let legend = h.text_of_testid("scale-legend").await?;
    for step in ["1 — услышал и забыл", "3 — увидел и запомнил", "5 — смогу научить другого"]
    {
        ensure!(legend.contains(step), "the legend names the steps: {legend}");
    }
    let taps = record_mix(&h, &[("4", 15), ("1", 2), ("2", 3), ("3", 6), ("5", 4)]).await?;
    ensure!(taps <= 21, "{taps} taps for a 5-step ladder");
    let steps = ["1", "2", "3", "4", "5"];
    assert_eq!(bar_counts(&h, &steps).await?, ["2", "3", "6", "15", "4"]);
    h.wait_text_testid("answered", "Ответили: 30 из 30").await?;
    // A tap in cycle mode moves a step up (4 → 5), then undo puts it back.
    h.click_testid("pick-cycle").await?;
    let tiles = tiles(&h).await?;
    assert_eq!(tiles[29].attr("data-light").await?.as_deref(), Some("4"));
    tiles[29].clone().click().await?;
    assert_eq!(tiles[29].attr("data-light").await?.as_deref(), Some("5"));
    h.click_testid("undo").await?;
    assert_eq!(bar_counts(&h, &steps).await?, ["2", "3", "6", "15", "4"]);
    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 30 записей").await?;

    let values = evidence_values(&h, &class_path).await?;
    let mut by_step = [0; 5];
    for v in &values {
        let step: usize = v.trim().parse().with_context(|| format!("a step: {v}"))?;
        by_step[step - 1] += 1;
    }
    assert_eq!(by_step, [2, 3, 6, 15, 4]);
    h.goto(&lesson_path).await?;
    h.wait_text_testid("criterion-count-1", "30 записей").await?;
    h.wait_text_testid("criterion-count-0", "0 записей").await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_teachers_own_ladder_shows_the_teacher_and_the_student_wording() -> Result<()> {
    let h = Harness::start().await?;
    create_class(&h, "6В", &roster(4)).await?;
    create_lesson(&h, "Глаголы", "Нахожу глагол").await?;
    h.select_testid("choose-technique-0", "Лесенка успеха").await?;
    h.select_testid("choose-ladder-0", "Своя лесенка").await?;
    h.fill_testid("ladder-custom-0", "не освоил | я пока не умею\nосвоил").await?;
    h.click_testid("run-technique-0").await?;
    h.wait_text_testid("technique-error-0", "Ступенек в лесенке: 2, а нужно от 3 до 10.").await?;
    ensure!(!h.exists_testid("ladder").await?, "a refused ladder does not start");
    h.fill_testid(
        "ladder-custom-0",
        "не освоил | я пока не умею\nосвоил с помощью | я умею с подсказкой\nосвоил | я умею сам",
    )
    .await?;
    h.click_testid("run-technique-0").await?;
    h.wait_for_testid("ladder").await?;
    ensure!(!h.exists_testid("technique-error-0").await?, "the error is gone");
    let legend = h.text_of_testid("scale-legend").await?;
    ensure!(legend.contains("2 — освоил с помощью"), "the teacher's wording: {legend}");
    record_mix(&h, &[("3", 3), ("1", 1)]).await?;
    h.click_testid("projector-toggle").await?;
    h.wait_for_testid("projector-view").await?;
    let shown = h.text_of_testid("scale-legend").await?;
    ensure!(shown.contains("2 — я умею с подсказкой"), "the student's wording: {shown}");
    ensure!(!shown.contains("освоил"), "no teacher's wording on the projector: {shown}");
    assert_eq!(bar_counts(&h, &["1", "2", "3"]).await?, ["1", "0", "3"]);
    h.click_testid("projector-exit").await?;
    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 4 записи").await?;
    h.close().await;
    Ok(())
}

/// Every text of the projector view smaller than 32 px on screen (SVG text scaled as drawn).
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

/// The chart's box, the viewport, and the projector view's box and content height: [left, top,
/// right, bottom, width, height, view top, view bottom, view scrollHeight].
const CHART_BOX: &str = "
    const view = document.querySelector('[data-testid=\"projector-view\"]');
    const r = view.querySelector('[data-testid=\"bar-chart\"]').getBoundingClientRect();
    const v = view.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom, innerWidth, innerHeight, v.top, v.bottom,
        view.scrollHeight];";

/// What the page shows and holds: its visible text and every attribute value.
const PAGE_TEXT: &str = "
    const attrs = [...document.querySelectorAll('*')]
        .flatMap(el => [...el.attributes].map(a => a.value));
    return document.body.innerText + '\\n' + attrs.join('\\n');";

#[tokio::test]
async fn the_projector_view_fits_the_first_screen_in_large_type_and_names_no_student() -> Result<()>
{
    let h = Harness::start_with(Options::default().with_window(1280, 720)).await?;
    create_class(&h, "7А", &roster(30)).await?;
    create_lesson(&h, "Дроби", "Складываю дроби с одинаковыми знаменателями").await?;
    h.click_testid("run-traffic-light-0").await?;
    record_mix(&h, &[("green", 20), ("yellow", 7), ("red", 3)]).await?;
    h.click_testid("projector-toggle").await?;
    h.wait_for_testid("projector-view").await?;
    assert_eq!(
        h.text_of_testid("projector-question").await?,
        "Складываю дроби с одинаковыми знаменателями"
    );
    assert_eq!(bar_counts(&h, &["green", "yellow", "red"]).await?, ["20", "7", "3"]);

    let students = stored_students(&h).await?;
    ensure!(students.len() == 60, "30 names and 30 pseudonyms stored: {students:?}");
    ensure!(!h.exists_testid("student-grid").await?, "tiles on the projector");

    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    for (width, height) in [(1280u32, 720u32), (1920, 1080)] {
        viewport(&h, width, height).await?;
        let b = h.execute(CHART_BOX).await?;
        let b: Vec<f64> = b.as_array().into_iter().flatten().filter_map(Json::as_f64).collect();
        let [left, top, right, bottom, vw, vh, view_top, view_bottom, view_height] = b[..] else {
            anyhow::bail!("chart box: {b:?}");
        };
        ensure!(
            left >= 0.0 && top >= 0.0 && right <= vw && bottom <= vh,
            "the chart [{left}, {top}, {right}, {bottom}] is not on the first screen {vw}×{vh}"
        );
        ensure!(right - left >= 400.0, "a chart of {} px is not large", right - left);
        ensure!(
            view_top == 0.0 && view_bottom == vh && view_height <= vh,
            "the projector view [{view_top}, {view_bottom}] holds {view_height} px in {vh}"
        );
        let small = h.execute(SMALL_TEXT).await?;
        ensure!(small.as_array().is_some_and(Vec::is_empty), "text under 32 px: {small}");
        let page = h.execute(PAGE_TEXT).await?;
        let page = page.as_str().context("page text")?;
        for student in &students {
            ensure!(!page.contains(student.as_str()), "«{student}» is in the projector's page");
        }
        h.screenshot(out.join(format!("projector-{width}x{height}.png"))).await?;
    }
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn thumbs_and_fist_to_five_run_the_same_way_and_the_summary_names_the_lowest() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "5Г", &roster(6)).await?;
    create_lesson(&h, "Площади", "Нахожу площадь прямоугольника").await?;
    h.select_testid("choose-technique-0", "Большой палец").await?;
    h.click_testid("run-technique-0").await?;
    h.wait_for_testid("thumbs").await?;
    let taps = record_mix(&h, &[("up", 3), ("down", 1), ("sideways", 2)]).await?;
    assert_eq!(taps, 7);
    assert_eq!(bar_counts(&h, &["up", "sideways", "down"]).await?, ["3", "2", "1"]);
    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 6 записей").await?;

    h.select_testid("choose-technique-0", "Кулак–пять").await?;
    h.click_testid("run-technique-0").await?;
    h.wait_for_testid("fist-to-five").await?;
    record_mix(&h, &[("3", 3), ("0", 2), ("5", 1)]).await?;
    let fingers = ["0", "1", "2", "3", "4", "5"];
    assert_eq!(bar_counts(&h, &fingers).await?, ["2", "0", "0", "3", "0", "1"]);
    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 6 записей").await?;

    let summary = h.text_of_testid("summary-0").await?;
    ensure!(
        summary.contains("Кулак–пять: 0 — 2 · 1 — 0 · 2 — 0 · 3 — 3 · 4 — 0 · 5 — 1"),
        "{summary}"
    );
    ensure!(
        summary.contains("Большой палец: палец вверх — 3 · палец в сторону — 2 · палец вниз — 1"),
        "{summary}"
    );
    ensure!(summary.contains("«палец вниз»: Иванов Анна 1"), "{summary}");
    ensure!(summary.contains("«0»: "), "{summary}");
    let values = evidence_values(&h, &class_path).await?;
    assert_eq!(values.len(), 12);
    assert_eq!(count_starting(&values, "палец вниз"), 1);
    h.close().await;
    Ok(())
}
