//! The migration chain: pure upgrades of stored JSON from each released version to the next.
//!
//! `MIGRATIONS[i]` turns a payload of version `i + 1` into version `i + 2`. Opening data of
//! version `v` runs `MIGRATIONS[v - 1..]` in order, so every old file reaches
//! [`FORMAT_VERSION`] through the same small steps.
//!
//! To release version N + 1:
//! 1. write `fn v{N}_to_v{N+1}(kind: Kind, payload: Value) -> Result<Value, String>` here and
//!    append it to [`MIGRATIONS`];
//! 2. raise [`FORMAT_VERSION`] (a compile-time check keeps the two in step);
//! 3. add golden files `v{N+1}-*.json` to `crates/core/tests/golden/`, and keep the old ones:
//!    the golden test opens every one of them at the current version.
//!
//! Steps only see and return JSON values; they never fail silently — a payload a step cannot
//! understand is reported as [`LoadError::Damaged`] naming the step.

use serde_json::Value;

use super::{Defect, FORMAT_VERSION, Kind, LoadError};

/// One upgrade step: the payload of some kind at version v becomes the payload at version v + 1.
pub type Step = fn(Kind, Value) -> Result<Value, String>;

/// The upgrade chain; `MIGRATIONS[i]` upgrades version `i + 1` to `i + 2`.
///
/// Version 1 is the first released version, so the chain is empty until version 2 exists.
pub const MIGRATIONS: &[Step] = &[];

const _: () = assert!(
    MIGRATIONS.len() + 1 == FORMAT_VERSION as usize,
    "every format version after the first needs exactly one migration step"
);

/// Upgrades a payload of `kind` saved at `version` to [`FORMAT_VERSION`].
pub fn migrate(kind: Kind, version: u32, payload: Value) -> Result<Value, LoadError> {
    run_chain(MIGRATIONS, kind, version, payload)
}

/// Runs the steps of `chain` (where `chain[i]` upgrades version `i + 1`) from `version` on.
///
/// Version 0 and versions past the end of the chain plus one are refused, the latter as
/// [`LoadError::NewerVersion`].
pub fn run_chain(
    chain: &[Step],
    kind: Kind,
    version: u32,
    payload: Value,
) -> Result<Value, LoadError> {
    let supported = u32::try_from(chain.len() + 1).unwrap_or(u32::MAX);
    if version == 0 {
        return Err(LoadError::damaged(
            Defect::BadVersion,
            "expected a format version ≥ 1, found 0",
        ));
    }
    if version > supported {
        return Err(LoadError::NewerVersion { found: version, supported });
    }
    let start = (version - 1) as usize;
    chain.iter().enumerate().skip(start).try_fold(payload, |value, (i, step)| {
        step(kind, value).map_err(|reason| {
            LoadError::damaged(
                Defect::Migration { from: u32::try_from(i + 1).unwrap_or(u32::MAX) },
                format!(
                    "while upgrading {kind} data from version {} to {}: {reason}",
                    i + 1,
                    i + 2
                ),
            )
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    // A made-up history to exercise the runner: v1 called the field "title", v2 renamed it
    // "name", v3 added "tags" with a default.
    fn rename_title(kind: Kind, mut payload: Value) -> Result<Value, String> {
        if kind != Kind::Plan {
            return Ok(payload);
        }
        let object = payload.as_object_mut().ok_or("expected an object")?;
        let title = object.remove("title").ok_or("expected a \"title\" field")?;
        object.insert("name".into(), title);
        Ok(payload)
    }

    fn add_tags(_: Kind, mut payload: Value) -> Result<Value, String> {
        if let Some(object) = payload.as_object_mut() {
            object.entry("tags").or_insert_with(|| json!([]));
        }
        Ok(payload)
    }

    const CHAIN: &[Step] = &[rename_title, add_tags];

    fn check(kind: Kind, version: u32, payload: Value, expected: Result<Value, LoadError>) {
        assert_eq!(run_chain(CHAIN, kind, version, payload), expected);
    }

    #[test]
    fn runs_the_steps_in_order_from_the_saved_version() {
        check(Kind::Plan, 1, json!({"title": "ПОС"}), Ok(json!({"name": "ПОС", "tags": []})));
        check(Kind::Plan, 2, json!({"name": "ПОС"}), Ok(json!({"name": "ПОС", "tags": []})));
        check(
            Kind::Plan,
            3,
            json!({"name": "ПОС", "tags": [1]}),
            Ok(json!({"name": "ПОС", "tags": [1]})),
        );
        check(Kind::Settings, 1, json!({"title": 1}), Ok(json!({"title": 1, "tags": []})));
        check(Kind::Plan, 4, json!({}), Err(LoadError::NewerVersion { found: 4, supported: 3 }));
        check(
            Kind::Plan,
            1,
            json!({"name": "x"}),
            Err(LoadError::damaged(
                Defect::Migration { from: 1 },
                "while upgrading plan data from version 1 to 2: expected a \"title\" field",
            )),
        );
        check(
            Kind::Plan,
            0,
            json!({}),
            Err(LoadError::damaged(Defect::BadVersion, "expected a format version ≥ 1, found 0")),
        );
    }

    #[test]
    fn the_real_chain_reaches_the_current_version() {
        assert_eq!(MIGRATIONS.len() as u32 + 1, FORMAT_VERSION);
        for version in 1..=FORMAT_VERSION {
            assert!(migrate(Kind::Backup, version, json!({})).is_ok());
        }
        assert_eq!(
            migrate(Kind::Backup, FORMAT_VERSION + 1, json!({})),
            Err(LoadError::NewerVersion { found: FORMAT_VERSION + 1, supported: FORMAT_VERSION })
        );
    }
}
