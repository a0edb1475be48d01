//! Timings of the policy text work that runs on a request: the content check, the side-by-side
//! diff, Markdown rendering and the PDF export, on a 50 KB policy. Run with
//! `cargo bench --bench documents` (release build); prints one line per figure, median of runs.

use std::hint::black_box;
use std::time::{Duration, Instant};

use charter::document::content_check::{CheckContext, check_policy};
use charter::document::diff::side_by_side;
use charter::document::export::ExportMeta;
use charter::document::pdf::policy_pdf;
use charter::document::render::render_markdown;

/// The demo's top-level policy repeated, with numbered sections, to about `bytes`.
fn policy_of(bytes: usize, variant: usize) -> String {
    let base = include_str!("../src/demo/policies/information-security-policy.md");
    let mut text = String::new();
    let mut part = 0;
    while text.len() < bytes {
        part += 1;
        for (line_no, line) in base.lines().enumerate() {
            // Every 40th line differs between variants, as edits scattered through a revision.
            if variant > 0 && line_no % 40 == part % 40 {
                text.push_str(&format!("{line} (revised in part {part})\n"));
            } else if let Some(heading) = line.strip_prefix("## ") {
                text.push_str(&format!("## {heading} (part {part})\n"));
            } else {
                text.push_str(line);
                text.push('\n');
            }
        }
    }
    text
}

fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let old = policy_of(50_000, 0);
    let new = policy_of(50_000, 1);
    let context = CheckContext {
        organization_name: Some("Northwind Analytics".into()),
    };
    let check = median(51, || {
        black_box(check_policy(black_box(&new), &context));
    });
    let diff = median(21, || {
        black_box(side_by_side(black_box(&old), black_box(&new), 3));
    });
    let render = median(21, || {
        black_box(render_markdown(black_box(&new)));
    });
    let meta = ExportMeta {
        organization: "Northwind Analytics".into(),
        title: "Information Security Policy".into(),
        version: "2.0".into(),
        status: "Published".into(),
        approvers: vec!["Ada Ibrahim".into()],
        approved_on: None,
        published_on: None,
        content_hash: "0".repeat(64),
        owner: "Ada Ibrahim".into(),
        next_review: None,
    };
    let pdf = median(5, || {
        black_box(policy_pdf(&meta, black_box(&new)).ok());
    });
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!("policy size: {} bytes (old {} bytes)", new.len(), old.len());
    println!("content check of a 50 KB policy: {:.2} ms", ms(check));
    println!("diff of two 50 KB versions: {:.2} ms", ms(diff));
    println!("Markdown rendering of a 50 KB policy: {:.2} ms", ms(render));
    println!("PDF export of a 50 KB policy: {:.0} ms", ms(pdf));
}
