//! Concept maps as a teacher and students draw them: the teacher's map built by clicks in the
//! list editor and on the canvas (problems shown at their fields, then saved); a student's map
//! built on a 768×1024 tablet (add, link, rename, delete, undo, drag), saved, and the tablet back
//! at the name list; the score view's figures equal core's `score` on the same maps; a reload
//! keeps both maps. Per criterion: the teacher draws maps for two criteria of one lesson, a
//! student builds one for the second, and its score is core's against that criterion's map, not
//! the first's; the CSV names each map's criterion; a reload keeps everything; axe finds nothing
//! on the three pages with a criterion chosen. Needs `cargo xtask dist` first.

use anyhow::{Context, Result, ensure};
use lesenka_core::conceptmap::stored::{
    ConceptSynonyms, LessonMap, LessonMapDraft, MapAuthor, score,
};
use lesenka_core::conceptmap::{ConceptDraft, ConceptKind, MapDraft, PropositionDraft, Ratio};
use lesenka_core::ids::{ConceptId, ConceptMapId, CriterionId, LessonId, StudentId};
use lesenka_core::text::Lang;
use lesenka_tests::fantoccini::Locator;
use lesenka_tests::flows::{create_class, create_lesson, download, no_violations, roster};
use lesenka_tests::serde_json::{Value as Json, json};
use lesenka_tests::{Harness, Options};

/// Sets the `nth` element with `testid`'s value and fires `change` (a field left after typing).
async fn change_nth(h: &Harness, testid: &str, nth: usize, value: &str) -> Result<()> {
    h.wait_for_testid(testid).await?;
    let ok = h
        .execute_with(
            "const el = document.querySelectorAll(`[data-testid='${arguments[0]}']`)[arguments[1]];
             if (!el) return false;
             el.value = arguments[2];
             el.dispatchEvent(new Event('change', { bubbles: true }));
             return true;",
            vec![json!(testid), json!(nth), json!(value)],
        )
        .await?;
    ensure!(ok == json!(true), "no element {nth} with data-testid={testid}");
    Ok(())
}

/// Clicks the concept labelled `label` on the canvas.
async fn tap_node(h: &Harness, label: &str) -> Result<()> {
    let css = format!("[data-testid=map-node][data-label=\"{label}\"]");
    h.wait_for_css(&css).await?.click().await.with_context(|| format!("tapping {label}"))
}

/// Adds a concept with the canvas's tools.
async fn canvas_add(h: &Harness, label: &str) -> Result<()> {
    h.fill_testid("map-new-concept", label).await?;
    h.click_testid("map-add-concept").await?;
    h.wait_for_css(&format!("[data-testid=map-node][data-label=\"{label}\"]")).await?;
    Ok(())
}

/// Links two concepts on the canvas: tap one, tap the other, write the phrase.
async fn canvas_link(h: &Harness, from: &str, phrase: &str, to: &str) -> Result<()> {
    tap_node(h, from).await?;
    tap_node(h, to).await?;
    h.fill_testid("map-link-phrase", phrase).await?;
    h.click_testid("map-link-apply").await?;
    h.wait_for_css(&format!("[data-testid=map-link][data-phrase=\"{phrase}\"]")).await?;
    Ok(())
}

/// Adds a concept with the list editor.
async fn list_add(h: &Harness, label: &str) -> Result<()> {
    h.fill_testid("list-new-concept", label).await?;
    h.click_testid("list-add-concept").await?;
    h.wait_for_css(&format!("[data-testid=map-node][data-label=\"{label}\"]")).await?;
    Ok(())
}

/// The teacher's map of the lesson on the page, drawn by clicks: three concepts and
/// «растения» —выделяют→ «кислород» in the list editor, «растения» —поглощают→ «углекислый газ» on
/// the canvas, «растение» another wording of «растения». A duplicate concept is refused first,
/// its problem shown at it.
pub async fn draw_teacher_map(h: &Harness) -> Result<()> {
    h.click_testid("open-map").await?;
    h.wait_for_testid("map-teacher-page").await?;
    draw_photosynthesis(h).await
}

/// [`draw_teacher_map`]'s drawing, on the teacher's map page as it is.
async fn draw_photosynthesis(h: &Harness) -> Result<()> {
    list_add(h, "Растения").await?;
    list_add(h, "Кислород").await?;
    change_nth(h, "list-concept-variants", 0, "растение").await?;
    h.select_testid("list-new-from", "Растения").await?;
    h.fill_testid("list-new-phrase", "выделяют").await?;
    h.select_testid("list-new-to", "Кислород").await?;
    h.click_testid("list-add-link").await?;
    h.wait_for_css("[data-testid=map-link][data-phrase=\"выделяют\"]").await?;
    canvas_add(h, "Углекислый газ").await?;
    canvas_link(h, "Растения", "поглощают", "Углекислый газ").await?;
    // The same label twice: refused, the problem next to the later concept.
    list_add(h, "кислород").await?;
    h.click_testid("map-save").await?;
    h.wait_for_testid("map-refused").await?;
    let problem = h.text_of_testid("map-problem").await?;
    ensure!(problem.contains("Кислород"), "problem: {problem}");
    let rows = h.all_testid("list-concept").await?;
    let last = rows.last().context("rows")?;
    ensure!(last.find(Locator::Css("[data-testid=map-problem]")).await.is_ok());
    last.find(Locator::Css("[data-testid=list-concept-delete]")).await?.click().await?;
    h.wait_gone_testid("map-problem").await?;
    h.click_testid("map-save").await?;
    h.wait_for_testid("map-saved").await?;
    Ok(())
}

/// The teacher's map as drawn by [`draw_teacher_map`], in core's types.
fn teacher_map(lesson: LessonId) -> Result<LessonMap> {
    teacher_map_of(lesson, None)
}

/// [`teacher_map`] drawn for `criterion`.
fn teacher_map_of(lesson: LessonId, criterion: Option<CriterionId>) -> Result<LessonMap> {
    let c = |n| ConceptId::from_u128(n);
    let concept =
        |n, label: &str| ConceptDraft { id: c(n), label: label.into(), kind: ConceptKind::Concept };
    let link = |f, l: &str, t| PropositionDraft { from: c(f), linking: l.into(), to: c(t) };
    Ok(LessonMap::new(LessonMapDraft {
        id: ConceptMapId::from_u128(1),
        lesson,
        criterion,
        author: MapAuthor::Teacher,
        map: MapDraft {
            concepts: vec![
                concept(1, "Растения"),
                concept(2, "Кислород"),
                concept(3, "Углекислый газ"),
            ],
            propositions: vec![link(1, "выделяют", 2), link(1, "поглощают", 3)],
            root: None,
        },
        synonyms: vec![ConceptSynonyms {
            concept: c(1), variants: vec!["растение".into()]
        }],
        layout: Default::default(),
    })?)
}

/// The student's map as drawn in the tablet test, in core's types.
fn student_map(lesson: LessonId) -> Result<LessonMap> {
    let c = |n| ConceptId::from_u128(n);
    let concept =
        |n, label: &str| ConceptDraft { id: c(n), label: label.into(), kind: ConceptKind::Concept };
    let link = |f, l: &str, t| PropositionDraft { from: c(f), linking: l.into(), to: c(t) };
    Ok(LessonMap::new(LessonMapDraft {
        id: ConceptMapId::from_u128(2),
        lesson,
        criterion: None,
        author: MapAuthor::Student(StudentId::from_u128(1)),
        map: MapDraft {
            concepts: vec![concept(11, "растение"), concept(12, "Кислород"), concept(13, "Вода")],
            propositions: vec![link(11, "выделяют", 12), link(11, "пьют", 13)],
            root: None,
        },
        synonyms: Vec::new(),
        layout: Default::default(),
    })?)
}

fn lesson_of(path: &str) -> Result<LessonId> {
    path.trim_start_matches("/lessons/").parse().context("lesson id in the address")
}

/// Drags the concept `label` by touch pointer events (80 × 50 px in ten moves); its
/// `transform` before and after.
async fn drag(h: &Harness, label: &str) -> Result<Json> {
    let moved = h
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const g = document.querySelector(`[data-testid=map-node][data-label=\"${arguments[0]}\"]`);
             const before = g.getAttribute('transform');
             const r = g.getBoundingClientRect();
             const at = (type, x, y) => g.dispatchEvent(new PointerEvent(type, { bubbles: true,
                 pointerId: 7, pointerType: 'touch', isPrimary: true, clientX: x, clientY: y }));
             const [x, y] = [r.x + r.width / 2, r.y + r.height / 2];
             at('pointerdown', x, y);
             for (let i = 1; i <= 10; i++) at('pointermove', x + 8 * i, y + 5 * i);
             at('pointerup', x + 80, y + 50);
             requestAnimationFrame(() => requestAnimationFrame(() =>
                 done([before, g.getAttribute('transform')])));",
            vec![json!(label)],
        )
        .await?;
    Ok(moved)
}

/// Every concept's label and `transform` on the canvas.
async fn node_places(h: &Harness) -> Result<Json> {
    h.execute(
        "return [...document.querySelectorAll('[data-testid=map-node]')]
             .map(g => [g.dataset.label, g.getAttribute('transform')]).sort()",
    )
    .await
}

#[tokio::test]
async fn a_teacher_draws_the_criterion_map_and_a_reload_keeps_it() -> Result<()> {
    let h = Harness::start().await?;
    create_class(&h, "6В", &roster(3)).await?;
    create_lesson(&h, "Фотосинтез", "Объясняю фотосинтез").await?;
    draw_teacher_map(&h).await?;
    // A concept dragged and saved reopens where it was left.
    let moved = drag(&h, "Углекислый газ").await?;
    ensure!(moved[0] != moved[1], "the drag moved nothing: {moved}");
    h.click_testid("map-save").await?;
    h.wait_for_testid("map-saved").await?;
    let places = node_places(&h).await?;
    // Undo on the canvas takes back the edits one by one (the drag, then the deletion: the
    // deleted concept comes back); not saved.
    h.click_testid("map-undo").await?;
    h.click_testid("map-undo").await?;
    h.wait_for_css("[data-testid=map-node][data-label=\"кислород\"]").await?;
    h.reload().await?;
    h.wait_for_testid("map-teacher-page").await?;
    h.wait_for_css("[data-testid=map-node][data-label=\"Углекислый газ\"]").await?;
    let after = node_places(&h).await?;
    ensure!(after == places, "places after reload: {after} vs {places}");
    ensure!(h.count_testid("list-concept").await? == 3, "three concepts after reload");
    ensure!(h.count_testid("list-link").await? == 2, "two links after reload");
    h.wait_for_testid("list-concept-variants").await?;
    let variants = h
        .execute("return document.querySelector('[data-testid=list-concept-variants]').value")
        .await?;
    ensure!(variants == json!("растение"), "variants: {variants}");
    let phrases = h
        .execute(
            "return [...document.querySelectorAll('[data-testid=map-link]')].map(e => e.dataset.phrase)",
        )
        .await?;
    ensure!(phrases == json!(["выделяют", "поглощают"]), "{phrases}");
    h.close().await;
    Ok(())
}

/// Every control of the page is at least 44 px high and wide (touch targets).
async fn small_targets(h: &Harness) -> Result<Vec<String>> {
    let small = h
        .execute(
            "return [...document.querySelector('[data-testid=map-student-page]').querySelectorAll('button, input, select, summary, [data-testid=map-node]')]
                .filter(e => e.offsetParent !== null || e.tagName === 'g')
                .map(e => [e, e.getBoundingClientRect()])
                .filter(([e, r]) => r.width > 0 && (r.height < 44 || r.width < 44))
                .map(([e, r]) => `${e.dataset.testid || e.tagName} ${Math.round(r.width)}×${Math.round(r.height)}`)",
        )
        .await?;
    Ok(small
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect())
}

#[tokio::test]
async fn a_student_draws_a_map_on_a_tablet_and_the_score_equals_cores() -> Result<()> {
    let h = Harness::start_with(Options::default().with_window(768, 1024)).await?;
    create_class(&h, "6Г", "Андреева Маша\nБорисов Петя").await?;
    let lesson_path = create_lesson(&h, "Фотосинтез", "Объясняю фотосинтез").await?;
    let lesson = lesson_of(&lesson_path)?;
    draw_teacher_map(&h).await?;

    h.goto("/s").await?;
    h.click_testid("student-lesson-map").await?;
    h.wait_for_testid("map-student-page").await?;
    h.wait_for_css("[data-testid^=\"pick-\"]").await?.click().await?;
    h.wait_for_testid("map-canvas").await?;
    // Add, link, rename, delete, undo, drag.
    canvas_add(&h, "Растение").await?;
    canvas_add(&h, "Кислород").await?;
    canvas_add(&h, "Вода").await?;
    canvas_add(&h, "Солнце").await?;
    canvas_link(&h, "Растение", "выделяют", "Кислород").await?;
    canvas_link(&h, "Растение", "пьют", "Вода").await?;
    tap_node(&h, "Растение").await?;
    change_nth(&h, "map-rename", 0, "растение").await?;
    h.wait_for_css("[data-testid=map-node][data-label=\"растение\"]").await?;
    tap_node(&h, "растение").await?; // lets go
    tap_node(&h, "Солнце").await?;
    h.click_testid("map-delete").await?;
    h.wait_gone_testid("map-rename").await?;
    ensure!(h.count_testid("map-node").await? == 3, "Солнце deleted");
    h.click_testid("map-undo").await?;
    h.wait_for_css("[data-testid=map-node][data-label=\"Солнце\"]").await?;
    tap_node(&h, "Солнце").await?;
    h.click_testid("map-delete").await?;
    h.wait_gone_testid("map-rename").await?;
    // A drag with pointer events moves the concept; undo puts it back.
    let moved = drag(&h, "Вода").await?;
    ensure!(moved[0] != moved[1], "the drag moved nothing: {moved}");
    h.click_testid("map-undo").await?;
    let back = h
        .execute("return document.querySelector('[data-testid=map-node][data-label=\"Вода\"]').getAttribute('transform')")
        .await?;
    ensure!(back == moved[0], "undo after the drag: {back} vs {moved}");
    let small = small_targets(&h).await?;
    ensure!(small.is_empty(), "touch targets under 44 px: {small:?}");
    h.click_testid("map-save").await?;
    h.wait_for_testid("map-saved").await?;
    h.wait_for_css("[data-testid^=\"pick-\"]").await?;
    ensure!(h.count_testid("map-node").await? == 0, "the map left the screen");
    ensure!(!h.exists_testid("map-canvas").await?, "the canvas left the screen");

    // The teacher's score view shows core's figures for the same maps.
    let expected = score(&student_map(lesson)?, &teacher_map(lesson)?);
    let p = &expected.propositions;
    for reload in [false, true] {
        if reload {
            h.reload().await?;
        } else {
            h.goto(&format!("{lesson_path}/maps")).await?;
        }
        h.wait_for_testid("map-score-row").await?;
        for (id, value) in figures(&expected) {
            let shown = h.text_of_testid(id).await?;
            ensure!(shown == value, "{id}: shown {shown:?}, core {value:?}");
        }
        ensure!(h.count_testid("map-score-row").await? == 1, "one student's map");
        ensure!(h.count_testid("marked-matched").await? == p.matched as usize);
        ensure!(h.count_testid("marked-extra").await? == p.extra.len());
        ensure!(h.count_testid("marked-missing").await? == p.missing.len());
        ensure!(p.missing.len() == 1 && p.extra.len() == 1, "the maps differ as drawn");
        let missing = h.text_of_testid("ms-missing-list").await?;
        ensure!(missing.contains("поглощают"), "missing list: {missing}");
    }
    // The propositions as CSV for Excel: BOM, `;`, one row per proposition of both maps.
    let (name, bytes) = download(&h, "map-csv").await?;
    ensure!(name.ends_with(".csv"), "file name {name}");
    let text = String::from_utf8(bytes)?;
    ensure!(text.starts_with('\u{feff}'), "no BOM");
    for row in [
        ";учитель;Растения;выделяют;Кислород;",
        ";учитель;Растения;поглощают;Углекислый газ;",
        ";растение;выделяют;Кислород;",
        ";растение;пьют;Вода;",
    ] {
        ensure!(text.contains(row), "CSV lacks {row:?}:\n{text}");
    }
    // The student's map is kept: picking the same name again shows it.
    h.goto("/s").await?;
    h.click_testid("student-lesson-map").await?;
    h.wait_for_css("[data-testid^=\"pick-\"]").await?.click().await?;
    h.wait_for_css("[data-testid=map-link][data-phrase=\"пьют\"]").await?;
    ensure!(h.count_testid("map-node").await? == 3);
    h.close().await;
    Ok(())
}

/// The first criterion's teacher map: «Растения» —имеют→ «Корень».
fn roots_map(lesson: LessonId, criterion: CriterionId) -> Result<LessonMap> {
    let c = |n| ConceptId::from_u128(n);
    let concept =
        |n, label: &str| ConceptDraft { id: c(n), label: label.into(), kind: ConceptKind::Concept };
    Ok(LessonMap::new(LessonMapDraft {
        id: ConceptMapId::from_u128(3),
        lesson,
        criterion: Some(criterion),
        author: MapAuthor::Teacher,
        map: MapDraft {
            concepts: vec![concept(1, "Растения"), concept(2, "Корень")],
            propositions: vec![PropositionDraft {
                from: c(1), linking: "имеют".into(), to: c(2)
            }],
            root: None,
        },
        synonyms: Vec::new(),
        layout: Default::default(),
    })?)
}

/// Chooses the criterion labelled `label` on a map page and waits for the address to name it
/// (`None`: «Весь урок», no criterion in the address); returns the criterion chosen.
async fn choose_criterion(h: &Harness, label: &str) -> Result<Option<CriterionId>> {
    h.select_testid("map-criterion", label).await?;
    let value =
        h.execute("return document.querySelector('[data-testid=map-criterion]').value").await?;
    let value = value.as_str().context("the criterion's value")?.to_owned();
    let wanted = if value.is_empty() { String::new() } else { format!("?criterion={value}") };
    h.wait_until(&format!("location.search === {}", json!(wanted))).await?;
    Ok(if value.is_empty() { None } else { Some(value.parse()?) })
}

/// Where screenshots go.
fn shots() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/screenshots")
}

/// axe finds nothing on `view`.
async fn no_axe_violations(h: &Harness, view: &str) -> Result<()> {
    no_violations(view, &h.axe(view).await?)
}

/// The score row's figures as core words them, in the table's column order.
fn figures(c: &lesenka_core::conceptmap::MapComparison) -> Vec<(&'static str, String)> {
    let ratio = |r: Ratio| {
        if r.defined {
            lesenka_core::explain::hundredths(r.value, false, Lang::Ru)
        } else {
            "нет данных".to_owned()
        }
    };
    let ng = &c.novak_gowin;
    let p = &c.propositions;
    vec![
        ("ms-valid", ng.valid_propositions.to_string()),
        ("ms-levels", ng.hierarchy_levels.to_string()),
        ("ms-branchings", ng.branchings.to_string()),
        ("ms-cross-links", ng.cross_links.to_string()),
        ("ms-examples", ng.examples.to_string()),
        ("ms-total", format!("{} / {}", ng.total, ng.teacher_total)),
        ("ms-relative", ratio(ng.relative)),
        ("ms-precision", ratio(p.precision)),
        ("ms-recall", ratio(p.recall)),
        ("ms-f1", ratio(p.f1)),
        ("ms-closeness", ratio(c.closeness.index)),
    ]
}

#[tokio::test]
async fn each_criterion_has_its_teachers_map_and_students_are_scored_against_it() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "6Д", "Андреева Маша\nБорисов Петя").await?;
    let lesson_path =
        create_lesson(&h, "Растения", "Называю части растения\nОбъясняю фотосинтез").await?;
    let lesson = lesson_of(&lesson_path)?;
    h.click_testid("open-map").await?;
    h.wait_for_testid("map-teacher-page").await?;
    // The address names no criterion: the whole lesson's map, as before.
    let whole = h.text_of_testid("map-criterion").await?;
    ensure!(whole.starts_with("Весь урок"), "the choices: {whole}");
    // The first criterion's map.
    let first = choose_criterion(&h, "Называю части растения").await?.context("first")?;
    list_add(&h, "Растения").await?;
    list_add(&h, "Корень").await?;
    h.select_testid("list-new-from", "Растения").await?;
    h.fill_testid("list-new-phrase", "имеют").await?;
    h.select_testid("list-new-to", "Корень").await?;
    h.click_testid("list-add-link").await?;
    h.wait_for_css("[data-testid=map-link][data-phrase=\"имеют\"]").await?;
    h.click_testid("map-save").await?;
    h.wait_for_testid("map-saved").await?;
    // The second criterion starts empty and gets the photosynthesis map.
    let second = choose_criterion(&h, "Объясняю фотосинтез").await?.context("second")?;
    ensure!(first != second);
    h.wait_gone_testid("map-saved").await?;
    ensure!(h.count_testid("map-node").await? == 0, "the second criterion's map starts empty");
    draw_photosynthesis(&h).await?;
    h.screenshot(shots().join("map-teacher-criterion-1280x800.png")).await?;
    no_axe_violations(&h, "map-teacher-criterion").await?;
    // Each criterion reopens its own map, also after a reload.
    for reload in [false, true] {
        if reload {
            h.reload().await?;
            h.wait_for_testid("map-teacher-page").await?;
        }
        choose_criterion(&h, "Называю части растения").await?;
        h.wait_for_css("[data-testid=map-node][data-label=\"Корень\"]").await?;
        ensure!(h.count_testid("map-node").await? == 2, "the first criterion's map");
        choose_criterion(&h, "Объясняю фотосинтез").await?;
        h.wait_for_css("[data-testid=map-node][data-label=\"Углекислый газ\"]").await?;
        ensure!(h.count_testid("map-node").await? == 3, "the second criterion's map");
        choose_criterion(&h, "Весь урок").await?;
        h.wait_gone_testid("map-node").await?;
    }
    // A criterion the lesson does not have, in the address: said, and the map is not saved.
    let stray = CriterionId::from_u128(0xdead);
    h.goto(&format!("{lesson_path}/map?criterion={stray}")).await?;
    h.wait_for_testid("map-criterion-unknown").await?;
    list_add(&h, "Лист").await?;
    h.click_testid("map-save").await?;
    h.wait_for_testid("map-refused").await?;
    let problem = h.text_of_testid("map-problem").await?;
    ensure!(problem == "У этого урока нет такого критерия.", "problem: {problem}");

    // A student builds a map for the second criterion on the shared tablet.
    h.goto("/s").await?;
    h.click_testid("student-lesson-map").await?;
    h.wait_for_testid("map-student-page").await?;
    ensure!(choose_criterion(&h, "Объясняю фотосинтез").await? == Some(second));
    h.wait_for_css("[data-testid^=\"pick-\"]").await?.click().await?;
    h.wait_for_testid("map-canvas").await?;
    let shown = h.text_of_testid("map-student-criterion").await?;
    ensure!(shown == "Объясняю фотосинтез", "the tablet shows {shown:?}");
    canvas_add(&h, "растение").await?;
    canvas_add(&h, "Кислород").await?;
    canvas_add(&h, "Вода").await?;
    canvas_link(&h, "растение", "выделяют", "Кислород").await?;
    canvas_link(&h, "растение", "пьют", "Вода").await?;
    no_axe_violations(&h, "map-student-criterion").await?;
    h.click_testid("map-save").await?;
    h.wait_for_testid("map-saved").await?;
    h.wait_for_css("[data-testid^=\"pick-\"]").await?;
    no_axe_violations(&h, "map-student-names").await?;
    let small = small_targets(&h).await?;
    ensure!(small.is_empty(), "touch targets under 44 px on the name list: {small:?}");

    // Scored against the second criterion's map, not the first's.
    let student = student_map(lesson)?;
    let expected = score(&student, &teacher_map_of(lesson, Some(second))?);
    let against_first = score(&student, &roots_map(lesson, first)?);
    ensure!(figures(&expected) != figures(&against_first), "the two maps score alike");
    h.goto(&format!("{lesson_path}/maps")).await?;
    h.wait_for_testid("map-no-teacher").await?;
    choose_criterion(&h, "Называю части растения").await?;
    h.wait_for_testid("map-no-students").await?;
    for reload in [false, true] {
        if reload {
            h.reload().await?;
        } else {
            choose_criterion(&h, "Объясняю фотосинтез").await?;
        }
        h.wait_for_testid("map-score-row").await?;
        for (id, value) in figures(&expected) {
            let shown = h.text_of_testid(id).await?;
            ensure!(shown == value, "{id}: shown {shown:?}, core {value:?}");
        }
        ensure!(h.count_testid("map-score-row").await? == 1, "one student's map");
        let p = &expected.propositions;
        ensure!(h.count_testid("marked-matched").await? == p.matched as usize);
        ensure!(h.count_testid("marked-missing").await? == p.missing.len());
        let search = h.execute("return location.search").await?;
        ensure!(search == json!(format!("?criterion={second}")), "address: {search}");
    }
    h.screenshot(shots().join("map-scores-criterion-1280x800.png")).await?;
    no_axe_violations(&h, "map-scores-criterion").await?;
    // The teacher's map link keeps the criterion.
    let href = h.attr_of_testid("open-map-teacher", "href").await?.context("href")?;
    ensure!(href.ends_with(&format!("/map?criterion={second}")), "link: {href}");
    // The CSV names each map's criterion.
    let (_, bytes) = download(&h, "map-csv").await?;
    let text = String::from_utf8(bytes)?;
    ensure!(text.contains(";Критерий;Автор карты;"), "header:\n{text}");
    for row in [
        ";Называю части растения;учитель;Растения;имеют;Корень;",
        ";Объясняю фотосинтез;учитель;Растения;выделяют;Кислород;",
        ";Объясняю фотосинтез;учитель;Растения;поглощают;Углекислый газ;",
    ] {
        ensure!(text.contains(row), "CSV lacks {row:?}:\n{text}");
    }
    for row in [";растение;выделяют;Кислород;", ";растение;пьют;Вода;"]
    {
        let line =
            text.lines().find(|l| l.contains(row)).with_context(|| format!("{row}:\n{text}"))?;
        ensure!(line.contains(";Объясняю фотосинтез;"), "the student's row: {line}");
    }
    // The student's map is kept for the second criterion only.
    h.goto(&format!("/s/lessons/{lesson}/map?criterion={second}")).await?;
    h.wait_for_css("[data-testid^=\"pick-\"]").await?.click().await?;
    h.wait_for_css("[data-testid=map-link][data-phrase=\"пьют\"]").await?;
    h.click_testid("map-leave").await?;
    choose_criterion(&h, "Называю части растения").await?;
    h.wait_for_css("[data-testid^=\"pick-\"]").await?.click().await?;
    h.wait_for_testid("map-canvas").await?;
    ensure!(h.count_testid("map-node").await? == 0, "no map of the first criterion");

    // The student's page lists the map with core's score against the second criterion's map.
    h.goto(&class_path).await?;
    h.wait_for_css("[data-testid=\"roster-student\"] a").await?.click().await?;
    h.wait_for_testid("student-maps").await?;
    ensure!(h.count_testid("student-map-row").await? == 1, "one map of this student");
    let wanted = figures(&expected);
    let want = |id: &str| wanted.iter().find(|(k, _)| *k == id).map(|(_, v)| v.clone());
    ensure!(Some(h.text_of_testid("student-map-total").await?) == want("ms-total"));
    ensure!(Some(h.text_of_testid("student-map-f1").await?) == want("ms-f1"));
    let row = h.text_of_testid("student-map-row").await?;
    ensure!(row.contains("Растения") && row.contains("Объясняю фотосинтез"), "{row}");
    no_axe_violations(&h, "student-maps").await?;
    h.screenshot(shots().join("student-maps-1280x800.png")).await?;
    h.close().await;
    Ok(())
}
