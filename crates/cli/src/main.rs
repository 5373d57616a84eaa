//! The `lesenka` command line: Lesenka's core for scripts and the school's IT.
//!
//! It reads files, calls `lesenka-core`, and prints JSON (`--format json`, the default) or
//! readable text (`--format text`, in Russian or with `--lang en` in English). All logic lives
//! in core; this crate only reads, calls and formats.
//!
//! Exit status: 0 on success, 1 for a problem with the data (a missing or damaged file, a plan
//! with unreadable rows, a file made by a newer Lesenka), 2 for a usage mistake.

mod conceptmap;
mod diagnostics;
mod evidence;
mod export;
mod input;
mod marks;
mod merge;
mod output;
mod plan;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::input::UsageError;
use crate::output::{Format, Lang};

/// Lesenka: formative assessment for Russian schools — the command line.
#[derive(Parser, Debug)]
#[command(
    name = "lesenka",
    version,
    about,
    long_about = None,
    after_help = "Exit status: 0 success; 1 a problem with the data (a missing, damaged or \
                  newer-version file, rows that could not be read); 2 a usage mistake."
)]
struct Cli {
    /// Output format: json (for scripts) or text (for people).
    #[arg(long, value_enum, default_value_t = Format::Json, global = true)]
    format: Format,
    /// Language of text output and messages.
    #[arg(long, value_enum, default_value_t = Lang::Ru, global = true)]
    lang: Lang,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Community (ПОС) plans.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Marks: weighted averages, term marks, what-if.
    #[command(subcommand)]
    Marks(MarksCommand),
    /// Concept maps.
    #[command(subcommand)]
    Conceptmap(ConceptmapCommand),
    /// Merges two backups into a third file (an idempotent merge; existing items are never
    /// replaced).
    Merge {
        /// The first backup (its items win in a conflict).
        a: PathBuf,
        /// The second backup, merged into the first.
        b: PathBuf,
        /// Where to write the merged backup (written atomically).
        #[arg(short, long)]
        output: PathBuf,
        /// Replace OUT when it already exists and is not one of the inputs.
        #[arg(long)]
        force: bool,
    },
    /// Evidence journals.
    #[command(subcommand)]
    Evidence(EvidenceCommand),
    /// Exports for other programs.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Diagnostics questionnaires.
    #[command(subcommand)]
    Diagnostics(DiagnosticsCommand),
    /// Runs the school server: live lessons from students' tablets to the projector, and the
    /// app's files (SQLite in --data, or PostgreSQL with --database).
    Serve(serve::ServeArgs),
}

#[derive(Subcommand, Debug)]
enum PlanCommand {
    /// Reads a plan pasted from a document table (UTF-8 text; UTF-16, Windows-1251, KOI8-R and
    /// the other encodings schools use are recognised) and prints its events and the lines that
    /// could not be read.
    /// Exit status 1 when any row could not be read (the result is printed all the same).
    Import {
        /// The text file.
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum MarksCommand {
    /// Weighted average (средневзвешенный балл), term mark and the calculation behind them, per
    /// student.
    #[command(long_about = marks::HELP)]
    Average {
        /// The gradebook file (a Lesenka gradebook envelope, or the plain format below).
        file: PathBuf,
        /// A target average (e.g. 4.65): print the fewest further marks that reach it.
        #[arg(long, value_name = "TARGET", requires = "work_type")]
        what_if: Option<String>,
        /// The work type of the further marks (its name, as in the file).
        #[arg(long, value_name = "NAME", requires = "what_if")]
        work_type: Option<String>,
        /// The further marks' value (default: any mark up to the highest of the scale).
        #[arg(long, value_name = "LABEL", requires = "what_if")]
        mark: Option<String>,
        /// Only this student (name as in the file, or id).
        #[arg(long)]
        student: Option<String>,
        /// Only marks from this date (YYYY-MM-DD), e.g. the first day of the term.
        #[arg(long, value_name = "DATE", requires = "to")]
        from: Option<chrono::NaiveDate>,
        /// Only marks up to this date (YYYY-MM-DD), e.g. the last day of the term.
        #[arg(long, value_name = "DATE", requires = "from")]
        to: Option<chrono::NaiveDate>,
    },
}

#[derive(Subcommand, Debug)]
enum ConceptmapCommand {
    /// Scores a student's concept map against the teacher's: proposition precision, recall and
    /// F1, the Novak & Gowin structural score, the closeness index.
    #[command(long_about = conceptmap::HELP)]
    Score {
        /// The student's map (JSON).
        student: PathBuf,
        /// The teacher's (criterion) map (JSON).
        teacher: PathBuf,
        /// The teacher's synonym list: a JSON object {"variant": "canonical"} or lines
        /// «variant = canonical».
        #[arg(long, value_name = "FILE")]
        synonyms: Option<PathBuf>,
        /// Match propositions by their two concepts only, ignoring the linking phrase.
        #[arg(long)]
        ignore_linking: bool,
    },
}

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum What {
    /// One row per evidence record (from a backup).
    Evidence,
    /// The gradebook table (from a gradebook file, or every class of a backup).
    Gradebook,
    /// The lessons' concept maps, one row per proposition (from a backup).
    Maps,
    /// The questionnaire runs, one row per sheet: date, class, student (or «анонимно»),
    /// questionnaire, score and band (from a backup).
    Diagnostics,
}

#[derive(Subcommand, Debug)]
enum EvidenceCommand {
    /// What a backup's evidence shows: records per technique and month, and the светофор
    /// counts per class lesson by lesson.
    Summary {
        /// The backup.
        file: PathBuf,
    },
}

#[derive(Subcommand, Debug)]
enum ExportCommand {
    /// CSV for Russian Excel (UTF-8 with a BOM, `;`, decimal comma, ДД.ММ.ГГГГ).
    Csv {
        /// A backup (for evidence or its gradebooks) or a gradebook file (for the gradebook).
        file: PathBuf,
        /// Where to write (atomically); standard output when absent.
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// What to export.
        #[arg(long, value_enum, default_value_t = What::Evidence)]
        what: What,
        /// Write pseudonyms instead of real names (for files shared beyond the teacher).
        #[arg(long)]
        pseudonyms: bool,
    },
}

#[derive(Subcommand, Debug)]
enum DiagnosticsCommand {
    /// Scores Лусканова's school-motivation questionnaire: totals and bands per respondent and
    /// the band counts. A screening tool, not a diagnosis.
    #[command(long_about = diagnostics::HELP)]
    Luskanova {
        /// Answers per respondent (JSON).
        file: PathBuf,
    },
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let (format, lang) = (cli.format, cli.lang);
    match cli.command {
        Command::Plan(PlanCommand::Import { file }) => {
            let clean = plan::import(&file, format, lang)?;
            Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Marks(MarksCommand::Average {
            file,
            what_if,
            work_type,
            mark,
            student,
            from,
            to,
        }) => {
            let what_if = match (what_if, work_type) {
                (Some(target), Some(work_type)) => {
                    Some(marks::WhatIfArgs { target, work_type, mark })
                }
                _ => None,
            };
            let period = from.zip(to);
            marks::average(&file, what_if, student.as_deref(), period, format, lang)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Conceptmap(ConceptmapCommand::Score {
            student,
            teacher,
            synonyms,
            ignore_linking,
        }) => {
            conceptmap::score(
                &student,
                &teacher,
                synonyms.as_deref(),
                ignore_linking,
                format,
                lang,
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Merge { a, b, output, force } => {
            merge::merge(&a, &b, &output, force, format, lang)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Evidence(EvidenceCommand::Summary { file }) => {
            evidence::summary(&file, format, lang)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export(ExportCommand::Csv { file, output, what, pseudonyms }) => {
            export::csv(&file, output.as_deref(), what, pseudonyms, lang)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Diagnostics(DiagnosticsCommand::Luskanova { file }) => {
            let clean = diagnostics::luskanova_cmd(&file, format, lang)?;
            Ok(if clean { ExitCode::SUCCESS } else { ExitCode::from(1) })
        }
        Command::Serve(args) => {
            serve::serve(args)?;
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("lesenka: {e:#}");
            if e.downcast_ref::<UsageError>().is_some() {
                ExitCode::from(2)
            } else {
                ExitCode::from(1)
            }
        }
    }
}
