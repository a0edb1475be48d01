//! The check as the CLI prints it: one line per element, then the placeholders, then a summary.

use std::fmt::Write;

use super::ContentReport;

pub(super) fn to_text(report: &ContentReport) -> String {
    let mut out = String::new();
    for finding in &report.findings {
        let element = finding.element;
        let (mark, word) = if finding.found.is_some() {
            ("✓", "found")
        } else {
            ("✗", "missing")
        };
        let _ = write!(
            out,
            "{mark} {word:<8} {:<6} {}",
            element.requirement(),
            element.label()
        );
        match &finding.found {
            Some(passage) => {
                match &passage.heading {
                    Some(heading) => {
                        let _ = write!(out, ": under \"{heading}\", line {}", passage.line);
                    }
                    None => {
                        let _ = write!(out, ": line {}", passage.line);
                    }
                }
                if let Some(note) = &finding.note {
                    let _ = write!(out, " ({note})");
                }
            }
            None => {
                let _ = write!(out, ": {}", element.hint());
                if let Some(note) = &finding.note {
                    let _ = write!(out, " Note: {note}.");
                }
            }
        }
        out.push('\n');
    }
    for placeholder in &report.placeholders {
        let _ = writeln!(
            out,
            "⚠ warning  line {}: placeholder {} not replaced",
            placeholder.line, placeholder.text
        );
    }
    out.push_str(&summary(report));
    out.push('\n');
    out
}

fn summary(report: &ContentReport) -> String {
    let total = report.findings.len();
    let missing: Vec<String> = report
        .missing()
        .map(|element| format!("{} {}", element.requirement(), element.label()))
        .collect();
    let mut line = if missing.is_empty() {
        format!("All {total} required elements found")
    } else {
        format!(
            "{} of {total} required elements found; missing: {}",
            total - missing.len(),
            missing.join(", ")
        )
    };
    match report.placeholders.len() {
        0 if missing.is_empty() => line.push_str("; no placeholders left. The policy is complete."),
        0 => line.push('.'),
        1 => line.push_str("; 1 placeholder to replace."),
        n => {
            let _ = write!(line, "; {n} placeholders to replace.");
        }
    }
    line
}
