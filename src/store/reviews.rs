//! The part of the store that keeps management reviews, their decisions and the improvement actions they start (5.1.g).

use std::collections::HashMap;

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::account::Account;
use crate::domain::improvement_action::{
    ActionFilter, ActionProgress, ImprovementAction, ImprovementActionInput,
};
use crate::domain::isms_status::ActionCounts;
use crate::domain::review::{
    DecisionInput, ManagementReview, PreviousActions, ReviewDecision, ReviewFilter, ReviewInput,
    ReviewInputs, ReviewPatch, ReviewSummary,
};
use crate::domain::{Page, PageRequest};

/// A person who holds a top-management role on a day (a review's possible chairs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopManager {
    pub person_id: Uuid,
    pub name: String,
}

/// The inputs a review froze at its sign-off, exactly as stored, with their SHA-256.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrozenPack {
    pub json: String,
    pub sha256: String,
}

#[async_trait]
pub trait ReviewStore: Send + Sync {
    /// Improvement actions by state on `today`: open, overdue (named, first 100), done since
    /// `period_start`, and the tracked base of the overdue share.
    async fn action_counts(&self, today: Date, period_start: Date) -> StoreResult<ActionCounts>;

    // Management reviews.

    /// Reviews, the latest held first.
    async fn list_management_reviews(
        &self,
        filter: &ReviewFilter,
        page: PageRequest,
    ) -> StoreResult<Page<ReviewSummary>>;
    async fn get_management_review(&self, id: Uuid) -> StoreResult<ManagementReview>;
    /// A draft review prepared by `by`; 422 when the chair is not top management on the day or
    /// an attendee is unknown.
    async fn create_management_review(
        &self,
        by: &Account,
        input: ReviewInput,
    ) -> StoreResult<ManagementReview>;
    /// Changes a draft (409 once signed), checked as on creation.
    async fn update_management_review(
        &self,
        by: &Account,
        id: Uuid,
        patch: ReviewPatch,
    ) -> StoreResult<ManagementReview>;
    /// Adds a decision to a draft (409 once signed), with the improvement actions it starts
    /// (422 for an unknown or departed owner).
    async fn add_review_decision(
        &self,
        by: &Account,
        review_id: Uuid,
        input: DecisionInput,
        today: Date,
    ) -> StoreResult<ReviewDecision>;
    /// The actions raised by the reviews held before this one, as they stand on `today`.
    async fn previous_review_actions(
        &self,
        review_id: Uuid,
        today: Date,
    ) -> StoreResult<PreviousActions>;
    /// The chair's sign-off: only the chair, holding top management now (403), of a draft (409)
    /// with a top-management attendee (409), held today or before (409); freezes `inputs` with
    /// their SHA-256.
    async fn sign_management_review(
        &self,
        by: &Account,
        id: Uuid,
        inputs: &ReviewInputs,
    ) -> StoreResult<ManagementReview>;
    /// The frozen inputs of a signed review (none for a draft).
    async fn frozen_review_pack(&self, id: Uuid) -> StoreResult<Option<FrozenPack>>;
    /// Who holds a role of the `top_management` category on `day`, by name.
    async fn top_management_on(&self, day: Date) -> StoreResult<Vec<TopManager>>;
    /// The people named by `emails` (compared without case), keyed by their email in lower case;
    /// emails of no one are absent. The caller bounds the list (one query per 500 emails).
    async fn people_ids_by_email(&self, emails: &[String]) -> StoreResult<HashMap<String, Uuid>>;

    // Improvement actions.

    /// Overdue first, then open, then done, then cancelled; by due date within each.
    async fn list_improvement_actions(
        &self,
        filter: &ActionFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<ImprovementAction>>;
    async fn get_improvement_action(&self, id: Uuid, today: Date)
    -> StoreResult<ImprovementAction>;
    /// 422 for an unknown or departed owner or an unknown decision; 409 for a decision of a
    /// signed review.
    async fn create_improvement_action(
        &self,
        by: &Account,
        input: ImprovementActionInput,
        today: Date,
    ) -> StoreResult<ImprovementAction>;
    /// Status and evidence, by the owner or someone who manages leadership records (403 for
    /// anyone else); cancelling by the latter alone (403 for the owner), with the reason written
    /// in the evidence (422); 422 for done without evidence; 409 once done or cancelled.
    async fn update_improvement_action(
        &self,
        by: &Account,
        id: Uuid,
        progress: ActionProgress,
        today: Date,
    ) -> StoreResult<ImprovementAction>;
}
