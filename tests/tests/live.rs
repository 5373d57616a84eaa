//! A live lesson over a real school server: `lesenka serve` (the built binary, a temporary
//! SQLite data directory, an account made by `--create-admin`) serves `dist/`; the teacher's
//! window signs in (a wrong password is refused in words), opens a светофор on a criterion with
//! the class list, two tablets (separate Chromium sessions and profiles) join by the code — one
//! by the QR code's address, one typing it after a wrong code — and answer; one reloads
//! mid-lesson and answers again under the same token (no second participant, no duplicate), the
//! projector shows the right counts with no student's name anywhere in the page, a locked room
//! refuses a join, a removed tablet's answer leaves the board, and closing puts the session's
//! record into the teacher's journal (still there after a reload); a tablet answering after the
//! close is told the lesson is over. axe on the new views; screenshots of the projector at
//! 1280×720 and of the join page at 768×1024.
//!
//! A second flow runs an anonymous poll across a server crash: the tablet joins with no name to
//! pick, answers, and keeps answering while the server is down (the answer waits in its queue,
//! also across a reload); once the server is back on the same database the queue is resent, the
//! projector's socket reconnects, and the counts are right; closing gives the count and no
//! record.
//!
//! Needs `cargo xtask dist` and `cargo build -p lesenka` first (`LESENKA_BIN` names another
//! binary; the server is `lesenka_tests::school`); testids in app/TESTIDS.md.

use std::path::PathBuf;

use anyhow::{Context, Result, bail, ensure};
use lesenka_tests::fantoccini::Locator;
use lesenka_tests::flows::{bar_counts, create_class, create_lesson, no_violations, viewport};
use lesenka_tests::school::{LOGIN, PASSWORD, School};
use lesenka_tests::serde_json::Value as Json;
use lesenka_tests::{Harness, Options, testid};

fn shots() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots")
}

/// Clicks the pick-list button with this name.
async fn pick(h: &Harness, name: &str) -> Result<()> {
    h.wait_for_css("[data-testid^=\"live-pick-\"]").await?;
    for button in h.client().find_all(Locator::Css("[data-testid^=\"live-pick-\"]")).await? {
        if button.text().await?.trim() == name {
            button.click().await?;
            return Ok(());
        }
    }
    bail!("no {name} on the pick list")
}

async fn link_state(h: &Harness, state: &str) -> Result<()> {
    h.wait_until(&format!(
        "return document.querySelector('{}')?.dataset.state === '{state}'",
        testid("live-link")
    ))
    .await
    .with_context(|| format!("waiting for the link to be {state}"))?;
    Ok(())
}

/// Waits until the tablet's queue is empty and its last answer acknowledged.
async fn acked(h: &Harness) -> Result<()> {
    h.wait_until(&format!(
        "const t = JSON.parse(localStorage.getItem('lesenka.live.tablet') || 'null'); \
         return !!t && t.payload.queue.length === 0 \
           && document.querySelector('{}')?.dataset.state === 'acked'",
        testid("live-link")
    ))
    .await
    .context("waiting for the ack")?;
    Ok(())
}

/// What the tablet keeps in storage: (next seq, queued answers).
async fn stored_tablet(h: &Harness) -> Result<(i64, usize)> {
    let text = h.local_storage_get("lesenka.live.tablet").await?.context("no tablet stored")?;
    let envelope: Json = lesenka_tests::serde_json::from_str(&text)?;
    let tablet = envelope.get("payload").context("an envelope")?;
    let next = tablet.get("next_seq").and_then(Json::as_i64).context("next_seq")?;
    let queued = tablet.get("queue").and_then(Json::as_array).map_or(0, Vec::len);
    Ok((next, queued))
}

#[tokio::test]
async fn a_live_lesson_from_two_tablets_reaches_the_teachers_journal() -> Result<()> {
    let school = School::start()?;
    let teacher =
        Harness::start_with(Options::default().with_window(1280, 720).against(&school.url)).await?;
    let names = ["Анна Иванова", "Борис Петров", "Вера Сидорова"];
    let class_path = create_class(&teacher, "5Б", &names.join("\n")).await?;
    let lesson_path = create_lesson(&teacher, "Дроби", "Сравниваю дроби").await?;

    // Sign in on the lesson page: a wrong password is refused in words.
    teacher.wait_for_testid("live-setup").await?;
    teacher.fill_testid("live-login", LOGIN).await?;
    teacher.fill_testid("live-password", "not the password").await?;
    teacher.click_testid("live-sign-in-submit").await?;
    teacher.wait_text_testid("live-error", "Неверный логин или пароль.").await?;
    teacher.fill_testid("live-password", PASSWORD).await?;
    teacher.click_testid("live-sign-in-submit").await?;
    teacher.wait_for_testid("live-signed-in").await?;
    no_violations("live-setup", &teacher.axe("live-setup").await?)?;
    teacher.select_testid("choose-technique-live-0", "Светофор").await?;
    teacher.click_testid("run-technique-live-0").await?;
    teacher.wait_for_testid("live-code").await?;
    let code = teacher.text_of_testid("live-code").await?;
    ensure!(code.len() == 6 && code.bytes().all(|b| b.is_ascii_digit()), "code {code:?}");
    teacher
        .wait_until(&format!(
            "const i = document.querySelector('{}'); return i.complete && i.naturalWidth > 0",
            testid("live-qr")
        ))
        .await
        .context("the QR code image loads")?;

    // Tablet A comes by the QR code's address.
    let tablet_options = || Options::default().with_window(768, 1024).against(&school.url);
    let a = Harness::start_with(tablet_options()).await?;
    viewport(&a, 768, 1024).await?;
    a.goto(&format!("/s/join?code={code}")).await?;
    a.wait_for_testid("live-join-code").await?;
    let typed = a
        .execute(&format!("return document.querySelector('{}').value", testid("live-join-code")))
        .await?;
    ensure!(typed.as_str() == Some(code.as_str()), "the code from the address: {typed}");
    std::fs::create_dir_all(shots())?;
    a.screenshot(shots().join("live-join-768x1024.png")).await?;
    no_violations("live-join", &a.axe("live-join").await?)?;
    a.click_testid("live-join-submit").await?;
    pick(&a, names[0]).await?;
    a.wait_for_testid("self-0-green").await?;
    let height = a
        .execute(&format!(
            "return document.querySelector('{}').getBoundingClientRect().height",
            testid("self-0-green")
        ))
        .await?;
    ensure!(height.as_f64().unwrap_or(0.0) >= 44.0, "touch target {height}");
    a.click_testid("self-0-green").await?;
    acked(&a).await?;
    a.wait_text_testid("live-link", "Ответ получен ✓").await?;
    no_violations("live-answer", &a.axe("live-answer").await?)?;

    // Tablet B types the code, after a wrong one.
    let b = Harness::start_with(tablet_options()).await?;
    b.goto("/s/join").await?;
    let wrong = if code == "000000" { "111111" } else { "000000" };
    b.fill_testid("live-join-code", wrong).await?;
    b.click_testid("live-join-submit").await?;
    b.wait_text_testid("live-join-error", "Такого кода нет. Проверьте цифры на экране.").await?;
    b.fill_testid("live-join-code", &code).await?;
    b.click_testid("live-join-submit").await?;
    b.wait_for_css("[data-testid^=\"live-pick-\"]").await?;
    no_violations("live-pick", &b.axe("live-pick").await?)?;
    pick(&b, names[1]).await?;
    b.click_testid("self-0-red").await?;
    acked(&b).await?;

    // Tablet A reloads mid-lesson: the same participant, its choice shown, numbering goes on.
    a.reload().await?;
    a.wait_for_testid("self-0-green").await?;
    assert_eq!(a.attr_of_testid("self-0-green", "aria-pressed").await?.as_deref(), Some("true"));
    assert_eq!(stored_tablet(&a).await?, (2, 0));
    a.click_testid("self-0-yellow").await?;
    acked(&a).await?;
    assert_eq!(stored_tablet(&a).await?, (3, 0));

    // The teacher's screen: two joined (not three), two answered, both named on the list.
    teacher.wait_text_testid("live-answered", "Ответили: 2 из 3").await?;
    teacher.wait_text_testid("live-joined", "Подключено планшетов: 2").await?;
    teacher
        .wait_until(&format!(
            "return document.querySelectorAll('{}').length === 2",
            testid("live-participant")
        ))
        .await?;
    let list = teacher.text_of_testid("live-participants").await?;
    ensure!(list.contains(names[0]) && list.contains(names[1]), "{list}");

    // The projector: the counts, the code, no name anywhere in the page.
    viewport(&teacher, 1280, 720).await?;
    teacher.click_testid("live-projector").await?;
    teacher.wait_for_testid("live-board").await?;
    assert_eq!(bar_counts(&teacher, &["green", "yellow", "red"]).await?, ["0", "1", "1"]);
    assert_eq!(teacher.text_of_testid("live-board-code").await?, code);
    teacher.wait_text_testid("live-board-answered", "Ответили: 2 из 3").await?;
    let html = teacher.execute("return document.documentElement.outerHTML").await?;
    let html = html.as_str().unwrap_or_default();
    for name in names {
        for part in name.split(' ') {
            ensure!(!html.contains(part), "{part} is in the projector's page");
        }
    }
    // One screen: the code and the counts inside the window, nothing cut off.
    let fits = teacher
        .execute(&format!(
            "const r = id => document.querySelector(id).getBoundingClientRect(); \
             return [r('{}').right, r('{}').bottom, innerWidth, innerHeight]",
            testid("live-board-code"),
            testid("live-board-joined")
        ))
        .await?;
    let fits: Vec<f64> = fits.as_array().into_iter().flatten().filter_map(Json::as_f64).collect();
    let [right, bottom, width, height] = fits[..] else { bail!("the board's box: {fits:?}") };
    ensure!(
        right <= width && bottom <= height,
        "the projector board does not fit {width}×{height}: code to {right}, counts to {bottom}"
    );
    teacher.screenshot(shots().join("live-projector-1280x720.png")).await?;
    no_violations("live-board", &teacher.axe("live-board").await?)?;
    teacher.click_testid("live-board-exit").await?;

    // A locked room refuses a join, in words.
    teacher.click_testid("live-lock").await?;
    teacher.wait_text_testid("live-lock", "Открыть вход").await?;
    b.click_testid("live-leave").await?;
    b.fill_testid("live-join-code", &code).await?;
    b.click_testid("live-join-submit").await?;
    b.wait_text_testid("live-join-error", "Учитель закрыл вход на урок.").await?;

    // Removing Борис's tablet takes his answer off the board.
    teacher.wait_for_testid("live-participant").await?;
    for row in teacher.all_testid("live-participant").await? {
        if row.text().await?.contains(names[1]) {
            row.find(Locator::Css("button")).await?.click().await?;
        }
    }
    teacher.wait_text_testid("live-answered", "Ответили: 1 из 3").await?;

    // Closing: the session's record lands in the journal, «Сохранено» as storage took it.
    teacher.click_testid("live-close").await?;
    teacher.wait_text_testid("saved-notice", "Сохранено: 1 запись").await?;
    teacher.wait_for_testid("run-technique-live-0").await?;
    // Tablet A, answering after the close, is told the lesson is over.
    a.click_testid("self-0-green").await?;
    link_state(&a, "refused").await?;
    a.wait_text_testid("live-link", "Урок уже завершён.").await?;

    teacher.reload().await?;
    teacher.goto(&class_path).await?;
    teacher.wait_for_testid("evidence-table").await?;
    let mut values = Vec::new();
    for el in teacher.all_testid("evidence-value").await? {
        values.push(el.text().await?);
    }
    ensure!(values.len() == 1 && values[0].starts_with("Жёлт"), "evidence {values:?}");
    teacher.goto(&lesson_path).await?;
    teacher.wait_for_testid("lesson-title").await?;

    a.close().await;
    b.close().await;
    teacher.close().await;
    drop(school);
    Ok(())
}

#[tokio::test]
async fn an_anonymous_poll_survives_a_server_crash_with_a_tablet_offline() -> Result<()> {
    let mut school = School::start()?;
    let teacher =
        Harness::start_with(Options::default().with_window(1280, 800).against(&school.url)).await?;
    let names = ["Анна Иванова", "Борис Петров", "Вера Сидорова"];
    let class_path = create_class(&teacher, "6А", &names.join("\n")).await?;
    create_lesson(&teacher, "Проценты", "Нахожу процент от числа").await?;
    teacher.wait_for_testid("live-setup").await?;
    teacher.fill_testid("live-login", LOGIN).await?;
    teacher.fill_testid("live-password", PASSWORD).await?;
    teacher.click_testid("live-sign-in-submit").await?;
    teacher.wait_for_testid("live-signed-in").await?;
    teacher.click_testid("live-anonymous").await?;
    teacher.select_testid("choose-technique-live-0", "Светофор").await?;
    teacher.click_testid("run-technique-live-0").await?;
    teacher.wait_for_testid("live-room-anonymous").await?;
    let code = teacher.text_of_testid("live-code").await?;

    // The tablet joins by code and answers at once: no class list, no name anywhere.
    let a =
        Harness::start_with(Options::default().with_window(768, 1024).against(&school.url)).await?;
    a.goto(&format!("/s/join?code={code}")).await?;
    a.wait_for_service_worker().await?;
    a.click_testid("live-join-submit").await?;
    a.wait_for_testid("self-0-green").await?;
    let picks = a
        .execute("return document.querySelectorAll('[data-testid^=\"live-pick-\"]').length")
        .await?;
    ensure!(picks.as_u64() == Some(0), "an anonymous session lists no names: {picks}");
    let html = a.execute("return document.documentElement.outerHTML").await?;
    for name in names {
        ensure!(!html.as_str().unwrap_or_default().contains(name), "{name} on the tablet");
    }
    a.click_testid("self-0-green").await?;
    acked(&a).await?;
    teacher.wait_text_testid("live-answered", "Ответили: 1 из 3").await?;

    // The server crashes: the tablet's new answer waits in its queue, also across a reload.
    school.kill()?;
    teacher.wait_for_testid("live-socket").await?;
    teacher
        .wait_text_testid("live-socket", "Связь с сервером прервалась, переподключаемся…")
        .await?;
    a.click_testid("self-0-red").await?;
    link_state(&a, "offline").await?;
    ensure!(stored_tablet(&a).await? == (3, 1), "one answer queued under seq 2");
    a.reload().await?;
    a.wait_for_testid("self-0-red").await?;
    ensure!(stored_tablet(&a).await? == (3, 1), "the queue survives a reload offline");

    // Back on the same database: the queue goes out, the projector reconnects and resyncs.
    school.restart()?;
    acked(&a).await?;
    assert_eq!(a.attr_of_testid("self-0-red", "aria-pressed").await?.as_deref(), Some("true"));
    teacher.wait_text_testid("live-socket", "Проектор получает ответы").await?;
    teacher.wait_text_testid("live-answered", "Ответили: 1 из 3").await?;
    assert_eq!(bar_counts(&teacher, &["green", "yellow", "red"]).await?, ["0", "0", "1"]);

    // Closing gives the count and no record.
    teacher.click_testid("live-close").await?;
    teacher
        .wait_text_testid(
            "live-anonymous-closed",
            "Анонимный опрос завершён, ответов: 1. В журнал он не записывается.",
        )
        .await?;
    ensure!(teacher.count_testid("saved-notice").await? == 0, "nothing saved");
    teacher.goto(&class_path).await?;
    teacher.wait_for_testid("class-title").await?;
    ensure!(teacher.count_testid("evidence-value").await? == 0, "no record in the journal");

    a.close().await;
    teacher.close().await;
    drop(school);
    Ok(())
}
