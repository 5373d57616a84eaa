//! The community of a plan: its title, school year, members with their roles (a member added
//! here saves the plan), aim and numbered tasks. Neighbours: `pages/community.rs`,
//! `community_save.rs`.

use leptos::prelude::*;
use lesenka_core::ids::MemberId;
use lesenka_core::plan::{Member, MemberRole, Plan};

use crate::clock::new_uuid;
use crate::components::community_save::save_plan;
use crate::errors;
use leptos_i18n::I18nContext;

use crate::i18n::*;
use crate::state::{use_data, use_status};

/// The roles a member can be given, with their keys.
const ROLES: [(MemberRole, &str); 5] = [
    (MemberRole::Leader, "leader"),
    (MemberRole::Secretary, "secretary"),
    (MemberRole::Member, "member"),
    (MemberRole::Methodologist, "methodologist"),
    (MemberRole::Expert, "expert"),
];

/// The role in words.
pub(crate) fn role_name(i18n: I18nContext<Locale>, role: MemberRole) -> String {
    match role {
        MemberRole::Leader => t_string!(i18n, pos_role_leader),
        MemberRole::Secretary => t_string!(i18n, pos_role_secretary),
        MemberRole::Member => t_string!(i18n, pos_role_member),
        MemberRole::Methodologist => t_string!(i18n, pos_role_methodologist),
        MemberRole::Expert => t_string!(i18n, pos_role_expert),
    }
    .to_string()
}

/// The plan's community and its aim and tasks.
#[component]
pub fn CommunityMembers(plan: Signal<Option<Plan>>) -> impl IntoView {
    let i18n = use_i18n();
    let (data, status) = (use_data(), use_status());
    let (name, set_name) = signal(String::new());
    let (role, set_role) = signal(MemberRole::Member);
    let (error, set_error) = signal(None::<String>);
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(plan) = plan.get_untracked() else { return };
        let member = match Member::new(
            MemberId::from_uuid(new_uuid()),
            &name.get_untracked(),
            None,
            role.get_untracked(),
        ) {
            Ok(m) => m,
            Err(e) => return set_error.set(Some(errors::plan(i18n, &e))),
        };
        let mut draft = plan.draft().clone();
        draft.members.push(member);
        match save_plan(i18n, data, status, draft) {
            Ok(()) => {
                set_name.set(String::new());
                set_error.set(None);
            }
            Err(e) => set_error.set(Some(e)),
        }
    };
    let field =
        move |f: fn(&Plan) -> String| move || plan.with(|p| p.as_ref().map(f).unwrap_or_default());
    view! {
        <section class="card">
            <h1 data-testid="pos-plan-title">{field(|p| p.draft().title.to_string())}</h1>
            <p>
                {t!(i18n, pos_year)} ": "
                <strong data-testid="pos-plan-year">{field(|p| p.draft().year.to_string())}</strong>
            </p>
            <h2>{t!(i18n, pos_members)}</h2>
            <ul data-testid="pos-members">
                {move || plan.with(|p| p.as_ref().map(|p| p.draft().members.iter().map(|m| {
                    let role = role_name(i18n, m.role);
                    view! { <li data-testid="pos-member">{m.name.to_string()} " — " {role}</li> }
                }).collect_view()))}
            </ul>
            <form class="form-row" on:submit=add>
                <label>
                    <span>{t!(i18n, pos_member_name)}</span>
                    <input type="text" data-testid="member-name" prop:value=name on:input=move |ev| set_name.set(event_target_value(&ev)) />
                </label>
                <label>
                    <span>{t!(i18n, pos_member_role)}</span>
                    <select data-testid="member-role" on:change=move |ev| {
                        let value = event_target_value(&ev);
                        if let Some((r, _)) = ROLES.iter().find(|(_, k)| *k == value) {
                            set_role.set(*r);
                        }
                    }>
                        {ROLES.iter().map(|(r, k)| view! {
                            <option value=*k selected=move || role.get() == *r>{role_name(i18n, *r)}</option>
                        }).collect_view()}
                    </select>
                </label>
                <button type="submit" class="btn" data-testid="add-member">{t!(i18n, pos_add_member)}</button>
            </form>
            {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="form-error">{e}</p> })}
            <h2>{t!(i18n, pos_aim)}</h2>
            <p data-testid="pos-aim">{field(|p| p.draft().aim.as_ref().map(ToString::to_string).unwrap_or_default())}</p>
            <h2>{t!(i18n, pos_tasks)}</h2>
            <ol data-testid="pos-tasks">
                {move || plan.with(|p| p.as_ref().map(|p| p.draft().tasks.iter().map(|t| view! { <li>{t.to_string()}</li> }).collect_view()))}
            </ol>
        </section>
    }
}
