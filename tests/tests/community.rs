//! The community (ПОС) pages against core: each sample plan pasted on `/pos/import` shows what
//! core's `import_plan` reads from the same text (events beside the lines it could not read),
//! a fixed row is saved as edited and kept over a reload; two members' bundles imported on
//! `/pos` (one of them twice, and a newer version's refused) make the goals' indicators equal
//! core's `measure` over the same records, plan and date; an observation protocol of the
//! plan's open lesson moves the open-lesson indicator as core computes it.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, ensure};
use chrono::NaiveDate;
use lesenka_core::persist::backup::Backup;
use lesenka_core::plan::{
    EventKind, GoalInputs, Indicator, Month, Period, Plan, import_plan, lessons_behind, measure,
};
use lesenka_tests::flows::{app_ready, exported};
use lesenka_tests::seed::{Seeded, class_year};
use lesenka_tests::{Harness, testid};
use serde_json::{Value as Json, json};

/// A small plan as a Word table pastes it (a header row, tab-separated cells), used besides
/// the shared samples.
const SMALL_PLAN: &str = "План работы ПОС на 2026-2027 учебный год
Цель: повышение качества образования через формирующее оценивание.
Задачи:
1. Использовать приёмы формирующего оценивания на уроках.
2. Провести открытые уроки.
№\tМероприятия\tСроки\tОтветственный\tПланируемый результат
1\tСеминар «Критерии оценивания»\tСентябрь\tИванова И.И.\tКритерии к урокам
2\tОткрытый урок по математике\tНоябрь\tПетрова П.П.\tПротокол наблюдения
3\tАнализ работы ПОС за год\tМай\tИванова И.И.\tАналитическая справка
";

/// The shared sample plans, when the shared fixtures are there.
fn sample_plans() -> Result<Vec<(String, String)>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/fixtures/plans");
    let mut out = vec![("small".to_string(), SMALL_PLAN.to_string())];
    if dir.is_dir() {
        let mut files: Vec<PathBuf> =
            std::fs::read_dir(&dir)?.map(|e| e.map(|e| e.path())).collect::<Result<_, _>>()?;
        files.sort();
        for f in files {
            let name = f.file_stem().and_then(|s| s.to_str()).unwrap_or("plan").to_string();
            out.push((name, std::fs::read_to_string(&f)?));
        }
    }
    Ok(out)
}

/// The values of the inputs whose test id is `plan-event-{k}-{field}`, in row order.
async fn row_values(h: &Harness, field: &str) -> Result<Vec<String>> {
    let js = "return [...document.querySelectorAll('[data-testid^=\"plan-event-\"]')]
        .filter(e => e.dataset.testid.endsWith('-' + arguments[0]) && /^plan-event-\\d+-/.test(e.dataset.testid))
        .map(e => e.value);";
    let v = h.execute_with(js, vec![json!(field)]).await?;
    Ok(v.as_array()
        .context("values")?
        .iter()
        .map(|x| x.as_str().unwrap_or_default().to_string())
        .collect())
}

/// Today in the browser (the app's clock).
async fn browser_today(h: &Harness) -> Result<NaiveDate> {
    let v = h
        .execute("const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()];")
        .await?;
    let n = |i: usize| v[i].as_i64().context("date part");
    NaiveDate::from_ymd_opt(n(0)? as i32, n(1)? as u32, n(2)? as u32).context("today")
}

/// Pastes `text` on the import screen and checks the screen shows what core reads from it.
async fn paste_and_compare(h: &Harness, name: &str, text: &str) -> Result<usize> {
    h.goto("/pos/import").await?;
    h.fill_testid("plan-paste", text).await?;
    let core = import_plan(text);
    let events = core.events.len();
    h.wait_until(&format!(
        "return document.querySelectorAll('[data-testid=\"plan-events\"] > li').length === {events}"
    ))
    .await
    .with_context(|| format!("{name}: {events} event rows"))?;
    let titles = row_values(h, "title").await?;
    let wanted: Vec<String> = core.events.iter().map(|e| e.title.clone()).collect();
    ensure!(titles == wanted, "{name}: titles {titles:?} ≠ core's {wanted:?}");
    let periods = row_values(h, "period").await?;
    let wanted: Vec<String> = core
        .events
        .iter()
        .map(|e| e.period.as_ref().map_or_else(|| e.period_text.clone(), ToString::to_string))
        .collect();
    ensure!(periods == wanted, "{name}: periods {periods:?} ≠ core's {wanted:?}");
    let responsible = row_values(h, "responsible").await?;
    let wanted: Vec<String> =
        core.events.iter().map(|e| e.responsible.clone().unwrap_or_default()).collect();
    ensure!(responsible == wanted, "{name}: responsible {responsible:?} ≠ {wanted:?}");
    let problems = h.count_testid("plan-problem").await?;
    ensure!(
        problems == core.problems.len(),
        "{name}: {problems} problems ≠ {}",
        core.problems.len()
    );
    Ok(events)
}

#[tokio::test]
async fn each_sample_plan_shows_what_core_reads_and_a_fixed_row_is_kept() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    let mut saved = 0;
    for (n, (name, text)) in sample_plans()?.into_iter().enumerate() {
        let events = paste_and_compare(&h, &name, &text).await?;
        if events == 0 {
            // Nothing to save: accepting says so instead of saving an empty plan.
            h.click_testid("plan-accept").await?;
            ensure!(!h.text_of_testid("form-error").await?.is_empty(), "{name}: no refusal");
            continue;
        }
        let fixed = format!("Исправленное мероприятие {n}");
        h.fill_testid("plan-event-0-title", &fixed).await?;
        h.fill_testid("plan-event-0-period", "Октябрь").await?;
        h.select_testid("plan-event-0-kind", EventKind::Seminar.russian()).await?;
        h.fill_testid("plan-event-0-responsible", "Сидорова С.С.").await?;
        h.click_testid("plan-accept").await?;
        h.wait_for_testid("pos-calendar").await?;
        let october = h.text_of_testid("pos-month-10").await?;
        ensure!(october.contains(&fixed), "{name}: October shows {october:?}");
        saved += 1;

        h.reload().await?;
        app_ready(&h).await?;
        h.wait_for_testid("pos-calendar").await?;
        let backup = exported(&h).await?;
        ensure!(backup.plans.len() == saved, "{name}: {} plans stored", backup.plans.len());
        let kept = backup
            .plans
            .iter()
            .flat_map(|p| &p.draft().events)
            .find(|e| e.title.as_str() == fixed)
            .with_context(|| format!("{name}: the fixed row was not kept"))?;
        ensure!(kept.period == Period::Month(Month::October), "{name}: {:?}", kept.period);
        ensure!(kept.kind == EventKind::Seminar, "{name}: {:?}", kept.kind);
        ensure!(kept.responsible.as_ref().map(|r| r.as_str()) == Some("Сидорова С.С."));
        let plan = backup.plans.iter().find(|p| p.draft().events.contains(kept)).context("plan")?;
        ensure!(
            plan.draft().events.len() == events,
            "{name}: {} events saved of {events}",
            plan.draft().events.len()
        );
    }
    ensure!(saved >= 1, "no plan was saved");
    h.close().await;
    Ok(())
}

/// A member's bundle: `seeded` with its ids moved by `shift` (a second teacher's class, lessons,
/// students and records).
fn bundle(seeded: &Seeded, shift: Option<&[(&str, &str)]>) -> String {
    let mut text = seeded.backup_text();
    for (from, to) in shift.unwrap_or(&[]) {
        text = text.replace(from, to);
    }
    text
}

/// The outcome shown of the last bundle import: its test id and text (empty when none yet).
async fn outcome(h: &Harness) -> Result<(String, String)> {
    let v = h
        .execute(
            "const e = document.querySelector('[data-testid=\"pos-bundle-result\"],[data-testid=\"pos-bundle-error\"]');
             return e ? [e.dataset.testid, e.textContent] : ['', ''];",
        )
        .await?;
    Ok((v[0].as_str().unwrap_or_default().into(), v[1].as_str().unwrap_or_default().into()))
}

/// Uploads `text` through the ПОС page's bundle input; returns the outcome's test id and text
/// once it differs from the one shown before.
async fn upload(h: &Harness, text: &str, name: &str) -> Result<(String, String)> {
    let file = std::env::temp_dir().join(format!("lesenka-pos-{name}-{}.json", std::process::id()));
    std::fs::write(&file, text)?;
    let before = outcome(h).await?;
    let input = h.wait_for_testid("pos-bundle-file").await?;
    input.send_keys(&file.display().to_string()).await?;
    let deadline = std::time::Instant::now() + h.timeout();
    let now = loop {
        let now = outcome(h).await?;
        if now != before && !now.0.is_empty() {
            break now;
        }
        ensure!(
            std::time::Instant::now() < deadline,
            "bundle {name}: no new outcome (still {before:?}); console: {:?}",
            h.console_errors()?
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    std::fs::remove_file(&file)?;
    Ok(now)
}

/// Every indicator's shown current value, by test id.
async fn shown_indicators(h: &Harness) -> Result<Vec<(String, u32, u32)>> {
    let v: Json = h
        .execute(
            "return [...document.querySelectorAll('li[data-testid^=\"indicator-\"]')]
                .map(e => [e.dataset.testid, +e.dataset.current, +e.dataset.target]);",
        )
        .await?;
    Ok(v.as_array()
        .context("indicators")?
        .iter()
        .map(|x| {
            (
                x[0].as_str().unwrap_or_default().to_string(),
                x[1].as_u64().unwrap_or(u64::MAX) as u32,
                x[2].as_u64().unwrap_or(u64::MAX) as u32,
            )
        })
        .collect())
}

/// The indicators core computes for `plan` over `backup`'s evidence as of `today`.
fn core_indicators(plan: &Plan, backup: &Backup, today: NaiveDate) -> Vec<(String, u32, u32)> {
    let evidence: Vec<_> = backup.evidence.iter().cloned().collect();
    let d = plan.draft();
    let inputs = plan.goal_inputs(today, &evidence, &[], 0);
    d.goals
        .iter()
        .enumerate()
        .flat_map(|(g, goal)| {
            goal.indicators.iter().enumerate().map(move |(i, ind)| (g, i, ind.clone()))
        })
        .map(|(g, i, ind)| {
            let m = measure(&ind, &inputs);
            (format!("indicator-{g}-{i}"), m.current, m.target)
        })
        .collect()
}

#[tokio::test]
async fn members_bundles_count_once_and_indicators_are_cores() -> Result<()> {
    let h = Harness::start().await?;
    h.goto("/").await?;
    app_ready(&h).await?;
    let today = browser_today(&h).await?;
    let year = lesenka_core::plan::current_year(today).context("year")?;

    // A plan of this school year, its goals suggested from its wording.
    let plan_text = SMALL_PLAN.replace("2026-2027", &format!("{}-{}", year.start(), year.end()));
    paste_and_compare(&h, "small", &plan_text).await?;
    h.click_testid("plan-accept").await?;
    h.wait_for_testid("pos-calendar").await?;
    h.click_testid("pos-suggest-goals").await?;
    h.wait_for_testid("indicator-0-0").await?;

    let empty = exported(&h).await?;
    let plan = empty.plans.last().context("plan")?;
    ensure!(shown_indicators(&h).await? == core_indicators(plan, &empty, today));

    let a = class_year(3, 14, 1, 7)?;
    let b = class_year(2, 10, 1, 11)?;
    let shift: &[(&str, &str)] = &[
        ("c1a55000-0000-0000-0000-000000000001", "c1a55000-0000-0000-0000-000000000002"),
        ("1e550000-", "1e560000-"),
        ("0e000000-", "0e100000-"),
        ("57000000-", "57100000-"),
    ];
    let (a_text, b_text) = (bundle(&a, None), bundle(&b, Some(shift)));
    let (id, said) = upload(&h, &a_text, "a").await?;
    ensure!(id == "pos-bundle-result", "bundle A: {said}");
    let (id, said) = upload(&h, &b_text, "b").await?;
    ensure!(id == "pos-bundle-result", "bundle B: {said}");
    let before = exported(&h).await?;
    let (id, said) = upload(&h, &a_text, "a-again").await?;
    ensure!(id == "pos-bundle-result", "bundle A again: {said}");
    let after = exported(&h).await?;
    ensure!(
        after.evidence.len() == a.records.len() + b.records.len(),
        "{} records held, {} + {} imported",
        after.evidence.len(),
        a.records.len(),
        b.records.len()
    );
    ensure!(before.evidence.len() == after.evidence.len(), "the second import added records");
    ensure!(before.lessons.len() == after.lessons.len(), "the second import added lessons");

    // A bundle from a newer version is refused in words, and nothing changes.
    let mut newer: Json = serde_json::from_str(&a_text)?;
    let version = newer["version"].as_u64().context("version")? + 1;
    newer["version"] = json!(version);
    let (id, said) = upload(&h, &newer.to_string(), "newer").await?;
    ensure!(id == "pos-bundle-error", "a newer bundle was taken: {said}");
    ensure!(said.contains(&version.to_string()) && said.contains("новой версией"), "{said}");
    ensure!(exported(&h).await?.evidence.len() == after.evidence.len());

    let backup = exported(&h).await?;
    let plan = backup.plans.last().context("plan")?;
    let wanted = core_indicators(plan, &backup, today);
    ensure!(!wanted.is_empty(), "no indicator was suggested");
    let shown = shown_indicators(&h).await?;
    ensure!(shown == wanted, "shown {shown:?} ≠ core's {wanted:?}");

    // The technique-use indicator drills down to the lessons behind it, as core lists them,
    // the students by pseudonym only.
    let d = plan.draft();
    let evidence: Vec<_> = backup.evidence.iter().cloned().collect();
    let inputs = GoalInputs {
        year: d.year,
        as_of: today,
        evidence: &evidence,
        events: &d.events,
        members: &d.members,
        protocols: &[],
        practices: &[],
        diagnostics: &[],
        satisfaction_responses: 0,
    };
    let (g, i, technique) = d
        .goals
        .iter()
        .enumerate()
        .find_map(|(g, goal)| {
            goal.indicators.iter().enumerate().find_map(|(i, ind)| match ind {
                Indicator::TechniqueUse { technique, .. } => Some((g, i, *technique)),
                _ => None,
            })
        })
        .context("no technique-use indicator was suggested")?;
    let behind = lessons_behind(technique, &inputs);
    let drill = format!("indicator-{g}-{i}-lessons");
    h.execute_with(
        "document.querySelector(arguments[0]).open = true;",
        vec![json!(testid(&drill))],
    )
    .await?;
    let rows: Json = h
        .execute_with(
            "return [...document.querySelectorAll(arguments[0] + ' [data-testid=\"behind-lesson\"]')]
                .map(r => [...r.cells].map(c => c.textContent));",
            vec![json!(testid(&drill))],
        )
        .await?;
    let rows = rows.as_array().context("rows")?;
    ensure!(rows.len() == behind.len(), "{} lessons shown, core: {}", rows.len(), behind.len());
    for (row, (_, _, records, students)) in rows.iter().zip(&behind) {
        ensure!(row[2] == json!(records.to_string()), "{row:?} ≠ {records} records");
        let who = row[3].as_str().unwrap_or_default();
        ensure!(who.split(", ").filter(|w| !w.is_empty()).count() == students.len(), "{who}");
    }
    let drill_text = h.text_of_testid(&drill).await?;
    for class in backup.classes.iter() {
        for st in class.students() {
            ensure!(!drill_text.contains(st.display_name.as_str()), "a real name is shown");
        }
    }

    // A target edited is saved and measured again by core.
    let (first, _, target) = shown[0].clone();
    h.fill_testid(&format!("{first}-target"), &(target + 1).to_string()).await?;
    h.execute_with(
        "document.querySelector(arguments[0]).dispatchEvent(new Event('change', { bubbles: true }));",
        vec![json!(testid(&format!("{first}-target")))],
    )
    .await?;
    h.wait_until(&format!(
        "return document.querySelector('[data-testid=\"{first}\"]').dataset.target === '{}'",
        target + 1
    ))
    .await?;
    let backup = exported(&h).await?;
    let plan = backup.plans.last().context("plan")?;
    ensure!(shown_indicators(&h).await? == core_indicators(plan, &backup, today));

    // Two members, then an observation protocol of the plan's open lesson: the open-lesson
    // indicator moves by one, as core computes it.
    for (n, (name, role)) in
        [("Иванова И.И.", "руководитель"), ("Петрова П.П.", "участник")].into_iter().enumerate()
    {
        h.fill_testid("member-name", name).await?;
        h.select_testid("member-role", role).await?;
        h.click_testid("add-member").await?;
        h.wait_until(&format!(
            "return document.querySelectorAll('[data-testid=\"pos-member\"]').length === {}",
            n + 1
        ))
        .await?;
    }
    let backup = exported(&h).await?;
    let plan = backup.plans.last().context("plan")?.clone();
    let (g, i) = plan
        .draft()
        .goals
        .iter()
        .enumerate()
        .find_map(|(g, goal)| {
            goal.indicators
                .iter()
                .position(|ind| matches!(ind, Indicator::OpenLessonsHeld { .. }))
                .map(|i| (g, i))
        })
        .context("no open-lesson indicator was suggested")?;
    let held_before = core_indicators(&plan, &backup, today)
        .into_iter()
        .find(|(id, ..)| *id == format!("indicator-{g}-{i}"))
        .context("indicator")?
        .1;
    let event = plan
        .draft()
        .events
        .iter()
        .find(|e| e.kind == EventKind::OpenLesson)
        .context("open lesson event")?;
    let (leader, member) = (plan.draft().members[0].id, plan.draft().members[1].id);
    let lesson = backup.lessons.first().context("lesson")?.id();
    for (select, value) in [
        ("protocol-event", event.id.to_string()),
        ("protocol-observer", leader.to_string()),
        ("protocol-teacher", member.to_string()),
        ("protocol-lesson", lesson.to_string()),
    ] {
        h.execute_with(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1];
             el.dispatchEvent(new Event('change', { bubbles: true }));",
            vec![json!(testid(select)), json!(value)],
        )
        .await?;
    }
    h.click_testid("protocol-seen-CriteriaStated").await?;
    h.click_testid("protocol-seen-FeedbackGiven").await?;
    h.click_testid("protocol-technique-TrafficLight").await?;
    h.fill_testid("protocol-comments", "Критерии на доске, светофор в конце урока").await?;
    h.click_testid("save-protocol").await?;
    h.wait_for_testid("protocol-saved").await?;
    let backup = exported(&h).await?;
    let plan = backup.plans.last().context("plan")?;
    let held = plan.event(event.id).context("event")?;
    ensure!(held.status == lesenka_core::plan::EventStatus::Done, "{:?}", held.status);
    ensure!(held.lesson == Some(lesson) && held.given_by == vec![member]);
    let wanted = core_indicators(plan, &backup, today);
    let held_after =
        wanted.iter().find(|(id, ..)| *id == format!("indicator-{g}-{i}")).context("indicator")?.1;
    ensure!(held_after == held_before + 1, "open lessons {held_before} → {held_after}");
    h.wait_until(&format!(
        "return document.querySelector('[data-testid=\"indicator-{g}-{i}\"]').dataset.current === '{held_after}'"
    ))
    .await?;
    ensure!(shown_indicators(&h).await? == wanted);
    h.close().await;
    Ok(())
}
