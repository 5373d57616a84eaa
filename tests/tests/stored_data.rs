//! What the storage does with data it cannot fully read, tried as a teacher would meet it:
//! one damaged class hides no other class; what was set aside is in the export and can be taken
//! back from the data page; in read-only mode the export carries the newer data untouched; a
//! refused save says why in the user's language. Needs `cargo xtask dist` first (or runs inside
//! `cargo xtask test`).

use anyhow::{Context, Result, ensure};
use lesenka_tests::Harness;
use lesenka_tests::flows::app_ready;
use lesenka_tests::serde_json::{self, Value as Json};

/// A classes envelope holding `items` (JSON values, some of them damaged on purpose).
fn classes_envelope(items: &[Json]) -> String {
    serde_json::json!({"format": "lesenka", "version": 1, "kind": "classes", "payload": items})
        .to_string()
}

fn class(id: u32, name: &str) -> Json {
    serde_json::json!({
        "id": format!("00000000-0000-0000-0000-{id:012}"),
        "name": name,
        "students": [],
    })
}

/// The export file the app would download, parsed.
async fn export(h: &Harness) -> Result<Json> {
    let text = h.execute("return window.lesenkaBench.exportText()").await?;
    Ok(serde_json::from_str(text.as_str().context("export text")?)?)
}

/// The names of the classes on the home page.
async fn home_classes(h: &Harness) -> Result<Vec<String>> {
    h.goto("/").await?;
    h.wait_for_testid("class-list").await?;
    let mut names = Vec::new();
    for link in h.all_testid("class-link").await? {
        names.push(link.text().await?);
    }
    Ok(names)
}

#[tokio::test]
async fn one_damaged_class_hides_no_other_and_travels_in_the_export() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    // The second class has an empty name, which core refuses.
    let damaged = serde_json::json!({"id": "00000000-0000-0000-0000-000000000002", "name": "", "students": []});
    let stored = classes_envelope(&[class(1, "5А"), damaged.clone(), class(3, "5В")]);
    h.local_storage_set("lesenka.classes", &stored).await?;
    h.reload().await?;
    // The load that set it aside says so at once (a later load has nothing left to set aside).
    let banner = h.text_of_testid("banner-quarantine").await?;
    ensure!(banner.contains("lesenka.quarantine.lesenka.classes#1."), "{banner}");
    let names = home_classes(&h).await?;
    ensure!(
        names.iter().any(|n| n.contains("5А")) && names.iter().any(|n| n.contains("5В")),
        "{names:?}"
    );
    ensure!(names.len() == 2, "{names:?}");
    // The damaged item is kept word for word, and only it.
    let keys = h.local_storage_keys().await?;
    let aside: Vec<&String> =
        keys.iter().filter(|k| k.starts_with("lesenka.quarantine.lesenka.classes#1.")).collect();
    ensure!(aside.len() == 1, "{keys:?}");
    let kept: Json = serde_json::from_str(&h.local_storage_get(aside[0]).await?.context("aside")?)?;
    ensure!(kept == damaged, "kept {kept}");
    // A reload sets nothing aside twice.
    h.reload().await?;
    h.wait_for_testid("class-list").await?;
    let again = h.local_storage_keys().await?;
    ensure!(again.iter().filter(|k| k.contains("quarantine")).count() == 1, "{again:?}");
    // The export carries it verbatim.
    let file = export(&h).await?;
    let set_aside = file["payload"]["set_aside"].as_array().context("set_aside")?;
    ensure!(set_aside.len() == 1, "{set_aside:?}");
    ensure!(set_aside[0]["reason"] == "damaged", "{set_aside:?}");
    ensure!(serde_json::from_str::<Json>(set_aside[0]["text"].as_str().unwrap_or(""))? == damaged);
    ensure!(file["payload"]["classes"].as_array().map(Vec::len) == Some(2), "{file}");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn set_aside_classes_come_back_from_the_data_page() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    // What an older Lesenka left: the whole class list set aside because one item was damaged.
    let whole = classes_envelope(&[
        class(7, "6А"),
        serde_json::json!({"id": 8, "name": "6Б"}),
        class(9, "6В"),
    ]);
    let key = "lesenka.quarantine.lesenka.classes.1700000000000";
    h.local_storage_set(key, &whole).await?;
    h.reload().await?;
    h.goto("/data").await?;
    h.wait_for_testid("quarantined-key").await?;
    h.click_testid("quarantine-restore").await?;
    let said = h.text_of_testid("quarantine-restore-result").await?;
    ensure!(said.contains("Часть данных возвращена"), "{said}");
    let names = home_classes(&h).await?;
    ensure!(names.len() == 2 && names.iter().any(|n| n.contains("6В")), "{names:?}");
    // The unreadable rest stays aside, untouched.
    ensure!(h.local_storage_get(key).await?.as_deref() == Some(whole.as_str()));
    // Restoring twice adds nothing.
    h.goto("/data").await?;
    h.wait_for_testid("quarantined-key").await?;
    h.click_testid("quarantine-restore").await?;
    h.wait_for_testid("quarantine-restore-result").await?;
    ensure!(home_classes(&h).await?.len() == 2);
    // A wholly readable value comes back whole and leaves the list.
    let readable = "lesenka.quarantine.lesenka.classes#0.1700000000001";
    h.local_storage_set(readable, &class(10, "6Г").to_string()).await?;
    h.reload().await?;
    h.goto("/data").await?;
    h.wait_until("return document.querySelectorAll('[data-testid=quarantined-key]').length === 2")
        .await?;
    let entries = h.all_testid("quarantined-key").await?;
    let mut target = None;
    for entry in entries {
        if entry.text().await?.contains("#0.") {
            target = Some(entry);
        }
    }
    let target = target.context("the readable entry")?;
    target
        .find(lesenka_tests::fantoccini::Locator::Css("[data-testid=quarantine-restore]"))
        .await?
        .click()
        .await?;
    h.wait_text_testid("quarantine-restore-result", "Данные возвращены и сохранены.").await?;
    ensure!(h.local_storage_get(readable).await?.is_none(), "forgotten once saved");
    let names = home_classes(&h).await?;
    ensure!(names.len() == 3 && names.iter().any(|n| n.contains("6Г")), "{names:?}");
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn a_read_only_export_carries_the_newer_data_untouched() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    let newer = "{\"format\":\"lesenka\",\"version\":99,\"kind\":\"classes\",\"payload\":[{\"id\":\"x\",\"future\":true}]}";
    h.local_storage_set("lesenka.classes", newer).await?;
    h.reload().await?;
    h.wait_for_testid("banner-read-only").await?;
    let file = export(&h).await?;
    let set_aside = file["payload"]["set_aside"].as_array().context("set_aside")?;
    let kept: Vec<&Json> = set_aside.iter().filter(|v| v["key"] == "lesenka.classes").collect();
    ensure!(kept.len() == 1, "{set_aside:?}");
    ensure!(kept[0]["reason"] == "newer" && kept[0]["text"] == newer, "{kept:?}");
    // A save in read-only mode is refused in Russian, with nothing English in it.
    h.goto("/classes/new").await?;
    h.fill_testid("class-name", "7А").await?;
    h.click_testid("save-class").await?;
    let error = h.text_of_testid("form-error").await?;
    ensure!(error.contains("более новой версией"), "{error}");
    ensure!(!error.chars().any(|c| c.is_ascii_alphabetic()), "English in «{error}»");
    ensure!(h.local_storage_get("lesenka.classes").await?.as_deref() == Some(newer));
    h.close().await;
    Ok(())
}
