//! The requirement catalog: every id `spec/REQUIREMENTS.md` names, with what must be shown.

/// One requirement of the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requirement {
    pub id: &'static str,
    /// What must be shown, in our words.
    pub shows: &'static str,
}

/// Every requirement, in catalog order.
pub const CATALOG: &[Requirement] = &[
    Requirement {
        id: "5.1.a",
        shows: "The information security policy and objectives exist and follow the organization's strategic direction",
    },
    Requirement {
        id: "5.1.b",
        shows: "ISMS requirements are built into the organization's own processes",
    },
    Requirement {
        id: "5.1.c",
        shows: "The resources the ISMS needs are made available",
    },
    Requirement {
        id: "5.1.d",
        shows: "Top management communicates why information security matters",
    },
    Requirement {
        id: "5.1.e",
        shows: "The ISMS achieves its intended outcomes, and management looks",
    },
    Requirement {
        id: "5.1.f",
        shows: "People are directed and supported to contribute",
    },
    Requirement {
        id: "5.1.g",
        shows: "Continual improvement is promoted",
    },
    Requirement {
        id: "5.1.h",
        shows: "Other managers are supported to lead in their own areas",
    },
    Requirement {
        id: "5.2.a",
        shows: "The policy fits the organization's purpose",
    },
    Requirement {
        id: "5.2.b",
        shows: "The policy holds objectives or the framework for setting them",
    },
    Requirement {
        id: "5.2.c",
        shows: "The policy commits to meeting applicable requirements",
    },
    Requirement {
        id: "5.2.d",
        shows: "The policy commits to continual improvement",
    },
    Requirement {
        id: "5.2.e",
        shows: "The policy is controlled documented information",
    },
    Requirement {
        id: "5.2.f",
        shows: "The policy is communicated inside the organization",
    },
    Requirement {
        id: "5.2.g",
        shows: "The policy is available to interested parties as appropriate",
    },
    Requirement {
        id: "5.3.0",
        shows: "Roles relevant to information security have responsibilities and authorities, assigned and communicated",
    },
    Requirement {
        id: "5.3.a",
        shows: "Someone is responsible and has authority for making the ISMS conform",
    },
    Requirement {
        id: "5.3.b",
        shows: "Someone is responsible for reporting ISMS performance to top management",
    },
    Requirement {
        id: "5.3.raci",
        shows: "Every ISMS activity has an owner",
    },
    Requirement {
        id: "5.3.stale",
        shows: "No one who has left still holds a role",
    },
    Requirement {
        id: "A.5.1",
        shows: "Topic-specific policies exist, are approved, reviewed, and exceptions are governed",
    },
    Requirement {
        id: "A.5.2",
        shows: "Roles are defined and allocated to the organization's needs",
    },
    Requirement {
        id: "A.5.3",
        shows: "Conflicting duties are segregated",
    },
    Requirement {
        id: "A.5.4",
        shows: "Management requires people to apply security",
    },
    Requirement {
        id: "A.6.3",
        shows: "People are aware of the policy",
    },
    Requirement {
        id: "A.6.8",
        shows: "People can report security events and concerns, confidentially where practicable",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_id_is_listed_once() {
        let mut ids: Vec<&str> = CATALOG.iter().map(|r| r.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CATALOG.len());
        for id in [
            "5.1.a",
            "5.1.h",
            "5.2.g",
            "5.3.b",
            "5.3.stale",
            "A.5.4",
            "A.6.8",
        ] {
            assert!(ids.contains(&id), "{id}");
        }
    }
}
