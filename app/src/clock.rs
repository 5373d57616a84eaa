//! The app's only sources of time and randomness, passed into core as parameters.

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

/// A fresh random UUID (v4, from the browser's crypto).
pub fn new_uuid() -> Uuid {
    Uuid::new_v4()
}

/// The current instant, from the browser's clock.
pub fn now() -> DateTime<Utc> {
    let millis = js_sys::Date::now() as i64;
    DateTime::<Utc>::from_timestamp_millis(millis).unwrap_or_default()
}

/// Today's date in the browser's time zone.
pub fn today() -> NaiveDate {
    let date = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(date.get_full_year() as i32, date.get_month() + 1, date.get_date())
        .unwrap_or_default()
}

/// Records a named moment on the page's performance timeline (for the browser benchmark).
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A high-resolution timestamp in milliseconds, for measurements.
pub fn performance_now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or_else(js_sys::Date::now, |p| p.now())
}
