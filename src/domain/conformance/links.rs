//! Where the page of each kind of evidence record is, for links from verdicts and packs.

use super::{EvidenceKind, EvidenceLink};

impl EvidenceLink {
    /// The path of the record's page (relative to the server root). Kinds without a page of
    /// their own point at the list that shows them (RACI activities at their row).
    pub fn href(&self) -> String {
        let id = self.id;
        match self.kind {
            EvidenceKind::PolicyVersion => format!("/policies/versions/{id}"),
            EvidenceKind::PolicyException => format!("/exceptions/{id}"),
            EvidenceKind::Campaign => format!("/campaigns/{id}"),
            EvidenceKind::Role => format!("/roles/{id}"),
            EvidenceKind::Assignment => format!("/roles/assignments/{id}"),
            EvidenceKind::RaciActivity => format!("/roles/raci#activity-{id}"),
            EvidenceKind::SodRule => "/roles/segregation#rules".to_owned(),
            EvidenceKind::Unit => format!("/units/{id}"),
            EvidenceKind::Objective => format!("/leadership/objectives/{id}"),
            EvidenceKind::ManagementReview => format!("/leadership/reviews/{id}"),
            EvidenceKind::ImprovementAction => format!("/leadership/actions/{id}"),
            EvidenceKind::ResourceCommitment => format!("/leadership/resources/{id}"),
            EvidenceKind::Process => format!("/leadership/processes/{id}"),
            EvidenceKind::Briefing => "/leadership/briefings#briefings-title".to_owned(),
            EvidenceKind::PerformanceReport => format!("/reports/{id}"),
            EvidenceKind::Communication => format!("/communications/{id}"),
            EvidenceKind::ConcernSettings => "/concerns/settings".to_owned(),
        }
    }
}
