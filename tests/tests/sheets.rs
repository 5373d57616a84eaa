//! A class's spreadsheets, as a teacher downloads them from the class page's buttons: the
//! gradebook and the evidence as .xlsx (opened here as the zip of XML it is) and as CSV for
//! Russian Excel; a lesson's page downloads that lesson's evidence only.
//! Needs `cargo xtask dist` first (or runs inside `cargo xtask test`).

use std::io::Read;

use anyhow::{Result, ensure};
use lesenka_tests::Harness;
use lesenka_tests::flows::{create_class, download, tap_tiles};

/// One file of a zip, as text.
fn entry(zip: &[u8], name: &str) -> Result<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip))?;
    let mut text = String::new();
    archive.by_name(name)?.read_to_string(&mut text)?;
    Ok(text)
}

#[tokio::test]
async fn a_class_gradebook_and_evidence_download_as_excel_and_csv() -> Result<()> {
    let h = Harness::start().await?;
    let class_path = create_class(&h, "7Б", "Орлова Вера\nСеменов Илья\nЯковлев Пётр").await?;
    // Two marks for Вера, one for Илья.
    h.click_testid("open-gradebook").await?;
    h.wait_for_testid("gradebook-title").await?;
    for (student, value) in [("Орлова Вера", "5"), ("Орлова Вера", "4"), ("Семенов Илья", "3")]
    {
        h.select_testid("mark-student", student).await?;
        h.select_testid("mark-value", value).await?;
        h.click_testid("add-mark").await?;
    }
    h.wait_for_testid("gb-mark-1-0").await?;
    // A светофор on a lesson, for the evidence.
    h.goto(&class_path).await?;
    h.click_testid("new-lesson").await?;
    h.fill_testid("lesson-topic", "Проценты").await?;
    h.fill_testid("lesson-criteria", "Нахожу процент от числа").await?;
    h.click_testid("save-lesson").await?;
    h.click_testid("run-traffic-light-0").await?;
    let lesson_url = h.client().current_url().await?;
    tap_tiles(&h, |_| 1).await?;
    h.click_testid("close-technique").await?;
    h.wait_for_testid("saved-notice").await?;
    h.goto(&class_path).await?;
    h.wait_for_testid("sheet-buttons").await?;

    // The gradebook workbook: a sheet «журнал», a bold frozen header, names and the average.
    let (name, book) = download(&h, "sheet-gradebook-xlsx").await?;
    ensure!(name.starts_with("7Б-журнал-") && name.ends_with(".xlsx"), "{name}");
    ensure!(book.starts_with(b"PK\x03\x04"), "not a zip");
    let strings = entry(&book, "xl/sharedStrings.xml")?;
    for text in ["Ученик", "Средний балл", "Орлова Вера", "Семенов Илья", "Яковлев Пётр"]
    {
        ensure!(strings.contains(text), "{text} missing from {strings}");
    }
    let workbook = entry(&book, "xl/workbook.xml")?;
    ensure!(workbook.contains("name=\"журнал\""), "{workbook}");
    let cells = entry(&book, "xl/worksheets/sheet1.xml")?;
    ensure!(cells.contains("<pane ySplit=\"1\""), "the header row is frozen: {cells}");
    // Вера's marks are numbers (5 and 4), and the averages are numbers too.
    ensure!(cells.contains("<v>5</v>") && cells.contains("<v>4</v>"), "{cells}");
    // The CSV of the same table, for Russian Excel.
    let (name, csv) = download(&h, "sheet-gradebook-csv").await?;
    ensure!(name.ends_with(".csv"), "{name}");
    let csv = String::from_utf8(csv)?;
    ensure!(csv.starts_with('\u{feff}'), "a BOM first");
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    ensure!(lines.len() == 4, "a header and three students: {lines:?}");
    ensure!(lines[0].starts_with("\u{feff}Ученик;") && lines[0].ends_with(";Средний балл"));
    ensure!(lines[1].starts_with("Орлова Вера;"), "{lines:?}");

    // The evidence workbook: one row per answer, dates as dates.
    let (_, records) = download(&h, "sheet-evidence-xlsx").await?;
    let strings = entry(&records, "xl/sharedStrings.xml")?;
    for text in ["Дата", "Приём", "Светофор", "Нахожу процент от числа", "Яковлев Пётр"]
    {
        ensure!(strings.contains(text), "{text} missing from {strings}");
    }
    let cells = entry(&records, "xl/worksheets/sheet1.xml")?;
    ensure!(cells.matches("<row ").count() == 4, "a header and three answers: {cells}");
    let csv = String::from_utf8(download(&h, "sheet-evidence-csv").await?.1)?;
    ensure!(csv.trim_end().split("\r\n").count() == 4, "{csv}");
    ensure!(!h.exists_testid("sheet-error").await?, "no error after the downloads");

    // A second lesson's answers; the first lesson's page downloads its own records only.
    h.click_testid("new-lesson").await?;
    h.fill_testid("lesson-topic", "Дроби").await?;
    h.fill_testid("lesson-criteria", "Сравниваю дроби").await?;
    h.click_testid("save-lesson").await?;
    h.click_testid("run-traffic-light-0").await?;
    tap_tiles(&h, |_| 2).await?;
    h.click_testid("close-technique").await?;
    h.wait_for_testid("saved-notice").await?;
    h.client().goto(lesson_url.as_str()).await?;
    h.wait_for_testid("lesson-sheets").await?;
    ensure!(!h.exists_testid("sheet-gradebook-csv").await?, "a lesson has no gradebook button");
    let (name, csv) = download(&h, "sheet-evidence-csv").await?;
    ensure!(name.starts_with("7Б-Проценты-записи-") && name.ends_with(".csv"), "{name}");
    let csv = String::from_utf8(csv)?;
    let lines: Vec<&str> = csv.trim_end().split("\r\n").collect();
    ensure!(lines.len() == 4, "a header and the lesson's three answers: {lines:?}");
    ensure!(lines[1..].iter().all(|l| l.contains(";Нахожу процент от числа;")), "{lines:?}");
    let (_, book) = download(&h, "sheet-evidence-xlsx").await?;
    let cells = entry(&book, "xl/worksheets/sheet1.xml")?;
    ensure!(cells.matches("<row ").count() == 4, "the lesson's rows only: {cells}");
    h.goto(&class_path).await?;
    h.wait_for_testid("sheet-buttons").await?;
    let all = String::from_utf8(download(&h, "sheet-evidence-csv").await?.1)?;
    ensure!(all.trim_end().split("\r\n").count() == 7, "the class has both lessons': {all}");
    h.close().await;
    Ok(())
}
