//! User flows of the app in headless Chromium: a class from a pasted roster, the светофор slice
//! end to end, the language switch, a full storage, a damaged value, import of an export twice,
//! a светофор run that another window's saves never reset, what closing a run says when the
//! storage refuses its answers, imports refused for implausible or damaged content, and (ignored
//! by default) the storage benchmark. Needs `cargo xtask dist` first (or runs
//! inside `cargo xtask test`). The testids are listed in app/TESTIDS.md.

use anyhow::{Context, Result, ensure};
use lesenka_tests::Harness;
use lesenka_tests::fantoccini::Locator;
use lesenka_tests::fantoccini::wd::WindowHandle;
use lesenka_tests::flows::{app_ready, create_class, create_lesson, fill_storage, roster, tiles};
use lesenka_tests::serde_json::Value as Json;

/// Runs светофор on the first criterion: tile i gets green, yellow, red by turns; closes it and
/// waits for «Сохранено».
async fn run_traffic_light(h: &Harness) -> Result<usize> {
    run_traffic_light_until(h, "saved-notice").await
}

/// [`run_traffic_light`], waiting after the close for the notice with testid `notice`.
async fn run_traffic_light_until(h: &Harness, notice: &str) -> Result<usize> {
    h.click_testid("run-traffic-light-0").await?;
    let tiles = tiles(h).await?;
    for (i, tile) in tiles.iter().enumerate() {
        for _ in 0..=(i % 3) {
            tile.clone().click().await?;
        }
    }
    h.click_testid("close-technique").await?;
    h.wait_for_testid(notice).await?;
    Ok(tiles.len())
}

/// Opens a second window and switches to it; returns the first window's handle and the second's.
async fn open_second_window(h: &Harness) -> Result<(WindowHandle, WindowHandle)> {
    let first = h.client().window().await?;
    let second = h.client().new_window(true).await?.handle;
    h.client().switch_to_window(second.clone()).await?;
    Ok((first, second))
}

/// Removes what [`fill_storage`] put in.
async fn empty_storage_again(h: &Harness) -> Result<()> {
    h.execute("Object.keys(localStorage).filter(k => k.startsWith('junk.')).forEach(k => localStorage.removeItem(k));")
        .await?;
    Ok(())
}

/// Runs светофор on a storage that refuses its records: returns the message shown instead of
/// «Сохранено», after checking that «Сохранено» is not shown.
async fn refused_close_message(h: &Harness) -> Result<String> {
    run_traffic_light_until(h, "save-failed").await?;
    ensure!(!h.exists_testid("saved-notice").await?, "«Сохранено» shown for a refused save");
    h.text_of_testid("save-failed").await
}

/// Taps tiles `range` of the running светофор once each (green).
async fn tap_tiles(h: &Harness, range: std::ops::Range<usize>) -> Result<()> {
    let tiles = tiles(h).await?;
    for tile in &tiles[range] {
        tile.clone().click().await?;
    }
    Ok(())
}

/// The `data-light` of every tile of the running светофор, in roster order.
async fn lights(h: &Harness) -> Result<Vec<String>> {
    let mut out = Vec::new();
    for tile in tiles(h).await? {
        out.push(tile.attr("data-light").await?.unwrap_or_default());
    }
    Ok(out)
}

#[tokio::test]
async fn a_class_from_a_pasted_roster_survives_a_reload() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    h.click_testid("new-class").await?;
    h.fill_testid("class-name", "5А").await?;
    h.fill_testid("roster", "1. Иванова Мария\n\nПетров Пётр\nСидоров Иван\nпетров пётр\n").await?;
    h.wait_text_testid("roster-preview", "Будут добавлены: 3 ученика").await?;
    assert_eq!(h.count_testid("roster-problem").await?, 1, "the repeated name is reported");
    h.click_testid("save-class").await?;
    h.wait_text_testid("class-title", "5А").await?;
    assert_eq!(h.text_of_testid("class-size").await?, "3 ученика");
    h.reload().await?;
    h.wait_text_testid("class-title", "5А").await?;
    assert_eq!(h.count_testid("roster-student").await?, 3);
    assert_eq!(h.text_of_testid("roster-list").await?.lines().next(), Some("Иванова Мария"));
    h.goto("/").await?;
    h.wait_for_testid("class-link").await?;
    assert_eq!(h.count_testid("class-link").await?, 1);
    assert!(h.text_of_testid("class-link").await?.contains("3 ученика"));
    let errors = h.console_errors()?;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn the_traffic_light_slice_for_a_class_of_30_survives_a_reload() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "7Б", &roster(30)).await?;
    assert_eq!(h.text_of_testid("class-size").await?, "30 учеников");
    let lesson_path =
        create_lesson(&h, "Дроби", "Складываю дроби с одинаковыми знаменателями\nСокращаю ответ")
            .await?;

    h.click_testid("run-traffic-light-0").await?;
    let tiles = tiles(&h).await?;
    assert_eq!(tiles.len(), 30);
    for (i, tile) in tiles.iter().enumerate() {
        for _ in 0..=(i % 3) {
            tile.clone().click().await?;
        }
    }
    // One more tap and an undo leave the first student on green.
    tiles[0].clone().click().await?;
    assert_eq!(tiles[0].attr("data-light").await?.as_deref(), Some("yellow"));
    h.click_testid("undo").await?;
    assert_eq!(tiles[0].attr("data-light").await?.as_deref(), Some("green"));
    assert_eq!(tiles[1].attr("data-light").await?.as_deref(), Some("yellow"));
    assert_eq!(tiles[2].attr("data-light").await?.as_deref(), Some("red"));
    // The light is named in words too, not by colour alone.
    assert_eq!(tiles[2].text().await?.lines().last(), Some("Красный"));
    for key in ["green", "yellow", "red"] {
        h.wait_text_testid(&format!("bar-count-{key}"), "10").await?;
    }
    h.wait_text_testid("answered", "Ответили: 30 из 30").await?;

    // Projector: the count in large type, and no tile, name or pseudonym at all (the
    // projector view itself is checked in tests/tests/lesson_runs.rs).
    h.click_testid("projector-toggle").await?;
    h.wait_until("document.body.classList.contains('projector')").await?;
    h.wait_for_testid("projector-view").await?;
    ensure!(!h.exists_testid("student-grid").await?, "student tiles on the projector");
    let text = h.execute("return document.body.innerText").await?;
    let text = text.as_str().unwrap_or_default();
    ensure!(!text.contains("Иванов") && !text.contains("🦊"), "a student on the projector: {text}");
    for key in ["green", "yellow", "red"] {
        h.wait_text_testid(&format!("bar-count-{key}"), "10").await?;
    }
    h.click_testid("projector-exit").await?;
    h.wait_for_testid("student-grid").await?;
    assert_eq!(lights(&h).await?[..3], ["green", "yellow", "red"], "the answers stay");

    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 30 записей").await?;

    h.reload().await?;
    h.goto(&class_path).await?;
    h.wait_text_testid("evidence-count", "30 записей").await?;
    assert_eq!(h.count_testid("evidence-row").await?, 30);
    let values: Vec<String> = {
        let mut out = Vec::new();
        for el in h.all_testid("evidence-value").await? {
            out.push(el.text().await?);
        }
        out
    };
    assert_eq!(values.iter().filter(|v| v.starts_with("Зелёный")).count(), 10);
    assert_eq!(values.iter().filter(|v| v.starts_with("Жёлтый")).count(), 10);
    assert_eq!(values.iter().filter(|v| v.starts_with("Красный")).count(), 10);

    // Each student's history shows their answer.
    let first = h.client().find(Locator::Css("[data-testid=\"roster-student\"] a")).await?;
    first.click().await?;
    h.wait_text_testid("history-count", "1 запись").await?;
    assert!(h.text_of_testid("evidence-table").await?.contains("Зелёный"));

    h.goto(&lesson_path).await?;
    h.wait_text_testid("criterion-count-0", "30 записей").await?;
    h.wait_text_testid("criterion-count-1", "0 записей").await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn the_language_switch_is_remembered() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    h.wait_text_testid("nav-techniques", "Приёмы").await?;
    h.click_testid("lang-switch").await?;
    h.wait_text_testid("nav-techniques", "Techniques").await?;
    h.reload().await?;
    h.wait_text_testid("nav-techniques", "Techniques").await?;
    assert_eq!(h.execute("return document.documentElement.lang").await?.as_str(), Some("en"));
    h.click_testid("lang-switch").await?;
    h.wait_text_testid("nav-techniques", "Приёмы").await?;
    h.reload().await?;
    h.wait_text_testid("nav-techniques", "Приёмы").await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_full_storage_warns_and_loses_no_earlier_record() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "6В", &roster(3)).await?;
    create_lesson(&h, "Проценты", "Нахожу процент от числа").await?;
    run_traffic_light(&h).await?;
    h.wait_text_testid("criterion-count-0", "3 записи").await?;

    fill_storage(&h).await?;
    run_traffic_light_until(&h, "save-failed").await?;
    let banner = h.text_of_testid("banner-quota").await?;
    assert!(banner.contains("3 записи"), "the banner says what is only in memory: {banner}");
    assert!(h.exists_testid("export-button").await?, "an export is offered");
    // In memory the new answers are there.
    h.wait_text_testid("criterion-count-0", "6 записей").await?;

    // Nothing saved earlier is lost.
    h.reload().await?;
    h.goto(&class_path).await?;
    h.wait_text_testid("evidence-count", "3 записи").await?;
    empty_storage_again(&h).await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_damaged_value_is_moved_aside_not_deleted() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    h.local_storage_set(
        "lesenka.classes",
        "{\"format\":\"lesenka\",\"version\":1,\"kind\":\"classes\",\"da",
    )
    .await?;
    h.reload().await?;
    let banner = h.text_of_testid("banner-quarantine").await?;
    assert!(banner.contains("lesenka.quarantine.lesenka.classes."), "{banner}");
    assert_eq!(h.local_storage_get("lesenka.classes").await?, None);
    let keys = h.local_storage_keys().await?;
    let aside: Vec<&String> =
        keys.iter().filter(|k| k.starts_with("lesenka.quarantine.lesenka.classes.")).collect();
    assert_eq!(aside.len(), 1, "keys: {keys:?}");
    assert_eq!(
        h.local_storage_get(aside[0]).await?.as_deref(),
        Some("{\"format\":\"lesenka\",\"version\":1,\"kind\":\"classes\",\"da"),
        "the damaged text is kept as it was"
    );
    // The app still works: a new class can be created.
    create_class(&h, "8А", &roster(2)).await?;
    h.goto("/data").await?;
    h.wait_for_testid("quarantined-key").await?;
    assert_eq!(h.count_testid("quarantined-key").await?, 1);
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn storage_use_warns_at_60_and_urges_an_export_at_80_percent() -> Result<()> {
    let h = Harness::start().await?;
    create_class(&h, "7Г", &roster(2)).await?;
    // The budget is 5 MiB of UTF-16 (2 bytes a character); `share` of it, less what is stored.
    let fill = |share: f64| {
        format!(
            "localStorage.removeItem('junk');
             let used = 0;
             for (let i = 0; i < localStorage.length; i++) {{
                 const k = localStorage.key(i);
                 used += 2 * (k.length + localStorage.getItem(k).length);
             }}
             localStorage.setItem('junk', 'x'.repeat(Math.ceil(({share} * 5 * 1024 * 1024 - used) / 2)));"
        )
    };
    for (share, shown, hidden) in [
        (0.30, None, "banner-warn"),
        (0.65, Some("banner-warn"), "banner-urge"),
        (0.85, Some("banner-urge"), "banner-warn"),
    ] {
        h.execute(&fill(share)).await?;
        h.reload().await?;
        h.wait_text_testid("class-title", "7Г").await?;
        match shown {
            Some(banner) => {
                h.wait_for_testid(banner).await?;
            }
            None => tokio::time::sleep(std::time::Duration::from_millis(300)).await,
        }
        ensure!(!h.exists_testid(hidden).await?, "{hidden} shown at {share}");
    }
    // At 80 % the banner offers the export, and nothing stored was lost.
    ensure!(h.exists_testid("export-button").await?, "no export offered at 85 %");
    h.goto("/data").await?;
    h.wait_for_testid("storage-use").await?;
    let text = h.text_of_testid("storage-use").await?;
    ensure!(text.contains("из 5,00 МБ (85 %)"), "storage use: {text}");
    h.execute("localStorage.removeItem('junk')").await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn the_storage_meter_kept_by_saves_agrees_with_a_full_count() -> Result<()> {
    let h = Harness::start().await?;
    create_class(&h, "7Д", &roster(3)).await?;
    // 2,700 records in 90 chunks, each write adding to the meter, then all removed; the app
    // compares its running count with a full count after each (-1 when they differ).
    let took = h.execute("return window.lesenkaBench.countUse(2700)").await?;
    let took = took.as_f64().context("countUse")?;
    ensure!(took >= 0.0, "the running count and a full count differ (or storing failed)");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_newer_data_version_opens_read_only() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    let newer = "{\"format\":\"lesenka\",\"version\":99,\"kind\":\"classes\",\"payload\":[]}";
    h.local_storage_set("lesenka.classes", newer).await?;
    h.reload().await?;
    let banner = h.text_of_testid("banner-read-only").await?;
    assert!(banner.contains("99"), "{banner}");
    assert_eq!(
        h.local_storage_get("lesenka.classes").await?.as_deref(),
        Some(newer),
        "never overwritten"
    );
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn importing_an_export_twice_adds_nothing_the_second_time() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "9А", &roster(4)).await?;
    create_lesson(&h, "Векторы", "Складываю векторы").await?;
    run_traffic_light(&h).await?;
    let export = h.execute("return window.lesenkaBench.exportText()").await?;
    let export = export.as_str().context("export text")?.to_owned();
    let file = std::env::temp_dir().join(format!("lesenka-export-{}.json", std::process::id()));
    std::fs::write(&file, &export)?;

    // A fresh device: nothing stored.
    h.local_storage_clear().await?;
    h.goto("/").await?;
    h.reload().await?;
    h.wait_for_testid("no-classes").await?;

    for round in 0..2 {
        h.goto("/data").await?;
        let input = h.wait_for_testid("import-file").await?;
        input.send_keys(&file.display().to_string()).await?;
        let result = h.text_of_testid("import-result").await?;
        if round == 0 {
            assert!(result.contains("классов 1, уроков 1, записей 4"), "first import: {result}");
        } else {
            assert!(result.contains("классов 0, уроков 0, записей 0"), "second import: {result}");
            assert!(result.contains("Уже были: 6"), "second import: {result}");
        }
    }
    h.reload().await?;
    h.goto(&class_path).await?;
    h.wait_text_testid("evidence-count", "4 записи").await?;
    assert_eq!(h.count_testid("roster-student").await?, 4);
    let _ = std::fs::remove_file(&file);
    h.close().await;
    Ok(())
}

/// Every stored key and value, in key order.
async fn stored(h: &Harness) -> Result<String> {
    let all = h
        .execute(
            "return JSON.stringify(Object.keys(localStorage).sort()\
             .map(k => [k, localStorage.getItem(k)]))",
        )
        .await?;
    Ok(all.as_str().context("stored")?.to_owned())
}

#[tokio::test]
async fn implausible_or_damaged_imports_are_refused_in_the_users_language_and_change_nothing()
-> Result<()> {
    let h = Harness::start().await?;
    create_class(&h, "9А", &roster(3)).await?;
    create_lesson(&h, "Векторы", "Складываю векторы").await?;
    run_traffic_light(&h).await?;
    let export = h.execute("return window.lesenkaBench.exportText()").await?;
    let export: Json = lesenka_tests::serde_json::from_str(export.as_str().context("export")?)?;
    let class = export["payload"]["classes"][0].clone();
    let first = class["students"][0].clone();
    let first_name = first["display_name"].as_str().context("name")?.to_owned();
    let second_name = class["students"][1]["display_name"].as_str().context("name")?.to_owned();

    let mut off_scale = export.clone();
    off_scale["payload"]["gradebooks"] = lesenka_tests::serde_json::json!([{
        "class": class["id"],
        "marks": [{
            "id": "00000000-0000-0000-0000-0000000000aa",
            "student": first["id"],
            "work_type": "00000000-0000-0000-0000-000000000002",
            "date": "2026-11-02",
            "value": "-3"
        }]
    }]);
    let mut far_date = export.clone();
    far_date["payload"]["lessons"][0]["date"] = "9999-12-31".into();
    let mut one_id_twice = export.clone();
    one_id_twice["payload"]["classes"][0]["students"][1]["id"] = first["id"].clone();
    let mut one_id_in_two_classes = export.clone();
    let mut other = class.clone();
    other["id"] = "00000000-0000-0000-0000-0000000000bb".into();
    other["name"] = "10Б".into();
    other["students"] = lesenka_tests::serde_json::json!([first]);
    one_id_in_two_classes["payload"]["classes"]
        .as_array_mut()
        .context("classes")?
        .push(other.clone());
    // A file from elsewhere whose only class reuses the id of a student of 9А here.
    let mut id_of_a_student_here = export.clone();
    id_of_a_student_here["payload"]["classes"] = lesenka_tests::serde_json::json!([other]);
    let off_scale_text = off_scale.to_string();
    let shared_across = format!(
        "Один и тот же идентификатор ученика у «{first_name}» (9А) и «{first_name}» (10Б)."
    );
    let cases: [(&str, String, Vec<String>); 6] = [
        (
            "off-scale",
            off_scale.to_string(),
            vec!["Отметка «-3» от 2 ноября 2026 г. в классе 9А — не из шкалы отметок.".into()],
        ),
        (
            "far-date",
            far_date.to_string(),
            vec![
                "Урок «Векторы» датирован 31 декабря 9999 г. — вне учебных лет 2000/01–2100/01."
                    .into(),
            ],
        ),
        (
            "one-id-twice",
            one_id_twice.to_string(),
            vec![format!(
                "Один и тот же идентификатор ученика у «{first_name}» и «{second_name}» в классе 9А."
            )],
        ),
        (
            "one-id-in-two-classes",
            one_id_in_two_classes.to_string(),
            vec![shared_across.clone()],
        ),
        ("id-of-a-student-here", id_of_a_student_here.to_string(), vec![shared_across]),
        (
            "damaged",
            "{\"format\":\"lesenka\",\"version\":1,\"kind\":\"backup\",\n\"payload\":{\"classes\":\"x\"}}"
                .to_owned(),
            vec!["Файл не загружен: файл повреждён: значение «x» не того типа (строка 2, столбец 24).".into()],
        ),
    ];
    h.goto("/data").await?;
    let before = stored(&h).await?;
    for (name, text, expected) in cases {
        let file = std::env::temp_dir()
            .join(format!("lesenka-implausible-{name}-{}.json", std::process::id()));
        std::fs::write(&file, &text)?;
        h.goto("/data").await?;
        let input = h.wait_for_testid("import-file").await?;
        input.send_keys(&file.display().to_string()).await?;
        let refusal = h.text_of_testid("import-error").await?;
        if name != "damaged" {
            assert!(
                refusal.starts_with(
                    "Файл не загружен: в нём есть то, что не может быть верным. Ничего не сохранено."
                ),
                "{name}: {refusal}"
            );
        }
        for line in &expected {
            let times = refusal.matches(line.as_str()).count();
            assert_eq!(times, 1, "{name}: {refusal:?} should say {line:?} once");
        }
        assert!(
            !refusal.chars().any(|c| c.is_ascii_alphabetic() && c != 'x'),
            "{name}: only Russian in {refusal:?}"
        );
        assert_eq!(h.count_testid("import-result").await?, 0, "{name}: nothing imported");
        assert_eq!(stored(&h).await?, before, "{name}: the stored data changed");
        std::fs::remove_file(&file)?;
    }

    // The refusal follows the interface's language.
    let file =
        std::env::temp_dir().join(format!("lesenka-implausible-en-{}.json", std::process::id()));
    std::fs::write(&file, &off_scale_text)?;
    h.goto("/data").await?;
    let input = h.wait_for_testid("import-file").await?;
    input.send_keys(&file.display().to_string()).await?;
    h.wait_for_testid("import-error").await?;
    h.click_testid("lang-switch").await?;
    h.wait_until(
        "document.querySelector('[data-testid=import-error]').innerText\
         .startsWith('The file was not loaded: it holds what cannot be right. Nothing was saved.')",
    )
    .await?;
    let refusal = h.text_of_testid("import-error").await?;
    assert!(
        refusal
            .contains("The mark «-3» of 2 November 2026 in class 9А is not on the marking scale."),
        "{refusal}"
    );
    std::fs::remove_file(&file)?;
    h.close().await;
    Ok(())
}

#[tokio::test]
#[ignore = "benchmark: run with --ignored --nocapture"]
async fn bench_append_one_and_load_a_class_year() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    h.wait_until("!!window.lesenkaBench").await?;
    let mut appends: Vec<f64> = Vec::new();
    for _ in 0..25 {
        let ms: Json = h.execute("return window.lesenkaBench.appendOne()").await?;
        appends.push(ms.as_f64().context("appendOne")?);
    }
    ensure!(appends.iter().all(|ms| *ms >= 0.0), "an append failed: {appends:?}");
    appends.sort_by(f64::total_cmp);
    let load: Json = h.execute("return window.lesenkaBench.loadYear(54000)").await?;
    let load = load.as_f64().context("loadYear")?;
    ensure!(load >= 0.0, "storing the class-year failed");
    let count: Json = h.execute("return window.lesenkaBench.countUse(54000)").await?;
    let count = count.as_f64().context("countUse")?;
    ensure!(count >= 0.0, "storing the class-year failed");
    h.execute("window.lesenkaBench.clear()").await?;
    println!(
        "append one evidence record: median {:.2} ms (min {:.2}, max {:.2}, 25 runs)",
        appends[appends.len() / 2],
        appends[0],
        appends[appends.len() - 1]
    );
    println!("load a class-year journal of 54000 records: {load:.1} ms");
    println!("count the storage in use with that year stored: {count:.1} ms");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn two_tabs_appending_at_once_keep_each_others_records() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "10А", &roster(5)).await?;
    let lesson_path = create_lesson(&h, "Логарифмы", "Применяю свойства логарифмов").await?;
    let (first, second) = open_second_window(&h).await?;
    h.goto(&lesson_path).await?;
    h.wait_for_testid("lesson-title").await?;
    // Both tabs have the lesson open with the same data; each now records 5 answers.
    run_traffic_light(&h).await?;
    h.client().switch_to_window(first).await?;
    run_traffic_light(&h).await?;
    h.reload().await?;
    h.goto(&class_path).await?;
    h.wait_text_testid("evidence-count", "10 записей").await?;
    h.client().switch_to_window(second).await?;
    h.goto(&class_path).await?;
    h.wait_text_testid("evidence-count", "10 записей").await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn two_windows_running_the_traffic_light_at_once_keep_every_answer() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "8Б", &roster(10)).await?;
    let lesson_path = create_lesson(&h, "Степени", "Умножаю степени\nДелю степени").await?;
    // Window 1 is half-way through its run when window 2 runs its own and saves it.
    h.click_testid("run-traffic-light-0").await?;
    tap_tiles(&h, 0..5).await?;
    h.wait_text_testid("answered", "Ответили: 5 из 10").await?;
    let (first, second) = open_second_window(&h).await?;
    h.goto(&lesson_path).await?;
    h.wait_for_testid("lesson-title").await?;
    run_traffic_light(&h).await?;
    h.wait_text_testid("saved-notice", "Сохранено: 10 записей").await?;

    // Window 1 heard of the save, and its run goes on from where it was.
    h.client().switch_to_window(first.clone()).await?;
    h.wait_for_testid("banner-other-tab").await?;
    h.wait_text_testid("criterion-count-0", "10 записей").await?;
    h.wait_text_testid("answered", "Ответили: 5 из 10").await?;
    let kept = lights(&h).await?;
    assert_eq!(kept.iter().filter(|l| *l == "green").count(), 5, "lights: {kept:?}");
    tap_tiles(&h, 5..10).await?;
    h.wait_text_testid("answered", "Ответили: 10 из 10").await?;
    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 10 записей").await?;

    // Every answer of both windows is stored: after a reload each window counts all 20.
    for window in [first, second] {
        h.client().switch_to_window(window).await?;
        h.reload().await?;
        h.wait_text_testid("criterion-count-0", "20 записей").await?;
    }
    h.goto(&class_path).await?;
    h.wait_text_testid("evidence-count", "20 записей").await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_class_saved_in_another_window_does_not_reset_a_run() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "9В", &roster(6)).await?;
    create_lesson(&h, "Синусы", "Нахожу синус угла").await?;
    h.click_testid("run-traffic-light-0").await?;
    tap_tiles(&h, 0..4).await?;
    tap_tiles(&h, 0..2).await?;
    let before = lights(&h).await?;
    assert_eq!(before, ["yellow", "yellow", "green", "green", "none", "none"]);
    let (first, _) = open_second_window(&h).await?;
    create_class(&h, "9Г", &roster(2)).await?;

    h.client().switch_to_window(first).await?;
    h.wait_for_testid("banner-other-tab").await?;
    h.wait_text_testid("answered", "Ответили: 4 из 6").await?;
    assert_eq!(lights(&h).await?, before, "the run in progress is kept");
    // Undo still steps back this run's own taps.
    h.click_testid("undo").await?;
    h.wait_text_testid("answered", "Ответили: 4 из 6").await?;
    assert_eq!(lights(&h).await?[..2], ["yellow", "green"]);
    h.click_testid("close-technique").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 4 записи").await?;
    h.reload().await?;
    h.goto(&class_path).await?;
    h.wait_text_testid("evidence-count", "4 записи").await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_full_storage_never_says_saved_and_tells_where_the_answers_are() -> Result<()> {
    let h = Harness::start().await?;
    create_class(&h, "5Д", &roster(3)).await?;
    create_lesson(&h, "Глаголы", "Нахожу глагол в предложении").await?;
    fill_storage(&h).await?;
    let message = refused_close_message(&h).await?;
    assert!(message.contains("Не сохранено: 3 записи"), "{message}");
    assert!(message.contains("переполнено"), "says why: {message}");
    assert!(message.contains("в памяти этой вкладки"), "says where the answers are: {message}");
    assert!(message.contains("резервную копию"), "says how to keep them: {message}");
    assert!(h.exists_testid("export-button").await?, "the banner offers the export");
    h.wait_text_testid("criterion-count-0", "3 записи").await?;
    empty_storage_again(&h).await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_read_only_storage_never_says_saved_either() -> Result<()> {
    let h = Harness::start().await?;
    create_class(&h, "6Е", &roster(2)).await?;
    let lesson_path = create_lesson(&h, "Площади", "Нахожу площадь").await?;
    let newer = "{\"format\":\"lesenka\",\"version\":99,\"kind\":\"rubrics\",\"payload\":[]}";
    h.local_storage_set("lesenka.rubrics", newer).await?;
    h.reload().await?;
    h.goto(&lesson_path).await?;
    h.wait_for_testid("banner-read-only").await?;
    let message = refused_close_message(&h).await?;
    assert!(message.contains("только для чтения"), "says why: {message}");
    assert!(message.contains("в памяти этой вкладки"), "says where the answers are: {message}");
    // The banner says read-only, not «full», and offers the backup for the answers in memory.
    let banner = h.text_of_testid("banner-read-only").await?;
    assert!(banner.contains("пока только в памяти этой вкладки"), "{banner}");
    assert!(!h.exists_testid("banner-quota").await?, "the storage is not full");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_student_self_assesses_each_criterion_on_a_tablet() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "4А", &roster(2)).await?;
    let lesson_path =
        create_lesson(&h, "Сложение", "Складываю в столбик\nПроверяю сложение вычитанием").await?;
    h.goto(&format!("/s{lesson_path}")).await?;
    h.wait_for_css("[data-testid^=\"pick-\"]").await?.click().await?;
    h.click_testid("self-0-green").await?;
    h.click_testid("self-1-red").await?;
    // A second choice replaces the first.
    h.click_testid("self-1-yellow").await?;
    assert_eq!(h.attr_of_testid("self-1-yellow", "aria-pressed").await?.as_deref(), Some("true"));
    assert_eq!(h.attr_of_testid("self-1-red", "aria-pressed").await?.as_deref(), Some("false"));
    h.click_testid("student-submit").await?;
    h.wait_for_testid("student-thanks").await?;
    h.wait_text_testid("saved-notice", "Сохранено: 2 записи").await?;
    // The next student starts from the name list, with nothing chosen.
    h.click_testid("student-next").await?;
    h.wait_for_css("[data-testid^=\"pick-\"]").await?;
    h.reload().await?;
    h.goto(&class_path).await?;
    h.wait_text_testid("evidence-count", "2 записи").await?;
    let table = h.text_of_testid("evidence-table").await?;
    assert!(table.contains("Зелёный") && table.contains("Жёлтый"), "{table}");
    assert!(!table.contains("Красный"), "the replaced choice is not kept: {table}");
    h.close().await;
    Ok(())
}
