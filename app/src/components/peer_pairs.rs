//! The teacher's pairing for peer feedback «две звезды и пожелание» on the lesson page: who
//! reviews whose work (core's `PeerPairs`: never one's own), each in turn with one button or
//! chosen per student; then the shared tablet is opened with the pairs in its address, where
//! each reviewer writes their review (`pages/student_lesson.rs`).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use lesenka_core::ids::{LessonId, StudentId};
use lesenka_core::peer::{PeerError, PeerPairs};
use lesenka_core::roster::Class;

use crate::components::choice_select::ChoiceSelect;
use crate::errors;
use crate::i18n::*;

/// The tablet's address for peer feedback with `pairs`.
pub fn peer_address(lesson: LessonId, pairs: &PeerPairs) -> String {
    let technique = r#"{"kind":"two_stars_and_a_wish"}"#;
    // A list of id pairs always serialises.
    let pairs = serde_json::to_string(pairs).unwrap_or_default();
    format!(
        "/s/lessons/{lesson}?technique={}&pairs={}",
        js_sys::encode_uri_component(technique),
        js_sys::encode_uri_component(&pairs)
    )
}

/// The pairing of the class `class` for the lesson `lesson`.
#[component]
pub fn PeerPairsEditor(
    /// The lesson.
    lesson: LessonId,
    /// The class (names: the teacher's screen only).
    class: Class,
) -> impl IntoView {
    let i18n = use_i18n();
    let navigate = use_navigate();
    let pairs = RwSignal::new(PeerPairs::default());
    let (error, set_error) = signal(None::<PeerError>);
    let students = class.students().to_vec();
    let ids: Vec<StudentId> = students.iter().map(|s| s.id).collect();
    let choices: Vec<(String, String)> = std::iter::once((String::new(), "—".to_owned()))
        .chain(students.iter().map(|s| (s.id.to_string(), s.display_name.to_string())))
        .collect();
    let in_turn = move |_| {
        pairs.set(PeerPairs::in_turn(&ids));
        set_error.set(None);
    };
    let open =
        move |_| navigate(&pairs.with_untracked(|p| peer_address(lesson, p)), Default::default());
    view! {
        <section class="card peer-pairs" data-testid="peer-pairs">
            <h2>{t!(i18n, peer_title)}</h2>
            <p class="muted">{t!(i18n, peer_hint)}</p>
            <button class="btn" data-testid="peer-in-turn" on:click=in_turn>{t!(i18n, peer_in_turn)}</button>
            <ol class="peer-list">
                {students
                    .into_iter()
                    .enumerate()
                    .map(|(i, s)| {
                        let id = s.id;
                        let choices = choices.clone();
                        view! {
                            <li>
                                <label>
                                    <span>{t!(i18n, peer_reviews)} " — " {s.display_name.to_string()}</span>
                                    <ChoiceSelect
                                        testid=format!("peer-of-{i}")
                                        choices=Signal::derive(move || choices.clone())
                                        selected=Signal::derive(move || {
                                            Some(pairs.with(|p| p.reviewed_by(id).map(|r| r.to_string()).unwrap_or_default()))
                                        })
                                        on_change=Callback::new(move |value: String| {
                                            // «—» (no id) means the student reviews no one.
                                            let reviewed = value.parse::<StudentId>().ok();
                                            match pairs.with_untracked(|p| p.with(id, reviewed)) {
                                                Ok(p) => {
                                                    pairs.set(p);
                                                    set_error.set(None);
                                                }
                                                Err(e) => set_error.set(Some(e)),
                                            }
                                        })
                                    />
                                </label>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            {move || error.get().map(|e| view! {
                <p class="error" role="alert" data-testid="peer-error">{move || errors::peer(i18n, &e)}</p>
            })}
            <button
                class="btn primary"
                data-testid="peer-open-tablet"
                disabled=move || pairs.with(PeerPairs::is_empty)
                on:click=open
            >
                {t!(i18n, tablet_open)}
            </button>
        </section>
    }
}
