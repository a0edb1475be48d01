use super::*;

fn kinds(diff: &SideBySide) -> Vec<RowKind> {
    diff.rows.iter().map(|r| r.kind).collect()
}

fn numbered(lines: usize) -> String {
    (1..=lines).map(|n| format!("Line {n}.\n")).collect()
}

fn changed_text(side: &Side) -> Vec<&str> {
    side.segments
        .iter()
        .filter(|s| s.changed)
        .map(|s| s.text.as_str())
        .collect()
}

#[test]
fn identical_texts_fold_into_one_skipped_row() {
    let text = numbered(20);
    let diff = side_by_side(&text, &text, 3);
    assert_eq!(kinds(&diff), vec![RowKind::Skipped]);
    assert_eq!(diff.rows[0].skipped, 20);
    assert_eq!((diff.added, diff.removed, diff.changed), (0, 0, 0));
}

#[test]
fn two_empty_texts_have_no_rows() {
    assert!(side_by_side("", "\n\n", 3).rows.is_empty());
}

#[test]
fn an_inserted_paragraph_is_added_with_context_around_it() {
    let old = numbered(20);
    let mut lines: Vec<String> = old.lines().map(str::to_owned).collect();
    lines.insert(10, String::new());
    lines.insert(11, "A new paragraph.".to_owned());
    let new = lines.join("\n");

    let diff = side_by_side(&old, &new, 2);
    let mut expected = vec![RowKind::Skipped, RowKind::Same, RowKind::Same];
    expected.extend([RowKind::Added, RowKind::Added]);
    expected.extend([RowKind::Same, RowKind::Same, RowKind::Skipped]);
    assert_eq!(kinds(&diff), expected);
    assert_eq!(diff.rows[0].skipped, 8);
    assert_eq!(diff.rows[7].skipped, 8);
    assert_eq!((diff.added, diff.removed, diff.changed), (2, 0, 0));

    let added = diff.rows[4]
        .right
        .as_ref()
        .expect("an added line has a right side");
    assert_eq!(added.line, 12);
    assert_eq!(changed_text(added), vec!["A new paragraph."]);
    let before = diff.rows[2].left.as_ref().expect("context has a left side");
    assert_eq!(before.line, 10);
}

#[test]
fn a_changed_word_is_the_only_marked_segment() {
    let old = "# Policy\n\nWe protect information at rest.\n";
    let new = "# Policy\n\nWe protect data at rest.\n";
    let diff = side_by_side(old, new, 1);
    assert_eq!(
        kinds(&diff),
        vec![RowKind::Skipped, RowKind::Same, RowKind::Changed]
    );
    assert_eq!(diff.changed, 1);

    let row = &diff.rows[2];
    let (left, right) = (
        row.left.as_ref().expect("left"),
        row.right.as_ref().expect("right"),
    );
    assert_eq!((left.line, right.line), (3, 3));
    assert_eq!(changed_text(left), vec!["information"]);
    assert_eq!(changed_text(right), vec!["data"]);
    let rebuilt: String = right.segments.iter().map(|s| s.text.as_str()).collect();
    assert_eq!(rebuilt, "We protect data at rest.");
}

#[test]
fn adjacent_changed_words_read_as_one_change() {
    let diff = side_by_side("a b c d\n", "a x y d\n", 0);
    let right = diff.rows[0].right.as_ref().expect("right");
    assert_eq!(changed_text(right), vec!["x y"]);
}

#[test]
fn removed_and_unpaired_lines() {
    let diff = side_by_side("one\ntwo\nthree\n", "one\nTWO\n", 5);
    assert_eq!(
        kinds(&diff),
        vec![RowKind::Same, RowKind::Changed, RowKind::Removed]
    );
    assert_eq!((diff.added, diff.removed, diff.changed), (0, 1, 1));
    assert!(diff.rows[2].right.is_none());
}

#[test]
fn line_endings_and_trailing_spaces_are_not_changes() {
    let unix = "# Policy\n\nWe protect information.\n";
    let windows = "# Policy  \r\n\r\nWe protect information.\r\n\r\n";
    let diff = side_by_side(unix, windows, 3);
    assert_eq!(kinds(&diff), vec![RowKind::Skipped]);
}

#[test]
fn short_unchanged_runs_between_changes_are_not_folded() {
    let old = "a\nb\nc\nd\ne\n";
    let new = "A\nb\nc\nd\nE\n";
    let diff = side_by_side(old, new, 2);
    assert_eq!(
        kinds(&diff),
        vec![
            RowKind::Changed,
            RowKind::Same,
            RowKind::Same,
            RowKind::Same,
            RowKind::Changed
        ]
    );
}

#[test]
fn the_view_serializes_in_snake_case() {
    let diff = side_by_side("a\n", "b\n", 0);
    let json = serde_json::to_value(&diff).expect("serializes");
    assert_eq!(json["rows"][0]["kind"], "changed");
    assert_eq!(json["rows"][0]["left"]["segments"][0]["changed"], true);
}

#[test]
fn two_large_versions_diff_quickly() {
    let old: String = (0..1500)
        .map(|n| format!("Clause {n}: staff protect information {}.\n", n % 7))
        .collect();
    let new = old
        .replace("information 3", "data 3")
        .replace("Clause 77:", "Clause 77 (new):");
    let started = Instant::now();
    let diff = side_by_side(&old, &new, 3);
    eprintln!(
        "{} and {} bytes diffed in {:?}",
        old.len(),
        new.len(),
        started.elapsed()
    );
    assert!(diff.changed > 200, "{}", diff.changed);
    // Generous for a debug build on a busy machine; the bench measures release.
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[test]
fn unrelated_versions_finish_within_the_budget() {
    let old: String = (0..2000)
        .map(|n| format!("{n} a b c {}\n", n * 7))
        .collect();
    let new: String = (0..2000)
        .map(|n| format!("{} x y z {n}\n", n * 13))
        .collect();
    let started = Instant::now();
    let diff = side_by_side(&old, &new, 3);
    eprintln!("unrelated versions diffed in {:?}", started.elapsed());
    assert_eq!(diff.changed + diff.added + diff.removed, diff.rows.len());
    assert!(started.elapsed() < DIFF_BUDGET * 20);
}
