//! Smoke tests of the built app: it loads, mounts, speaks Russian, and opens offline after the
//! first visit (service worker). Needs `cargo xtask dist` (or runs inside `cargo xtask test`).

use lesenka_tests::{Harness, Options};

/// JavaScript: the app has mounted something into <body> besides the page template's own
/// script/noscript elements.
const MOUNTED: &str = "return !!document.body.querySelector(\
    ':scope > :not(script):not(noscript):not(link):not(template):not(#boot-shell)')";

#[tokio::test]
async fn app_loads_and_mounts_its_root() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    h.wait_until(MOUNTED).await?;
    // The app's shell (app/TESTIDS.md): the home link in the top bar.
    h.wait_for_testid("nav-home").await?;
    let shell = h.execute("return document.getElementById('boot-shell') === null").await?;
    assert_eq!(shell.as_bool(), Some(true), "the loading shell gives way to the app on mount");
    assert_eq!(h.client().title().await?, "Лесенка");
    let lang = h.execute("return document.documentElement.lang").await?;
    assert_eq!(lang.as_str(), Some("ru"));
    let nav_lang = h.execute("return navigator.language").await?;
    assert_eq!(nav_lang.as_str(), Some("ru-RU"), "the browser runs in Russian");
    let manifest = h.execute("return document.querySelector('link[rel=manifest]').href").await?;
    assert!(manifest.as_str().is_some_and(|m| m.ends_with("/manifest.webmanifest")));
    let errors = h.console_errors()?;
    assert!(errors.is_empty(), "console errors: {errors:#?}");
    // Kept for a human look: target/screenshots/home-ru.png.
    let shots = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots");
    h.screenshot(shots.join("home-ru.png")).await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn deep_links_fall_back_to_the_app() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.goto("/some/deep/link").await?;
    h.wait_until(MOUNTED).await?;
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn opens_offline_after_the_first_visit() -> anyhow::Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    h.wait_until(MOUNTED).await?;
    h.wait_for_service_worker().await?;
    h.set_offline(true);
    h.reload().await?;
    h.wait_until(MOUNTED).await?;
    h.goto("/another/path").await?;
    h.wait_until(MOUNTED).await?;
    // Pages never opened online: their lazily loaded code comes from the service worker's cache.
    for (path, testid) in [("/techniques", "catalogue"), ("/data", "storage-meter")] {
        h.goto(path).await?;
        h.wait_for_testid(testid).await?;
    }
    h.set_offline(false);
    h.close().await;
    Ok(())
}

#[tokio::test]
async fn english_browser_and_local_storage_helpers() -> anyhow::Result<()> {
    let h = Harness::start_with(Options::english()).await?;
    h.goto("/").await?;
    h.wait_until(MOUNTED).await?;
    let nav_lang = h.execute("return navigator.language").await?;
    assert_eq!(nav_lang.as_str(), Some("en-US"));
    h.local_storage_set("lesenka-harness-probe", "лесенка").await?;
    assert_eq!(h.local_storage_get("lesenka-harness-probe").await?.as_deref(), Some("лесенка"));
    assert!(h.local_storage_keys().await?.contains(&"lesenka-harness-probe".to_string()));
    assert_eq!(h.local_storage_get("absent-key").await?, None);
    h.execute("console.error('lesenka-harness-probe')").await?;
    let errors = h.console_errors()?;
    assert!(errors.iter().any(|e| e.contains("lesenka-harness-probe")), "{errors:?}");
    let shot = std::env::temp_dir().join(format!("lesenka-smoke-{}.png", std::process::id()));
    h.screenshot(&shot).await?;
    let png = std::fs::read(&shot)?;
    assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
    std::fs::remove_file(&shot)?;
    h.close().await;
    Ok(())
}
