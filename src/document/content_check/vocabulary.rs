//! The words of each element: the headings that name it, what its section must say, and the
//! phrasing that shows it in body text. Patterns are lowercase whole words; a trailing `*` lets
//! the last word run on ("regulat*" finds "regulatory"). Kept out of rustfmt (see `mod.rs`) so
//! that each list reads as a paragraph rather than one word per line.

use super::Element;
use super::rules::{HeadingRule, Needs, Rule};

/// Words that commit: "we comply", "is committed to", "shall meet".
const COMMIT: &[&str] = &[
    "commit*", "comply", "complies", "complying", "compliance with", "compliant", "adhere*",
    "abide*", "conform*", "fulfil*", "satisf*", "meet", "meets", "meeting", "observe", "observes",
    "uphold*", "respect*", "obey*", "honour*", "honor*",
];

/// Words that name external requirements: laws, regulations, contracts.
const REQUIREMENTS: &[&str] = &[
    "law", "laws", "lawful*", "legal*", "legislat*", "regulat*", "statut*", "contractual*",
    "contract", "contracts", "gdpr", "hipaa", "ferpa", "pci dss", "pci-dss", "sox", "ccpa", "nis2",
    "nis 2", "data protection act", "applicable requirements", "obligations",
];

const PURPOSE_CUES: &[&str] = &[
    "purpose", "scope", "applies", "apply", "this policy", "this document", "covers", "intended",
];

const OBJECTIVE_CUES: &[&str] = &[
    "objectives", "goals", "targets", "measurable", "measured", "kpi*", "metric*",
    "framework for setting",
];

const PURPOSE_SCOPE: Rule = Rule {
    headings: &[
        HeadingRule {
            keys: &[
                "purpose*", "scope", "introduction", "overview", "applicability", "application",
                "about this policy", "background", "context", "applies to", "rationale",
                "reason for policy", "reason for this policy", "why this policy",
                "affected by this policy", "who should read",
            ],
            needs: Needs::Text,
        },
        HeadingRule { keys: &["objective", "aim", "aims"], needs: Needs::All(&[PURPOSE_CUES]) },
    ],
    cues: PURPOSE_CUES,
    phrases: &[
        "purpose of this policy", "this policy applies to", "this policy covers",
        "policy applies to all", "scope of this policy", "scope of the isms", "this policy sets out",
        "this policy establishes", "this policy defines", "this policy describes",
        "this document sets out", "this document describes", "this policy is intended",
        "aim of this policy", "this policy aims",
    ],
    anchors: &[],
    companions: &[],
    not_after: &[],
    not_in_sentence: &[],
};

const OBJECTIVES: Rule = Rule {
    headings: &[
        HeadingRule {
            keys: &["objectives", "security objective*", "isms objective*", "goals", "targets"],
            needs: Needs::Text,
        },
        HeadingRule { keys: &["objective", "aim", "aims"], needs: Needs::All(&[OBJECTIVE_CUES]) },
    ],
    cues: OBJECTIVE_CUES,
    phrases: &[
        "security objectives", "isms objectives", "objectives for information security",
        "measurable objectives", "set objectives", "sets objectives", "setting objectives",
        "objectives are set", "objectives will be set", "objectives are established",
        "establish objectives", "objectives and targets", "framework for setting", "our objectives",
        "objectives of this policy", "the following objectives", "key objectives",
        "security goals", "measurable goals", "objectives of the isms",
    ],
    anchors: &["objectives", "goals"],
    companions: &[
        "set", "sets", "setting", "measur*", "monitor*", "track*", "review*", "target*", "kpi*",
        "metric*", "agreed", "defined", "established", "achiev*",
    ],
    not_after: &["business ", "strategic ", "organisational ", "organizational ", "corporate "],
    not_in_sentence: &[],
};

const REQUIREMENTS_COMMITMENT: Rule = Rule {
    headings: &[
        HeadingRule {
            keys: &[
                "legal*", "regulat*", "statutory", "legislat*", "contractual", "laws",
                "applicable requirements", "obligations",
            ],
            needs: Needs::All(&[COMMIT]),
        },
        HeadingRule {
            keys: &["commitment*", "committed", "our commitment"],
            needs: Needs::All(&[REQUIREMENTS]),
        },
        HeadingRule {
            keys: &["compliance", "conformance", "conformity", "policy statement", "requirements"],
            needs: Needs::Sentence,
        },
    ],
    cues: REQUIREMENTS,
    phrases: &[],
    anchors: REQUIREMENTS,
    companions: COMMIT,
    not_after: &[],
    not_in_sentence: &[
        "disciplinary", "failure to comply", "fail to comply", "fails to comply",
        "breach of this policy", "breaches of this policy",
    ],
};

const CONTINUAL_IMPROVEMENT: Rule = Rule {
    headings: &[
        HeadingRule {
            keys: &[
                "continual improvement", "continuous improvement", "continually improv*",
                "continuously improv*",
            ],
            needs: Needs::Text,
        },
        HeadingRule {
            keys: &["improv*"],
            needs: Needs::All(&[&["improv*", "enhanc*", "better", "lessons learn*", "corrective"]]),
        },
    ],
    cues: &["improv*"],
    phrases: &[
        "continual improvement", "continuous improvement", "continually improv*",
        "continuously improv*", "constantly improv*", "ongoing improvement",
        "improve the effectiveness", "improving the effectiveness", "improve its effectiveness",
        "improve the isms", "improving the isms", "improvement of the isms", "improve our isms",
        "improving our isms",
    ],
    anchors: &["improv*"],
    companions: &[
        "isms", "management system", "continual*", "continuous*", "ongoing", "constantly",
        "regularly", "effectiveness", "audit*", "lessons learn*", "corrective",
    ],
    not_after: &[],
    not_in_sentence: &[],
};

const ROLES_RESPONSIBILITIES: Rule = Rule {
    headings: &[
        HeadingRule {
            keys: &[
                "roles", "role", "responsibilit*", "accountabilit*", "who does what",
                "who is responsible", "who's responsible", "responsible for", "responsible parties",
                "organisation of information security", "organization of information security",
            ],
            needs: Needs::Text,
        },
        HeadingRule {
            keys: &["governance", "duties", "organisation", "organization"],
            needs: Needs::All(&[&["responsib*", "accountab*", "owner*", "role*"]]),
        },
    ],
    cues: &["responsib*", "accountab*", "role*", "owner*"],
    phrases: &[
        "responsible for", "accountable for", "responsibility for", "overall responsibility",
        "roles and responsibilities", "are responsible", "is responsible", "is accountable",
        "are accountable", "responsibilities of",
    ],
    anchors: &[],
    companions: &[],
    not_after: &[],
    not_in_sentence: &[],
};

const EXCEPTIONS_PROCEDURE: Rule = Rule {
    headings: &[
        HeadingRule {
            keys: &[
                "exception*", "exemption*", "deviation*", "waiver*", "derogation*",
                "dispensation*", "departures from",
            ],
            needs: Needs::Text,
        },
        HeadingRule {
            keys: &["non-compliance", "noncompliance"],
            needs: Needs::All(&[&["approv*", "exception*", "exemption*", "waiver*", "risk accept*"]]),
        },
    ],
    cues: &["exception*", "exemption*", "deviation*", "waiver*", "derogation*", "dispensation*"],
    phrases: &[
        "exceptions to this policy", "exception to this policy", "exemption from this policy",
        "exemptions from this policy", "deviation from this policy", "deviations from this policy",
        "departure from this policy", "departures from this policy", "request an exception",
        "request for an exception", "exception request*", "exemption request*", "waiver*",
        "policy exception*", "non-compliance must be approved",
    ],
    anchors: &[
        "exception", "exceptions", "exemption*", "exempt", "exempted", "deviation*", "derogation*",
        "dispensation*",
    ],
    companions: &[
        "approv*", "request*", "authoris*", "authoriz*", "granted", "grant", "risk", "documented",
        "record*", "register*", "expir*", "time-limited", "time limited", "reviewed", "accept*",
        "sign-off", "signed off",
    ],
    not_after: &["with the ", "standard "],
    not_in_sentence: &[],
};

/// The rule of an element.
pub(super) fn rule(element: Element) -> &'static Rule {
    match element {
        Element::PurposeScope => &PURPOSE_SCOPE,
        Element::Objectives => &OBJECTIVES,
        Element::RequirementsCommitment => &REQUIREMENTS_COMMITMENT,
        Element::ContinualImprovement => &CONTINUAL_IMPROVEMENT,
        Element::RolesResponsibilities => &ROLES_RESPONSIBILITIES,
        Element::ExceptionsProcedure => &EXCEPTIONS_PROCEDURE,
    }
}
