//! Reusable components, one per file.

pub mod assess_form;
pub mod assessment_list;
pub mod bar_chart;
pub mod calibration_summary;
pub mod calibration_table;
pub mod choice_select;
pub mod criteria_editor;
pub mod evidence_table;
pub mod export_button;
pub mod gap_chart;
pub mod gradebook_table;
pub mod lang_switch;
pub mod mark_form;
pub mod mastery_table;
pub mod note;
pub mod policy_editor;
pub mod policy_summary;
pub mod projector_toggle;
pub mod rubric_edit;
pub mod rubric_versions;
pub mod save_outcome;
pub mod storage_banner;
pub mod student_calibration;
pub mod top_bar;
pub mod traffic_light;
pub mod what_if_panel;
