//! The demo organization's policies: a top-level information security policy and topic-specific ones, written for the demo.

/// Where a demo policy stands, to show the states a real register has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DemoState {
    Published,
    OverdueForReview,
    DraftAwaitingApproval,
    WithActiveException,
    WithExpiredException,
}

#[derive(Debug, Clone, Copy)]
pub struct DemoPolicy {
    pub title: &'static str,
    pub top_level: bool,
    /// The tool role that approves it: "top_management" or "isms_manager".
    pub approver_role: &'static str,
    pub review_interval_months: u32,
    /// "public", "restricted" or "internal".
    pub visibility: &'static str,
    /// The owning department (one of the demo's department names) whose head owns it.
    pub owner_unit: &'static str,
    pub state: DemoState,
    pub body: &'static str,
    /// For a draft awaiting approval: the text of the version in force before it.
    pub previous_body: Option<&'static str>,
}

/// The owning departments, spelled as the demo generator names its units (`DEPARTMENTS` in
/// `demo/mod.rs`), so that an owner resolves to a unit and its head.
const SECURITY: &str = "Information Security";
const IT_OPERATIONS: &str = "IT Operations";
const PEOPLE: &str = "People & Culture";
const LEGAL: &str = "Legal & Compliance";
const ENGINEERING: &str = "Engineering";
const PLATFORM: &str = "Platform Engineering";

pub const POLICIES: &[DemoPolicy] = &[
    DemoPolicy {
        title: "Information Security Policy",
        top_level: true,
        approver_role: "top_management",
        review_interval_months: 12,
        visibility: "public",
        owner_unit: SECURITY,
        state: DemoState::Published,
        body: include_str!("policies/information-security-policy.md"),
        previous_body: None,
    },
    DemoPolicy {
        title: "Access Control Policy",
        top_level: false,
        approver_role: "top_management",
        review_interval_months: 12,
        visibility: "internal",
        owner_unit: IT_OPERATIONS,
        state: DemoState::WithActiveException,
        body: include_str!("policies/access-control.md"),
        previous_body: None,
    },
    DemoPolicy {
        title: "Acceptable Use of Information and Technology",
        top_level: false,
        approver_role: "isms_manager",
        review_interval_months: 12,
        visibility: "restricted",
        owner_unit: PEOPLE,
        state: DemoState::Published,
        body: include_str!("policies/acceptable-use.md"),
        previous_body: None,
    },
    DemoPolicy {
        title: "Cryptography and Key Management Policy",
        top_level: false,
        approver_role: "isms_manager",
        review_interval_months: 12,
        visibility: "internal",
        owner_unit: SECURITY,
        state: DemoState::WithExpiredException,
        body: include_str!("policies/cryptography.md"),
        previous_body: None,
    },
    DemoPolicy {
        title: "Supplier Security Policy",
        top_level: false,
        approver_role: "top_management",
        review_interval_months: 12,
        visibility: "public",
        owner_unit: LEGAL,
        state: DemoState::Published,
        body: include_str!("policies/supplier-security.md"),
        previous_body: None,
    },
    DemoPolicy {
        title: "Security Incident Management Policy",
        top_level: false,
        approver_role: "isms_manager",
        review_interval_months: 12,
        visibility: "public",
        owner_unit: SECURITY,
        state: DemoState::Published,
        body: include_str!("policies/incident-management.md"),
        previous_body: None,
    },
    DemoPolicy {
        title: "Backup and Recovery Policy",
        top_level: false,
        approver_role: "isms_manager",
        review_interval_months: 12,
        visibility: "internal",
        owner_unit: PLATFORM,
        state: DemoState::Published,
        body: include_str!("policies/backup-and-recovery.md"),
        previous_body: None,
    },
    DemoPolicy {
        title: "Secure Development Policy",
        top_level: false,
        approver_role: "isms_manager",
        review_interval_months: 12,
        visibility: "internal",
        owner_unit: ENGINEERING,
        state: DemoState::Published,
        body: include_str!("policies/secure-development.md"),
        previous_body: None,
    },
    DemoPolicy {
        title: "Remote Working Policy",
        top_level: false,
        approver_role: "isms_manager",
        review_interval_months: 12,
        visibility: "internal",
        owner_unit: IT_OPERATIONS,
        state: DemoState::DraftAwaitingApproval,
        body: include_str!("policies/remote-working.md"),
        previous_body: Some(include_str!("policies/remote-working-v1.md")),
    },
    DemoPolicy {
        title: "Data Classification and Handling Policy",
        top_level: false,
        approver_role: "isms_manager",
        review_interval_months: 12,
        visibility: "internal",
        owner_unit: LEGAL,
        state: DemoState::Published,
        body: include_str!("policies/data-classification.md"),
        previous_body: None,
    },
    DemoPolicy {
        title: "Clear Desk and Clear Screen Policy",
        top_level: false,
        approver_role: "isms_manager",
        review_interval_months: 12,
        visibility: "internal",
        owner_unit: SECURITY,
        state: DemoState::OverdueForReview,
        body: include_str!("policies/clear-desk-and-screen.md"),
        previous_body: None,
    },
];

/// An exception to a demo policy, for the policies in the exception states.
#[derive(Debug, Clone, Copy)]
pub struct DemoException {
    /// The `title` of the policy in `POLICIES` it departs from.
    pub policy_title: &'static str,
    pub scope: &'static str,
    pub justification: &'static str,
    pub risk: &'static str,
    pub compensating_controls: &'static str,
    /// True for an exception whose expiry date has passed.
    pub expired: bool,
}

pub const EXCEPTIONS: &[DemoException] = &[
    DemoException {
        policy_title: "Access Control Policy",
        scope: "The on-premises accounts payable system used by Finance (about 14 users), which \
            cannot sign in through the company identity provider or enforce multi-factor \
            authentication.",
        justification: "The system is being replaced by the new finance suite, whose migration \
            is planned to finish at the end of the next quarter; adding single sign-on to the \
            old version would need a paid upgrade the vendor no longer supports.",
        risk: "A stolen or guessed Finance password could be used to create or change supplier \
            payment details, leading to fraudulent payments. Assessed as medium: likelihood \
            reduced by the network restriction, impact high.",
        compensating_controls: "The system is reachable only from the Finance VLAN in Lyon and \
            through the company VPN, which requires MFA; local passwords are 16 characters and \
            held in the password manager; every change to supplier bank details needs a second \
            approver and is reviewed weekly by the Controller; accounts are reviewed monthly.",
        expired: false,
    },
    DemoException {
        policy_title: "Cryptography and Key Management Policy",
        scope: "The SFTP endpoint used to receive daily shipment files from one logistics \
            partner, whose managed file transfer appliance only supports CBC-mode ciphers with \
            HMAC-SHA1.",
        justification: "The partner committed to upgrading its appliance within six months, and \
            stopping the file feed would have halted forecasts for three of our largest retail \
            customers.",
        risk: "An attacker able to intercept the connection might exploit weaknesses of the \
            legacy cipher suite to read shipment files classified as Restricted. Assessed as low \
            to medium.",
        compensating_controls: "A dedicated SFTP endpoint accepting only the partner's two \
            source IP addresses and key-based authentication, with files encrypted with PGP \
            before transfer and the endpoint's connections monitored by the Security team.",
        expired: true,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_exactly_one_top_level_policy_approved_by_top_management() {
        let top: Vec<_> = POLICIES.iter().filter(|p| p.top_level).collect();
        assert_eq!(top.len(), 1);
        assert_eq!(top[0].approver_role, "top_management");
        assert_eq!(top[0].state, DemoState::Published);
    }

    #[test]
    fn every_policy_has_a_body_and_known_settings() {
        for policy in POLICIES {
            assert!(policy.body.starts_with("# "), "{}", policy.title);
            assert!(
                matches!(policy.approver_role, "top_management" | "isms_manager"),
                "{}",
                policy.title
            );
            assert!(
                matches!(policy.visibility, "public" | "restricted" | "internal"),
                "{}",
                policy.title
            );
            assert!(policy.review_interval_months > 0, "{}", policy.title);
            assert_eq!(
                policy.previous_body.is_some(),
                policy.state == DemoState::DraftAwaitingApproval,
                "{}",
                policy.title
            );
        }
    }

    #[test]
    fn every_exception_names_a_policy_in_the_matching_state() {
        for exception in EXCEPTIONS {
            let policy = POLICIES
                .iter()
                .find(|p| p.title == exception.policy_title)
                .map(|p| p.state);
            let expected = if exception.expired {
                DemoState::WithExpiredException
            } else {
                DemoState::WithActiveException
            };
            assert_eq!(policy, Some(expected), "{}", exception.policy_title);
        }
    }
}
