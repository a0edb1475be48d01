//! The actions a version page offers, each a deliberate form that says what will happen, chosen
//! for this viewer and this status. After a refused action the same forms come back with what
//! was typed and the reason, beside the form that was used.

use uuid::Uuid;

use super::forms::Field;
use super::policy_views::{role_word, sentence};
use crate::auth::Principal;
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::policy::Policy;
use crate::domain::policy_version::{Decision, PolicyVersion, VersionStatus, check_signoff};

/// The action a form performs; a refusal is shown beside the form of its action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Submit,
    Withdraw,
    Approve,
    Reject,
    Publish,
    Retire,
    Comment,
}

/// What a render of the version page differs by after a post.
#[derive(Debug, Default)]
pub struct Outcome {
    pub flash: Option<&'static str>,
    pub step: Option<Step>,
    pub errors: FieldErrors,
    pub refusal: Option<String>,
    pub statement: Option<String>,
    /// The sign-off box was ticked.
    pub confirmed: bool,
    pub reason: String,
    pub comment: String,
}

impl Outcome {
    fn refusal_for(&self, step: Step) -> Option<String> {
        (self.step == Some(step))
            .then(|| self.refusal.clone())
            .flatten()
    }

    fn errors_for(&self, step: Step) -> FieldErrors {
        if self.step == Some(step) {
            self.errors.clone()
        } else {
            FieldErrors::new()
        }
    }
}

/// A step confirmed by a button (and, for binding steps, a ticked box).
pub struct StepForm {
    pub explanation: String,
    pub confirm: Field,
    pub refusal: Option<String>,
}

pub struct ApproveForm {
    pub password: Field,
    pub statement: Field,
    pub confirm: Field,
    pub refusal: Option<String>,
}

pub struct RejectForm {
    pub reason: Field,
    pub refusal: Option<String>,
}

pub struct CommentForm {
    pub comment: Field,
    pub refusal: Option<String>,
}

/// The approve and reject forms, or why this viewer may not decide (in a sentence).
pub struct Decide {
    pub approve: Option<ApproveForm>,
    pub reject: Option<RejectForm>,
    pub refused: Option<String>,
}

/// Everything the viewer may do with the version now.
#[derive(Default)]
pub struct Actions {
    pub edit: bool,
    pub submit: Option<StepForm>,
    pub withdraw: Option<StepForm>,
    pub decide: Option<Decide>,
    pub publish: Option<StepForm>,
    pub retire: Option<StepForm>,
    pub comment: Option<CommentForm>,
}

impl Actions {
    /// Whether the page shows the form of `step` (a refusal of a form not shown goes on top).
    pub fn shows(&self, step: Step) -> bool {
        let decide = self.decide.is_some();
        match step {
            Step::Submit => self.submit.is_some(),
            Step::Withdraw => self.withdraw.is_some(),
            Step::Approve | Step::Reject => decide,
            Step::Publish => self.publish.is_some(),
            Step::Retire => self.retire.is_some(),
            Step::Comment => self.comment.is_some(),
        }
    }

    pub fn any(&self) -> bool {
        self.edit
            || self.submit.is_some()
            || self.withdraw.is_some()
            || self.decide.is_some()
            || self.publish.is_some()
            || self.retire.is_some()
    }
}

/// What the actions need to know besides the version.
pub struct Context<'a> {
    pub caller: &'a Principal,
    pub policy: &'a Policy,
    pub version: &'a PolicyVersion,
    /// The version in force, when it is another one.
    pub in_force: Option<&'a PolicyVersion>,
    pub contributors: &'a [Uuid],
    pub decisions: &'a [Decision],
}

pub fn actions(context: &Context<'_>, outcome: &Outcome) -> Actions {
    let Context {
        caller,
        policy,
        version,
        ..
    } = context;
    let edits = caller.may(Permission::EditPolicies);
    let number = version.number;
    let step_form = |step: Step, explanation: String| StepForm {
        explanation,
        confirm: Field::new("confirm", "I confirm", "")
            .with_errors(&outcome.errors_for(step), "confirm"),
        refusal: outcome.refusal_for(step),
    };
    let mut actions = Actions::default();
    match version.status {
        VersionStatus::Draft if edits => {
            actions.edit = true;
            let approvals = match policy.quorum {
                1 => "one approval is needed".to_owned(),
                n => format!("{n} approvals are needed"),
            };
            actions.submit = Some(step_form(
                Step::Submit,
                format!(
                    "Sends version {number} to {} for sign-off ({approvals}). Its text is frozen until it is withdrawn or rejected.",
                    role_word(policy.approver_role).to_lowercase()
                ),
            ));
        }
        VersionStatus::InReview => {
            if edits {
                actions.withdraw = Some(step_form(
                    Step::Withdraw,
                    format!(
                        "Returns version {number} to draft so it can be edited again. Sign-offs given so far will not count: it must be submitted and signed off again."
                    ),
                ));
            }
            if caller.may(Permission::DecidePolicies) {
                actions.decide = Some(decide(context, outcome));
            }
        }
        VersionStatus::Approved if edits => {
            let explanation = match context.in_force {
                Some(current) => format!(
                    "Version {number} comes into force now. This supersedes version {} in force, which becomes superseded, and restarts the review clock.",
                    current.number
                ),
                None => format!(
                    "Version {number} comes into force now: the policy is published for the first time and its review clock starts."
                ),
            };
            actions.publish = Some(step_form(Step::Publish, explanation));
        }
        VersionStatus::Published if edits => {
            actions.retire = Some(step_form(
                Step::Retire,
                format!(
                    "Version {number} stops being in force. The policy will have no version in force until another is published, and staff will no longer see it."
                ),
            ));
        }
        _ => {}
    }
    let commentable = matches!(
        version.status,
        VersionStatus::Draft | VersionStatus::InReview
    );
    if commentable && caller.may(Permission::ReviewPolicies) {
        actions.comment = Some(CommentForm {
            comment: Field::new("comment", "Your comment", outcome.comment.clone())
                .with_errors(&outcome.errors_for(Step::Comment), "body"),
            refusal: outcome.refusal_for(Step::Comment),
        });
    }
    actions
}

/// The approve and reject forms, or why this viewer may not decide (the sign-off rule).
fn decide(context: &Context<'_>, outcome: &Outcome) -> Decide {
    let Context {
        caller,
        policy,
        version,
        ..
    } = context;
    let account = &caller.account;
    let already = context
        .decisions
        .iter()
        .any(|d| d.account_id == account.id && d.review_round == version.review_round);
    let rule = check_signoff(
        account,
        policy.approver_role,
        context.contributors,
        version.submitted_by,
        already,
    );
    if let Err(refusal) = rule {
        let refused_here = outcome
            .refusal_for(Step::Approve)
            .or_else(|| outcome.refusal_for(Step::Reject));
        return Decide {
            approve: None,
            reject: None,
            refused: Some(refused_here.unwrap_or_else(|| sentence(&refusal.to_string()))),
        };
    }
    let approve_errors = outcome.errors_for(Step::Approve);
    let mut password = Field::new("password", "Your password", "");
    if approve_errors.get("password").is_some() {
        password.error = Some("This is not your password. Nothing was signed.".to_owned());
    }
    let statement = outcome.statement.clone().unwrap_or_else(|| {
        format!(
            "I approve version {} of {} for publication.",
            version.number, policy.title
        )
    });
    Decide {
        approve: Some(ApproveForm {
            password,
            statement: Field::new("statement", "Approval statement", statement)
                .with_errors(&approve_errors, "statement"),
            confirm: Field::new(
                "approve-confirm",
                "I confirm",
                if outcome.confirmed { "yes" } else { "" },
            )
            .with_errors(&approve_errors, "confirm"),
            refusal: outcome.refusal_for(Step::Approve),
        }),
        reject: Some(RejectForm {
            reason: Field::new("reason", "Why it is rejected", outcome.reason.clone())
                .with_errors(&outcome.errors_for(Step::Reject), "reason"),
            refusal: outcome.refusal_for(Step::Reject),
        }),
        refused: None,
    }
}
