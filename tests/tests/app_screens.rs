//! Screenshots of the main screens, for looking at the design (ignored by default):
//! `cargo test -p lesenka-tests --test app_screens -- --ignored`; PNGs go to target/screens/.

use anyhow::Result;
use lesenka_tests::fantoccini::Locator;
use lesenka_tests::{Harness, Options};

#[tokio::test]
#[ignore = "writes screenshots for a person to look at"]
async fn screens() -> Result<()> {
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screens");
    let h = Harness::start_with(Options::default().with_window(1280, 720)).await?;
    h.goto("/").await?;
    h.wait_for_testid("lang-switch").await?;
    h.screenshot(out.join("01-home-empty.png")).await?;
    h.click_testid("new-class").await?;
    h.fill_testid("class-name", "5А").await?;
    let names: Vec<String> = (1..=24).map(|i| format!("Ученик Номер {i}")).collect();
    h.fill_testid("roster", &format!("{}\n{}", names.join("\n"), "Ученик Номер 3")).await?;
    h.screenshot(out.join("02-new-class.png")).await?;
    h.click_testid("save-class").await?;
    h.wait_for_testid("class-title").await?;
    h.screenshot(out.join("03-class.png")).await?;
    h.click_testid("new-lesson").await?;
    h.fill_testid("lesson-topic", "Сложение дробей").await?;
    h.fill_testid("lesson-criteria", "Складываю дроби с одинаковыми знаменателями\nСокращаю ответ")
        .await?;
    h.screenshot(out.join("04-new-lesson.png")).await?;
    h.click_testid("save-lesson").await?;
    h.click_testid("run-traffic-light-0").await?;
    h.wait_for_testid("student-grid").await?;
    let tiles = h.client().find_all(Locator::Css("[data-testid^=\"tile-\"]")).await?;
    for (i, tile) in tiles.iter().enumerate().take(20) {
        for _ in 0..=(i % 3) {
            tile.clone().click().await?;
        }
    }
    h.screenshot(out.join("05-traffic-light.png")).await?;
    h.click_testid("projector-toggle").await?;
    h.wait_for_testid("projector-view").await?;
    h.screenshot(out.join("06-projector.png")).await?;
    h.click_testid("projector-exit").await?;
    h.click_testid("close-technique").await?;
    h.wait_for_testid("saved-notice").await?;
    h.screenshot(out.join("07-lesson-saved.png")).await?;
    let class = h.client().find(Locator::Css(".card p.muted a")).await?;
    class.click().await?;
    h.wait_for_testid("evidence-table").await?;
    h.screenshot(out.join("08-class-evidence.png")).await?;
    h.goto("/techniques").await?;
    h.wait_for_testid("catalogue").await?;
    h.screenshot(out.join("09-catalogue.png")).await?;
    h.goto("/data").await?;
    h.wait_for_testid("storage-use").await?;
    h.screenshot(out.join("10-data.png")).await?;
    h.goto("/s").await?;
    h.wait_for_testid("student-mode").await?;
    h.click_testid("student-lesson").await?;
    h.wait_for_testid("student-lesson-page").await?;
    h.screenshot(out.join("11-student.png")).await?;
    h.goto("/pos").await?;
    h.wait_for_testid("community-totals").await?;
    h.screenshot(out.join("12-community.png")).await?;
    h.click_testid("lang-switch").await?;
    h.screenshot(out.join("13-community-en.png")).await?;
    h.close().await;
    Ok(())
}
