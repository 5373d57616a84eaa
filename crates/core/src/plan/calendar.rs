//! The plan's year as a calendar: the events of each month from September to August (and those
//! of the whole year), and which planned events are overdue on a given date.
//!
//! Nothing here reads a clock: the caller passes today's date. Neighbours: [`super::model`]
//! (the plan and its events), [`super::period`] (months of the school year).

use chrono::{Datelike, NaiveDate};

use super::model::{Event, EventStatus, Plan};
use super::period::{Month, Period, SchoolYear};

/// One place of the calendar: a month of the school year, or the whole year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot {
    /// The events that start in this month.
    Month(Month),
    /// The events of the whole year or «по графику».
    Year,
}

/// The plan's events by slot: the twelve months September → August, then the whole year; each
/// with the indices (into the plan's events) of the events it holds, in plan order.
pub fn year_calendar(plan: &Plan) -> Vec<(Slot, Vec<usize>)> {
    let mut slots: Vec<(Slot, Vec<usize>)> =
        Month::SCHOOL_YEAR.iter().map(|m| (Slot::Month(*m), Vec::new())).collect();
    slots.push((Slot::Year, Vec::new()));
    for (k, event) in plan.draft().events.iter().enumerate() {
        let at = match (&event.period, event.period.first_month()) {
            (Period::WholeYear | Period::BySchedule | Period::SchoolYear(_), _) | (_, None) => 12,
            // The August before the year: the plan's first month, shown with September.
            (Period::AugustBefore, _) => 0,
            (_, Some(m)) => m.school_index(),
        };
        slots[at].1.push(k);
    }
    slots
}

/// The last day of `month` of `year`.
fn month_end(year: SchoolYear, month: Month) -> Option<NaiveDate> {
    let y = year.year_of(month);
    let (ny, nm) = if month.number() == 12 { (y + 1, 1) } else { (y, month.number() + 1) };
    NaiveDate::from_ymd_opt(ny, nm, 1).and_then(|d| d.pred_opt())
}

/// The last day an event of `period` may be held in school year `year` (none «по графику»).
pub fn period_end(period: &Period, year: SchoolYear) -> Option<NaiveDate> {
    match period {
        Period::Date(d) | Period::Deadline(d) => Some(*d),
        Period::BySchedule => None,
        Period::AugustBefore => NaiveDate::from_ymd_opt(year.start(), 8, 31),
        Period::SchoolYear(y) => NaiveDate::from_ymd_opt(y.end(), 8, 31),
        other => other.months().last().and_then(|m| month_end(year, *m)),
    }
}

/// Whether an event not yet held (planned or moved) is past its period on `today`.
pub fn is_overdue(event: &Event, year: SchoolYear, today: NaiveDate) -> bool {
    matches!(event.status, EventStatus::Planned | EventStatus::Moved)
        && period_end(&event.period, year).is_some_and(|end| end < today)
}

/// The school year containing `today`, as the plan's default year («2025-2026» in autumn 2025).
pub fn current_year(today: NaiveDate) -> Option<SchoolYear> {
    SchoolYear::new(if today.month() >= 9 { today.year() } else { today.year() - 1 }).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{EventId, PlanId};
    use crate::plan::model::PlanDraft;
    use crate::text::Name;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn plan(periods: &[&str]) -> Plan {
        let events = periods
            .iter()
            .enumerate()
            .map(|(k, p)| {
                Event::new(EventId::from_u128(k as u128 + 1), Period::parse(p).unwrap(), "Доклад")
                    .unwrap()
            })
            .collect();
        Plan::new(PlanDraft {
            id: PlanId::from_u128(1),
            year: SchoolYear::new(2025).unwrap(),
            title: Name::parse("План").unwrap(),
            aim: None,
            tasks: vec![],
            members: vec![],
            events,
            goals: vec![],
            protocols: vec![],
            practices: vec![],
        })
        .unwrap()
    }

    #[test]
    fn events_go_to_their_first_month_or_the_year() {
        let p = plan(&["Май", "Сентябрь", "В течение года", "Октябрь – декабрь", "26.11.2025"]);
        let cal = year_calendar(&p);
        assert_eq!(cal.len(), 13);
        assert_eq!(cal[0], (Slot::Month(Month::September), vec![1]));
        assert_eq!(cal[1], (Slot::Month(Month::October), vec![3]));
        assert_eq!(cal[2], (Slot::Month(Month::November), vec![4]));
        assert_eq!(cal[8], (Slot::Month(Month::May), vec![0]));
        assert_eq!(cal[12], (Slot::Year, vec![2]));
        let all: usize = cal.iter().map(|(_, v)| v.len()).sum();
        assert_eq!(all, 5);
    }

    #[test]
    fn overdue_is_past_the_period_and_not_held() {
        let year = SchoolYear::new(2025).unwrap();
        let p = plan(&["Октябрь – декабрь", "По графику", "В течение года", "Февраль"]);
        let e = &p.draft().events;
        let today = d(2026, 1, 10);
        assert!(is_overdue(&e[0], year, today));
        assert!(!is_overdue(&e[0], year, d(2025, 12, 31)));
        assert!(!is_overdue(&e[1], year, today));
        assert!(!is_overdue(&e[2], year, today));
        assert!(is_overdue(&e[2], year, d(2026, 9, 1)));
        assert!(!is_overdue(&e[3], year, today));
        assert_eq!(period_end(&e[3].period, year), Some(d(2026, 2, 28)));
        let mut held = e[0].clone();
        held.status = EventStatus::Done;
        assert!(!is_overdue(&held, year, today));
        held.status = EventStatus::Cancelled;
        assert!(!is_overdue(&held, year, today));
        assert_eq!(current_year(d(2025, 9, 1)), SchoolYear::new(2025).ok());
        assert_eq!(current_year(d(2026, 8, 31)), SchoolYear::new(2025).ok());
    }

    #[test]
    fn deadlines_quarters_and_the_august_before_the_year_fall_where_the_year_has_them() {
        let year = SchoolYear::new(2025).unwrap();
        let before = Event::new(EventId::from_u128(99), Period::AugustBefore, "Педсовет").unwrap();
        assert_eq!(period_end(&before.period, year), Some(d(2025, 8, 31)));
        assert!(is_overdue(&before, year, d(2025, 9, 1)));
        let deadline = Period::parse("до 01.06.2026").unwrap();
        assert_eq!(period_end(&deadline, year), Some(d(2026, 6, 1)));
        let p = plan(&["до 01.06.2026", "2 четверть", "I полугодие"]);
        assert!(period_end(&p.draft().events[1].period, year).is_some());
        let mut with_before = p.draft().clone();
        with_before.events.push(before);
        let cal = year_calendar(&Plan::new(with_before).unwrap());
        assert!(cal[0].1.contains(&3), "the August before the year opens it");
        assert!(!cal[11].1.contains(&3), "not with the August that ends it");
    }
}
