//! A form's outcome line: a notice when it worked, an alert with the reason when it did not.

use leptos::prelude::*;

/// What a form's last action said: `Ok` a notice, `Err` an alert; nothing before any action.
#[component]
pub fn Note(
    /// The outcome to show.
    #[prop(into)]
    note: Signal<Option<Result<String, String>>>,
    /// The `data-testid` of the line.
    testid: &'static str,
) -> impl IntoView {
    move || {
        note.get().map(|n| match n {
            Ok(text) => {
                view! { <p class="notice" role="status" data-testid=testid>{text}</p> }.into_any()
            }
            Err(text) => {
                view! { <p class="error" role="alert" data-testid=testid>{text}</p> }.into_any()
            }
        })
    }
}
