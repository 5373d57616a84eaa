//! Reusable components, one per file.

pub mod bar_chart;
pub mod choice_select;
pub mod criteria_editor;
pub mod evidence_table;
pub mod export_button;
pub mod lang_switch;
pub mod policy_editor;
pub mod projector_toggle;
pub mod save_outcome;
pub mod storage_banner;
pub mod top_bar;
pub mod traffic_light;
