//! Steps the browser tests share: waiting for the app, creating a class and a lesson the way a
//! teacher does, filling in a rubric's criterion, the tiles of a running technique, recording a
//! mix of answers in no-device mode, filling the origin's storage to its quota, catching a
//! downloaded file, sizing the viewport, the evidence on a class page, the students' names
//! stored.

use std::time::Duration;

use anyhow::{Context, Result, bail, ensure};

use fantoccini::Locator;

use crate::Harness;
use serde_json::Value as Json;

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

/// Russian names for a class of `n`.
pub fn roster(n: usize) -> String {
    const FIRST: [&str; 10] =
        ["Анна", "Борис", "Вера", "Глеб", "Дарья", "Егор", "Жанна", "Захар", "Ирина", "Кирилл"];
    const LAST: [&str; 6] = ["Иванов", "Петров", "Сидоров", "Смирнов", "Кузнецов", "Попов"];
    (0..n)
        .map(|i| format!("{} {} {}", LAST[i % 6], FIRST[i % 10], i + 1))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Opens a lesson of the class shown and returns its path.
pub async fn create_lesson(h: &Harness, topic: &str, criteria: &str) -> Result<String> {
    h.click_testid("new-lesson").await?;
    h.fill_testid("lesson-topic", topic).await?;
    h.fill_testid("lesson-criteria", criteria).await?;
    h.click_testid("save-lesson").await?;
    h.wait_text_testid("lesson-title", topic).await?;
    let path = h.execute("return location.pathname").await?;
    Ok(path.as_str().context("location")?.to_owned())
}

/// The student tiles of the running technique, in roster order.
pub async fn tiles(h: &Harness) -> Result<Vec<fantoccini::elements::Element>> {
    h.wait_for_testid("student-grid").await?;
    Ok(h.client().find_all(Locator::Css("[data-testid^=\"tile-\"]")).await?)
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

/// Records a mix of answers for the running fixed-scale technique in no-device mode, the way a
/// teacher taps it: the first value of `mix` is picked and given to the whole class at once
/// («Остальным»), then each further value is picked and its students' tiles tapped, tiles taken
/// in roster order. `mix` gives each option's key (`green`, `3`, `up`…) and how many students
/// chose it; the counts must add up to the class. Returns the taps it took.
pub async fn record_mix(h: &Harness, mix: &[(&str, usize)]) -> Result<usize> {
    let tiles = tiles(h).await?;
    let total: usize = mix.iter().map(|(_, n)| n).sum();
    ensure!(total == tiles.len(), "a mix of {total} answers for {} students", tiles.len());
    let Some(((first, _), rest)) = mix.split_first() else { return Ok(0) };
    let mut taps = 0;
    h.click_testid(&format!("pick-{first}")).await?;
    h.click_testid("set-rest").await?;
    taps += 2;
    let mut next = tiles.iter();
    for (key, count) in rest {
        h.click_testid(&format!("pick-{key}")).await?;
        taps += 1;
        for tile in next.by_ref().take(*count) {
            tile.clone().click().await?;
            taps += 1;
        }
    }
    Ok(taps)
}

/// The shown counts of the running technique's chart, by option key.
pub async fn bar_counts(h: &Harness, keys: &[&str]) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for key in keys {
        out.push(h.text_of_testid(&format!("bar-count-{key}")).await?);
    }
    Ok(out)
}

/// Taps the running светофор's student tiles in roster order, tile `i` `taps(i)` times (one tap
/// green, two yellow, three red); returns how many tiles there were.
pub async fn tap_tiles(h: &Harness, taps: impl Fn(usize) -> usize) -> Result<usize> {
    let tiles = tiles(h).await?;
    for (i, tile) in tiles.iter().enumerate() {
        for _ in 0..taps(i) {
            tile.clone().click().await?;
        }
    }
    Ok(tiles.len())
}

/// Clicks the download button `testid` and returns the file's name and bytes, caught on their
/// way to the browser (the page's `URL.createObjectURL` and the link's `download` name).
pub async fn download(h: &Harness, testid: &str) -> Result<(String, Vec<u8>)> {
    h.execute(
        "window.__blobs = [];
         if (!window.__caught) {
           window.__caught = true;
           const create = URL.createObjectURL;
           URL.createObjectURL = function (blob) { window.__blobs.push({ blob }); return create.call(URL, blob); };
           const click = HTMLAnchorElement.prototype.click;
           HTMLAnchorElement.prototype.click = function () {
             const last = window.__blobs[window.__blobs.length - 1];
             if (last && this.download) { last.name = this.download; return; }
             return click.call(this);
           };
         }",
    )
    .await?;
    h.click_testid(testid).await?;
    let file: Json = h
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const wait = () => {
               const last = window.__blobs[window.__blobs.length - 1];
               if (!last || !last.name) { return setTimeout(wait, 25); }
               last.blob.arrayBuffer().then(b => done({ name: last.name, bytes: Array.from(new Uint8Array(b)) }));
             };
             wait();",
            Vec::new(),
        )
        .await?;
    let name = file["name"].as_str().context("a file name")?.to_owned();
    let bytes = file["bytes"]
        .as_array()
        .context("the bytes")?
        .iter()
        .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()).context("a byte"))
        .collect::<Result<Vec<u8>>>()?;
    Ok((name, bytes))
}

/// Resizes the window until the page's viewport is `width`×`height` (the window's frame around
/// it taken off each time; a resize may take a moment to reach the page).
pub async fn viewport(h: &Harness, width: u32, height: u32) -> Result<()> {
    let (mut outer_w, mut outer_h) = (i64::from(width), i64::from(height));
    let mut inner = Json::Null;
    for _ in 0..10 {
        h.set_window_size(u32::try_from(outer_w)?, u32::try_from(outer_h)?).await?;
        tokio::time::sleep(Duration::from_millis(150)).await;
        inner = h.execute("return [innerWidth, innerHeight]").await?;
        let got: Vec<i64> =
            inner.as_array().into_iter().flatten().filter_map(Json::as_i64).collect();
        let [w, hh] = got[..] else { bail!("viewport: {inner}") };
        if (w, hh) == (i64::from(width), i64::from(height)) {
            return Ok(());
        }
        outer_w += i64::from(width) - w;
        outer_h += i64::from(height) - hh;
    }
    bail!("viewport {inner} for {width}×{height}")
}

/// The evidence values listed on the class page (after a reload), in order.
pub async fn evidence_values(h: &Harness, class_path: &str) -> Result<Vec<String>> {
    h.reload().await?;
    h.goto(class_path).await?;
    h.wait_for_testid("evidence-table").await?;
    let mut out = Vec::new();
    for el in h.all_testid("evidence-value").await? {
        out.push(el.text().await?);
    }
    Ok(out)
}

/// The script behind [`stored_students`].
const STUDENTS_STORED: &str = "
    const text = Object.keys(localStorage).map(k => localStorage.getItem(k)).join('\\n');
    const out = [];
    for (const field of ['display_name', 'pseudonym']) {
        const re = new RegExp('\"' + field + '\"\\\\s*:\\\\s*\"((?:[^\"\\\\\\\\]|\\\\\\\\.)*)\"', 'g');
        for (const m of text.matchAll(re)) out.push(JSON.parse('\"' + m[1] + '\"'));
    }
    return out;";

/// Every student name and pseudonym the app stored (read from localStorage).
pub async fn stored_students(h: &Harness) -> Result<Vec<String>> {
    let students = h.execute(STUDENTS_STORED).await?;
    Ok(students
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .map(str::to_owned)
        .collect())
}

/// What the app holds, read from its export (`window.lesenkaBench.exportText`) with core.
pub async fn exported(h: &Harness) -> Result<lesenka_core::persist::backup::Backup> {
    let text = h.execute("return window.lesenkaBench.exportText()").await?;
    let text = text.as_str().context("the export's text")?;
    Ok(lesenka_core::persist::open(lesenka_core::persist::Kind::Backup, text)?.value)
}

/// Fails with axe's violations of `view`, if any (`axe` is [`Harness::axe`]'s result).
pub fn no_violations(view: &str, axe: &Json) -> Result<()> {
    let violations = crate::axe_violations(axe);
    ensure!(violations.is_empty(), "axe on {view}: {violations:#?}");
    Ok(())
}

/// The test ids of the elements whose test id starts with `prefix` (a tablet's name buttons:
/// `pick-`, `diag-pick-`), in document order, once there is one.
pub async fn testids_starting(h: &Harness, prefix: &str) -> Result<Vec<String>> {
    h.wait_for_css(&format!("[data-testid^=\"{prefix}\"]")).await?;
    let ids = h
        .execute_with(
            "return [...document.querySelectorAll(`[data-testid^=\"${arguments[0]}\"]`)]
                .map(b => b.getAttribute('data-testid'))",
            vec![prefix.into()],
        )
        .await?;
    Ok(ids.as_array().into_iter().flatten().filter_map(|v| v.as_str().map(str::to_owned)).collect())
}

/// The smallest height and width of the elements matching `css` (touch targets).
pub async fn smallest_target(h: &Harness, css: &str) -> Result<f64> {
    let px = h
        .execute_with(
            "return Math.min(...[...document.querySelectorAll(arguments[0])]
                .map(b => { const r = b.getBoundingClientRect(); return Math.min(r.width, r.height); }))",
            vec![css.into()],
        )
        .await?;
    px.as_f64().context("a size")
}

/// Where screenshots go for review: `target/screenshots/`, made if missing.
pub fn screenshots() -> Result<std::path::PathBuf> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}
