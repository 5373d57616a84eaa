//! Integration tests of the `lesenka` binary: every command on good and bad inputs, run as a
//! process in `tests/fixtures/` (so file names in messages are short), asserting exit statuses
//! and exact parts of standard output and standard error.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::{Value, json};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

fn run_in(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lesenka"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the binary runs")
}

fn run(args: &[&str]) -> Output {
    run_in(&fixtures(), args)
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("UTF-8 output")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("UTF-8 messages")
}

/// Runs `args` and checks the exit status and that stdout / stderr contain the given parts.
fn check(args: &[&str], code: i32, out_parts: &[&str], err_parts: &[&str]) -> Output {
    let o = run(args);
    let (out, err) = (stdout(&o), stderr(&o));
    assert_eq!(o.status.code(), Some(code), "{args:?}\nstdout:\n{out}\nstderr:\n{err}");
    for part in out_parts {
        assert!(out.contains(part), "{args:?}: stdout lacks {part:?}:\n{out}");
    }
    for part in err_parts {
        assert!(err.contains(part), "{args:?}: stderr lacks {part:?}:\n{err}");
    }
    o
}

fn json_of(o: &Output) -> Value {
    serde_json::from_str(&stdout(o)).expect("JSON output")
}

/// A fresh scratch folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("lesenka-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

// ---------------------------------------------------------------- plan import

#[test]
fn plan_import_prints_events_as_json() {
    let o = check(&["plan", "import", "plan-small.txt"], 0, &[], &[]);
    let v = json_of(&o);
    assert_eq!(v["events_found"], 3);
    assert_eq!(v["problems_found"], 0);
    assert_eq!(v["encoding"], "utf-8");
    assert_eq!(v["layout"], "grid");
    assert_eq!(v["header"]["year"], json!(2023));
    assert_eq!(
        v["events"][0],
        json!({
            "line": 4,
            "row": 1,
            "number": null,
            "task": null,
            "title": "Доклад «Критерии оценивания»",
            "kind": "report",
            "period": {"type": "month", "value": "september"},
            "period_text": "Сентябрь",
            "planned_result": null,
            "responsible": "Иванова А.А.",
            "status": "planned",
            "links": [],
            "other": []
        })
    );
    let periods: Vec<&Value> =
        v["events"].as_array().unwrap().iter().map(|e| &e["period"]).collect();
    assert_eq!(
        periods,
        [
            &json!({"type": "month", "value": "september"}),
            &json!({"type": "range", "value": {"from": "april", "to": "august"}}),
            &json!({"type": "whole_year"}),
        ]
    );
}

#[test]
fn plan_import_as_text() {
    check(
        &["--format", "text", "plan", "import", "plan-small.txt"],
        0,
        &[
            "Учебный год: 2023–2024\n",
            "Мероприятий найдено: 3; проблем: 0\n",
            "  2. [Апрель – Август] Открытый урок «Светофор» (Открытый урок); отв.: Петрова Б.Б. — стр. 5\n",
        ],
        &[],
    );
    check(
        &["--format", "text", "--lang", "en", "plan", "import", "plan-small.txt"],
        0,
        &["Events found: 3; problems: 0\n", "(open_lesson); resp.: Петрова Б.Б. — line 5\n"],
        &[],
    );
}

#[test]
fn plan_import_reads_windows_1251_and_utf16_like_utf8() {
    let utf8 = json_of(&check(&["plan", "import", "plan-small.txt"], 0, &[], &[]));
    let cp1251 = check(
        &["plan", "import", "plan-1251.txt"],
        0,
        &["\"encoding\": \"windows-1251\""],
        &["файл прочитан как windows-1251"],
    );
    let utf16 =
        check(&["plan", "import", "plan-utf16.txt"], 0, &["\"encoding\": \"utf-16le\""], &[]);
    assert_eq!(json_of(&cp1251)["events"], utf8["events"]);
    assert_eq!(json_of(&utf16)["events"], utf8["events"]);
}

/// A sample plan saved in KOI8-R and in Windows-1251 (made here with encoding_rs's encoder)
/// reads as the UTF-8 original does.
#[test]
fn plan_import_reads_koi8_r_and_windows_1251_encodings_of_a_plan() {
    let dir = scratch("encodings");
    // KOI8-R has no «»: a KOI8-R file quotes with ".
    let utf8 = std::fs::read_to_string(fixtures().join("plan-small.txt"))
        .unwrap()
        .replace(['«', '»'], "\"");
    std::fs::write(dir.join("utf8.txt"), &utf8).unwrap();
    let original = json_of(&run(&["plan", "import", dir.join("utf8.txt").to_str().unwrap()]));
    for (encoding, name) in
        [(encoding_rs::KOI8_R, "koi8-r"), (encoding_rs::WINDOWS_1251, "windows-1251")]
    {
        let (bytes, _, unmappable) = encoding.encode(&utf8);
        assert!(!unmappable);
        assert!(std::str::from_utf8(&bytes).is_err(), "{name} must not be UTF-8 already");
        let path = dir.join(format!("{name}.txt"));
        std::fs::write(&path, &bytes).unwrap();
        let o = check(
            &["plan", "import", path.to_str().unwrap()],
            0,
            &[&format!("\"encoding\": \"{name}\"")],
            &["лучше сохранять планы в UTF-8"],
        );
        let v = json_of(&o);
        assert_eq!(v["events"], original["events"], "{name}");
        assert_eq!(v["header"], original["header"], "{name}");
        assert_eq!(v["events_found"], 3);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A plan without a header row and a network plan by directions: events, directions, and the
/// unread lines with their reasons.
#[test]
fn plan_import_reads_headerless_and_direction_plans() {
    let dir = scratch("shapes");
    let cues = dir.join("cues.txt");
    std::fs::write(
        &cues,
        "[bookmark: page8R_mcid28]Семинар «Критерии\nоценивания»\nI полугодие\nИванова А.А.\n\
         Март\nМай\n",
    )
    .unwrap();
    let v = json_of(&check(&["plan", "import", cues.to_str().unwrap()], 1, &[], &[]));
    assert_eq!(v["layout"], "cues");
    assert_eq!(v["events_found"], 1);
    assert_eq!(v["events"][0]["title"], "Семинар «Критерии оценивания»");
    assert_eq!(v["events"][0]["period"], json!({"type": "half", "value": "first"}));
    let reason = "срок или ответственный без мероприятия: не понятно, к чему относится";
    assert_eq!(
        v["unread"],
        json!([
            {"line": 5, "text": "Март", "cause": {"type": "orphan_cue"}, "reason": reason},
            {"line": 6, "text": "Май", "cause": {"type": "orphan_cue"}, "reason": reason},
        ])
    );
    let grid = dir.join("directions.txt");
    std::fs::write(
        &grid,
        "Формы работы\tI\tII\nСеминары\tСеминар «А» (октябрь)\tСеминар «Б» (январь)\n",
    )
    .unwrap();
    let o = check(
        &["--format", "text", "plan", "import", grid.to_str().unwrap()],
        0,
        &["  2. [Январь] Семинар «Б» (Семинар); направление: II — стр. 2\n"],
        &[],
    );
    assert!(stdout(&o).contains("Мероприятий найдено: 2; проблем: 0"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A 50 MB file is refused at once, with a message and without output.
#[test]
fn plan_import_refuses_a_huge_file_quickly() {
    let dir = scratch("huge-plan");
    let path = dir.join("huge.txt");
    let row = "Доклад «Критерии»\tСентябрь\tИванова А.А.\n";
    let text = row.repeat(50 * 1024 * 1024 / row.len() + 1);
    std::fs::write(&path, &text).unwrap();
    let started = std::time::Instant::now();
    let o = check(
        &["plan", "import", path.to_str().unwrap()],
        1,
        &[],
        &["файл слишком велик для плана"],
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    assert!(o.stdout.is_empty());
    assert!(o.stderr.len() < 1000);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn plan_import_reports_unreadable_rows_with_their_lines() {
    let o = check(
        &["plan", "import", "plan-damaged.txt"],
        1,
        &[],
        &[
            "plan-damaged.txt: строка 6: срок не прочитан: не удалось понять срок «когда-нибудь»",
            "plan-damaged.txt: строка 8: в строке 4 яч. вместо 3: лишние ячейки",
        ],
    );
    let v = json_of(&o);
    assert_eq!(v["events_found"], 3);
    let lines: Vec<u64> =
        v["problems"].as_array().unwrap().iter().map(|p| p["line"].as_u64().unwrap()).collect();
    assert_eq!(lines, [4, 6, 7, 8, 9]);
    assert_eq!(
        v["problems"][1]["cause"],
        json!({"type": "period", "reason": "не удалось понять срок «когда-нибудь»"})
    );
    assert_eq!(
        v["problems"][1]["message"],
        "строка 6: срок не прочитан: не удалось понять срок «когда-нибудь» — «когда-нибудь»"
    );
}

#[test]
fn plan_import_refuses_files_that_are_not_text() {
    check(
        &["plan", "import", "plan-binary.txt"],
        1,
        &[],
        &[
            "lesenka: файл plan-binary.txt, строка 2, столбец 1: файл не в кодировке UTF-8 (неверный байт 0x80); сохраните его как текст в UTF-8",
        ],
    );
    check(
        &["--lang", "en", "plan", "import", "plan-binary.txt"],
        1,
        &[],
        &[
            "lesenka: file plan-binary.txt, line 2, column 1: the file is not UTF-8 text (bad byte 0x80); save it as UTF-8\n",
        ],
    );
}

#[test]
fn plan_import_refuses_an_empty_file() {
    let dir = scratch("empty-plan");
    let path = dir.join("empty.txt");
    std::fs::write(&path, "\u{feff} \r\n\r\n").unwrap();
    check(
        &["plan", "import", path.to_str().unwrap()],
        1,
        &[],
        &["empty.txt: файл пуст: в нём нет текста плана\n"],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_files_are_named() {
    for args in [
        vec!["plan", "import", "nope.txt"],
        vec!["marks", "average", "nope.txt"],
        vec!["merge", "nope.txt", "backup-a.json", "-o", "/tmp/never-written.json"],
        vec!["export", "csv", "nope.txt"],
        vec!["conceptmap", "score", "nope.txt", "map-teacher.json"],
        vec!["diagnostics", "luskanova", "nope.txt"],
    ] {
        check(&args, 1, &[], &["lesenka: файл nope.txt: файл не найден\n"]);
    }
    check(
        &["--lang", "en", "plan", "import", "nope.txt"],
        1,
        &[],
        &["lesenka: file nope.txt: no such file\n"],
    );
}

#[test]
fn shared_sample_plans_import_without_problems() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/plans");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    };
    let mut seen = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "txt") {
            continue;
        }
        let o = run(&["plan", "import", path.to_str().unwrap()]);
        let v = json_of(&o);
        assert_eq!(v["problems"], json!([]), "{}", path.display());
        assert_eq!(o.status.code(), Some(0), "{}", path.display());
        assert!(v["events_found"].as_u64().unwrap() > 0, "{}", path.display());
        seen += 1;
    }
    assert!(seen > 0, "no plans in {}", dir.display());
}

// ---------------------------------------------------------------- marks average

#[test]
fn marks_average_gives_the_domain_check() {
    let o = check(&["marks", "average", "gradebook-plain.json"], 0, &[], &[]);
    let v = json_of(&o);
    let ivanova = &v["students"][0];
    assert_eq!(ivanova["student"], "Иванова Мария");
    assert_eq!(ivanova["marks"], 3);
    assert_eq!(ivanova["average"], json!({"exact": "40/9", "rounded": "4.44"}));
    assert_eq!(ivanova["term_mark"], json!({"mark": "4", "compared": "4.44", "threshold": "3.65"}));
    assert_eq!(
        ivanova["explanation"]["average"]["text"],
        "(5·3 + 5·1 + 4·5) / (3 + 1 + 5) = 40/9 ≈ 4,44"
    );
    assert_eq!(
        ivanova["explanation"]["average"]["terms"][2],
        json!({"label": "Контрольная работа 12.09.2024", "value": "4", "weight": "5"})
    );
    assert_eq!(
        ivanova["explanation"]["term_mark"]["text"],
        "X̄ = 40/9 ≈ 4,44; округляем до 2 знаков: 4,44 ≥ 3,65 → 4"
    );
    let petrov = &v["students"][1];
    assert_eq!(petrov["average"], json!({"exact": "4.25", "rounded": "4.25"}));
    let sidorov = &v["students"][2];
    assert_eq!(
        (&sidorov["marks"], &sidorov["average"], &sidorov["term_mark"]),
        (&json!(0), &Value::Null, &Value::Null)
    );
    assert!(ivanova.get("what_if").is_none());
}

#[test]
fn marks_what_if_gives_the_fewest_marks() {
    let o = check(
        &[
            "marks",
            "average",
            "gradebook-plain.json",
            "--what-if",
            "4.65",
            "--work-type",
            "контрольная работа",
            "--student",
            "Иванова Мария",
        ],
        0,
        &[],
        &[],
    );
    let v = json_of(&o);
    assert_eq!(v["students"].as_array().unwrap().len(), 1);
    let w = &v["students"][0]["what_if"];
    assert_eq!(w["answer"], json!({"kind": "needs", "count": 2, "average": "90/19"}));
    assert_eq!(
        (&w["work_type"], &w["weight"], &w["mark"]),
        (&json!("Контрольная работа"), &json!("5"), &json!("5"))
    );
    assert_eq!(
        w["explanation"]["text"],
        "округляем до 2 знаков: 4,645 → 4,65\n(40 + 5·5·n) / (9 + 5·n) ≥ 4,645 → n = 2 → X̄ = 90/19 ≈ 4,74"
    );
    check(
        &[
            "--format",
            "text",
            "marks",
            "average",
            "gradebook-plain.json",
            "--what-if",
            "4.65",
            "--work-type",
            "Работа на уроке",
            "--student",
            "Петров Пётр",
        ],
        0,
        &[
            "Петров Пётр\n  Средний балл: (3·3 + 5·5) / (3 + 5) = 34/8 = 4,25\n",
            "  Отметка за период «4»: X̄ = 4,25; округляем до 2 знаков: 4,25 ≥ 3,65 → 4\n",
            "  Что если (цель 4,65; «Работа на уроке», вес 3): нужно ещё 3 отметки «5» → 4,65\n",
        ],
        &[],
    );
    // Already reached, and a fixed mark that can never reach the target.
    let o = check(
        &[
            "marks",
            "average",
            "gradebook-plain.json",
            "--what-if",
            "4",
            "--work-type",
            "Домашняя работа",
        ],
        0,
        &[],
        &[],
    );
    assert_eq!(json_of(&o)["students"][0]["what_if"]["answer"], json!({"kind": "already_reached"}));
    let o = check(
        &[
            "marks",
            "average",
            "gradebook-plain.json",
            "--what-if",
            "4.65",
            "--work-type",
            "Домашняя работа",
            "--mark",
            "4",
        ],
        0,
        &[],
        &[],
    );
    assert_eq!(json_of(&o)["students"][0]["what_if"]["answer"], json!({"kind": "unreachable"}));
}

#[test]
fn marks_envelope_and_plain_files_agree() {
    let plain = json_of(&check(&["marks", "average", "gradebook-plain.json"], 0, &[], &[]));
    let envelope = json_of(&check(&["marks", "average", "gradebook-envelope.json"], 0, &[], &[]));
    let student = &envelope["students"][0];
    assert_eq!(student["id"], "00000000-0000-0000-0000-000000000101");
    for field in ["student", "average", "term_mark", "explanation"] {
        assert_eq!(student[field], plain["students"][0][field], "{field}");
    }
}

#[test]
fn marks_errors_name_the_file_line_and_column() {
    check(
        &["marks", "average", "gradebook-bad-json.json"],
        1,
        &[],
        &[
            "lesenka: файл gradebook-bad-json.json, строка 6, столбец 5: неверный JSON: expected `,` or `]`\n",
        ],
    );
    check(
        &["marks", "average", "gradebook-typo.json"],
        1,
        &[],
        &[
            "файл gradebook-typo.json, строка 15, столбец 15: данные не подходят: unknown field `round_too`",
        ],
    );
    check(
        &["marks", "average", "backup-a.json"],
        1,
        &[],
        &["файл backup-a.json: в файле данные Lesenka вида «backup», а нужны «gradebook»"],
    );
}

#[test]
fn marks_usage_mistakes_exit_with_2() {
    check(
        &["marks", "average", "gradebook-plain.json", "--what-if", "4.65", "--work-type", "Зачёт"],
        2,
        &[],
        &[
            "--work-type «Зачёт»: такого вида работ нет в файле («Контрольная работа», «Работа на уроке», «Домашняя работа»)",
        ],
    );
    check(
        &["marks", "average", "gradebook-plain.json", "--what-if", "4.65"],
        2,
        &[],
        &["--work-type <NAME>"],
    );
    check(
        &["marks", "average", "gradebook-plain.json", "--student", "Никто"],
        2,
        &[],
        &["--student «Никто»: такого ученика нет в файле gradebook-plain.json"],
    );
    check(
        &[
            "--lang",
            "en",
            "marks",
            "average",
            "gradebook-plain.json",
            "--what-if",
            "4.65",
            "--work-type",
            "Работа на уроке",
            "--mark",
            "6",
        ],
        2,
        &[],
        &["--mark «6»: not a mark of the scale «Пятибалльная»"],
    );
    check(
        &[
            "marks",
            "average",
            "gradebook-plain.json",
            "--what-if",
            "высоко",
            "--work-type",
            "Работа на уроке",
        ],
        2,
        &[],
        &["--what-if высоко"],
    );
    check(&["marks"], 2, &[], &["Usage: lesenka marks"]);
    check(&["frobnicate"], 2, &[], &["unrecognized subcommand"]);
}

#[test]
fn marks_help_documents_the_plain_format() {
    check(
        &["marks", "average", "--help"],
        0,
        &[
            "\"work_types\"",
            "\"term_rule\"",
            "round_to",
            "{\"margin\": 0.65, \"round_to\": 2}",
            "five_plus_minus",
        ],
        &[],
    );
}

// ---------------------------------------------------------------- merge

/// The per-collection counts `merge` prints: classes, lessons and evidence as given, and none of
/// the collections these fixtures do not hold.
fn counts(classes: u64, lessons: u64, evidence: u64) -> serde_json::Value {
    json!({
        "classes": classes, "lessons": lessons, "evidence": evidence,
        "rubrics": 0, "assessments": 0, "marks": 0, "policy": 0, "plans": 0, "maps": 0, "diagnostics": 0,
    })
}

#[test]
fn merge_is_idempotent_and_reports_counts_and_conflicts() {
    let dir = scratch("merge");
    let out = dir.join("merged.json");
    let out_s = out.to_str().unwrap();
    let o = check(&["merge", "backup-a.json", "backup-b.json", "-o", out_s], 0, &[], &[]);
    let v = json_of(&o);
    assert_eq!(v["added"], counts(0, 1, 1));
    assert_eq!(v["duplicates"], counts(1, 0, 1));
    assert_eq!(v["total"], counts(1, 2, 3));
    assert_eq!(v["conflicts"][0]["collection"], "evidence");
    assert_eq!(v["conflicts"][0]["id"], "00000000-0000-0000-0000-000000e00002");
    assert_eq!(
        v["conflicts"][0]["message"],
        "запись от 02.09.2024 (00000000-0000-0000-0000-000000e00002) во втором файле отличается \
         от уже имеющегося; оставлен имеющийся вариант"
    );
    let written = std::fs::read_to_string(&out).unwrap();
    assert!(written.starts_with("{\"format\":\"lesenka\",\"version\":1,\"kind\":\"backup\""));
    // Merging B again into the result adds nothing and keeps the file's content.
    let o = check(
        &["--format", "text", "merge", out_s, "backup-b.json", "-o", out_s],
        0,
        &[
            "Добавлено: классов 0, уроков 0, записей 0\n",
            "Уже были (дубликаты): классов 1, уроков 1, записей 2\n",
            "Конфликтов: 1\n",
        ],
        &[],
    );
    assert!(stdout(&o).ends_with("классов 1, уроков 2, записей 3\n"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), written);
    // No temporary file is left behind.
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, ["merged.json"]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn merge_refuses_implausible_files_and_writes_nothing() {
    let dir = scratch("merge-implausible");
    let b: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixtures().join("backup-b.json")).unwrap())
            .unwrap();
    // The gradebook fixture's marks and rules, its second mark (of 3 September) made «-3».
    let marks: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("gradebook-envelope.json")).unwrap(),
    )
    .unwrap();
    let mut book = marks["payload"]["gradebook"].clone();
    book["marks"][1]["value"] = "-3".into();
    let mut off_scale = b.clone();
    off_scale["payload"]["gradebooks"] = json!([book]);
    off_scale["payload"]["policy"] = marks["payload"]["policy"].clone();
    let mut far_date = b.clone();
    far_date["payload"]["lessons"][0]["date"] = "9999-12-31".into();
    let mut one_id = b.clone();
    one_id["payload"]["classes"][0]["students"][1]["id"] =
        "00000000-0000-0000-0000-000000000101".into();
    let out = dir.join("merged.json");
    for (name, file, ru, en) in [
        (
            "off-scale",
            off_scale,
            "отметка «-3» от 03.09.2024 в классе 5А — не из шкалы отметок",
            "the mark «-3» of 2024-09-03 in class 5А is not on the marking scale",
        ),
        (
            "far-date",
            far_date,
            "урок «Дроби: задачи» датирован 31.12.9999, вне учебных лет 2000/01–2100/01",
            "the lesson «Дроби: задачи» is dated 9999-12-31, outside the school years \
             2000/01–2100/01",
        ),
        (
            "one-id",
            one_id,
            "один идентификатор ученика 00000000-0000-0000-0000-000000000101 у «Иванова Мария» и \
             «Петров Пётр» в классе 5А",
            "the student id 00000000-0000-0000-0000-000000000101 stands for both «Иванова Мария» \
             and «Петров Пётр» in class 5А",
        ),
    ] {
        let path = dir.join(format!("{name}.json"));
        std::fs::write(&path, file.to_string()).unwrap();
        let args = ["merge", "backup-a.json", path.to_str().unwrap(), "-o", out.to_str().unwrap()];
        check(
            &args,
            1,
            &[],
            &["в файле есть то, что не может быть верным; ничего не записано", ru],
        );
        let english = [&["--lang", "en"][..], &args[..]].concat();
        check(&english, 1, &[], &["the file holds what cannot be right; nothing was written", en]);
        assert!(!out.exists(), "{name}: nothing written");
        // The same file as A is refused too.
        let swapped =
            ["merge", path.to_str().unwrap(), "backup-a.json", "-o", out.to_str().unwrap()];
        check(&swapped, 1, &[], &[ru]);
        assert!(!out.exists(), "{name}: nothing written");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn merge_never_overwrites_with_less_data() {
    let dir = scratch("merge-guard");
    let b = dir.join("b.json");
    std::fs::copy(fixtures().join("backup-b.json"), &b).unwrap();
    let before = std::fs::read(&b).unwrap();
    let a = fixtures().join("backup-a.json");
    // OUT = B while B has a conflicting record: refused, B untouched.
    check(
        &["merge", a.to_str().unwrap(), b.to_str().unwrap(), "-o", b.to_str().unwrap()],
        1,
        &[],
        &["результат нельзя записать поверх B"],
    );
    assert_eq!(std::fs::read(&b).unwrap(), before);
    // Another existing file: only with --force.
    let other = dir.join("other.json");
    std::fs::write(&other, "keep me").unwrap();
    check(
        &["merge", a.to_str().unwrap(), b.to_str().unwrap(), "-o", other.to_str().unwrap()],
        2,
        &[],
        &["файл уже существует; чтобы заменить его, добавьте --force"],
    );
    assert_eq!(std::fs::read_to_string(&other).unwrap(), "keep me");
    check(
        &[
            "merge",
            a.to_str().unwrap(),
            b.to_str().unwrap(),
            "-o",
            other.to_str().unwrap(),
            "--force",
        ],
        0,
        &[],
        &[],
    );
    // OUT = A: A only grows.
    let a_copy = dir.join("a.json");
    std::fs::copy(&a, &a_copy).unwrap();
    let o = check(
        &["merge", a_copy.to_str().unwrap(), b.to_str().unwrap(), "-o", a_copy.to_str().unwrap()],
        0,
        &[],
        &[],
    );
    assert_eq!(json_of(&o)["total"], counts(1, 2, 3));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn merge_refuses_a_newer_file_and_leaves_it_unchanged() {
    let dir = scratch("merge-newer");
    let out = dir.join("out.json");
    let before = std::fs::read(fixtures().join("backup-newer.json")).unwrap();
    check(
        &["merge", "backup-newer.json", "backup-a.json", "-o", out.to_str().unwrap()],
        1,
        &[],
        &[
            "lesenka: файл backup-newer.json: файл сделан более новой версией Lesenka (версия формата 7, эта программа читает до 1); файл не изменён",
        ],
    );
    check(
        &["--lang", "en", "merge", "backup-a.json", "backup-newer.json", "-o", "backup-newer.json"],
        1,
        &[],
        &[
            "lesenka: file backup-newer.json: the file was made by a newer Lesenka (format version 7; this one reads up to 1); the file was not changed",
        ],
    );
    assert!(!out.exists());
    assert_eq!(std::fs::read(fixtures().join("backup-newer.json")).unwrap(), before);
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- export csv

#[test]
fn export_evidence_csv_for_russian_excel() {
    let o = check(&["export", "csv", "backup-a.json"], 0, &[], &[]);
    assert_eq!(
        stdout(&o),
        "\u{feff}Дата;Класс;Ученик;Критерий;Приём;Ответ;Источник\r\n\
         02.09.2024;5А;Иванова Мария;\"Сравниваю дроби; объясняю \"\"почему\"\"\";Светофор;зелёный;самооценка\r\n\
         02.09.2024;5А;Петров Пётр;\"Сравниваю дроби; объясняю \"\"почему\"\"\";Светофор;красный;самооценка\r\n"
    );
    let o = check(
        &["export", "csv", "backup-a.json", "--pseudonyms"],
        0,
        &["Лиса 1", "Медведь 2"],
        &[],
    );
    assert!(!stdout(&o).contains("Иванова"));
}

#[test]
fn export_concept_maps_csv_from_a_backup() {
    use lesenka_core::conceptmap::stored::LessonMap;
    use lesenka_core::persist::backup::{Backup, export_backup};
    let text = std::fs::read_to_string(fixtures().join("backup-a.json")).unwrap();
    let mut backup: Backup =
        lesenka_core::persist::open(lesenka_core::persist::Kind::Backup, &text).unwrap().value;
    let lesson = backup.lessons[0].id();
    let student = backup.classes[0].students()[0].id;
    let map = |id: u128, author: serde_json::Value, links: serde_json::Value| -> LessonMap {
        serde_json::from_value(json!({
            "id": format!("00000000-0000-0000-0000-{id:012x}"),
            "lesson": lesson,
            "author": author,
            "map": {
                "concepts": [
                    {"id": "00000000-0000-0000-0000-000000000c01", "label": "Дробь"},
                    {"id": "00000000-0000-0000-0000-000000000c02", "label": "Знаменатель"},
                ],
                "propositions": links,
            },
        }))
        .unwrap()
    };
    let link = json!([{
        "from": "00000000-0000-0000-0000-000000000c01",
        "linking": "имеет",
        "to": "00000000-0000-0000-0000-000000000c02",
    }]);
    backup.maps = vec![
        map(0xa2, json!({"by": "student", "student": student}), json!([])),
        map(0xa1, json!({"by": "teacher"}), link),
    ];
    let dir = scratch("maps");
    let file = dir.join("backup-maps.json");
    std::fs::write(&file, export_backup(&backup)).unwrap();
    let o = run_in(&dir, &["export", "csv", "backup-maps.json", "--what", "maps"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "\u{feff}Дата;Класс;Тема урока;Критерий;Автор карты;Понятие;Связь;Понятие;Тип"
    );
    assert!(
        lines[1].ends_with(";5А;Сравнение дробей;весь урок;учитель;Дробь;имеет;Знаменатель;"),
        "{out}"
    );
    // The student's map has no links: each of its concepts is a row of its own.
    assert!(lines[2].contains(";Иванова Мария;Дробь;;;"), "{out}");
    assert!(lines[3].contains(";Иванова Мария;Знаменатель;;;"), "{out}");
    let o = run_in(&dir, &["export", "csv", "backup-maps.json", "--what", "maps", "--pseudonyms"]);
    assert!(stdout(&o).contains(";Лиса 1;Дробь;"));
    assert!(!stdout(&o).contains("Иванова"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn export_diagnostics_csv_from_a_backup() {
    use lesenka_core::diagnostics::run::{AnonymousSheet, satisfaction_survey};
    use lesenka_core::diagnostics::{
        AnswerSheet, DiagnosticRun, DiagnosticRunDraft, RunForm, likert,
    };
    use lesenka_core::ids::{DiagnosticRunId, ResponseSheetId};
    use lesenka_core::persist::backup::{Backup, export_backup};
    let text = std::fs::read_to_string(fixtures().join("backup-a.json")).unwrap();
    let mut backup: Backup =
        lesenka_core::persist::open(lesenka_core::persist::Kind::Backup, &text).unwrap().value;
    let class = &backup.classes[0];
    let students: Vec<_> = class.students().iter().map(|s| s.id).collect();
    let sheet = |who, answers: [usize; 10]| AnswerSheet {
        respondent: who,
        answers: answers.iter().map(|a| Some(*a)).collect(),
    };
    let day = |m, d| chrono::NaiveDate::from_ymd_opt(2025, m, d).unwrap();
    let september = DiagnosticRun::new(DiagnosticRunDraft {
        id: DiagnosticRunId::from_u128(0xd1),
        class: class.id,
        date: day(9, 15),
        form: RunForm::Luskanova {
            sheets: vec![
                sheet(students[0], [1, 2, 2, 0, 1, 1, 0, 2, 1, 0]),
                sheet(students[1], [0; 10]),
            ],
        },
    })
    .unwrap();
    let survey = DiagnosticRun::survey(
        DiagnosticRunId::from_u128(0xd2),
        class.id,
        chrono::NaiveDate::from_ymd_opt(2026, 5, 20).unwrap(),
        satisfaction_survey(likert::Audience::Students),
    )
    .with_anonymous(AnonymousSheet {
        id: ResponseSheetId::from_u128(0x51),
        sheet: likert::LikertSheet { answers: vec![Some(2), Some(1), None, Some(0)] },
    })
    .unwrap();
    let scores = september.student_scores();
    backup.diagnostics = vec![september, survey];
    let dir = scratch("diagnostics-csv");
    std::fs::write(dir.join("backup-diag.json"), export_backup(&backup)).unwrap();
    let o = run_in(&dir, &["export", "csv", "backup-diag.json", "--what", "diagnostics"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.split("\r\n").collect();
    assert_eq!(lines[0], "\u{feff}Дата;Класс;Ученик;Анкета;Баллы;Уровень мотивации");
    let name = |i: usize| backup.classes[0].students()[i].display_name.to_string();
    // Core's scoring of the same sheets, in the run's order; then the survey's anonymous sheet.
    assert_eq!(
        lines[1],
        format!(
            "15.09.2025;5А;{};Анкета Лускановой;{};{}",
            name(0),
            scores[0].total,
            scores[0].level.label_ru()
        )
    );
    assert_eq!(
        lines[2],
        format!(
            "15.09.2025;5А;{};Анкета Лускановой;{};{}",
            name(1),
            scores[1].total,
            scores[1].level.label_ru()
        )
    );
    assert_eq!((scores[0].total, scores[1].total), (30, 14));
    assert_eq!(lines[3], "20.05.2026;5А;анонимно;Удовлетворённость учеников;;");
    assert_eq!(lines.len(), 5, "{out}");
    let o = run_in(
        &dir,
        &[
            "export",
            "csv",
            "backup-diag.json",
            "--what",
            "diagnostics",
            "--pseudonyms",
            "-o",
            "d.csv",
        ],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let written = std::fs::read_to_string(dir.join("d.csv")).unwrap();
    assert!(!written.contains(&name(0)) && written.contains(";Лиса 1;"), "{written}");
    // A file that is not a backup is refused with the file named.
    std::fs::write(dir.join("broken.json"), "{ not json").unwrap();
    let o = run_in(&dir, &["export", "csv", "broken.json", "--what", "diagnostics"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("broken.json"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn export_gradebook_csv_to_a_file() {
    let dir = scratch("export");
    let out = dir.join("journal.csv");
    check(
        &[
            "export",
            "csv",
            "gradebook-envelope.json",
            "--what",
            "gradebook",
            "-o",
            out.to_str().unwrap(),
        ],
        0,
        &[],
        &[],
    );
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "\u{feff}Ученик;02.09.2024 Работа на уроке;03.09.2024 Домашняя работа;12.09.2024 Контрольная работа;Средний балл\r\n\
         Иванова Мария;5;5;4;4,44\r\n"
    );
    std::fs::remove_dir_all(&dir).unwrap();
    check(
        &["export", "csv", "backup-a.json", "--what", "gradebook"],
        1,
        &[],
        &["файл backup-a.json: в резервной копии нет журнала отметок"],
    );
    check(
        &["export", "csv", "gradebook-envelope.json"],
        1,
        &[],
        &["это журнал отметок; для него укажите --what gradebook"],
    );
    check(
        &["export", "csv", "backup-newer.json"],
        1,
        &[],
        &["файл сделан более новой версией Lesenka"],
    );
}

#[test]
fn export_gradebook_csv_from_a_backup() {
    // The app's backup holds the classes' gradebooks and the school's policy (here урок weighs
    // 2, not the default 3): every class with marks is exported under that policy.
    let header = "\u{feff}Ученик;02.09.2024 Работа на уроке;03.09.2024 Домашняя работа;\
                  12.09.2024 Контрольная работа;Средний балл\r\n";
    let o = check(&["export", "csv", "backup-marks.json", "--what", "gradebook"], 0, &[], &[]);
    assert_eq!(
        stdout(&o),
        format!(
            "{header}5А · Иванова Мария;5;5;4;4,38\r\n5А · Петров Пётр;3;;;3,00\r\n\
             6Б · Сидоров Иван;;;5;5,00\r\n"
        )
    );
    let o = check(
        &["export", "csv", "backup-marks.json", "--what", "gradebook", "--pseudonyms"],
        0,
        &["5А · Лиса 1;5;5;4;4,38\r\n", "6Б · Сова 1;;;5;5,00\r\n"],
        &[],
    );
    assert!(!stdout(&o).contains("Иванова"));
    // Without a stored policy the app marks by core's default (урок 3): 40/9 ≈ 4,44.
    let dir = scratch("backup-default-policy");
    let mut backup: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("backup-marks.json")).unwrap(),
    )
    .unwrap();
    backup["payload"].as_object_mut().unwrap().remove("policy");
    let path = dir.join("backup.json");
    std::fs::write(&path, backup.to_string()).unwrap();
    check(
        &["export", "csv", path.to_str().unwrap(), "--what", "gradebook"],
        0,
        &["5А · Иванова Мария;5;5;4;4,44\r\n"],
        &[],
    );
    // A mark the backup's policy cannot place is reported, never skipped.
    let text = backup.to_string().replace("\"value\":\"4\"", "\"value\":\"4+\"");
    std::fs::write(&path, text).unwrap();
    check(
        &["export", "csv", path.to_str().unwrap(), "--what", "gradebook"],
        1,
        &[],
        &[
            "mark 00000000-0000-0000-0000-0000000a0003: «4+» is not a mark of the scale «Пятибалльная»",
        ],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- concept maps

#[test]
fn conceptmap_score_gives_the_components() {
    let o = check(&["conceptmap", "score", "map-student.json", "map-teacher.json"], 0, &[], &[]);
    let v = json_of(&o);
    assert_eq!(v["propositions"]["matched"], 1);
    let o = check(
        &[
            "conceptmap",
            "score",
            "map-student.json",
            "map-teacher.json",
            "--synonyms",
            "synonyms.txt",
        ],
        0,
        &[],
        &[],
    );
    let v = json_of(&o);
    let p = &v["propositions"];
    assert_eq!(
        (&p["student_propositions"], &p["teacher_propositions"], &p["matched"]),
        (&json!(3), &json!(4), &json!(2))
    );
    assert_eq!(p["recall"], json!({"value": 0.5, "defined": true}));
    let n = &v["novak_gowin"];
    assert_eq!(
        (
            &n["valid_propositions"],
            &n["hierarchy_levels"],
            &n["branchings"],
            &n["total"],
            &n["teacher_total"]
        ),
        (&json!(2), &json!(1), &json!(1), &json!(8), &json!(16))
    );
    assert_eq!(n["root"], "Растения");
    assert_eq!(v["closeness"]["missing_concepts"], json!(["Солнечный свет", "Ель"]));
    check(
        &[
            "--format",
            "text",
            "conceptmap",
            "score",
            "map-student.json",
            "map-teacher.json",
            "--synonyms",
            "synonyms.txt",
        ],
        0,
        &[
            "Пропозиции: совпало 2 (у ученика 3, у учителя 4); точность 0,67, полнота 0,50, F1 0,57\n",
            "Новак–Гоуин: 2·1 + 1·5 + 1·1 + 0·10 + 0·1 = 8 (у учителя 16; 0,50)\n",
            "Нет у учителя: «растения» —пьют→ «вода»\n",
        ],
        &[],
    );
}

#[test]
fn conceptmap_bad_inputs() {
    let dir = scratch("maps");
    let bad = dir.join("bad.json");
    std::fs::write(&bad, r#"{"concepts": ["А", "Б"], "propositions": [["А", "ведёт к", "В"]]}"#)
        .unwrap();
    check(
        &["conceptmap", "score", bad.to_str().unwrap(), "map-teacher.json"],
        1,
        &[],
        &["bad.json: proposition 1: «В» is not one of the concepts"],
    );
    let synonyms = dir.join("syn.txt");
    std::fs::write(&synonyms, "# list\nкислород = O2\nбез разделителя\n").unwrap();
    check(
        &[
            "conceptmap",
            "score",
            "map-student.json",
            "map-teacher.json",
            "--synonyms",
            synonyms.to_str().unwrap(),
        ],
        1,
        &[],
        &["syn.txt, строка 3: ожидалась пара «вариант = основная форма»"],
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- diagnostics

#[test]
fn luskanova_scores_each_respondent() {
    let o = check(
        &["diagnostics", "luskanova", "luskanova.json"],
        1,
        &[],
        &["luskanova.json: «Ученик 3»: нет ответа на вопрос 3\n"],
    );
    let v = json_of(&o);
    assert_eq!(
        v["respondents"],
        json!([
            {"name": "Ученик 1", "total": 30, "band": "high", "band_label": "высокая школьная мотивация, учебная активность"},
            {"name": "Ученик 2", "total": 10, "band": "low", "band_label": "низкая школьная мотивация"},
            {"name": "Ученик 3", "problem": "нет ответа на вопрос 3"}
        ])
    );
    assert_eq!(v["summary"]["respondents"], 2);
    assert_eq!(v["summary"]["mean_total"], 20.0);
    let counts: Vec<u64> = v["summary"]["bands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["count"].as_u64().unwrap())
        .collect();
    assert_eq!(counts, [0, 1, 0, 0, 1]);
    check(
        &["--format", "text", "diagnostics", "luskanova", "luskanova.json"],
        1,
        &[
            "  Ученик 1: 30 — высокая школьная мотивация, учебная активность\n",
            "скрининг, а не диагноз",
        ],
        &[],
    );
}

#[test]
fn marks_average_over_a_term() {
    let o = check(
        &[
            "marks",
            "average",
            "gradebook-envelope.json",
            "--from",
            "2024-09-01",
            "--to",
            "2024-09-10",
        ],
        0,
        &[],
        &[],
    );
    let v = json_of(&o);
    assert_eq!(v["period"], json!({"from": "2024-09-01", "to": "2024-09-10"}));
    let s = &v["students"][0];
    assert_eq!(
        (&s["marks"], &s["average"]),
        (&json!(2), &json!({"exact": "5", "rounded": "5.00"}))
    );
    assert_eq!(s["term_mark"]["mark"], "5");
    check(
        &["marks", "average", "gradebook-plain.json", "--from", "2024-09-01", "--to", "2024-09-10"],
        1,
        &[],
        &["файл gradebook-plain.json: student «Петров Пётр», mark 1: no date"],
    );
    check(
        &[
            "marks",
            "average",
            "gradebook-envelope.json",
            "--from",
            "2024-09-10",
            "--to",
            "2024-09-01",
        ],
        2,
        &[],
        &["--from/--to: the period ends (2024-09-01) before it starts (2024-09-10)"],
    );
    check(
        &["marks", "average", "gradebook-envelope.json", "--from", "2024-09-10"],
        2,
        &[],
        &["--to <DATE>"],
    );
}

#[test]
fn marks_a_gradebook_mark_the_policy_cannot_place_is_reported() {
    let dir = scratch("gradebook-unplaced");
    let text = std::fs::read_to_string(fixtures().join("gradebook-envelope.json")).unwrap();
    let cases = [
        (
            "\"work_type\": \"00000000-0000-0000-0000-000000000003\"",
            "\"work_type\": \"00000000-0000-0000-0000-000000000009\"",
            "mark 00000000-0000-0000-0000-0000000a0002: work type \
             00000000-0000-0000-0000-000000000009 is not in the policy's work types",
        ),
        (
            "\"date\": \"2024-09-12\", \"value\": \"4\"",
            "\"date\": \"2024-09-12\", \"value\": \"4+\"",
            "mark 00000000-0000-0000-0000-0000000a0003: «4+» is not a mark of the scale «Пятибалльная»",
        ),
    ];
    for (from, to, message) in cases {
        assert!(text.contains(from), "{from}");
        let path = dir.join("g.json");
        std::fs::write(&path, text.replace(from, to)).unwrap();
        check(&["marks", "average", path.to_str().unwrap()], 1, &[], &[message]);
        check(
            &["export", "csv", "--what", "gradebook", path.to_str().unwrap()],
            1,
            &[],
            &[message],
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

// ---------------------------------------------------------------- evidence

#[test]
fn evidence_summary_counts_techniques_and_lights() {
    let o = check(&["evidence", "summary", "backup-b.json"], 0, &[], &[]);
    let v = json_of(&o);
    assert_eq!(v["records"], 3);
    assert_eq!(v["by_month"], json!({"2024-09": {"ladder": 1, "traffic_light": 2}}));
    assert_eq!(
        v["traffic_light"],
        json!([{
            "class": "5А",
            "class_id": "00000000-0000-0000-0000-00000000005a",
            "lessons": [{
                "lesson": "00000000-0000-0000-0000-0000000001e1",
                "date": "2024-09-02",
                "green": 1, "yellow": 1, "red": 0,
                "topic": null
            }]
        }])
    );
    check(
        &["--format", "text", "evidence", "summary", "backup-a.json"],
        0,
        &[
            "Записей: 2\nПо месяцам:\n  2024-09: Светофор 2\n",
            "Светофор, 5А:\n  02.09.2024 «Сравнение дробей»: зелёных 1, жёлтых 0, красных 1\n",
        ],
        &[],
    );
    // English names come from the same table as the app's (core's `TechniqueKind::name`).
    check(
        &["--format", "text", "--lang", "en", "evidence", "summary", "backup-b.json"],
        0,
        &["By month:\n  2024-09: Ladder of success 1, Traffic light 2\n", "Traffic light, 5А:\n"],
        &[],
    );
    check(
        &["evidence", "summary", "backup-newer.json"],
        1,
        &[],
        &["файл сделан более новой версией Lesenka"],
    );
    check(
        &["evidence", "summary", "gradebook-envelope.json"],
        1,
        &[],
        &["в файле данные Lesenka вида «gradebook», а нужны «backup»"],
    );
}
