//! The language switch: Russian ⇄ English, remembered in storage.

use leptos::prelude::*;

use crate::i18n::*;
use crate::storage::{Settings, Store};

/// A button that switches the interface language and remembers the choice.
#[component]
pub fn LangSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let switch = move |_| {
        let (next, code) = match i18n.get_locale() {
            Locale::ru => (Locale::en, "en"),
            Locale::en => (Locale::ru, "ru"),
        };
        i18n.set_locale(next);
        let _ = Store::app().save_settings(&Settings { lang: Some(code.to_owned()) });
    };
    view! {
        <button class="btn ghost" data-testid="lang-switch" on:click=switch>
            {t!(i18n, lang_switch)}
        </button>
    }
}
