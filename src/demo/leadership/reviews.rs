//! The demo's management reviews: two signed by their chair over the year, with decisions and the
//! improvement actions they started (one left overdue), and the next review in preparation.

use std::collections::HashMap;

use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::Cast;
use crate::domain::access::Role;
use crate::domain::account::Account;
use crate::domain::improvement_action::{ActionProgress, ActionStatus, NewActionFields};
use crate::domain::review::{DecisionInput, DecisionKind, ReviewInput, ReviewInputs};
use crate::isms_status::read_isms_status;
use crate::store::{Store, StoreResult};

/// A decision: its kind, its text, and the actions it starts (title, due in days from today).
type DecisionPlan = (DecisionKind, &'static str, &'static [(&'static str, i64)]);

/// One review: when, what was decided, and the actions each decision started.
struct Plan {
    title: &'static str,
    days_ago: i64,
    minutes: &'static str,
    decisions: &'static [DecisionPlan],
    sign: bool,
}

const PLANS: &[Plan] = &[
    Plan {
        title: "Management review, first half",
        days_ago: 300,
        minutes: "The committee went through the objectives, the audit findings and the incidents of the half year.\n\n- Acknowledgment of the policy is rising but below target.\n- Two suppliers lack a current assessment.",
        decisions: &[
            (
                DecisionKind::Resources,
                "Fund penetration tests and the SIEM licences in this year's budget.",
                &[],
            ),
            (
                DecisionKind::Improvement,
                "Close the gaps in backup and remote access found by the internal audit.",
                &[
                    ("Test the restore of every critical system", -200),
                    ("Replace the legacy VPN gateway", -20),
                ],
            ),
        ],
        sign: true,
    },
    Plan {
        title: "Management review, second half",
        days_ago: 120,
        minutes: "The committee reviewed the status report and the open actions.\n\n- The VPN replacement is late; the owner asked for a vendor decision.\n- The acceptable use policy needs a section on AI tools.",
        decisions: &[
            (
                DecisionKind::PolicyChange,
                "Add a section on generative AI tools to the acceptable use policy.",
                &[("Draft the AI section of the acceptable use policy", 45)],
            ),
            (
                DecisionKind::ObjectiveChange,
                "Tighten the phishing click-rate objective to 5 %.",
                &[],
            ),
        ],
        sign: true,
    },
    Plan {
        title: "Management review, next",
        days_ago: -30,
        minutes: "",
        decisions: &[],
        sign: false,
    },
];

/// Writes the reviews; returns (reviews, actions).
pub(super) async fn seed_reviews(
    store: &dyn Store,
    cast: &Cast,
    today: Date,
) -> StoreResult<(usize, usize)> {
    let Some(isms) = cast.account(Role::IsmsManager) else {
        return Ok((0, 0));
    };
    let accounts: HashMap<Uuid, Account> = store
        .list_accounts()
        .await?
        .into_iter()
        .map(|a| (a.person_id, a))
        .collect();
    let (mut reviews, mut actions) = (0, 0);
    let mut restore_action = None;
    for plan in PLANS {
        let held_on = today - Duration::days(plan.days_ago);
        let chairs = store.top_management_on(held_on.min(today)).await?;
        let Some(chair) = chairs.iter().find_map(|t| accounts.get(&t.person_id)) else {
            continue;
        };
        let mut attendees = vec![chair.person_id, isms.person_id];
        attendees.extend(
            chairs
                .iter()
                .map(|t| t.person_id)
                .filter(|p| *p != chair.person_id)
                .take(2),
        );
        let input = ReviewInput {
            title: plan.title.into(),
            held_on,
            chair_id: chair.person_id,
            attendee_ids: attendees,
            minutes: plan.minutes.into(),
        };
        let review = store.create_management_review(isms, input).await?;
        reviews += 1;
        for (kind, text, planned) in plan.decisions {
            let fields = planned
                .iter()
                .map(|(title, due_in)| NewActionFields {
                    title: (*title).into(),
                    description: String::new(),
                    owner_id: isms.person_id,
                    due_on: today + Duration::days(*due_in),
                })
                .collect();
            let decision = DecisionInput {
                kind: *kind,
                text: (*text).into(),
                actions: fields,
            };
            let recorded = store
                .add_review_decision(isms, review.id, decision, today)
                .await?;
            actions += recorded.actions.len();
            if restore_action.is_none() {
                restore_action = recorded.actions.first().map(|a| a.id);
            }
        }
        if reviews > 1
            && let Some(id) = restore_action.take()
        {
            // Done between the two reviews, so the second one's inputs show it done.
            let done = ActionProgress {
                status: Some(ActionStatus::Done),
                evidence: Some(
                    "Restore test report RT-3: all eleven critical systems restored.".into(),
                ),
            };
            store
                .update_improvement_action(isms, id, done, today)
                .await?;
        }
        if plan.sign {
            let inputs = ReviewInputs {
                isms: read_isms_status(store, OffsetDateTime::now_utc()).await?,
                previous_actions: store.previous_review_actions(review.id, today).await?,
            };
            store
                .sign_management_review(chair, review.id, &inputs)
                .await?;
        }
    }
    Ok((reviews, actions))
}
