//! A table of evidence records: date, student, criterion, technique, answer (a peer review
//! also names its reviewer).

use leptos::prelude::*;
use leptos_router::components::A;
use lesenka_core::evidence::EvidenceRecord;
use lesenka_core::ids::StudentId;
use lesenka_core::technique::Response;

use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_projector};

/// The records, newest lesson first. Names are replaced by pseudonyms in projector mode.
#[component]
pub fn EvidenceTable(
    /// The records to show.
    #[prop(into)]
    records: Signal<Vec<EvidenceRecord>>,
    /// Whether to show the student column.
    #[prop(optional)]
    show_student: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let projector = use_projector();
    let name_of = move |record: &EvidenceRecord, id: StudentId| -> (String, Option<String>) {
        data.classes.with(|classes| {
            let class = classes.iter().find(|c| c.id == record.class());
            match class.and_then(|c| c.student(id)) {
                Some(s) if projector.0.get() => (s.pseudonym.as_str().to_owned(), None),
                Some(s) => (
                    s.display_name.to_string(),
                    Some(format!("/classes/{}/students/{}", record.class(), id)),
                ),
                None => (id.to_string(), None),
            }
        })
    };
    let student_name = move |record: &EvidenceRecord| -> (String, Option<String>) {
        match record.student() {
            Some(id) => name_of(record, id),
            None => (t_string!(i18n, evidence_anonymous).to_string(), None),
        }
    };
    let criterion_text = move |record: &EvidenceRecord| -> String {
        data.lessons.with(|lessons| {
            lessons
                .iter()
                .find(|l| l.id() == record.lesson())
                .and_then(|l| l.criterion(record.criterion()))
                .map(|c| c.text().to_string())
                .unwrap_or_default()
        })
    };
    let sorted = move || {
        let mut list = records.get();
        list.sort_by(|a, b| {
            b.lesson_date().cmp(&a.lesson_date()).then(b.recorded_at().cmp(&a.recorded_at()))
        });
        list
    };
    view! {
        <table class="evidence" data-testid="evidence-table">
            <thead>
                <tr>
                    <th>{t!(i18n, evidence_date)}</th>
                    {show_student.then(|| view! { <th>{t!(i18n, evidence_student)}</th> })}
                    <th>{t!(i18n, evidence_criterion)}</th>
                    <th>{t!(i18n, evidence_technique)}</th>
                    <th>{t!(i18n, evidence_value)}</th>
                </tr>
            </thead>
            <tbody>
                <For each=sorted key=|r| r.id() let:record>
                    {
                        let light_class = match record.value() {
                            Response::Light(l) => format!("chip {}", format::light_class(*l)),
                            _ => "chip".to_owned(),
                        };
                        let student = show_student.then(|| {
                            let record = record.clone();
                            view! {
                                <td>
                                    {move || {
                                        let (name, href) = student_name(&record);
                                        match href {
                                            Some(href) => view! { <A href=href>{name}</A> }.into_any(),
                                            None => name.into_any(),
                                        }
                                    }}
                                </td>
                            }
                        });
                        let r1 = record.clone();
                        let r2 = record.clone();
                        let r3 = record.clone();
                        let author = record.author().map(|id| {
                            let record = record.clone();
                            view! {
                                <small class="muted evidence-author" data-testid="evidence-author">
                                    {move || {
                                        let name = name_of(&record, id).0;
                                        t_string!(i18n, evidence_review_by, name).to_string()
                                    }}
                                </small>
                            }
                        });
                        view! {
                            <tr data-testid="evidence-row">
                                <td>{move || format::date(i18n, r1.lesson_date())}</td>
                                {student}
                                <td>{move || criterion_text(&r2)}</td>
                                <td>{move || format::technique(i18n, record.technique())}</td>
                                <td>
                                    <span class=light_class.clone() data-testid="evidence-value">
                                        {move || format::response(i18n, r3.value())}
                                    </span>
                                    {author}
                                </td>
                            </tr>
                        }
                    }
                </For>
            </tbody>
        </table>
    }
}
