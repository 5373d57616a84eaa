//! A questionnaire on the shared tablet (`/s/diagnostics/:run`). For the Лусканова form each
//! student picks their name, then answers the item the teacher reads aloud — its text shown,
//! the form's three answers, in the interface's language (core's `luskanova_in`), as large icons (core's `run::tone`: a smile for the answer with the
//! most points, a sad face for the fewest) — one item after another; the finished sheet goes
//! to core's `DiagnosticRun::with_sheet`, is saved, and the tablet returns to the name list with
//! nothing of the answers or the band on screen (results are on the teacher's screen only).
//! A satisfaction survey is anonymous: «Начать», one item at a time, the sheet saved under a
//! fresh sheet id (`with_anonymous`), then back to the start.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use lesenka_core::diagnostics::likert::LikertSheet;
use lesenka_core::diagnostics::luskanova::luskanova_in;
use lesenka_core::diagnostics::run::{AnonymousSheet, RunError, Tone, survey_wording, tone};
use lesenka_core::diagnostics::{AnswerSheet, DiagnosticRun, RunForm, luskanova};
use lesenka_core::ids::{DiagnosticRunId, ResponseSheetId, StudentId};

use crate::clock::new_uuid;
use crate::i18n::*;
use crate::pages::diagnostic_run::DIAG_CSS;
use crate::state::{use_data, use_status};
use crate::{errors, format};

/// Who is answering.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Turn {
    /// The name list (or the survey's start).
    Idle,
    /// A student (None: an anonymous survey sheet) answering.
    Answering(Option<StudentId>),
    /// Thanks, before the next one.
    Done,
}

/// The face of a tone, drawn as an SVG icon (decorative: the answer's text is the label).
fn face(t: Tone) -> impl IntoView {
    let mouth = match t {
        Tone::Top => "M22 44 Q36 58 50 44",
        Tone::Middle => "M22 48 L50 48",
        Tone::Bottom => "M22 52 Q36 38 50 52",
    };
    view! {
        <svg viewBox="0 0 72 72" aria-hidden="true" focusable="false">
            <circle cx="36" cy="36" r="32" fill="none" stroke="currentColor" stroke-width="4" />
            <circle cx="25" cy="28" r="4" fill="currentColor" />
            <circle cx="47" cy="28" r="4" fill="currentColor" />
            <path d=mouth fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" />
        </svg>
    }
}

/// The tablet's turn by turn flow over the run in the address.
#[component]
pub fn DiagnosticTablet() -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let status = use_status();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("run")?.parse::<DiagnosticRunId>().ok()));
    let run = Memo::new(move |_| {
        let id = id.get()?;
        data.diagnostics.with(|d| d.iter().find(|r| r.id() == id).cloned())
    });
    let (turn, set_turn) = signal(Turn::Idle);
    let answers = RwSignal::new(Vec::<Option<usize>>::new());
    let (at, set_at) = signal(0usize);
    let (error, set_error) = signal(None::<String>);
    let begin = move |who: Option<StudentId>, items: usize| {
        answers.set(vec![None; items]);
        set_at.set(0);
        set_error.set(None);
        set_turn.set(Turn::Answering(who));
    };
    // The finished sheet through core, saved; the answers are dropped from the tablet at once.
    let finish = move |who: Option<StudentId>| {
        let Some(current) = id.get_untracked().and_then(|id| {
            data.diagnostics.with_untracked(|d| d.iter().find(|r| r.id() == id).cloned())
        }) else {
            return;
        };
        let given = answers.get_untracked();
        let next: Result<DiagnosticRun, RunError> = match who {
            Some(student) => {
                current.with_sheet(AnswerSheet { respondent: student, answers: given })
            }
            None => current.with_anonymous(AnonymousSheet {
                id: ResponseSheetId::from_uuid(new_uuid()),
                sheet: LikertSheet {
                    answers: given.iter().map(|a| a.and_then(|a| u8::try_from(a).ok())).collect(),
                },
            }),
        };
        match next {
            Ok(run) => match data.save_item(status, run) {
                Ok(()) => {
                    answers.set(Vec::new());
                    set_turn.set(Turn::Done);
                }
                Err(e) => set_error.set(Some(format::save_failed(i18n, &e))),
            },
            Err(e) => set_error.set(Some(errors::diagnostic_run(i18n, &e))),
        }
    };
    let choose = move |option: usize, items: usize, who: Option<StudentId>| {
        let i = at.get_untracked();
        answers.update(|a| {
            if let Some(slot) = a.get_mut(i) {
                *slot = Some(option);
            }
        });
        if i + 1 < items {
            set_at.set(i + 1);
        } else {
            finish(who);
        }
    };
    view! {
        <section class="student-mode" data-testid="diag-tablet">
            <style>{DIAG_CSS}</style>
            {move || {
                let Some(run) = run.get() else {
                    return if data.stored_ready.get() {
                        view! { <p class="big" data-testid="diag-run-not-found">{t!(i18n, diag_run_not_found)}</p> }.into_any()
                    } else {
                        view! { <p class="big muted" data-testid="marking-loading">{t!(i18n, marking_loading)}</p> }.into_any()
                    };
                };
                match turn.get() {
                    Turn::Done => view! {
                        <p class="big" role="status" data-testid="diag-thanks">{t!(i18n, student_thanks)}</p>
                        <button class="big-button" data-testid="diag-next-student" on:click=move |_| set_turn.set(Turn::Idle)>
                            {t!(i18n, student_next)}
                        </button>
                    }.into_any(),
                    Turn::Idle => match run.form() {
                        RunForm::Luskanova { .. } => {
                            let items = luskanova().items().len();
                            let students = data.classes.with(|c| c.iter().find(|c| c.id == run.class()).map(|c| c.students().to_vec())).unwrap_or_default();
                            view! {
                                <h1>{t!(i18n, diag_luskanova)}</h1>
                                <h2>{t!(i18n, student_pick_name)}</h2>
                                <div class="big-grid" data-testid="diag-names">
                                    {students.into_iter().map(|s| {
                                        let sid = s.id;
                                        view! {
                                            <button class="big-button" data-testid=format!("diag-pick-{sid}") on:click=move |_| begin(Some(sid), items)>
                                                {s.display_name.to_string()}
                                            </button>
                                        }
                                    }).collect_view()}
                                </div>
                            }.into_any()
                        }
                        RunForm::Likert { survey, .. } => {
                            let items = survey.items().len();
                            view! {
                                <h1>{survey_wording(survey.title().as_str(), format::lang(i18n)).to_string()}</h1>
                                <p class="big">{t!(i18n, diag_anonymous)}</p>
                                <button class="big-button primary" data-testid="diag-survey-start" on:click=move |_| begin(None, items)>
                                    {t!(i18n, diag_survey_begin)}
                                </button>
                            }.into_any()
                        }
                    },
                    Turn::Answering(who) => {
                        let i = at.get();
                        let (total, text, options): (usize, String, Vec<(String, Option<Tone>)>) = match run.form() {
                            RunForm::Luskanova { .. } => {
                                // The form in the interface's language; its key is the same.
                                let q = luskanova_in(format::lang(i18n));
                                let it = &q.items()[i.min(q.items().len() - 1)];
                                (q.items().len(), it.text.to_string(), it.options.iter().enumerate().map(|(o, opt)| (opt.text.to_string(), tone(it, o))).collect())
                            }
                            RunForm::Likert { survey, .. } => {
                                let it = &survey.items()[i.min(survey.items().len() - 1)];
                                // Built-in surveys in the interface's language (stored in Russian).
                                let lang = format::lang(i18n);
                                let word = |t: &str| survey_wording(t, lang).to_string();
                                (survey.items().len(), word(it.text.as_str()), it.scale.labels().iter().map(|l| (word(l.as_str()), None)).collect())
                            }
                        };
                        let columns = options.len().min(5);
                        view! {
                            <p class="muted" data-testid="diag-item-number">{t_string!(i18n, diag_item_of, n = i + 1, total = total).to_string()}</p>
                            <p class="diag-item" data-testid="diag-item-text">{text}</p>
                            <div class="diag-answers" role="group" aria-label=move || t_string!(i18n, diag_answers).to_string()
                                style=format!("grid-template-columns:repeat({columns},1fr)")>
                                {options.into_iter().enumerate().map(|(o, (label, t))| {
                                    let pressed = move || answers.with(|a| a.get(i).copied().flatten() == Some(o)).to_string();
                                    view! {
                                        <button class="diag-answer" data-testid=format!("diag-answer-{o}") aria-pressed=pressed
                                            on:click=move |_| choose(o, total, who)>
                                            {t.map(face)}
                                            <span>{label}</span>
                                        </button>
                                    }
                                }).collect_view()}
                            </div>
                            <div class="tablet-actions">
                                <button class="btn" data-testid="diag-back-item" disabled=move || at.get() == 0
                                    on:click=move |_| set_at.update(|a| *a = a.saturating_sub(1))>{t!(i18n, diag_prev_item)}</button>
                                <button class="btn ghost" data-testid="diag-cancel" on:click=move |_| { answers.set(Vec::new()); set_turn.set(Turn::Idle); }>
                                    {t!(i18n, diag_cancel)}
                                </button>
                            </div>
                        }.into_any()
                    }
                }
            }}
            {move || error.get().map(|e| view! { <p class="error big" role="alert" data-testid="diag-error">{e}</p> })}
            <A href="/s" attr:class="btn ghost">{t!(i18n, back)}</A>
        </section>
    }
}
