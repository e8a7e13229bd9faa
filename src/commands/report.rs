//! `docklings report FILES...`: a class report from learners' progress exports (`docklings progress export`).
//! Each file is checked before anything is written: one that does not read, or names a schema this version does
//! not know, stops the report with the file's name and what is wrong (exit status 2). The report is tables in the
//! terminal, one CSV row per learner and lesson, JSON (`docklings-report/1`), or one HTML page that needs nothing
//! else (inline CSS, an SVG chart of how many learners finished each lesson).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use serde::Serialize;
use unicode_width::UnicodeWidthStr;

use super::progress::{Export, SCHEMA};
use crate::cli::{ReportArgs, ReportFormat};
use crate::lesson::catalog;

/// The schema the JSON report names.
pub const REPORT_SCHEMA: &str = "docklings-report/1";

/// A class: every learner's lessons, and every lesson's learners.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub learners: Vec<Learner>,
    pub lessons: Vec<LessonSummary>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Learner {
    pub name: String,
    /// The export it came from.
    pub file: String,
    pub lessons_started: usize,
    pub lessons_finished: usize,
    pub steps_completed: usize,
    pub hints: usize,
    /// One per lesson of the report, in the report's order; `null` for a lesson not started.
    pub lessons: Vec<Option<Cell>>,
}

/// One learner in one lesson.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Cell {
    pub lesson: String,
    pub steps_completed: usize,
    pub steps_total: Option<usize>,
    pub hints: usize,
    pub finished: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LessonSummary {
    pub id: String,
    pub title: Option<String>,
    pub steps_total: Option<usize>,
    pub learners_started: usize,
    pub learners_finished: usize,
    /// Learners who finished it, as a share of all learners in the report (0 to 1).
    pub completion: f64,
    pub hints: usize,
}

/// Reads and checks one export.
pub fn read(path: &Path) -> anyhow::Result<Export> {
    let shown = path.display();
    let text = std::fs::read(path).with_context(|| format!("`{shown}`: cannot read it"))?;
    let value: serde_json::Value = serde_json::from_slice(&text).with_context(|| format!("`{shown}`: not JSON"))?;
    let Some(object) = value.as_object() else {
        bail!("`{shown}`: not a docklings progress export (a JSON object was expected)");
    };
    match object.get("schema") {
        None => bail!("`{shown}`: not a docklings progress export (it has no `schema` field)"),
        Some(serde_json::Value::String(s)) if s == SCHEMA => {}
        Some(serde_json::Value::String(s)) if s.starts_with("docklings-progress/") => bail!(
            "`{shown}`: schema `{s}` is not supported: this docklings reads `{SCHEMA}`; a newer docklings made this \
             export, so report with that version"
        ),
        Some(other) => bail!("`{shown}`: schema {other} is not a docklings progress export (`{SCHEMA}`)"),
    }
    serde_json::from_value(value).with_context(|| format!("`{shown}`: not a valid `{SCHEMA}` export"))
}

/// The report over exports, each with the file it came from.
#[must_use]
pub fn aggregate(exports: &[(String, Export)]) -> Report {
    // Lessons in course order (the built-in lessons' order), then others by id.
    let course: Vec<String> = catalog::built_in("en").lessons.into_iter().map(|e| e.lesson.id).collect();
    let mut ids: Vec<&str> = Vec::new();
    for (_, e) in exports {
        for l in &e.lessons {
            if !ids.contains(&l.id.as_str()) {
                ids.push(&l.id);
            }
        }
    }
    ids.sort_by_key(|id| (course.iter().position(|c| c == id).unwrap_or(usize::MAX), (*id).to_string()));

    let learners: Vec<Learner> = exports
        .iter()
        .map(|(file, e)| {
            let lessons: Vec<Option<Cell>> = ids
                .iter()
                .map(|id| {
                    e.lessons.iter().find(|l| l.id == *id).map(|l| Cell {
                        lesson: l.id.clone(),
                        steps_completed: l.steps_completed,
                        steps_total: l.steps_total,
                        hints: l.hints,
                        finished: l.finished,
                    })
                })
                .collect();
            let cells = || lessons.iter().flatten();
            Learner {
                name: e.learner.clone(),
                file: file.clone(),
                lessons_started: cells().count(),
                lessons_finished: cells().filter(|c| c.finished.is_some()).count(),
                steps_completed: cells().map(|c| c.steps_completed).sum(),
                hints: cells().map(|c| c.hints).sum(),
                lessons,
            }
        })
        .collect();

    let lessons = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let cells: Vec<&Cell> = learners.iter().filter_map(|l| l.lessons[i].as_ref()).collect();
            let info = exports.iter().flat_map(|(_, e)| &e.lessons).find(|l| l.id == *id);
            let finished = cells.iter().filter(|c| c.finished.is_some()).count();
            #[allow(clippy::cast_precision_loss)]
            let completion = if learners.is_empty() { 0.0 } else { finished as f64 / learners.len() as f64 };
            LessonSummary {
                id: (*id).to_string(),
                title: info.and_then(|l| l.title.clone()),
                steps_total: info.and_then(|l| l.steps_total),
                learners_started: cells.len(),
                learners_finished: finished,
                completion,
                hints: cells.iter().map(|c| c.hints).sum(),
            }
        })
        .collect();
    Report { schema: REPORT_SCHEMA, learners, lessons }
}

/// A share as a whole percentage.
fn percent(share: f64) -> u32 {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let p = (share * 100.0).round().clamp(0.0, 100.0) as u32;
    p
}

/// `2026-11-29T01:02:03Z` for seconds since the Unix epoch.
#[must_use]
pub fn timestamp(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rest = secs % 86_400;
    // Days to a civil date (the proleptic Gregorian calendar), after Howard Hinnant's well-known method.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z", rest / 3600, rest % 3600 / 60, rest % 60)
}

/// Columns padded to their widest cell (by display width), two spaces apart.
fn columns(rows: &[Vec<String>]) -> String {
    let n = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> =
        (0..n).map(|i| rows.iter().filter_map(|r| r.get(i)).map(|c| c.width()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if i + 1 < row.len() {
                line.push_str(&" ".repeat(widths[i] - cell.width() + 2));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The terminal tables: learners, then lessons.
#[must_use]
pub fn table(report: &Report) -> String {
    let n = report.learners.len();
    let mut learners = vec![["Learner", "Finished", "Started", "Steps", "Hints"].map(String::from).to_vec()];
    for l in &report.learners {
        learners.push(vec![
            l.name.clone(),
            format!("{}/{}", l.lessons_finished, report.lessons.len()),
            l.lessons_started.to_string(),
            l.steps_completed.to_string(),
            l.hints.to_string(),
        ]);
    }
    let mut lessons = vec![["Lesson", "Title", "Finished", "Started", "Hints"].map(String::from).to_vec()];
    for l in &report.lessons {
        lessons.push(vec![
            l.id.clone(),
            l.title.clone().unwrap_or_default(),
            format!("{}/{n} ({}%)", l.learners_finished, percent(l.completion)),
            format!("{}/{n}", l.learners_started),
            l.hints.to_string(),
        ]);
    }
    format!(
        "{n} learner{}, {} lesson{}\n\n{}\n{}",
        if n == 1 { "" } else { "s" },
        report.lessons.len(),
        if report.lessons.len() == 1 { "" } else { "s" },
        columns(&learners),
        columns(&lessons)
    )
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) { format!("\"{}\"", s.replace('"', "\"\"")) } else { s.to_string() }
}

/// One row per learner and lesson of the report, a lesson not started included (`started` false).
#[must_use]
pub fn csv(report: &Report) -> String {
    let mut out = String::from("learner,lesson,started,steps_completed,steps_total,finished,hints\n");
    for learner in &report.learners {
        for (lesson, cell) in report.lessons.iter().zip(&learner.lessons) {
            let fields = [
                csv_field(&learner.name),
                csv_field(&lesson.id),
                cell.is_some().to_string(),
                cell.as_ref().map_or(0, |c| c.steps_completed).to_string(),
                lesson.steps_total.map(|t| t.to_string()).unwrap_or_default(),
                cell.as_ref().and_then(|c| c.finished).map(timestamp).unwrap_or_default(),
                cell.as_ref().map_or(0, |c| c.hints).to_string(),
            ];
            out.push_str(&fields.join(","));
            out.push('\n');
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&#39;")
}

const CSS: &str = "body{font-family:system-ui,sans-serif;margin:2rem;color:#222;max-width:60rem}\
table{border-collapse:collapse;margin:1rem 0}th,td{border-bottom:1px solid #ddd;padding:.3rem .8rem;text-align:left}\
th{background:#f3f3f3}td.n{text-align:right}svg text{font-size:13px;fill:#222}rect.track{fill:#eee}\
rect.bar{fill:#2b7bb9}";

/// The chart: one bar per lesson, its length the share of learners who finished it.
fn chart(report: &Report) -> String {
    const LABEL: usize = 260;
    const BAR: usize = 400;
    const ROW: usize = 26;
    let height = ROW * report.lessons.len() + 10;
    let width = LABEL + BAR + 60;
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"completion\" role=\"img\" width=\"{width}\" \
         height=\"{height}\" viewBox=\"0 0 {width} {height}\" aria-label=\"Learners who finished each lesson\">\n"
    );
    for (i, l) in report.lessons.iter().enumerate() {
        let y = i * ROW + 5;
        let p = percent(l.completion);
        let filled = BAR * p as usize / 100;
        let _ = writeln!(
            svg,
            "<g><title>{id}: {f} of {n} finished</title><text x=\"0\" y=\"{ty}\">{id}</text>\
             <rect class=\"track\" x=\"{LABEL}\" y=\"{y}\" width=\"{BAR}\" height=\"18\"/>\
             <rect class=\"bar\" data-lesson=\"{id}\" data-percent=\"{p}\" x=\"{LABEL}\" y=\"{y}\" width=\"{filled}\" \
             height=\"18\"/><text x=\"{tx}\" y=\"{ty}\">{p}%</text></g>",
            id = esc(&l.id),
            f = l.learners_finished,
            n = report.learners.len(),
            ty = y + 14,
            tx = LABEL + BAR + 8,
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn html_table(head: &[&str], rows: &[Vec<(String, bool)>]) -> String {
    let mut out = String::from("<table>\n<thead><tr>");
    for h in head {
        let _ = write!(out, "<th>{}</th>", esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (cell, number) in row {
            let _ = write!(out, "<td{}>{}</td>", if *number { " class=\"n\"" } else { "" }, esc(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

/// One page, nothing fetched: the chart, then the learners' and the lessons' tables.
#[must_use]
pub fn html(report: &Report) -> String {
    let n = report.learners.len();
    let learners: Vec<Vec<(String, bool)>> = report
        .learners
        .iter()
        .map(|l| {
            vec![
                (l.name.clone(), false),
                (format!("{}/{}", l.lessons_finished, report.lessons.len()), true),
                (l.lessons_started.to_string(), true),
                (l.steps_completed.to_string(), true),
                (l.hints.to_string(), true),
            ]
        })
        .collect();
    let lessons: Vec<Vec<(String, bool)>> = report
        .lessons
        .iter()
        .map(|l| {
            vec![
                (l.id.clone(), false),
                (l.title.clone().unwrap_or_default(), false),
                (format!("{}/{n} ({}%)", l.learners_finished, percent(l.completion)), true),
                (format!("{}/{n}", l.learners_started), true),
                (l.hints.to_string(), true),
            ]
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>docklings class report</title>\n\
         <style>{CSS}</style>\n</head>\n<body>\n<h1>Class report</h1>\n<p>{n} learners, {} lessons.</p>\n\
         <h2>Learners who finished each lesson</h2>\n{}<h2>Learners</h2>\n{}<h2>Lessons</h2>\n{}</body>\n</html>\n",
        report.lessons.len(),
        chart(report),
        html_table(&["Learner", "Finished", "Started", "Steps", "Hints"], &learners),
        html_table(&["Lesson", "Title", "Finished", "Started", "Hints"], &lessons),
    )
}

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let exports =
        args.files.iter().map(|f| read(f).map(|e| (f.display().to_string(), e))).collect::<anyhow::Result<Vec<_>>>()?;
    let report = aggregate(&exports);
    let text = match args.format {
        ReportFormat::Table => table(&report),
        ReportFormat::Csv => csv(&report),
        ReportFormat::Json => serde_json::to_string_pretty(&report)? + "\n",
        ReportFormat::Html => html(&report),
    };
    std::io::stdout().lock().write_all(text.as_bytes()).context("writing the report")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_dates() {
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(timestamp(1_764_380_062), "2025-11-29T01:34:22Z");
    }

    #[test]
    fn csv_fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(csv_field("ana"), "ana");
        assert_eq!(csv_field("Kim, \"Jo\""), "\"Kim, \"\"Jo\"\"\"");
    }
}
