//! `charter policy check` as a user runs it: on policies written in different styles, from a
//! file or standard input, as text or JSON, with the exit code a script can rely on.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> String {
    let path: PathBuf = [
        env!("CARGO_MANIFEST_DIR"),
        "tests",
        "fixtures",
        "policies",
        name,
    ]
    .iter()
    .collect();
    path.to_str().expect("a UTF-8 path").to_owned()
}

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_charter"));
    command
        .arg("policy")
        .arg("check")
        .args(args)
        .env_remove("CHARTER_POLICY_FORMAT")
        .env_remove("CHARTER_ORGANIZATION_NAME")
        .env("RUST_LOG", "warn");
    command
}

fn check(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).expect("the output is JSON")
}

/// The line of the text output about one requirement.
fn line_for<'a>(text: &'a str, requirement: &str) -> &'a str {
    text.lines()
        .find(|line| line.split_whitespace().nth(2) == Some(requirement))
        .unwrap_or_else(|| panic!("no line for {requirement} in:\n{text}"))
}

#[test]
fn complete_policies_exit_0_and_name_each_element() {
    for name in ["research_institute.md", "county_council.txt"] {
        let output = check(&[&fixture(name)]);
        let text = stdout(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name}:\n{text}{}",
            stderr(&output)
        );
        for (requirement, label) in [
            ("5.2.a", "Purpose and scope"),
            ("5.2.b", "Information security objectives"),
            ("5.2.c", "Commitment to applicable requirements"),
            ("5.2.d", "Commitment to continual improvement"),
            ("5.3", "Roles and responsibilities"),
            ("A.5.1", "Exceptions procedure"),
        ] {
            let line = line_for(&text, requirement);
            assert!(line.starts_with("✓ found"), "{name}: {line}");
            assert!(
                line.contains(label) && line.contains("line "),
                "{name}: {line}"
            );
        }
        assert!(
            text.contains("All 6 required elements found"),
            "{name}:\n{text}"
        );
    }
}

#[test]
fn the_headings_a_policy_uses_are_shown() {
    let text = stdout(&check(&[&fixture("county_council.txt")]));
    assert!(
        line_for(&text, "A.5.1").contains("under \"7. EXEMPTIONS\", line 34"),
        "{text}"
    );
    let text = stdout(&check(&[&fixture("research_institute.md")]));
    assert!(
        line_for(&text, "5.2.d").contains("under \"Getting better\""),
        "{text}"
    );
}

#[test]
fn a_policy_missing_two_elements_exits_1_and_names_both() {
    let output = check(&[&fixture("saas_startup.md")]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}");
    assert!(line_for(&text, "5.2.d").starts_with("✗ missing"), "{text}");
    assert!(line_for(&text, "A.5.1").starts_with("✗ missing"), "{text}");
    assert!(line_for(&text, "5.2.c").starts_with("✓ found"), "{text}");
    let summary = text.lines().last().expect("a summary");
    assert!(
        summary.starts_with("4 of 6 required elements found"),
        "{summary}"
    );
    assert!(
        summary.contains("5.2.d Commitment to continual improvement")
            && summary.contains("A.5.1 Exceptions procedure"),
        "{summary}"
    );

    let output = check(&["--format", "json", &fixture("saas_startup.md")]);
    assert_eq!(output.status.code(), Some(1));
    let report = json(&output);
    assert_eq!(report["complete"], false);
    assert_eq!(
        report["missing"],
        serde_json::json!(["continual_improvement", "exceptions_procedure"])
    );
    let findings = report["findings"].as_array().expect("findings");
    assert_eq!(findings.len(), 6);
    assert_eq!(findings[2]["element"], "requirements_commitment");
    assert_eq!(
        findings[2]["found"]["heading"],
        "Legal and contractual commitments"
    );
    assert!(findings[3]["found"].is_null());
}

#[test]
fn placeholders_are_reported_as_warnings_without_failing_the_check() {
    let output = check(&[&fixture("clinic_draft.md")]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{text}");
    for (line, placeholder) in [
        (1, "[Clinic name]"),
        (5, "[sites and teams covered]"),
        (11, "TBD"),
        (16, "[name of health regulator]"),
        (29, "{{exception approver}}"),
    ] {
        let expected = format!("⚠ warning  line {line}: placeholder {placeholder} not replaced");
        assert!(text.contains(&expected), "{expected} in:\n{text}");
    }
    assert!(
        !text.contains("roles register"),
        "a Markdown link is not a placeholder:\n{text}"
    );
    assert!(text.contains("6 placeholders to replace"), "{text}");

    let report = json(&check(&["--format", "json", &fixture("clinic_draft.md")]));
    assert_eq!(report["complete"], false);
    assert_eq!(report["missing"], serde_json::json!([]));
    assert_eq!(report["placeholders"][0]["line"], 1);
    assert_eq!(report["placeholders"][0]["text"], "[Clinic name]");
}

#[test]
fn the_organization_name_is_looked_for_in_the_purpose_and_scope() {
    let file = fixture("county_council.txt");
    let named = stdout(&check(&[
        "--organization",
        "Westbrook County Council",
        &file,
    ]));
    assert!(
        line_for(&named, "5.2.a").contains("(names the organization)"),
        "{named}"
    );
    let output = command(&[&file])
        .env("CHARTER_ORGANIZATION_NAME", "Eastfield Borough")
        .output()
        .expect("runs");
    let text = stdout(&output);
    assert!(
        line_for(&text, "5.2.a").contains("does not name the organization (Eastfield Borough)"),
        "{text}"
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "a missing name is a note, not a missing element"
    );
}

#[test]
fn unreadable_files_exit_2_with_one_line() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let binary = dir.path().join("policy.md");
    std::fs::write(&binary, b"# Policy\n\xff\xfe not text\n").expect("written");
    for (path, expected) in [
        (dir.path().join("no-such-policy.md"), "cannot read"),
        (binary, "is not UTF-8 text"),
    ] {
        let output = check(&[path.to_str().expect("path")]);
        let text = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(
            text.starts_with("error: ") && text.contains(expected),
            "{text}"
        );
        assert_eq!(text.trim().lines().count(), 1, "one line: {text}");
        assert!(stdout(&output).is_empty());
    }
}

#[test]
fn standard_input_is_read_for_a_dash() {
    let policy = std::fs::read(fixture("saas_startup.md")).expect("fixture");
    let mut child = command(&["-"])
        .env("CHARTER_POLICY_FORMAT", "json")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&policy)
        .expect("written");
    let output = child.wait_with_output().expect("finishes");
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert_eq!(
        json(&output)["missing"],
        serde_json::json!(["continual_improvement", "exceptions_procedure"])
    );
}

#[test]
fn help_explains_the_exit_codes_and_variables() {
    let help = stdout(&command(&["--help"]).output().expect("runs"));
    for expected in [
        "Exits 0",
        "CHARTER_POLICY_FORMAT",
        "CHARTER_ORGANIZATION_NAME",
        "[possible values: text, json]",
    ] {
        assert!(help.contains(expected), "{expected} in:\n{help}");
    }
}
