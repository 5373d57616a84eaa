//! Creating a class from a pasted roster.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use lesenka_core::ids::{ClassId, StudentId};
use lesenka_core::roster::{Class, RosterProblemKind, parse_roster};
use lesenka_core::text::{Name, TextError};

use crate::clock::new_uuid;
use crate::format;
use crate::i18n::*;
use crate::state::{use_data, use_status};

/// A name field, a roster paste (one name per line) with a live preview of what core takes and
/// which lines it refuses, and a save button.
#[component]
pub fn NewClass() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let navigate = use_navigate();
    let (name, set_name) = signal(String::new());
    let (roster, set_roster) = signal(String::new());
    let (error, set_error) = signal(None::<String>);
    let paste = Memo::new(move |_| roster.with(|r| parse_roster(r)));

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let class_name = match Name::parse(&name.get_untracked()) {
            Ok(n) => n,
            Err(TextError::Empty) => {
                set_error.set(Some(t_string!(i18n, class_name_empty).to_string()));
                return;
            }
            Err(TextError::TooLong { .. }) => {
                set_error.set(Some(t_string!(i18n, class_name_too_long).to_string()));
                return;
            }
        };
        let mut class = Class::new(ClassId::from_uuid(new_uuid()), class_name);
        for student in paste.get_untracked().names {
            // Fresh random ids never collide; a refusal would only drop that one line.
            let _ = class.add_student(StudentId::from_uuid(new_uuid()), student);
        }
        let id = class.id;
        match data.add_class(status, class) {
            Ok(()) => navigate(&format!("/classes/{id}"), Default::default()),
            Err(err) => set_error.set(Some(format::save_failed(i18n, &err))),
        }
    };
    view! {
        <section class="card narrow">
            <h1>{t!(i18n, new_class_title)}</h1>
            <form on:submit=save class="form">
                <label>
                    <span>{t!(i18n, class_name_label)}</span>
                    <input
                        type="text"
                        data-testid="class-name"
                        placeholder=move || t_string!(i18n, class_name_placeholder).to_string()
                        prop:value=name
                        on:input=move |ev| set_name.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <span>{t!(i18n, roster_label)}</span>
                    <textarea
                        rows="12"
                        data-testid="roster"
                        placeholder=move || t_string!(i18n, roster_placeholder).to_string()
                        prop:value=roster
                        on:input=move |ev| set_roster.set(event_target_value(&ev))
                    ></textarea>
                </label>
                <p class="muted" data-testid="roster-preview">
                    {move || {
                        let students = format::students(i18n, paste.with(|p| p.names.len()));
                        t_string!(i18n, roster_preview, students).to_string()
                    }}
                </p>
                <ul class="problems" data-testid="roster-problems">
                    {move || {
                        paste
                            .get()
                            .problems
                            .into_iter()
                            .map(|p| {
                                let line = p.line;
                                let text = match p.kind {
                                    RosterProblemKind::TooLong => {
                                        t_string!(i18n, roster_problem_too_long, line).to_string()
                                    }
                                    RosterProblemKind::Duplicate { first_line } => {
                                        t_string!(i18n, roster_problem_duplicate, line, first = first_line)
                                            .to_string()
                                    }
                                };
                                view! { <li data-testid="roster-problem">{text}</li> }
                            })
                            .collect_view()
                    }}
                </ul>
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
                <div class="actions">
                    <A href="/" attr:class="btn ghost">{t!(i18n, cancel)}</A>
                    <button type="submit" class="btn primary" data-testid="save-class">
                        {t!(i18n, save_class)}
                    </button>
                </div>
            </form>
        </section>
    }
}
