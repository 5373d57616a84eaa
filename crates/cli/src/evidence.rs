//! `lesenka evidence summary FILE`: what a backup's evidence journal shows, from core's
//! [`Journal`](lesenka_core::evidence::Journal) queries — how often each technique was used per
//! month (a ПОС goal indicator) and, per class, the светофор counts lesson by lesson.

use std::collections::BTreeMap;
use std::path::Path;

use lesenka_core::evidence::TrendPoint;
use lesenka_core::persist::Kind;
use lesenka_core::persist::backup::Backup;
use lesenka_core::persist::csv::date_ru;
use lesenka_core::technique::TechniqueKind;
use serde::Serialize;

use crate::input;
use crate::output::{self, Format, Lang};

#[derive(Serialize)]
struct LessonTrend {
    #[serde(flatten)]
    point: TrendPoint,
    /// The lesson's topic, when the backup has the lesson.
    topic: Option<String>,
}

#[derive(Serialize)]
struct ClassTrend {
    class: String,
    class_id: String,
    lessons: Vec<LessonTrend>,
}

#[derive(Serialize)]
struct SummaryOut {
    file: String,
    records: usize,
    /// Month («2024-09») → technique → records (techniques with none are left out).
    by_month: BTreeMap<String, BTreeMap<String, u32>>,
    /// Per class with светофор answers: green, yellow and red counts per lesson, by date.
    traffic_light: Vec<ClassTrend>,
}

fn kind_name(kind: TechniqueKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// Runs `evidence summary`.
pub fn summary(path: &Path, format: Format, lang: Lang) -> anyhow::Result<()> {
    let (text, _) = input::read_text(path, lang)?;
    let backup: Backup = input::open_envelope(path, Kind::Backup, &text, lang)?;
    let journal = &backup.evidence;
    let by_month = journal
        .monthly_technique_counts()
        .into_iter()
        .map(|(month, counts)| {
            let counts = counts
                .into_iter()
                .filter(|(_, n)| *n > 0)
                .map(|(kind, n)| (kind_name(kind), n))
                .collect();
            (month.to_string(), counts)
        })
        .filter(|(_, counts): &(String, BTreeMap<String, u32>)| !counts.is_empty())
        .collect();
    let traffic_light = backup
        .classes
        .iter()
        .map(|c| ClassTrend {
            class: c.name.to_string(),
            class_id: c.id.to_string(),
            lessons: journal
                .traffic_light_trend(c.id, None)
                .into_iter()
                .map(|point| LessonTrend {
                    point,
                    topic: backup
                        .lessons
                        .iter()
                        .find(|l| l.id() == point.lesson)
                        .map(|l| l.topic().to_string()),
                })
                .collect(),
        })
        .filter(|t| !t.lessons.is_empty())
        .collect();
    let out = SummaryOut {
        file: path.display().to_string(),
        records: journal.len(),
        by_month,
        traffic_light,
    };
    let printed = match format {
        Format::Json => output::json(&out)?,
        Format::Text => text_report(&out, lang),
    };
    output::print(&printed)
}

fn technique_label(name: &str, lang: Lang) -> String {
    // A name that is no kind this build knows (data from a newer Lesenka) is shown as written.
    let kind: Option<TechniqueKind> = serde_json::from_value(serde_json::json!(name)).ok();
    kind.map_or_else(|| name.to_owned(), |k| k.name(lang.core()).to_owned())
}

fn text_report(out: &SummaryOut, lang: Lang) -> String {
    let mut s = format!("{}: {}\n", lang.pick("Записей", "Records"), out.records);
    if !out.by_month.is_empty() {
        s.push_str(lang.pick("По месяцам:\n", "By month:\n"));
    }
    for (month, counts) in &out.by_month {
        let parts: Vec<String> =
            counts.iter().map(|(k, n)| format!("{} {n}", technique_label(k, lang))).collect();
        s.push_str(&format!("  {month}: {}\n", parts.join(", ")));
    }
    for t in &out.traffic_light {
        s.push_str(&format!("{}, {}:\n", TechniqueKind::TrafficLight.name(lang.core()), t.class));
        for l in &t.lessons {
            let p = &l.point;
            let topic = l.topic.as_ref().map(|t| format!(" «{t}»")).unwrap_or_default();
            s.push_str(&match lang {
                Lang::Ru => format!(
                    "  {}{topic}: зелёных {}, жёлтых {}, красных {}\n",
                    date_ru(p.date),
                    p.green,
                    p.yellow,
                    p.red
                ),
                Lang::En => format!(
                    "  {}{topic}: green {}, yellow {}, red {}\n",
                    p.date, p.green, p.yellow, p.red
                ),
            });
        }
    }
    s
}
