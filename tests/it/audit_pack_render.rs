//! The audit pack's renderings from one hand-built pack: the OSCAL assessment-results document
//! (validated by compliance-trestle's NIST OSCAL models; skipped without trestle, except under
//! `CI=true`), the self-contained HTML page that carries the pack as JSON, and the PDF.

use std::collections::HashSet;
use std::path::Path;
use std::process::{Command, Output};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use charter::audit_pack::html::PACK_ELEMENT_ID;
use charter::audit_pack::{html, oscal, pdf};
use charter::domain::audit::AuditEvent;
use charter::domain::audit_pack::{
    AuditPack, EvidenceRecord, Manifest, ManifestEntry, PACK_FORMAT, PackAssessment, PackParty,
    PackRole, ProvenEvent,
};
use charter::domain::checkpoint::{Checkpoint, InclusionProof};
use charter::domain::conformance::{
    CATALOG, Evaluation, EvidenceKind, Liveness, RequirementResult, Thresholds, Verdict,
    liveness::CoveragePoint,
};
use serde_json::Value;
use sha2::{Digest, Sha256};
use time::macros::datetime;
use uuid::Uuid;

/// Text that would break out of HTML, a `<script>` element or typst markup if written raw.
const HOSTILE: &str = "</script><script>alert(1)</script> #set page(width: 1cm) \"] & <b>";

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x0193_0000_0000_7000_8000_0000_0000_0000 + n)
}

fn hex_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn party(n: u128, name: &str, email: &str) -> PackParty {
    PackParty {
        id: id(n),
        name: name.into(),
        email: email.into(),
    }
}

fn roles() -> Vec<PackRole> {
    let ana = party(101, "Ana Pereira", "ana.pereira@northwind.example");
    let ben = party(102, "Ben Okafor", "ben@example.test");
    let cleo = party(103, HOSTILE, "cleo@example.com");
    let role = |n, name: &str, category: &str, holders: Vec<PackParty>| PackRole {
        id: id(n),
        name: name.into(),
        category: category.into(),
        responsibilities: "Runs the ISMS.\nReports to top management.".into(),
        authorities: "Approves policies.".into(),
        holder_count: i64::try_from(holders.len()).expect("few holders"),
        holders,
    };
    let mut wide = role(205, "Line manager", "management", vec![ana.clone()]);
    wide.holder_count = 340;
    vec![
        role(201, "Chief Executive", "top_management", vec![ana.clone()]),
        role(202, "ISMS Manager", "isms", vec![ben.clone(), cleo.clone()]),
        // A name that does not start with a letter, and one repeated: tokens still valid, unique.
        role(203, "27001 Internal Auditor", "assurance", vec![ben]),
        role(204, "ISMS Manager", "isms", Vec::new()),
        wide,
    ]
}

fn record(kind: EvidenceKind, n: u128, label: &str) -> EvidenceRecord {
    EvidenceRecord::new(
        kind,
        id(n),
        label.into(),
        serde_json::json!({ "id": id(n), "label": label, "version": 3, "note": HOSTILE }),
    )
}

fn evidence() -> Vec<EvidenceRecord> {
    vec![
        record(
            EvidenceKind::PolicyVersion,
            301,
            "Information security policy v3",
        ),
        record(EvidenceKind::Campaign, 302, "Acknowledgment campaign 2025"),
        record(EvidenceKind::Role, 303, "ISMS Manager"),
        record(EvidenceKind::ManagementReview, 304, HOSTILE),
    ]
}

/// Every requirement of the catalog with a mix of verdicts; some cite records, some measured.
fn results(records: &[EvidenceRecord]) -> Vec<RequirementResult> {
    CATALOG
        .iter()
        .enumerate()
        .map(|(i, requirement)| {
            let verdict = match i % 5 {
                0 | 3 => Verdict::Conforming,
                1 => Verdict::Partial,
                2 => Verdict::Nonconforming,
                _ => Verdict::NotApplicable,
            };
            let mut result = RequirementResult::new(
                requirement.id,
                verdict,
                format!("Finding for {}: {HOSTILE}", requirement.id),
            );
            if i % 2 == 0 {
                result = result.figure("coverage", "93.5 %").figure(HOSTILE, 7);
            }
            if let Some(r) = records.get(i % 6) {
                result = result.cites(r.kind, r.id, r.label.clone());
            }
            result
        })
        .collect()
}

fn event(seq: i64, action: &str, record_id: Uuid, digest: &str) -> ProvenEvent {
    ProvenEvent {
        event: AuditEvent {
            seq,
            occurred_at: datetime!(2025-03-01 10:00 UTC) + time::Duration::minutes(seq),
            actor: "Ana Pereira".into(),
            action: action.into(),
            record_type: "policy_version".into(),
            record_id: record_id.to_string(),
            record_digest: digest.into(),
            prev_hash: hex_hash(&format!("prev {seq}")),
            hash: hex_hash(&format!("event {seq}")),
        },
        proof: InclusionProof {
            leaf_index: u64::try_from(seq - 1).expect("positive"),
            tree_size: 40,
            hashes: (0..5)
                .map(|k| hex_hash(&format!("path {seq} {k}")))
                .collect(),
        },
    }
}

/// A pack as the builder makes one, by hand.
fn pack() -> AuditPack {
    let records = evidence();
    let evaluation = Evaluation {
        evaluated_at: datetime!(2025-03-01 09:30:15.25 UTC),
        thresholds: Thresholds::default(),
        results: results(&records),
        liveness: Liveness {
            days_since_management_review: Some(41),
            days_since_report_review: None,
            days_since_top_communication: Some(12),
            coverage_trend: vec![
                CoveragePoint {
                    month: "2025-01".into(),
                    percent: 91.25,
                },
                CoveragePoint {
                    month: "2025-02".into(),
                    percent: 96.0,
                },
            ],
            overdue_policy_reviews: 1,
            overdue_actions: 2,
            actions_tracked: 8,
            departed_holders: 0,
            evidence_records: 120,
            evidence_older_than_period: 9,
        },
    };
    let evaluation_json = serde_json::to_string(&evaluation).expect("evaluation as JSON");
    let events: Vec<ProvenEvent> = records
        .iter()
        .zip(1..)
        .map(|(r, seq)| event(seq, "policy_version.published", r.id, &r.sha256))
        .collect();
    let manifest = Manifest {
        assessment_sha256: hex_hash(&evaluation_json),
        evidence: records
            .iter()
            .map(|r| ManifestEntry {
                kind: r.kind,
                id: r.id,
                sha256: r.sha256.clone(),
            })
            .collect(),
        events: events.iter().map(|e| e.event.hash.clone()).collect(),
    };
    let assessment_id = id(1);
    let mut export_event = event(39, "audit_pack.exported", assessment_id, &manifest.sha256());
    export_event.event.record_type = "assessment".into();
    AuditPack {
        format: PACK_FORMAT.into(),
        organization: "Northwind Traders <Ltd>".into(),
        generated_at: datetime!(2025-03-02 08:00 UTC),
        generated_by: "Ada Auditor (auditor)".into(),
        assessment: PackAssessment {
            id: assessment_id,
            created_at: datetime!(2025-03-01 09:30:16 UTC),
            trigger: "manual".into(),
            run_by: "Ada Auditor".into(),
            content_sha256: hex_hash(&evaluation_json),
            evaluation,
            evaluation_json,
        },
        roles: roles(),
        evidence: records,
        events,
        export_event,
        checkpoint: Checkpoint {
            tree_size: 40,
            root_hash: hex_hash("root"),
            signed_at: datetime!(2025-03-02 08:00:01 UTC),
            key_id: "0123456789abcdef".into(),
            signature: "ab".repeat(64),
        },
        manifest,
    }
}

fn assessment_results(document: &Value) -> &Value {
    &document["assessment-results"]
}

fn list<'a>(value: &'a Value, key: &str) -> &'a Vec<Value> {
    value[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} is a list in {value}"))
}

fn text(value: &Value) -> &str {
    value.as_str().expect("a string")
}

fn prop<'a>(value: &'a Value, name: &str) -> Option<&'a str> {
    value["props"]
        .as_array()?
        .iter()
        .find(|p| p["name"] == name)
        .and_then(|p| p["value"].as_str())
}

/// Runs trestle in `dir`; `None` when trestle is not installed (outside CI only).
fn trestle(dir: &Path, args: &[&str]) -> Option<Output> {
    match Command::new("trestle").args(args).current_dir(dir).output() {
        Ok(output) => Some(output),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "compliance-trestle must be installed in CI (pip install compliance-trestle)"
            );
            eprintln!("SKIPPED: trestle is not installed (pip install compliance-trestle)");
            None
        }
        Err(e) => panic!("trestle could not run: {e}"),
    }
}

fn output_text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Validates an assessment-results document with `trestle validate`; `None` without trestle.
fn trestle_validate(document: &Value) -> Option<(bool, String)> {
    let workspace = tempfile::tempdir().expect("a temporary directory");
    let init = trestle(workspace.path(), &["init"])?;
    assert!(
        init.status.success(),
        "trestle init: {}",
        output_text(&init)
    );
    let model = workspace.path().join("assessment-results/charter");
    std::fs::create_dir_all(&model).expect("the model directory");
    let body = serde_json::to_vec_pretty(document).expect("the document as JSON");
    std::fs::write(model.join("assessment-results.json"), body).expect("the document written");
    let file = "assessment-results/charter/assessment-results.json";
    let validate = trestle(workspace.path(), &["validate", "-f", file])?;
    Some((validate.status.success(), output_text(&validate)))
}

#[test]
fn oscal_document_validates_with_trestle() {
    let document = oscal::render(&pack());
    let Some((valid, report)) = trestle_validate(&document) else {
        return;
    };
    println!("trestle validate: {report}");
    assert!(valid, "trestle rejects the document: {report}");
    assert!(report.contains("VALID"), "{report}");
    // trestle warns (without failing) about `#uuid` links to missing or unreferenced resources.
    assert!(!report.contains("not in resources"), "{report}");
    assert!(!report.contains("not referenced by model"), "{report}");
}

#[test]
fn trestle_rejects_a_broken_document() {
    // The validation can fail: a finding without its required target is refused.
    let mut document = oscal::render(&pack());
    let findings = document["assessment-results"]["results"][0]["findings"]
        .as_array_mut()
        .expect("findings");
    findings[0]
        .as_object_mut()
        .expect("a finding")
        .remove("target");
    let Some((valid, report)) = trestle_validate(&document) else {
        return;
    };
    assert!(
        !valid,
        "trestle accepted a finding without a target: {report}"
    );
}

#[test]
fn oscal_names_every_requirement_as_a_reviewed_control_an_observation_and_a_finding() {
    let pack = pack();
    let document = oscal::render(&pack);
    let ar = assessment_results(&document);
    assert_eq!(ar["metadata"]["oscal-version"], oscal::OSCAL_VERSION);
    let results = list(ar, "results");
    assert_eq!(results.len(), 1);
    let result = &results[0];
    assert_eq!(result["start"], "2025-03-01T09:30:15.25Z");
    let controls: Vec<&str> = list(
        &result["reviewed-controls"]["control-selections"][0],
        "include-controls",
    )
    .iter()
    .map(|c| text(&c["control-id"]))
    .collect();
    let findings = list(result, "findings");
    let observations = list(result, "observations");
    assert_eq!(findings.len(), CATALOG.len());
    assert_eq!(observations.len(), CATALOG.len());
    for requirement in CATALOG {
        let control = format!("iso27001-{}", requirement.id);
        assert!(controls.contains(&control.as_str()), "{control} reviewed");
        let finding = findings
            .iter()
            .find(|f| f["target"]["target-id"] == format!("{control}_obj"))
            .unwrap_or_else(|| panic!("a finding for {control}"));
        assert_eq!(finding["target"]["type"], "objective-id");
        assert_eq!(prop(finding, "requirement-id"), Some(requirement.id));
        let observation_uuid = &finding["related-observations"][0]["observation-uuid"];
        let observation = observations
            .iter()
            .find(|o| &o["uuid"] == observation_uuid)
            .unwrap_or_else(|| panic!("the observation of {control}"));
        assert_eq!(prop(observation, "requirement-id"), Some(requirement.id));
    }
    // Tokens may not start with a digit.
    assert!(controls.iter().all(|c| c.starts_with("iso27001-")));
}

#[test]
fn oscal_maps_each_verdict_to_an_objective_status() {
    let pack = pack();
    let document = oscal::render(&pack);
    let result = &assessment_results(&document)["results"][0];
    let findings = list(result, "findings");
    for (r, finding) in pack.assessment.evaluation.results.iter().zip(findings) {
        let target = &finding["target"];
        let expected = match r.verdict {
            Verdict::Conforming => ("satisfied", Some("implemented")),
            Verdict::Partial => ("not-satisfied", Some("partial")),
            Verdict::Nonconforming => ("not-satisfied", None),
            Verdict::NotApplicable => ("satisfied", Some("not-applicable")),
        };
        assert_eq!(target["status"]["state"], expected.0, "{}", r.id);
        assert_eq!(
            target["implementation-status"]["state"].as_str(),
            expected.1,
            "{}",
            r.id
        );
        assert_eq!(prop(finding, "verdict"), Some(r.verdict.as_str()));
        assert!(text(&finding["description"]).contains(&format!("Finding for {}", r.id)));
    }
}

#[test]
fn oscal_observations_carry_the_figures_and_the_cited_records_with_their_hashes() {
    let pack = pack();
    let document = oscal::render(&pack);
    let ar = assessment_results(&document);
    let observations = list(&ar["results"][0], "observations");
    let resources = list(&ar["back-matter"], "resources");
    for (r, observation) in pack.assessment.evaluation.results.iter().zip(observations) {
        let method = if r.figures.is_empty() {
            "EXAMINE"
        } else {
            "TEST"
        };
        assert_eq!(
            observation["methods"],
            serde_json::json!([method]),
            "{}",
            r.id
        );
        for f in &r.figures {
            assert!(
                text(&observation["description"]).contains(&f.value),
                "{} shows {}",
                r.id,
                f.value
            );
        }
        let cited = observation["relevant-evidence"]
            .as_array()
            .map_or(0, Vec::len);
        assert_eq!(cited, r.evidence.len(), "{}", r.id);
        for (link, relevant) in r.evidence.iter().zip(
            observation["relevant-evidence"]
                .as_array()
                .into_iter()
                .flatten(),
        ) {
            let record = pack
                .evidence
                .iter()
                .find(|e| e.id == link.id)
                .expect("the cited record is in the pack");
            assert_eq!(prop(relevant, "sha256"), Some(record.sha256.as_str()));
            let href = text(&relevant["href"]);
            let resource = resources
                .iter()
                .find(|res| format!("#{}", text(&res["uuid"])) == href)
                .unwrap_or_else(|| panic!("{href} names a resource"));
            assert_eq!(resource["rlinks"][0]["hashes"][0]["algorithm"], "SHA-256");
            assert_eq!(
                resource["rlinks"][0]["hashes"][0]["value"],
                record.sha256.as_str()
            );
        }
    }
}

#[test]
fn oscal_back_matter_embeds_what_its_hashes_are_taken_of() {
    let pack = pack();
    let document = oscal::render(&pack);
    let ar = assessment_results(&document);
    let resources = list(&ar["back-matter"], "resources");
    let import = text(&ar["import-ap"]["href"]);
    let catalog = resources
        .iter()
        .find(|r| format!("#{}", text(&r["uuid"])) == import)
        .expect("import-ap names the catalog resource");
    let remarks = text(&catalog["remarks"]);
    for requirement in CATALOG {
        assert!(remarks.contains(&format!("iso27001-{}", requirement.id)));
    }
    let mut hashed = 0;
    for resource in resources {
        let Some(hash) = resource["rlinks"][0]["hashes"][0]["value"].as_str() else {
            continue;
        };
        let bytes = BASE64
            .decode(text(&resource["base64"]["value"]))
            .expect("base64 content");
        assert_eq!(
            hex::encode(Sha256::digest(&bytes)),
            hash,
            "{}",
            resource["title"]
        );
        hashed += 1;
    }
    // The assessment, manifest, checkpoint, events and every record.
    assert_eq!(hashed, 4 + pack.evidence.len());
    let title_of = |hash: &str| {
        resources
            .iter()
            .find(|r| r["rlinks"][0]["hashes"][0]["value"] == hash)
            .map(|r| text(&r["title"]).to_owned())
    };
    assert_eq!(
        title_of(&pack.manifest.sha256()).as_deref(),
        Some("Manifest of the audit pack"),
        "the manifest's hash is the export event's digest"
    );
    assert_eq!(
        title_of(&pack.assessment.content_sha256).as_deref(),
        Some("The assessment as stored")
    );
    let checkpoint = resources
        .iter()
        .find(|r| r["title"] == "Signed checkpoint of the audit log")
        .expect("the checkpoint");
    assert_eq!(
        prop(checkpoint, "root-hash"),
        Some(pack.checkpoint.root_hash.as_str())
    );
    assert_eq!(prop(checkpoint, "tree-size"), Some("40"));
}

#[test]
fn oscal_metadata_has_the_clause_5_3_roles_parties_and_responsible_parties() {
    let pack = pack();
    let document = oscal::render(&pack);
    let metadata = &assessment_results(&document)["metadata"];
    let roles = list(metadata, "roles");
    let ids: Vec<&str> = roles.iter().map(|r| text(&r["id"])).collect();
    assert_eq!(
        ids,
        [
            "chief-executive",
            "isms-manager",
            "role-27001-internal-auditor",
            "isms-manager-2",
            "line-manager"
        ]
    );
    assert_eq!(prop(&roles[4], "holder-count"), Some("340"));
    let parties = list(metadata, "parties");
    let organization = &parties[0];
    assert_eq!(organization["type"], "organization");
    assert_eq!(organization["name"], "Northwind Traders <Ltd>");
    // Ana holds two roles and is one party.
    let people: Vec<&Value> = parties.iter().filter(|p| p["type"] == "person").collect();
    assert_eq!(people.len(), 3);
    let ana = people
        .iter()
        .find(|p| p["name"] == "Ana Pereira")
        .expect("Ana is a party");
    assert_eq!(
        ana["email-addresses"],
        serde_json::json!(["ana.pereira@northwind.example"])
    );
    assert_eq!(ana["member-of-organizations"][0], organization["uuid"]);
    // A reserved domain is not an OSCAL email address: kept as Charter's property.
    let ben = people
        .iter()
        .find(|p| p["name"] == "Ben Okafor")
        .expect("Ben is a party");
    assert!(ben.get("email-addresses").is_none());
    assert_eq!(prop(ben, "email"), Some("ben@example.test"));
    let responsible = list(metadata, "responsible-parties");
    let holders_of = |role: &str| -> Vec<&str> {
        responsible
            .iter()
            .find(|r| r["role-id"] == role)
            .map(|r| list(r, "party-uuids").iter().map(text).collect())
            .unwrap_or_default()
    };
    assert_eq!(holders_of("chief-executive"), [text(&ana["uuid"])]);
    assert_eq!(holders_of("isms-manager").len(), 2);
    assert_eq!(
        holders_of("role-27001-internal-auditor"),
        [text(&ben["uuid"])]
    );
    assert!(
        holders_of("isms-manager-2").is_empty(),
        "no holder, no entry"
    );
}

#[test]
fn oscal_uuids_are_unique_valid_and_the_same_for_the_same_pack() {
    let pack = pack();
    let document = oscal::render(&pack);
    assert_eq!(document, oscal::render(&pack), "deterministic");
    let mut uuids = Vec::new();
    collect_uuids(&document, &mut uuids);
    assert!(uuids.len() > 2 * CATALOG.len());
    let mut seen = HashSet::new();
    for u in &uuids {
        let parsed = Uuid::parse_str(u).expect("a UUID");
        // Derived, yet in version-4 form: trestle follows `#uuid` links of version 4 only.
        assert_eq!(parsed.get_version_num(), 4, "{u}");
        assert!(seen.insert(u.clone()), "{u} defined twice");
    }
    let mut other = pack.clone();
    other.export_event.event.hash = hex_hash("another export");
    let again = oscal::render(&other);
    assert_ne!(
        assessment_results(&again)["uuid"],
        assessment_results(&document)["uuid"],
        "another export is another document"
    );
}

/// The values of every `uuid` key (definitions, not references).
fn collect_uuids(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, v) in map {
                if key == "uuid"
                    && let Some(u) = v.as_str()
                {
                    into.push(u.to_owned());
                }
                collect_uuids(v, into);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_uuids(v, into)),
        _ => {}
    }
}

#[test]
fn email_addresses_and_role_tokens_follow_oscal() {
    for good in [
        "a@example.com",
        "ana.p+isms@northwind.example",
        "x@sub.example.org",
    ] {
        assert!(oscal::deliverable_email(good), "{good}");
    }
    for bad in [
        "",
        "no-at",
        "a@localhost",
        "a@example.test",
        "a@host.local",
        "a@b.c",
        ".a@example.com",
        "a..b@example.com",
        "a@-x.example.com",
        "a@example.123",
        "ä@example.com",
    ] {
        assert!(!oscal::deliverable_email(bad), "{bad}");
    }
    assert_eq!(
        oscal::role_tokens(["CISO", "ciso", "", "9 lives", "Data / Asset Owner"]),
        ["ciso", "ciso-2", "role", "role-9-lives", "data-asset-owner"]
    );
    assert_eq!(oscal::control_id("A.5.1"), "iso27001-A.5.1");
}

/// The JSON the HTML page embeds, as `verify-pack` reads it.
fn embedded(page: &str) -> &str {
    let marker = format!("<script type=\"application/json\" id=\"{PACK_ELEMENT_ID}\">");
    let start = page.find(&marker).expect("the pack element") + marker.len();
    let end = start + page[start..].find("</script>").expect("the element closes");
    &page[start..end]
}

#[test]
fn html_shows_every_requirement_and_embeds_the_pack_as_json() {
    let pack = pack();
    let page = html::render(&pack);
    assert!(page.starts_with("<!doctype html>"));
    for r in &pack.assessment.evaluation.results {
        assert!(
            page.contains(&format!("id=\"requirement-{}\"", r.id)),
            "{}",
            r.id
        );
    }
    for word in ["conforming", "partial", "nonconforming", "not applicable"] {
        assert!(page.contains(word), "{word}");
    }
    for record in &pack.evidence {
        assert!(page.contains(&record.sha256), "{}", record.label);
    }
    for needle in [
        pack.checkpoint.root_hash.as_str(),
        pack.checkpoint.signature.as_str(),
        pack.checkpoint.key_id.as_str(),
        pack.manifest.assessment_sha256.as_str(),
        pack.export_event.event.hash.as_str(),
        pack.events[0].proof.hashes[4].as_str(),
        "charter audit verify-pack FILE --public-key KEY",
        "Ana Pereira &#60;ana.pereira@northwind.example&#62;",
        "340 people hold this role",
        "2025-01 91.25 %",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    let json = embedded(&page);
    assert!(!json.contains('<'), "no `<` inside the script element");
    let back: AuditPack = serde_json::from_str(json).expect("the embedded JSON is the pack");
    assert_eq!(back, pack);
}

#[test]
fn html_escapes_every_text_and_runs_no_script() {
    let page = html::render(&pack());
    // The only script element is the JSON data one, and it is closed once, at its end.
    assert_eq!(page.matches("<script").count(), 1);
    assert_eq!(page.matches("</script>").count(), 1);
    assert!(!page.contains("<b>"));
    // Askama writes the escaped characters as numeric references.
    assert!(page.contains("&#60;/script&#62;&#60;script&#62;alert(1)"));
    assert!(page.contains("Northwind Traders &#60;Ltd&#62;"));
    assert!(!page.contains("src=\"http"), "no external resource");
}

#[test]
fn pdf_lays_out_the_same_content() {
    let pack = pack();
    let source = pdf::typst_source(&html::view::PackView::new(&pack));
    for r in &pack.assessment.evaluation.results {
        assert!(source.contains(&format!("\"{} ", r.id)), "{}", r.id);
    }
    // Pack text only ever appears inside string literals: the hostile text is quoted, never code.
    assert!(source.contains("\\\"] & <b>"));
    assert!(!source.contains("\n#set page(width"));
    let bytes = pdf::render(&pack).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF"), "a PDF");
    assert!(bytes.len() > 10_000);
    // The requirement ids are the document's keywords, readable in its metadata.
    let raw = String::from_utf8_lossy(&bytes);
    for requirement in CATALOG {
        assert!(
            raw.contains(requirement.id),
            "{} in the PDF",
            requirement.id
        );
    }
}
