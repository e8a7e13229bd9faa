//! `--format tty`: rustc-style code frames with the culprit underlined, coloured with `colored` (which the
//! command line switches on or off for `--color` and `NO_COLOR`).

use std::io::{self, Write};

use colored::{Color, Colorize};

use super::{FileReport, LineIndex};
use crate::dockerfile::Span;
use crate::lint::diagnostic::{Diagnostic, Level};

fn level_color(level: Level) -> Color {
    match level {
        Level::Error => Color::Red,
        Level::Warning => Color::Yellow,
        Level::Info => Color::Blue,
        Level::Style => Color::Cyan,
    }
}

/// The columns (0-based, in characters) a span covers on one line, at least one wide.
fn columns(idx: &LineIndex, line: usize, span: Span) -> (usize, usize) {
    let text = idx.line(line);
    let ((sl, sc), (el, ec)) = idx.range(span);
    let start = if sl == line { sc - 1 } else { 0 };
    let end = if el == line { ec - 1 } else { text.chars().count() };
    (start, end.max(start + 1))
}

fn frame(out: &mut dyn Write, idx: &LineIndex, d: &Diagnostic, width: usize) -> io::Result<()> {
    let gutter = " ".repeat(width);
    let bar = "|".blue().bold();
    let color = level_color(d.level);
    // The primary span first, then secondary spans, each on its first line.
    let mut marks: Vec<(usize, Span, bool, Option<&str>)> =
        vec![(idx.position(d.span.start).0, d.span, true, d.label.as_deref())];
    for (span, note) in &d.secondary {
        marks.push((idx.position(span.start).0, *span, false, Some(note.as_str())));
    }
    marks.sort_by_key(|m| (m.0, !m.2));
    writeln!(out, "{gutter} {bar}")?;
    let mut last_line = 0;
    for (line, span, primary, note) in marks {
        if last_line != 0 && line > last_line + 1 {
            writeln!(out, "{}", "...".blue().bold())?;
        }
        if line != last_line {
            let text = idx.line(line).replace('\t', "    ");
            writeln!(out, "{} {bar} {text}", format!("{line:>width$}").blue().bold())?;
        }
        last_line = line;
        let raw = idx.line(line);
        let (start, end) = columns(idx, line, span);
        // Tabs were widened to four spaces above; widen the underline's offset the same way.
        let pad: usize = raw.chars().take(start).map(|c| if c == '\t' { 4 } else { 1 }).sum();
        let len: usize =
            raw.chars().skip(start).take(end - start).map(|c| if c == '\t' { 4 } else { 1 }).sum::<usize>().max(1);
        let (marker, mark_color) = if primary { ("^", color) } else { ("-", Color::Blue) };
        let underline = marker.repeat(len);
        let note = note.map(|n| format!(" {n}")).unwrap_or_default();
        writeln!(out, "{gutter} {bar} {}{}", " ".repeat(pad), format!("{underline}{note}").color(mark_color).bold())?;
    }
    if let Some(help) = &d.help {
        writeln!(out, "{gutter} {bar}")?;
        writeln!(out, "{gutter} {} {}: {help}", "=".blue().bold(), "help".bold())?;
    }
    if let Some(fix) = &d.fix {
        writeln!(
            out,
            "{gutter} {} {}: {} (`--fix`{})",
            "=".blue().bold(),
            "fix".bold(),
            fix.title,
            if fix.safety == crate::lint::Safety::Unsafe { " with `--unsafe-fixes`" } else { "" }
        )?;
    }
    Ok(())
}

pub(super) fn render(reports: &[FileReport], files_checked: usize, out: &mut dyn Write) -> io::Result<()> {
    let mut counts = [0usize; 4];
    let mut files_with_findings = 0;
    for r in reports {
        if r.diagnostics.is_empty() {
            continue;
        }
        files_with_findings += 1;
        let idx = LineIndex::new(&r.src);
        for d in &r.diagnostics {
            counts[d.level as usize] += 1;
            let (line, col) = idx.position(d.span.start);
            let last_line =
                d.secondary.iter().map(|(s, _)| idx.position(s.start).0).chain([line]).max().unwrap_or(line);
            let width = last_line.to_string().len();
            let head = format!("{}[{}]", d.level.as_str(), d.code).color(level_color(d.level)).bold();
            writeln!(out, "{head}: {}", d.message.bold())?;
            writeln!(out, "{}{} {}:{line}:{col}", " ".repeat(width), "-->".blue().bold(), r.path)?;
            frame(out, &idx, d, width)?;
            writeln!(out)?;
        }
    }
    let total: usize = counts.iter().sum();
    let noun = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if total == 0 {
        writeln!(
            out,
            "{} {}",
            "✓".green().bold(),
            format!("No problems found in {}.", noun(files_checked, "file", "files")).bold()
        )?;
        return Ok(());
    }
    let mut parts = Vec::new();
    for (level, one, many) in [
        (Level::Error, "error", "errors"),
        (Level::Warning, "warning", "warnings"),
        (Level::Info, "info", "info"),
        (Level::Style, "style", "style"),
    ] {
        let n = counts[level as usize];
        if n > 0 {
            parts.push(noun(n, one, many).color(level_color(level)).bold().to_string());
        }
    }
    writeln!(
        out,
        "Found {} in {} of {} ({}). `docklings explain CODE` tells why.",
        noun(total, "problem", "problems").bold(),
        noun(files_with_findings, "file", "files"),
        noun(files_checked, "checked", "checked"),
        parts.join(", ")
    )
}
