//! `lesenka diagnostics luskanova FILE`: Лусканова's school-motivation questionnaire scored by
//! core ([`luskanova()`], [`Questionnaire::score`], [`compare_waves`] for the band counts):
//! total and band per respondent, and how many respondents fall in each band.
//!
//! A screening tool, not a diagnosis: a low total is a reason to look closer, never a label.

use std::path::Path;

use lesenka_core::diagnostics::{
    AnswerError, AnswerSheet, MotivationLevel, Questionnaire, WaveSummary, compare_waves, luskanova,
};
use lesenka_core::ids::StudentId;
use serde::{Deserialize, Serialize};

use crate::input::{self, DataError};
use crate::output::{self, Format, Lang};

/// The long help of `diagnostics luskanova`.
pub const HELP: &str = "\
Scores Н. Г. Лусканова's school-motivation questionnaire (10 questions, answers scored 3 / 1 / 0
by the per-question key, total 0–30) and prints each respondent's total and band and the count
per band: 25–30 high, 20–24 normal, 15–19 external, 10–14 low, below 10 negative.
A screening tool, not a diagnosis.

FILE (JSON):

  {\"respondents\": [
    {\"name\": \"Ученик 1\", \"answers\": [2, 3, 3, 1, 2, 2, 1, 3, 2, 1]},
    {\"name\": \"Ученик 2\", \"answers\": [\"нравится\", \"иду с радостью\", null, …]}
  ]}

An answer is the number of the answer as printed on the form (1, 2 or 3, in the form's order),
or the answer's text; null for a question left unanswered (the sheet is then not scored).
Exit status 1 when any sheet could not be scored (the others are printed all the same).";

#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum Answer {
    Number(usize),
    Text(String),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Respondent {
    name: String,
    answers: Vec<Option<Answer>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswersFile {
    respondents: Vec<Respondent>,
}

#[derive(Serialize)]
struct RespondentOut {
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    total: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    band: Option<MotivationLevel>,
    #[serde(skip_serializing_if = "Option::is_none")]
    band_label: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    problem: Option<String>,
}

#[derive(Serialize)]
struct LuskanovaOut {
    file: String,
    questionnaire: String,
    note: &'static str,
    respondents: Vec<RespondentOut>,
    summary: WaveSummary,
}

/// Core's answer error with questions and answers counted from 1, as on the form.
fn answer_problem(e: &AnswerError, lang: Lang) -> String {
    match (e, lang) {
        (AnswerError::WrongCount { expected, got }, Lang::Ru) => {
            format!("ответов {got}, а вопросов {expected}")
        }
        (AnswerError::WrongCount { .. }, Lang::En) => e.to_string(),
        (AnswerError::Unanswered { item }, Lang::Ru) => {
            format!("нет ответа на вопрос {}", item + 1)
        }
        (AnswerError::Unanswered { item }, Lang::En) => {
            format!("question {} is not answered", item + 1)
        }
        (AnswerError::NoSuchOption { item, answer, options }, Lang::Ru) => {
            format!("у вопроса {} ответов {options}, ответа {} нет", item + 1, answer + 1)
        }
        (AnswerError::NoSuchOption { item, answer, options }, Lang::En) => format!(
            "question {} has {options} answers; there is no answer {}",
            item + 1,
            answer + 1
        ),
    }
}

/// Turns a respondent's answers into 0-based option indices.
fn indices(q: &Questionnaire, r: &Respondent, lang: Lang) -> Result<Vec<Option<usize>>, String> {
    if r.answers.len() != q.items().len() {
        let e = AnswerError::WrongCount { expected: q.items().len(), got: r.answers.len() };
        return Err(answer_problem(&e, lang));
    }
    r.answers
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let options = q.items().get(i).map(|item| &item.options);
            match (a, options) {
                (None, _) => Ok(None),
                (Some(Answer::Number(n)), _) if *n >= 1 => Ok(Some(n - 1)),
                (Some(Answer::Number(n)), _) => Err(match lang {
                    Lang::Ru => format!("вопрос {}: ответ {n}; ответы нумеруются с 1", i + 1),
                    Lang::En => {
                        format!("question {}: answer {n}; answers are counted from 1", i + 1)
                    }
                }),
                (Some(Answer::Text(t)), Some(options)) => {
                    let key = lesenka_core::text::fold_key(t);
                    options.iter().position(|o| o.text.key() == key).map(Some).ok_or_else(|| {
                        match lang {
                            Lang::Ru => format!("вопрос {}: «{t}» — не один из его ответов", i + 1),
                            Lang::En => {
                                format!("question {}: «{t}» is not one of its answers", i + 1)
                            }
                        }
                    })
                }
                (Some(Answer::Text(t)), None) => Err(format!("question {}: «{t}»", i + 1)),
            }
        })
        .collect()
}

/// Runs `diagnostics luskanova`; returns whether every sheet was scored.
pub fn luskanova_cmd(path: &Path, format: Format, lang: Lang) -> anyhow::Result<bool> {
    let (text, _) = input::read_text(path, lang)?;
    let file: AnswersFile = input::parse_json(path, &text, lang)?;
    let q = luskanova();
    let mut respondents = Vec::new();
    let mut sheets = Vec::new();
    for (i, r) in file.respondents.iter().enumerate() {
        let scored = indices(&q, r, lang).and_then(|answers| {
            let score = q.score(&answers).map_err(|e| answer_problem(&e, lang))?;
            Ok((answers, score))
        });
        match scored {
            Ok((answers, score)) => {
                let level = MotivationLevel::from_band(score.band);
                respondents.push(RespondentOut {
                    name: r.name.clone(),
                    total: Some(score.total),
                    band: level,
                    band_label: q.bands().get(score.band).map(|b| b.label.to_string()),
                    problem: None,
                });
                sheets
                    .push(AnswerSheet { respondent: StudentId::from_u128(i as u128 + 1), answers });
            }
            Err(problem) => respondents.push(RespondentOut {
                name: r.name.clone(),
                total: None,
                band: None,
                band_label: None,
                problem: Some(problem),
            }),
        }
    }
    let comparison =
        compare_waves(&q, &sheets, &[]).map_err(|e| DataError::new(path, lang, e.to_string()))?;
    let out = LuskanovaOut {
        file: path.display().to_string(),
        questionnaire: q.title().to_string(),
        note: lang.pick(
            "скрининг, а не диагноз: низкий балл — повод присмотреться, а не ярлык",
            "a screening tool, not a diagnosis: a low total is a reason to look closer, not a label",
        ),
        respondents,
        summary: comparison.start,
    };
    let printed = match format {
        Format::Json => output::json(&out)?,
        Format::Text => text_report(&out, lang),
    };
    output::print(&printed)?;
    let mut clean = true;
    for r in &out.respondents {
        if let Some(p) = &r.problem {
            eprintln!("{}: «{}»: {p}", out.file, r.name);
            clean = false;
        }
    }
    Ok(clean)
}

fn text_report(out: &LuskanovaOut, lang: Lang) -> String {
    let mut s = format!("{}\n", out.questionnaire);
    for r in &out.respondents {
        match (&r.total, &r.band_label, &r.problem) {
            (Some(t), Some(label), _) => s.push_str(&format!("  {}: {t} — {label}\n", r.name)),
            (_, _, Some(p)) => s.push_str(&format!(
                "  {}: {} ({p})\n",
                r.name,
                lang.pick("не подсчитано", "not scored")
            )),
            _ => {}
        }
    }
    s.push_str(&format!(
        "{}: {}\n",
        lang.pick("Подсчитано анкет", "Sheets scored"),
        out.summary.respondents
    ));
    for b in out.summary.bands.iter().rev() {
        s.push_str(&format!(
            "  {}: {} ({}%)\n",
            b.label,
            b.count,
            lang.number(format!("{:.0}", b.share * 100.0))
        ));
    }
    s.push_str(&format!("{}\n", out.note));
    s
}
