//! Members' data reaching the ПОС leader through a real school server (`lesenka_tests::school`):
//! the leader pastes a plan, signs in on the ПОС page and opens the plan's mailbox; a member
//! (another account, another browser) records a lesson, signs in on the «Данные» page and sends
//! their data to that community; the leader sees the file and takes it in, and holds exactly the
//! member's lessons and records (checked against the member's own export, read with core);
//! taking it in again adds nothing. axe on both new cards.
//!
//! Needs `cargo xtask dist` and `cargo build -p lesenka` first; testids in app/TESTIDS.md.

use anyhow::{Result, ensure};
use lesenka_tests::flows::{
    app_ready, create_class, create_lesson, exported, no_violations, record_mix, screenshots,
};
use lesenka_tests::school::{LOGIN, PASSWORD, School};
use lesenka_tests::serde_json::json;
use lesenka_tests::{Harness, Options};

const MEMBER: &str = "member";
const MEMBER_PASSWORD: &str = "a member's long password";

const PLAN: &str = "План работы ПОС на 2026-2027 учебный год
Цель: повышение качества образования через формирующее оценивание.
№\tМероприятия\tСроки\tОтветственный\tПланируемый результат
1\tСеминар «Критерии оценивания»\tСентябрь\tИванова И.И.\tКритерии к урокам
2\tОткрытый урок по математике\tНоябрь\tПетрова П.П.\tПротокол наблюдения
";

/// Makes the member's account with the signed-in administrator's session of `h`.
async fn create_member(h: &Harness) -> Result<()> {
    let js = "const done = arguments[arguments.length - 1];
        (async () => {
            const me = await (await fetch('/api/auth/me')).json();
            const r = await fetch('/api/accounts', { method: 'POST',
                headers: { 'content-type': 'application/json', 'x-csrf-token': me.csrf },
                body: JSON.stringify({ login: arguments[0], password: arguments[1], role: 'teacher' }) });
            done(r.status);
        })().catch(e => done(String(e)));";
    let status = h.client().execute_async(js, vec![json!(MEMBER), json!(MEMBER_PASSWORD)]).await?;
    ensure!(status.as_u64() == Some(201), "creating the member's account: {status}");
    Ok(())
}

#[tokio::test]
async fn a_members_data_reaches_the_leader_through_the_school_server() -> Result<()> {
    let school = School::start()?;
    let options = || Options::default().with_window(1280, 900).against(&school.url);

    // The leader: a plan, then the ПОС page's mailbox, signed in and opened.
    let leader = Harness::start_with(options()).await?;
    leader.goto("/").await?;
    app_ready(&leader).await?;
    leader.goto("/pos/import").await?;
    leader.fill_testid("plan-paste", PLAN).await?;
    leader.click_testid("plan-accept").await?;
    leader.wait_for_testid("pos-calendar").await?;
    leader.wait_for_testid("pos-mailbox").await?;
    leader.fill_testid("pos-server-login", LOGIN).await?;
    leader.fill_testid("pos-server-password", PASSWORD).await?;
    leader.click_testid("pos-server-sign-in-submit").await?;
    leader.click_testid("pos-mailbox-open").await?;
    leader.wait_for_testid("pos-mailbox-empty").await?;
    no_violations("pos-mailbox", &leader.axe("pos-mailbox").await?)?;
    leader.screenshot(screenshots()?.join("pos-mailbox-1280x900.png")).await?;
    create_member(&leader).await?;

    // The member: a lesson with a светофор of 4, then «Данные» → send to the community.
    let member = Harness::start_with(options()).await?;
    create_class(&member, "7В", "Анна Иванова\nБорис Петров\nВера Сидорова\nГлеб Орлов").await?;
    create_lesson(&member, "Степени", "Возвожу в степень").await?;
    member.click_testid("run-traffic-light-0").await?;
    record_mix(&member, &[("green", 2), ("yellow", 1), ("red", 1)]).await?;
    member.click_testid("close-technique").await?;
    member.wait_text_testid("saved-notice", "Сохранено: 4 записи").await?;
    let members_data = exported(&member).await?;
    member.goto("/data").await?;
    member.wait_for_testid("pos-send").await?;
    member.fill_testid("pos-send-login", MEMBER).await?;
    member.fill_testid("pos-send-password", "not the password").await?;
    member.click_testid("pos-send-sign-in-submit").await?;
    member.wait_text_testid("pos-send-error", "Неверный логин или пароль.").await?;
    member.fill_testid("pos-send-password", MEMBER_PASSWORD).await?;
    member.click_testid("pos-send-sign-in-submit").await?;
    member.wait_for_testid("pos-send-community").await?;
    let choice = member.text_of_testid("pos-send-community").await?;
    ensure!(choice.contains("План работы ПОС") && choice.contains(LOGIN), "{choice}");
    member.click_testid("pos-send-submit").await?;
    member.wait_for_testid("pos-send-result").await?;
    let said = member.text_of_testid("pos-send-result").await?;
    ensure!(said.starts_with("Отправлено в «План работы ПОС"), "{said}");
    no_violations("pos-send", &member.axe("pos-send").await?)?;
    member.screenshot(screenshots()?.join("pos-send-1280x900.png")).await?;

    // The leader sees the member's file and takes it in: the member's lessons and records.
    leader.reload().await?;
    leader.wait_for_testid("pos-mailbox-file").await?;
    let files = leader.text_of_testid("pos-mailbox-files").await?;
    ensure!(files.contains(MEMBER), "{files}");
    let before = exported(&leader).await?;
    leader.click_testid("pos-mailbox-take").await?;
    leader.wait_for_testid("pos-mailbox-result").await?;
    let result = leader.text_of_testid("pos-mailbox-result").await?;
    ensure!(result.starts_with("member: "), "{result}");
    let after = exported(&leader).await?;
    ensure!(
        after.evidence.len() == before.evidence.len() + members_data.evidence.len(),
        "{} records after, {} before, the member holds {} ({result})",
        after.evidence.len(),
        before.evidence.len(),
        members_data.evidence.len()
    );
    for record in members_data.evidence.iter() {
        ensure!(after.evidence.get(record.id()).is_some(), "record {} is missing", record.id());
    }
    ensure!(after.lessons.len() == before.lessons.len() + members_data.lessons.len());

    // Taking it in again changes nothing.
    leader.click_testid("pos-mailbox-take").await?;
    leader
        .wait_until(
            "return [...document.querySelectorAll('[data-testid=\"pos-mailbox-result\"]')].length === 1",
        )
        .await?;
    let again = exported(&leader).await?;
    ensure!(again.evidence.len() == after.evidence.len(), "a second take-in added records");
    ensure!(again.lessons.len() == after.lessons.len(), "a second take-in added lessons");

    member.close().await;
    leader.close().await;
    drop(school);
    Ok(())
}
