//! For the conformance benchmark: a history of acknowledgment campaigns of the top-level policy to
//! everyone, each acknowledged by everyone and then closed, written through the store as users
//! would (every acknowledgment with its audit event), so a large organization carries millions of
//! acknowledgments as evidence.

use time::{Date, Duration};

use super::campaigns::{invite_everyone, published_version};
use crate::domain::access::Role;
use crate::domain::campaign::{AckRequest, CampaignAudience, CampaignInput};
use crate::store::{Store, StoreError, StoreResult};

/// Acknowledgments written per store call (one transaction each).
const BATCH: usize = 512;

/// Launches `campaigns` past campaigns of the top-level policy to everyone, a month apart, has
/// every active person acknowledge each one, and closes them. Returns how many acknowledgments
/// were written.
pub async fn seed_acknowledgment_history(
    store: &dyn Store,
    campaigns: usize,
    today: Date,
) -> StoreResult<u64> {
    let accounts = store.list_accounts().await?;
    let launcher = accounts
        .iter()
        .find(|a| a.has_role(Role::IsmsManager))
        .cloned()
        .ok_or_else(|| StoreError::Config("the demo has no ISMS manager".into()))?;
    let version_id = published_version(store, "Information Security Policy")
        .await?
        .ok_or_else(|| StoreError::Config("the demo has no published top-level policy".into()))?;
    let account_of = invite_everyone(store, &accounts).await?;
    let mut written = 0;
    for n in (1..=campaigns).rev() {
        let launched_on = today - Duration::days(30 * n as i64 + 30);
        let input = CampaignInput {
            version_id,
            title: Some(format!("Annual acknowledgment, round {n}")),
            audience: Some(CampaignAudience::Everyone),
            due_on: launched_on + Duration::days(28),
            statement: None,
            reminders: None,
        };
        let campaign = store.launch_campaign(&launcher, input, launched_on).await?;
        let asked = store
            .all_acknowledgments(campaign.id, &Default::default(), today)
            .await?;
        let requests: Vec<AckRequest> = asked
            .iter()
            .filter_map(|ack| {
                Some(AckRequest {
                    campaign_id: campaign.id,
                    account_id: *account_of.get(&ack.person_id)?,
                    person_id: ack.person_id,
                    version_id,
                })
            })
            .collect();
        for chunk in requests.chunks(BATCH) {
            for result in store.acknowledge(chunk).await {
                result?;
                written += 1;
            }
        }
        store.close_campaign(&launcher, campaign.id, today).await?;
    }
    Ok(written)
}
