//! «Провести с планшетов учеников»: a lesson's technique run from the students' own tablets over
//! the school server that served the app (`server.rs`, the only code that calls it).
//!
//! Shown only when `server::detect` finds a Lesenka server behind the page. The teacher signs in
//! (`ServerSignIn`), chooses the criterion (or the whole lesson) and the technique
//! (`TechniquePicker`), and opens a session with the class list (the names go to the server for
//! the tablets' pick list only). The open session ([`LiveRoom`]) shows the join code, the QR
//! code and core's anonymous tally as the chart (`BarChart`, bars from `scale::tally_bars`);
//! in projector mode only that, over the whole screen (`LiveBoard`), never a name. On the
//! teacher's own screen: lock the room, the joined tablets with «Убрать», close. Closing takes
//! the server's records (made by core's `LiveRun::close` there) into the journal through the
//! same path as an offline run (`runs::keep`, so `Journal::admit` and «Сохранено» only for what
//! storage took). The open session is kept in storage (`storage::LiveTeacher`), so a reload
//! shows it again.

use leptos::prelude::*;
use lesenka_core::evidence::Source;
use lesenka_core::lesson::Lesson;
use lesenka_core::live::{LiveRun, On};
use lesenka_core::roster::Class;
use lesenka_core::technique::Technique;

use crate::components::bar_chart::BarChart;
use crate::components::save_outcome::SaveOutcome;
use crate::components::server_sign_in::{ServerSignIn, school_account};
use crate::components::technique_picker::{TechniquePicker, fixed_scale_kinds, lesson_kinds};
use crate::errors;
use crate::format;
use crate::i18n::*;
use crate::runs::{Closed, keep};
use crate::scale;
use crate::server::{self, Board, OpenSession, Participant, RosterEntry, ServerError, Watching};
use crate::state::{use_data, use_projector, use_status};
use crate::storage::{LiveTeacher, Store};

/// The live screens' own styles (in this lazily loaded component).
const LIVE_CSS: &str = "\
.live-form{display:flex;flex-wrap:wrap;gap:.6rem;align-items:end}\
.live-form label{display:flex;flex-direction:column}\
.live-form input,.live-form select,.live .btn{min-height:44px;font:inherit}\
.live-form label.live-check{flex-direction:row;align-items:center;gap:.5rem;max-width:32rem}\
.live-check input{min-width:24px}\
.live-room{display:grid;grid-template-columns:minmax(0,1fr) 220px;gap:1rem;align-items:start}\
.live-code{font-size:3rem;font-weight:700;letter-spacing:.15em;margin:0}\
.live-qr{width:200px;height:200px;background:#fff}\
.live-actions{display:flex;flex-wrap:wrap;gap:.6rem;margin:.6rem 0}\
.live-participants{list-style:none;padding:0;display:flex;flex-direction:column;gap:.3rem}\
.live-participants li{display:flex;gap:.6rem;align-items:center}\
.live-board{position:fixed;inset:0;z-index:50;background:#000;color:#fff;font-size:32px;\
display:grid;grid-template-columns:minmax(0,1fr) 36%;grid-template-rows:auto minmax(0,1fr) auto;\
gap:12px 32px;padding:16px 32px;overflow:hidden}\
.live-board h2{font-size:40px;margin:0;grid-column:1/3}\
.live-board .bar-chart{width:100%;height:100%;min-height:0}\
.live-board aside{grid-column:2;grid-row:2/4;min-height:0;overflow:hidden;display:flex;flex-direction:column;gap:12px;align-items:flex-start}\
.live-board .live-code{font-size:72px;letter-spacing:.08em;line-height:1}\
.live-board .live-qr{width:min(200px,30vh);height:min(200px,30vh)}\
.live-board>.btn{grid-column:1;justify-self:start}\
.live-board p,.live-board .btn{font-size:32px;margin:0}";

/// The live card of a lesson: nothing unless the app was served by a Lesenka server.
#[component]
pub fn LiveSession(
    /// The lesson.
    lesson: Lesson,
    /// Its class (the roster sent for the tablets' pick list).
    class: Option<Class>,
) -> impl IntoView {
    let i18n = use_i18n();
    let (served, me) = school_account();
    let lesson_id = lesson.id();
    let current = RwSignal::new(Store::app().live_teacher().filter(|l| l.lesson == lesson_id));
    let outcome = RwSignal::new(None::<Closed>);
    // An anonymous session's answers when it closed (it gives counts, not records).
    let counted = RwSignal::new(None::<usize>);
    let lesson = StoredValue::new(lesson);
    let class = StoredValue::new(class);
    view! {
        <Show when=move || served.get()>
            <section class="card live" data-testid="live-setup">
                <style>{LIVE_CSS}</style>
                <h2>{t!(i18n, live_heading)}</h2>
                {move || match (me.get(), current.get()) {
                    (None, _) => view! { <ServerSignIn me=me prefix="live" /> }.into_any(),
                    (Some(signed), None) => view! {
                        <p class="muted" data-testid="live-signed-in">{t!(i18n, live_signed_in_as)} " " {signed.account.login.clone()}</p>
                        <LiveStart lesson=lesson.get_value() class=class.get_value() csrf=signed.csrf current=current outcome=outcome counted=counted />
                    }.into_any(),
                    (Some(signed), Some(live)) => view! {
                        <LiveRoom live=live lesson=lesson.get_value() csrf=signed.csrf current=current outcome=outcome counted=counted />
                    }.into_any(),
                }}
                <SaveOutcome outcome=outcome />
                {move || counted.get().map(|count| view! {
                    <p class="notice" role="status" data-testid="live-anonymous-closed">
                        {move || t_string!(i18n, live_anonymous_closed, count).to_string()}
                    </p>
                })}
            </section>
        </Show>
    }
}

/// Why a session could not be opened: core's refusal of the run, or the server's.
#[derive(Debug, Clone)]
enum StartError {
    Run(lesenka_core::live::LiveError),
    Server(ServerError),
    /// An anonymous session asked for a technique that names who answered.
    NotAnonymous,
}

/// Choosing what to run and opening the session.
#[component]
fn LiveStart(
    lesson: Lesson,
    class: Option<Class>,
    csrf: String,
    current: RwSignal<Option<LiveTeacher>>,
    outcome: RwSignal<Option<Closed>>,
    counted: RwSignal<Option<usize>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // The target: a criterion's index, or the lesson ("lesson").
    let target = RwSignal::new("0".to_owned());
    let anonymous = RwSignal::new(false);
    let error = RwSignal::new(None::<StartError>);
    let busy = RwSignal::new(false);
    let criteria = lesson.criteria().to_vec();
    let mut choices: Vec<(String, String)> =
        criteria.iter().enumerate().map(|(i, c)| (i.to_string(), c.text().to_string())).collect();
    let lesson_label = move || t_string!(i18n, live_whole_lesson).to_string();
    let no_class = class.is_none();
    let lesson = StoredValue::new(lesson);
    let class = StoredValue::new(class);
    let csrf = StoredValue::new(csrf);
    let start = Callback::new(move |technique: Technique| {
        let (lesson, Some(class)) = (lesson.get_value(), class.get_value()) else { return };
        let on = match target.get_untracked().parse::<usize>() {
            Ok(i) => match lesson.criteria().get(i) {
                Some(c) => On::Criterion(c.id()),
                None => return,
            },
            Err(_) => On::Lesson,
        };
        let anonymous = anonymous.get_untracked();
        if anonymous && !technique.anonymous_capable() {
            error.set(Some(StartError::NotAnonymous));
            return;
        }
        // Core checks the run here first, so a refusal is worded like an offline run's.
        if let Err(e) =
            LiveRun::for_class(&lesson, on, technique.clone(), Source::SelfAssessment, &class)
        {
            error.set(Some(StartError::Run(e)));
            return;
        }
        // An anonymous session shows no class list: the names stay on this device, the server
        // gets the students' places only (the board's «answered of»).
        let roster: Vec<RosterEntry> = class
            .students()
            .iter()
            .enumerate()
            .map(|(i, s)| RosterEntry {
                id: s.id,
                name: if anonymous { (i + 1).to_string() } else { s.display_name.to_string() },
            })
            .collect();
        let open = OpenSession {
            lesson: lesson.clone(),
            on,
            technique: technique.clone(),
            source: Source::SelfAssessment,
            roster,
            anonymous,
        };
        busy.set(true);
        outcome.set(None);
        counted.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            match server::open(&csrf.get_value(), &open).await {
                Ok(opened) => {
                    let live = LiveTeacher {
                        session: opened.session,
                        code: opened.code,
                        key: opened.teacher_key,
                        lesson: lesson.id(),
                        on,
                        technique,
                        anonymous,
                    };
                    if let Err(e) = Store::app().save_live_teacher(Some(&live)) {
                        // The session runs; only a reload would not find it again.
                        leptos::logging::warn!("the live session could not be stored: {e}");
                    }
                    error.set(None);
                    current.set(Some(live));
                }
                Err(e) => error.set(Some(StartError::Server(e))),
            }
            busy.set(false);
        });
    });
    choices.push(("lesson".to_owned(), lesson_label()));
    let lesson_target = Memo::new(move |_| target.get() == "lesson");
    view! {
        <p class="muted">{t!(i18n, live_hint)}</p>
        <div class="live-form">
            <label>
                {t!(i18n, live_target)}
                <crate::components::choice_select::ChoiceSelect
                    testid="live-target"
                    choices=Signal::derive(move || { let mut c = choices.clone(); if let Some(last) = c.last_mut() { last.1 = lesson_label(); } c })
                    selected=Signal::derive(move || Some(target.get()))
                    on_change=Callback::new(move |v: String| target.set(v))
                />
            </label>
            <label class="live-check">
                <input type="checkbox" data-testid="live-anonymous" bind:checked=anonymous />
                {t!(i18n, live_anonymous_choice)}
            </label>
        </div>
        {move || {
            let kinds = if lesson_target.get() { lesson_kinds() } else { fixed_scale_kinds() };
            view! {
                <TechniquePicker
                    index=0
                    prefix="live-"
                    kinds=kinds
                    disabled=Signal::derive(move || busy.get() || no_class)
                    on_start=start
                />
            }
        }}
        {move || error.get().map(|e| view! {
            <p class="error" role="alert" data-testid="live-error">{move || match &e {
                StartError::Run(e) => errors::live(i18n, e),
                StartError::Server(e) => errors::server(i18n, e),
                StartError::NotAnonymous => t_string!(i18n, live_not_anonymous).to_string(),
            }}</p>
        })}
    }
}

/// An open session: the code, the QR code, the live counts; the teacher's controls.
#[component]
fn LiveRoom(
    live: LiveTeacher,
    lesson: Lesson,
    csrf: String,
    current: RwSignal<Option<LiveTeacher>>,
    outcome: RwSignal<Option<Closed>>,
    counted: RwSignal<Option<usize>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let data = use_data();
    let anonymous = live.anonymous;
    let status = use_status();
    let projector = use_projector();
    let boards = RwSignal::new(None::<Board>);
    let watching = RwSignal::new(Watching::Reconnecting);
    let participants = RwSignal::new(Vec::<Participant>::new());
    let error = RwSignal::new(None::<ServerError>);
    let busy = RwSignal::new(false);
    let session = live.session;
    let socket =
        StoredValue::new_local(Some(server::watch(session, live.key.clone(), boards, watching)));
    on_cleanup(move || {
        socket.update_value(|s| {
            if let Some(watch) = s.take() {
                watch.stop();
            }
        });
    });
    // The list of tablets, on the teacher's own screen, again after every change of the board.
    Effect::new(move |_| {
        let version = boards.with(|b| b.as_ref().map(|b| (b.version, b.open)));
        if projector.0.get() || version.is_some_and(|(_, open)| !open) {
            return;
        }
        wasm_bindgen_futures::spawn_local(async move {
            match server::participants(session).await {
                Ok(list) => participants.set(list),
                Err(e) => error.set(Some(e)),
            }
        });
    });
    let question = match live.on {
        On::Criterion(id) => {
            lesson.criteria().iter().find(|c| c.id() == id).map(|c| c.text().to_string())
        }
        On::Lesson => Some(lesson.topic().to_string()),
    }
    .unwrap_or_default();
    let kind = live.technique.kind();
    let csrf = StoredValue::new(csrf);
    let bars = Signal::derive(move || {
        boards.with(|b| b.as_ref().map(|b| scale::tally_bars(i18n, &b.tally)).unwrap_or_default())
    });
    let counts = move || {
        boards.with(|b| {
            b.as_ref().map(|b| {
                let (answered, total) = (b.answered, b.roster);
                t_string!(i18n, answered_of, answered, total).to_string()
            })
        })
    };
    let joined = move || {
        boards.with(|b| {
            b.as_ref().map(|b| {
                let count = b.joined;
                t_string!(i18n, live_joined, count).to_string()
            })
        })
    };
    let locked = move || boards.with(|b| b.as_ref().is_some_and(|b| b.locked));
    let toggle_lock = move |_| {
        let to = !locked();
        wasm_bindgen_futures::spawn_local(async move {
            match server::lock(&csrf.get_value(), session, to).await {
                Ok(board) => boards.set(Some(board)),
                Err(e) => error.set(Some(e)),
            }
        });
    };
    let close = move |_| {
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            match server::close(&csrf.get_value(), session).await {
                Ok(closed) => {
                    if anonymous {
                        counted.set(Some(closed.board.answered));
                    } else {
                        outcome.set(Some(keep(data, status, closed.records)));
                    }
                    if let Err(e) = Store::app().save_live_teacher(None) {
                        // The session is closed on the server; a stale entry only shows it
                        // once more after a reload, and closing again gives the same records.
                        leptos::logging::warn!("the closed session stays noted: {e}");
                    }
                    projector.0.set(false);
                    current.set(None);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let code = live.code.clone();
    let code_big = live.code.clone();
    let qr = server::qr_address(session);
    let qr_big = qr.clone();
    let question_big = question.clone();
    let chart_title = Signal::derive(move || t_string!(i18n, chart_label).to_string());
    view! {
        {move || {
            let (code, qr, question) = (code_big.clone(), qr_big.clone(), question_big.clone());
            projector.0.get().then(|| view! {
                // The projector: the question, the code, the QR code and the counts; no name.
                <section class="live-board" data-testid="live-board">
                    <h2 data-testid="live-question">{format::technique(i18n, kind)} " · " {question}</h2>
                    <BarChart bars=bars title=chart_title />
                    <aside>
                        <p>{t!(i18n, live_join_at)}</p>
                        <p class="live-code" data-testid="live-board-code">{code}</p>
                        <img class="live-qr" data-testid="live-board-qr" src=qr alt=move || t_string!(i18n, live_qr_alt) />
                        <p class="answered" data-testid="live-board-answered">{counts}</p>
                        <p data-testid="live-board-joined">{joined}</p>
                    </aside>
                    <button class="btn" data-testid="live-board-exit" on:click=move |_| projector.0.set(false)>
                        {t!(i18n, projector_off)}
                    </button>
                </section>
            })
        }}
        <div class="live-room" data-testid="live-room">
            <div>
                <p data-testid="live-question-line"><b>{format::technique(i18n, kind)}</b> " · " {question}</p>
                {anonymous.then(|| view! { <p class="muted" data-testid="live-room-anonymous">{t!(i18n, live_anonymous_room)}</p> })}
                <p>{t!(i18n, live_join_at)}</p>
                <p class="live-code" data-testid="live-code">{code}</p>
                <p class="answered" data-testid="live-answered">{counts}</p>
                <p data-testid="live-joined">{joined}</p>
                <p class="muted" role="status" data-testid="live-socket">
                    {move || match watching.get() {
                        Watching::Live => t_string!(i18n, live_socket_live),
                        Watching::Reconnecting => t_string!(i18n, live_socket_reconnecting),
                    }}
                </p>
                <BarChart bars=bars title=chart_title />
            </div>
            <img class="live-qr" data-testid="live-qr" src=qr alt=move || t_string!(i18n, live_qr_alt) />
        </div>
        <div class="live-actions">
            <button class="btn" data-testid="live-projector" on:click=move |_| projector.0.set(true)>
                {t!(i18n, live_show_projector)}
            </button>
            <button class="btn" data-testid="live-lock" aria-pressed=move || locked().to_string() on:click=toggle_lock>
                {move || if locked() { t_string!(i18n, live_unlock) } else { t_string!(i18n, live_lock) }}
            </button>
            <button class="btn primary" data-testid="live-close" disabled=move || busy.get() on:click=close>
                {t!(i18n, live_close)}
            </button>
        </div>
        // The names: the teacher's own screen only, never in projector mode.
        {move || (!projector.0.get()).then(|| view! {
            <h3>{t!(i18n, live_participants)}</h3>
            <ul class="live-participants" data-testid="live-participants">
                {move || participants.get().into_iter().map(|p| {
                    let id = p.id.clone();
                    let name = p.name.clone().unwrap_or_else(|| t_string!(i18n, live_anonymous).to_string());
                    let answers = p.answers;
                    view! {
                        <li data-testid="live-participant">
                            <span>{name}</span>
                            <span class="muted">{move || { let count = answers; t_string!(i18n, live_answers, count).to_string() }}</span>
                            <button class="btn" data-testid=format!("live-remove-{}", p.student.map(|s| s.to_string()).unwrap_or_else(|| p.id.clone())) on:click=move |_| {
                                let id = id.clone();
                                wasm_bindgen_futures::spawn_local(async move {
                                    match server::remove(&csrf.get_value(), session, &id).await {
                                        Ok(board) => boards.set(Some(board)),
                                        Err(e) => error.set(Some(e)),
                                    }
                                });
                            }>
                                {t!(i18n, live_remove)}
                            </button>
                        </li>
                    }
                }).collect_view()}
            </ul>
        })}
        {move || error.get().map(|e| view! {
            <p class="error" role="alert" data-testid="live-error">{move || errors::server(i18n, &e)}</p>
        })}
    }
}
