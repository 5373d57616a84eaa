//! Core's refusals and the import's notes in the user's language: a [`LoadError`]'s
//! [`Defect`] and place, the plausibility check's [`Implausible`] items, save failures and
//! import conflicts, each worded from the translations (never core's English `Display`).

use leptos_i18n::I18nContext;
use lesenka_core::persist::plausible::{Dated, Implausible, school_years};
use lesenka_core::persist::{Damage, Defect, LoadError};

use crate::format::date;
use crate::i18n::*;
use crate::transfer::{Conflict, ImportError};

/// Why an import took nothing, as the part after «Файл не загружен: ». An implausible file is
/// better shown as [`implausible_heading`] over a list of [`implausible`] items; here they are
/// joined into one text.
pub fn import_error(i18n: I18nContext<Locale>, e: &ImportError) -> String {
    match e {
        ImportError::NotText => t_string!(i18n, import_err_not_text).to_string(),
        ImportError::Load(e) => load_error(i18n, e),
        ImportError::Implausible(problems) => {
            problems.iter().map(|p| implausible(i18n, p)).collect::<Vec<_>>().join(" ")
        }
        ImportError::Save(e) => crate::format::save_error(i18n, e),
    }
}

/// The heading of a refusal for implausible content.
pub fn implausible_heading(i18n: I18nContext<Locale>) -> String {
    t_string!(i18n, import_implausible).to_string()
}

/// Why saved data could not be opened.
pub fn load_error(i18n: I18nContext<Locale>, e: &LoadError) -> String {
    match e {
        LoadError::NewerVersion { found, supported } => {
            t_string!(i18n, import_err_newer, found = *found, supported = *supported).to_string()
        }
        LoadError::WrongKind { .. } => t_string!(i18n, import_err_wrong_kind).to_string(),
        LoadError::Damaged(damage) => damaged(i18n, damage),
    }
}

fn damaged(i18n: I18nContext<Locale>, damage: &Damage) -> String {
    let what = defect(i18n, &damage.what);
    match damage.at {
        Some(at) => {
            t_string!(i18n, import_err_damaged_at, what, line = at.line, column = at.column)
                .to_string()
        }
        None => t_string!(i18n, import_err_damaged, what).to_string(),
    }
}

fn defect(i18n: I18nContext<Locale>, what: &Defect) -> String {
    let header = |field: &str| t_string!(i18n, damage_header, field).to_string();
    match what {
        Defect::NotText => t_string!(i18n, damage_not_text).to_string(),
        Defect::NotJson => t_string!(i18n, damage_not_json).to_string(),
        Defect::NotLesenka => t_string!(i18n, damage_not_lesenka).to_string(),
        Defect::BadVersion => header("version"),
        Defect::BadKind { .. } => header("kind"),
        Defect::BadSavedAt => header("saved_at"),
        Defect::NoPayload => header("payload"),
        Defect::WrongType { found: Some(value) } => {
            t_string!(i18n, damage_wrong_type, value).to_string()
        }
        Defect::WrongType { found: None } => t_string!(i18n, damage_wrong_type_bare).to_string(),
        Defect::OutOfRange { found: Some(value) } => {
            t_string!(i18n, damage_out_of_range, value).to_string()
        }
        Defect::OutOfRange { found: None } => t_string!(i18n, damage_out_of_range_bare).to_string(),
        Defect::MissingField { field } => t_string!(i18n, damage_missing_field, field).to_string(),
        Defect::Unknown { name } => t_string!(i18n, damage_unknown, name).to_string(),
        Defect::Refused => t_string!(i18n, damage_refused).to_string(),
        Defect::Migration { from } => t_string!(i18n, damage_migration, from = *from).to_string(),
    }
}

/// One implausible thing in an imported file.
pub fn implausible(i18n: I18nContext<Locale>, p: &Implausible) -> String {
    let range = school_years();
    match p {
        Implausible::MarkOffScale { class, value, date: day } => {
            let date = date(i18n, *day);
            t_string!(i18n, implausible_mark, value, date, class).to_string()
        }
        Implausible::DateOutOfRange { what, date: day, count } => {
            let date = date(i18n, *day);
            let text = match what {
                Dated::Lesson { topic } => {
                    t_string!(i18n, implausible_date_lesson, topic, date, range).to_string()
                }
                Dated::Evidence => {
                    t_string!(i18n, implausible_date_evidence, date, range).to_string()
                }
                Dated::Mark { class } => {
                    t_string!(i18n, implausible_date_mark, class, date, range).to_string()
                }
            };
            match count.saturating_sub(1) {
                0 => text,
                more => t_string!(i18n, implausible_more, text, more).to_string(),
            }
        }
        Implausible::SharedStudentId { first, second, .. } if first.0 == second.0 => t_string!(
            i18n,
            implausible_shared_one_class,
            first = &first.1,
            second = &second.1,
            class = &first.0
        )
        .to_string(),
        Implausible::SharedStudentId { first, second, .. } => t_string!(
            i18n,
            implausible_shared_two_classes,
            first = &first.1,
            first_class = &first.0,
            second = &second.1,
            second_class = &second.0
        )
        .to_string(),
    }
}

/// An item of the file that differs from the one here (the one here was kept).
pub fn conflict(i18n: I18nContext<Locale>, c: &Conflict) -> String {
    let what = match c {
        Conflict::Class(name) => t_string!(i18n, conflict_class, name).to_string(),
        Conflict::Lesson(topic, day) => {
            let date = date(i18n, *day);
            t_string!(i18n, conflict_lesson, topic, date).to_string()
        }
        Conflict::Evidence(day) => {
            let date = date(i18n, *day);
            t_string!(i18n, conflict_evidence, date).to_string()
        }
        Conflict::Rubric => t_string!(i18n, conflict_rubric).to_string(),
        Conflict::Assessment => t_string!(i18n, conflict_assessment).to_string(),
        Conflict::Mark => t_string!(i18n, conflict_mark).to_string(),
        Conflict::Policy => t_string!(i18n, conflict_policy).to_string(),
        Conflict::Plan => t_string!(i18n, conflict_plan).to_string(),
        Conflict::Map => t_string!(i18n, conflict_map).to_string(),
        Conflict::Diagnostic => t_string!(i18n, conflict_diagnostic).to_string(),
        Conflict::Other(id) => t_string!(i18n, conflict_other, id).to_string(),
    };
    t_string!(i18n, conflict, what).to_string()
}
