//! Steps the browser tests share: waiting for the app, creating a class the way a teacher does,
//! filling in a rubric's criterion, filling the origin's storage to its quota.

use anyhow::{Context, Result, ensure};

use crate::Harness;

/// Waits until the app has mounted (the top bar is there).
pub async fn app_ready(h: &Harness) -> Result<()> {
    h.wait_for_testid("lang-switch").await?;
    Ok(())
}

/// Creates a class from a roster (one name per line) on the new-class form and returns its
/// page's path.
pub async fn create_class(h: &Harness, name: &str, roster: &str) -> Result<String> {
    h.goto("/").await?;
    app_ready(h).await?;
    h.click_testid("new-class").await?;
    h.fill_testid("class-name", name).await?;
    h.fill_testid("roster", roster).await?;
    h.click_testid("save-class").await?;
    h.wait_text_testid("class-title", name).await?;
    let path = h.execute("return location.pathname").await?;
    Ok(path.as_str().context("location")?.to_owned())
}

/// A level: label, the teacher's descriptor, the student's wording, points.
pub type LevelRow<'a> = (&'a str, &'a str, &'a str, &'a str);

/// Fills criterion `i` of the rubric editor, adding levels beyond the two it starts with.
pub async fn fill_criterion(
    h: &Harness,
    i: usize,
    title: &str,
    levels: &[LevelRow<'_>],
) -> Result<()> {
    h.fill_testid(&format!("criterion-{i}-title"), title).await?;
    for (j, (label, teacher, student, points)) in levels.iter().enumerate() {
        if j >= 2 {
            h.click_testid(&format!("add-level-{i}")).await?;
        }
        for (field, value) in
            [("label", label), ("teacher", teacher), ("student", student), ("points", points)]
        {
            h.fill_testid(&format!("level-{i}-{j}-{field}"), value).await?;
        }
    }
    Ok(())
}

/// Fills the origin's localStorage with junk until the browser refuses more (halving the piece
/// each time it is refused, down to one character); fails unless more than a million characters
/// went in. Returns how many did.
pub async fn fill_storage(h: &Harness) -> Result<u64> {
    const FILL: &str = "
        let total = 0, i = 0;
        for (let size = 1 << 20; size >= 1; size = Math.floor(size / 2)) {
            const chunk = 'x'.repeat(size);
            for (;;) {
                try { localStorage.setItem('junk.' + (i++), chunk); total += size; }
                catch (e) { break; }
            }
        }
        return total;";
    let filled = h.execute(FILL).await?.as_u64().unwrap_or(0);
    ensure!(filled > 1_000_000, "storage filled with only {filled} characters");
    Ok(filled)
}

/// Taps the running светофор's student tiles in roster order, tile `i` `taps(i)` times (one tap
/// green, two yellow, three red); returns how many tiles there were.
pub async fn tap_tiles(h: &Harness, taps: impl Fn(usize) -> usize) -> Result<usize> {
    h.wait_for_testid("student-grid").await?;
    let tiles = h.client().find_all(fantoccini::Locator::Css("[data-testid^=\"tile-\"]")).await?;
    for (i, tile) in tiles.iter().enumerate() {
        for _ in 0..taps(i) {
            tile.clone().click().await?;
        }
    }
    Ok(tiles.len())
}
