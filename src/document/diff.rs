//! Two versions of a policy side by side: a line diff of their canonical bodies, changed lines
//! paired with the words that changed marked, and long unchanged stretches folded away.
//!
//! Diffing runs against a clock: past [`DIFF_BUDGET`] the line diff settles for a coarser (still
//! correct) answer and changed lines are marked whole, so no input can hold a request for long.

use std::time::{Duration, Instant};

use serde::Serialize;
use similar::{Algorithm, ChangeTag, DiffOp, TextDiff};
use utoipa::ToSchema;

use crate::document::canonical::canonical_body;

/// The most time one diff may take before it falls back to coarser results.
pub const DIFF_BUDGET: Duration = Duration::from_millis(250);

/// Lines longer than this together are marked changed whole instead of word by word.
const MAX_WORD_DIFF_BYTES: usize = 20_000;

/// What one row of the side-by-side view shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowKind {
    /// The line is the same in both versions.
    Same,
    /// The line was edited: both sides, with the changed words marked.
    Changed,
    /// The line is new (right side only).
    Added,
    /// The line was removed (left side only).
    Removed,
    /// Unchanged lines folded away (`skipped` of them); neither side is given.
    Skipped,
}

/// A run of text within a line, and whether it differs from the other version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Segment {
    pub text: String,
    pub changed: bool,
}

/// One version's line in a row: its 1-based line number and its text in segments (none for an
/// empty line).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct Side {
    pub line: usize,
    pub segments: Vec<Segment>,
}

/// One row of the view: the old version's line on the left, the new one's on the right.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct DiffRow {
    pub kind: RowKind,
    pub left: Option<Side>,
    pub right: Option<Side>,
    /// For a `skipped` row, how many unchanged lines it folds; 0 otherwise.
    pub skipped: usize,
}

/// The rows of a side-by-side diff and how many rows of each kind of change it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct SideBySide {
    pub rows: Vec<DiffRow>,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

/// Compares two policy bodies (as canonical text: line endings and trailing spaces do not count),
/// keeping `context` unchanged lines around each change.
pub fn side_by_side(old: &str, new: &str, context: usize) -> SideBySide {
    let (old, new) = (canonical_body(old), canonical_body(new));
    let deadline = Instant::now() + DIFF_BUDGET;
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Patience)
        .deadline(deadline)
        .diff_lines(&old, &new);
    let mut view = Builder {
        old: diff.old_slices().iter().map(|l| strip_newline(l)).collect(),
        new: diff.new_slices().iter().map(|l| strip_newline(l)).collect(),
        context,
        deadline,
        out: SideBySide {
            rows: Vec::new(),
            added: 0,
            removed: 0,
            changed: 0,
        },
    };

    let ops = diff.ops();
    // Adjacent deletions and insertions form one changed block: (old start, old end, new start, new end).
    let mut block: Option<(usize, usize, usize, usize)> = None;
    for (index, op) in ops.iter().enumerate() {
        let (old_range, new_range) = (op.old_range(), op.new_range());
        if let DiffOp::Equal { len, .. } = *op {
            if let Some(b) = block.take() {
                view.change(b);
            }
            let position = Position {
                first: index == 0,
                last: index + 1 == ops.len(),
            };
            view.unchanged(old_range.start, new_range.start, len, position);
        } else {
            block = Some(match block {
                Some((old_start, _, new_start, _)) => {
                    (old_start, old_range.end, new_start, new_range.end)
                }
                None => (
                    old_range.start,
                    old_range.end,
                    new_range.start,
                    new_range.end,
                ),
            });
        }
    }
    if let Some(b) = block {
        view.change(b);
    }
    view.out
}

fn strip_newline(line: &str) -> &str {
    line.strip_suffix('\n').unwrap_or(line)
}

/// Where a run of unchanged lines sits: before the first change, after the last, or both.
#[derive(Clone, Copy)]
struct Position {
    first: bool,
    last: bool,
}

struct Builder<'a> {
    old: Vec<&'a str>,
    new: Vec<&'a str>,
    context: usize,
    deadline: Instant,
    out: SideBySide,
}

impl Builder<'_> {
    /// `len` unchanged lines from `old_start`/`new_start`, folded but for `context` lines next to
    /// a change.
    fn unchanged(&mut self, old_start: usize, new_start: usize, len: usize, at: Position) {
        let context = self.context.min(len);
        let (head, tail) = match (at.first, at.last) {
            (true, true) => (0, 0),
            (true, false) => (0, context),
            (false, true) => (context, 0),
            (false, false) if len > 2 * context => (context, context),
            (false, false) => (len, 0),
        };
        let folded = len - head - tail;
        for i in 0..head {
            self.same(old_start + i, new_start + i);
        }
        if folded > 0 {
            self.out.rows.push(DiffRow {
                kind: RowKind::Skipped,
                left: None,
                right: None,
                skipped: folded,
            });
        }
        for i in len - tail..len {
            self.same(old_start + i, new_start + i);
        }
    }

    fn same(&mut self, old: usize, new: usize) {
        self.push(
            RowKind::Same,
            Some(side(old, whole(self.old[old], false))),
            Some(side(new, whole(self.new[new], false))),
        );
    }

    /// Old lines `old_start..old_end` became new lines `new_start..new_end`: they are paired in
    /// order as changed rows, and the longer side's rest is removed or added.
    fn change(&mut self, (old_start, old_end, new_start, new_end): (usize, usize, usize, usize)) {
        let paired = (old_end - old_start).min(new_end - new_start);
        for i in 0..paired {
            let (old, new) = (old_start + i, new_start + i);
            let (left, right) = word_segments(self.old[old], self.new[new], self.deadline);
            self.push(
                RowKind::Changed,
                Some(side(old, left)),
                Some(side(new, right)),
            );
            self.out.changed += 1;
        }
        for old in old_start + paired..old_end {
            self.push(
                RowKind::Removed,
                Some(side(old, whole(self.old[old], true))),
                None,
            );
            self.out.removed += 1;
        }
        for new in new_start + paired..new_end {
            self.push(
                RowKind::Added,
                None,
                Some(side(new, whole(self.new[new], true))),
            );
            self.out.added += 1;
        }
    }

    fn push(&mut self, kind: RowKind, left: Option<Side>, right: Option<Side>) {
        self.out.rows.push(DiffRow {
            kind,
            left,
            right,
            skipped: 0,
        });
    }
}

/// A side for the 0-based line `index`.
fn side(index: usize, segments: Vec<Segment>) -> Side {
    Side {
        line: index + 1,
        segments,
    }
}

fn whole(text: &str, changed: bool) -> Vec<Segment> {
    let mut segments = Vec::new();
    push_segment(&mut segments, text, changed);
    segments
}

/// The two lines in segments, marking the words that differ.
fn word_segments(old: &str, new: &str, deadline: Instant) -> (Vec<Segment>, Vec<Segment>) {
    if old.len() + new.len() > MAX_WORD_DIFF_BYTES || Instant::now() >= deadline {
        return (whole(old, true), whole(new, true));
    }
    let diff = TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .deadline(deadline)
        .diff_words(old, new);
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for change in diff.iter_all_changes() {
        let text = change.value();
        match change.tag() {
            ChangeTag::Equal => {
                push_segment(&mut left, text, false);
                push_segment(&mut right, text, false);
            }
            ChangeTag::Delete => push_segment(&mut left, text, true),
            ChangeTag::Insert => push_segment(&mut right, text, true),
        }
    }
    (join_gaps(left), join_gaps(right))
}

/// Appends text, extending the last segment when it has the same state.
fn push_segment(segments: &mut Vec<Segment>, text: &str, changed: bool) {
    if text.is_empty() {
        return;
    }
    match segments.last_mut() {
        Some(last) if last.changed == changed => last.text.push_str(text),
        _ => segments.push(Segment {
            text: text.to_owned(),
            changed,
        }),
    }
}

/// Whitespace alone between two changed runs joins them: "new words" reads as one change, not two.
fn join_gaps(segments: Vec<Segment>) -> Vec<Segment> {
    let mut joined: Vec<Segment> = Vec::with_capacity(segments.len());
    let mut iter = segments.into_iter().peekable();
    while let Some(segment) = iter.next() {
        let gap = !segment.changed
            && segment.text.trim().is_empty()
            && joined.last().is_some_and(|s| s.changed)
            && iter.peek().is_some_and(|s| s.changed);
        push_segment(&mut joined, &segment.text, segment.changed || gap);
    }
    joined
}

#[cfg(test)]
mod tests;
