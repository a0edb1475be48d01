//! The part of the store that keeps acknowledgment campaigns: launching to an audience, people who
//! join it later, acknowledgments (many per transaction), and coverage.

use std::collections::HashMap;

use async_trait::async_trait;
use time::Date;
use uuid::Uuid;

use super::StoreResult;
use crate::domain::account::Account;
use crate::domain::campaign::{
    AckFilter, AckReceipt, AckRequest, Acknowledgment, Campaign, CampaignAudience, CampaignFilter,
    CampaignInput, CoverageCounts, MyAcknowledgment,
};
use crate::domain::{Actor, Page, PageRequest};

/// Someone still pending in a campaign, as a reminder addresses them.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingPerson {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    pub due_on: Date,
}

#[async_trait]
pub trait CampaignStore: Send + Sync {
    /// Launches a campaign for a published version: one pending acknowledgment per active person
    /// in the audience now, in the transaction that writes the campaign and its audit event.
    /// Refuses (422) a version that is not published and an audience with nobody in it.
    async fn launch_campaign(
        &self,
        by: &Account,
        input: CampaignInput,
        today: Date,
    ) -> StoreResult<Campaign>;
    async fn list_campaigns(
        &self,
        filter: &CampaignFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<Campaign>>;
    async fn get_campaign(&self, id: Uuid, today: Date) -> StoreResult<Campaign>;
    /// Stops taking acknowledgments (pending ones stay recorded as never given).
    async fn close_campaign(&self, by: &Account, id: Uuid, today: Date) -> StoreResult<Campaign>;
    /// Keeps open campaigns' audiences current: adds a pending acknowledgment, due
    /// `days_to_acknowledge` from today, for every active person who is now in an open campaign's
    /// audience and was not asked yet (new hires, moves, new role holders), and removes the
    /// pending ones of people who departed (acknowledged ones stay as evidence). Returns how many
    /// were added.
    async fn sync_audiences(&self, actor: &Actor, today: Date) -> StoreResult<u64>;
    /// How many active people an audience names now.
    async fn audience_size(&self, audience: &CampaignAudience) -> StoreResult<i64>;

    /// Records acknowledgments in one transaction (group commit); each request gets its own
    /// answer: 403 when the account is not the person's, 409 when the campaign is closed or the
    /// version is no longer the one in force, 404 when the person was not asked.
    async fn acknowledge(&self, requests: &[AckRequest]) -> Vec<StoreResult<AckReceipt>>;
    async fn my_acknowledgments(
        &self,
        person_id: Uuid,
        today: Date,
    ) -> StoreResult<Vec<MyAcknowledgment>>;
    async fn get_acknowledgment(
        &self,
        campaign_id: Uuid,
        person_id: Uuid,
        today: Date,
    ) -> StoreResult<Acknowledgment>;
    async fn list_acknowledgments(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
        today: Date,
        page: PageRequest,
    ) -> StoreResult<Page<Acknowledgment>>;
    /// Every acknowledgment under the filter, in name order (the CSV export).
    async fn all_acknowledgments(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
        today: Date,
    ) -> StoreResult<Vec<Acknowledgment>>;
    /// Counts under the filter.
    async fn coverage_counts(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
        today: Date,
    ) -> StoreResult<CoverageCounts>;
    /// Counts per unit of the people directly in it (roll them up with
    /// `domain::campaign::roll_up`); people without a unit are left out.
    async fn coverage_by_unit(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
        today: Date,
    ) -> StoreResult<HashMap<Uuid, CoverageCounts>>;
    /// Acknowledgments per day (UTC), oldest first.
    async fn acknowledgments_per_day(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
    ) -> StoreResult<Vec<(Date, i64)>>;
    /// The people still to acknowledge, for reminders.
    async fn pending_people(
        &self,
        campaign_id: Uuid,
        filter: &AckFilter,
    ) -> StoreResult<Vec<PendingPerson>>;
    /// Open campaigns whose scheduled reminders have not been looked at today.
    async fn campaigns_to_remind(&self, today: Date) -> StoreResult<Vec<Campaign>>;
}
