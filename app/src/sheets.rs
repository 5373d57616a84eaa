//! A class's spreadsheets: its gradebook and its evidence, as CSV for Russian Excel (core's
//! `persist::csv`: BOM, `;`, decimal comma) or as .xlsx, which every spreadsheet program —
//! LibreOffice included, whose default CSV import garbles that file — opens as it is.
//!
//! Core decides what the rows hold ([`gradebook_rows`], [`evidence_rows`]); this module only
//! writes cells. [`class_sheet`] is lazily loaded, so the .xlsx writer travels in its own chunk;
//! it writes a class's tables, or one lesson's evidence.

use leptos::lazy;
use leptos::prelude::*;
use lesenka_core::ids::{ClassId, LessonId};
use lesenka_core::marks::{GradebookError, Mark};
use lesenka_core::persist::csv::{
    Cell, EvidenceLookup, GradebookSheet, NameMode, evidence_rows, gradebook_rows, gradebook_table,
    write_csv,
};
use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, XlsxError};

use crate::state::Data;

/// Which table of a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    /// Marks per student and work, with the weighted average.
    Gradebook,
    /// One row per evidence record.
    Evidence,
}

/// Which file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    /// CSV for Russian Excel.
    Csv,
    /// An Excel workbook.
    Xlsx,
}

/// A file ready to download.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetFile {
    /// Its name: «5А-журнал-2026-12-01.xlsx».
    pub name: String,
    /// Its media type.
    pub mime: &'static str,
    /// Its bytes.
    pub bytes: Vec<u8>,
}

/// Why a sheet could not be written.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetError {
    /// The class is not (or no longer) here.
    NoClass,
    /// Core could not report a student's marks.
    Gradebook(GradebookError),
    /// The workbook writer refused (its own English words).
    Xlsx(String),
}

impl From<XlsxError> for SheetError {
    fn from(e: XlsxError) -> Self {
        Self::Xlsx(e.to_string())
    }
}

/// Writes one table of a class as a file (lazily loaded); with `lesson`, the evidence of that
/// lesson only. Call it once the stored journal and marks are read.
#[lazy]
pub fn class_sheet(
    data: Data,
    class: ClassId,
    lesson: Option<LessonId>,
    sheet: Sheet,
    format: SheetFormat,
) -> Result<SheetFile, SheetError> {
    let classes = data.classes.get_untracked();
    let found = classes.iter().find(|c| c.id == class).ok_or(SheetError::NoClass)?;
    let topic = lesson.and_then(|id| {
        data.lessons
            .with_untracked(|ls| ls.iter().find(|l| l.id() == id).map(|l| l.topic().to_string()))
    });
    let rows = match sheet {
        Sheet::Gradebook => {
            let policy = data.policy.get_untracked().unwrap_or_else(crate::state::default_policy);
            let book = data.gradebook(class);
            let date_of = |m: &Mark| Some(m.date);
            let students =
                found.students().iter().map(|s| (s.id, s.display_name.to_string())).collect();
            let table = gradebook_table(&[GradebookSheet {
                policy: &policy,
                gradebook: &book,
                students,
                date_of: &date_of,
            }])
            .map_err(SheetError::Gradebook)?;
            gradebook_rows(&table)
        }
        Sheet::Evidence => {
            let lessons = data.lessons.get_untracked();
            let lookup = EvidenceLookup::from_classes(&classes).with_lessons(&lessons);
            data.journal.with_untracked(|j| {
                let records = j.for_class(class).filter(|r| lesson.is_none_or(|l| r.lesson() == l));
                evidence_rows(records, &lookup, NameMode::RealNames)
            })
        }
    };
    let what = match sheet {
        Sheet::Gradebook => "журнал",
        Sheet::Evidence => "записи",
    };
    let stem = match &topic {
        Some(topic) => format!("{}-{topic}-{what}-{}", found.name, crate::clock::today()),
        None => format!("{}-{what}-{}", found.name, crate::clock::today()),
    };
    Ok(match format {
        SheetFormat::Csv => SheetFile {
            name: format!("{stem}.csv"),
            mime: "text/csv;charset=utf-8",
            bytes: write_csv(rows).into_bytes(),
        },
        SheetFormat::Xlsx => SheetFile {
            name: format!("{stem}.xlsx"),
            mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            bytes: xlsx(&rows, what)?,
        },
    })
}

/// A workbook of one sheet: the first row bold and frozen, numbers as numbers, averages with
/// two decimals, dates as dates (ДД.ММ.ГГГГ), texts as texts (never formulas).
fn xlsx(rows: &[Vec<Cell>], sheet_name: &str) -> Result<Vec<u8>, SheetError> {
    let mut book = Workbook::new();
    // The clock is the app's (the writer would otherwise read one itself).
    let now = ExcelDateTime::from_timestamp(crate::clock::now().timestamp())?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&now));
    let header = Format::new().set_bold();
    let fixed = Format::new().set_num_format("0.00");
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name)?;
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r).map_err(|_| SheetError::Xlsx("too many rows".into()))?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(|_| SheetError::Xlsx("too many columns".into()))?;
            match cell {
                Cell::Empty => {}
                Cell::Text(text) if r == 0 => {
                    sheet.write_string_with_format(r, c, text, &header)?;
                }
                Cell::Text(text) => {
                    sheet.write_string(r, c, text)?;
                }
                Cell::Number(x) => {
                    sheet.write_number(r, c, *x)?;
                }
                Cell::Fixed(x, _) => {
                    sheet.write_number_with_format(r, c, *x, &fixed)?;
                }
                Cell::Date(d) => {
                    use chrono::Datelike;
                    let (y, m, day) = (d.year(), d.month(), d.day());
                    let y = u16::try_from(y).map_err(|_| SheetError::Xlsx(format!("year {y}")))?;
                    // chrono's month and day always fit.
                    let when = ExcelDateTime::from_ymd(y, m as u8, day as u8)?;
                    sheet.write_datetime_with_format(r, c, &when, &date)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofit();
    Ok(book.save_to_buffer()?)
}
