//! The demo's acknowledgment campaigns, written through the store like any user would: three
//! campaigns at different coverage levels, with Sales lagging well behind the rest, and the
//! demo staff account still to acknowledge (so "My tasks" has something to show).

use std::collections::HashMap;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use time::{Date, Duration};
use uuid::Uuid;

use crate::domain::access::Role;
use crate::domain::account::Account;
use crate::domain::campaign::{AckRequest, CampaignAudience, CampaignInput, ReminderSchedule};
use crate::domain::{Actor, PageRequest, PersonFilter, PersonStatus};
use crate::store::{Store, StoreError, StoreResult};

/// A campaign of the demo: which policy, to whom, launched and due how many days from today, and
/// the share of people who acknowledged (Sales gets `lagging` instead).
struct DemoCampaign {
    policy_title: &'static str,
    unit: Option<&'static str>,
    launched_days_ago: i64,
    due_in_days: i64,
    acknowledged: f64,
    lagging: f64,
}

const CAMPAIGNS: &[DemoCampaign] = &[
    DemoCampaign {
        policy_title: "Information Security Policy",
        unit: None,
        launched_days_ago: 21,
        due_in_days: 9,
        acknowledged: 0.99,
        lagging: 0.8,
    },
    DemoCampaign {
        policy_title: "Acceptable Use of Information and Technology",
        unit: None,
        launched_days_ago: 40,
        due_in_days: -10,
        acknowledged: 0.7,
        lagging: 0.25,
    },
    DemoCampaign {
        policy_title: "Secure Development Policy",
        unit: Some("Engineering"),
        launched_days_ago: 3,
        due_in_days: 25,
        acknowledged: 0.2,
        lagging: 0.2,
    },
];

/// The unit that lags behind in every campaign.
const LAGGING_UNIT: &str = "Sales";

/// Launches the demo campaigns and records acknowledgments for part of each audience. Every
/// active person gets an account (an invitation: no password), as they would to acknowledge.
/// Returns how many campaigns were launched.
pub async fn seed_campaigns(store: &dyn Store, today: Date) -> StoreResult<usize> {
    let accounts = store.list_accounts().await?;
    let Some(launcher) = accounts.iter().find(|a| a.has_role(Role::IsmsManager)) else {
        return Ok(0);
    };
    let keep_pending: Vec<Uuid> = accounts
        .iter()
        .filter(|a| a.has_role(Role::Staff) || a.has_role(Role::Manager))
        .map(|a| a.person_id)
        .collect();
    let account_of = invite_everyone(store, &accounts).await?;
    let units = store.all_units().await?;
    let unit_named = |name: &str| units.iter().find(|u| u.name == name).map(|u| u.id);
    let mut rng = StdRng::seed_from_u64(5_002);
    let mut launched = 0;
    for demo in CAMPAIGNS {
        let Some(version_id) = published_version(store, demo.policy_title).await? else {
            continue;
        };
        let launched_on = today - Duration::days(demo.launched_days_ago);
        let audience = match demo.unit.and_then(unit_named) {
            Some(unit_id) => CampaignAudience::Units {
                unit_ids: vec![unit_id],
            },
            None => CampaignAudience::Everyone,
        };
        let input = CampaignInput {
            version_id,
            title: None,
            audience: Some(audience),
            due_on: today + Duration::days(demo.due_in_days),
            statement: None,
            reminders: Some(ReminderSchedule::default()),
        };
        let campaign = store.launch_campaign(launcher, input, launched_on).await?;
        launched += 1;
        let lagging = unit_named(LAGGING_UNIT);
        let people = store
            .all_acknowledgments(campaign.id, &Default::default(), today)
            .await?;
        let (behind, others): (Vec<_>, Vec<_>) = people
            .iter()
            .filter(|ack| !keep_pending.contains(&ack.person_id))
            .partition(|ack| ack.unit_id.is_some() && ack.unit_id == lagging);
        let requests: Vec<AckRequest> = share_of(behind, demo.lagging, &mut rng)
            .into_iter()
            .chain(share_of(others, demo.acknowledged, &mut rng))
            .filter_map(|ack| {
                Some(AckRequest {
                    campaign_id: campaign.id,
                    account_id: *account_of.get(&ack.person_id)?,
                    person_id: ack.person_id,
                    version_id,
                })
            })
            .collect();
        for chunk in requests.chunks(256) {
            for result in store.acknowledge(chunk).await {
                result?;
            }
        }
    }
    Ok(launched)
}

/// The published version of the policy with this title, if it has one.
/// A share of the people, drawn at random: exactly that share (rounded up), so a campaign's
/// coverage does not depend on the luck of the draw.
fn share_of<T>(mut people: Vec<T>, share: f64, rng: &mut StdRng) -> Vec<T> {
    people.shuffle(rng);
    let take = (people.len() as f64 * share).ceil() as usize;
    people.truncate(take);
    people
}

pub(super) async fn published_version(store: &dyn Store, title: &str) -> StoreResult<Option<Uuid>> {
    let filter = crate::domain::policy::PolicyFilter {
        q: Some(title.to_owned()),
        ..Default::default()
    };
    let policies = store
        .list_policies(
            &filter,
            crate::app::today(),
            PageRequest::new(Some(1), Some(5)),
        )
        .await?;
    let Some(policy) = policies.items.iter().find(|p| p.policy.title == title) else {
        return Ok(None);
    };
    Ok(store
        .published_version(policy.policy.id)
        .await?
        .map(|v| v.id))
}

/// An account for every active person who has none; returns person -> account.
pub(super) async fn invite_everyone(
    store: &dyn Store,
    accounts: &[Account],
) -> StoreResult<HashMap<Uuid, Uuid>> {
    let mut account_of: HashMap<Uuid, Uuid> =
        accounts.iter().map(|a| (a.person_id, a.id)).collect();
    let active = PersonFilter {
        status: Some(PersonStatus::Active),
        ..Default::default()
    };
    let mut page = 1;
    loop {
        let people = store
            .list_people(&active, PageRequest::new(Some(page), Some(200)))
            .await?;
        for person in &people.items {
            if account_of.contains_key(&person.id) {
                continue;
            }
            let account = store
                .create_account(&Actor::named("demo"), person.id, None, &[Role::Staff])
                .await?;
            account_of.insert(person.id, account.id);
        }
        if !people.has_next() {
            break;
        }
        page += 1;
    }
    Ok(account_of)
}

/// For the acknowledgment benchmark: `people` active people get a write API token (and an
/// account when they have none), and `campaigns` campaigns ask all of them to acknowledge the top-level policy. Returns
/// one line per acknowledgment to give: `<token> <campaign id> <version id>`, campaign by
/// campaign, so consecutive lines come from different people.
pub async fn seed_acknowledgment_load(
    store: &dyn Store,
    people: usize,
    campaigns: usize,
    today: Date,
) -> StoreResult<Vec<String>> {
    let accounts = store.list_accounts().await?;
    let launcher = accounts
        .iter()
        .find(|a| a.has_role(Role::IsmsManager))
        .cloned()
        .ok_or_else(|| StoreError::Config("the demo accounts are missing".into()))?;
    let top = store
        .top_level_policy()
        .await?
        .ok_or(StoreError::NotFound("top-level policy"))?;
    let version = store
        .published_version(top.id)
        .await?
        .ok_or(StoreError::NotFound("published version"))?;
    let mut account_of: HashMap<Uuid, Account> =
        accounts.into_iter().map(|a| (a.person_id, a)).collect();
    let active = PersonFilter {
        status: Some(PersonStatus::Active),
        ..Default::default()
    };
    let mut tokens: Vec<(Uuid, String)> = Vec::with_capacity(people);
    let mut page = 1;
    while tokens.len() < people {
        let batch = store
            .list_people(&active, PageRequest::new(Some(page), Some(200)))
            .await?;
        for person in &batch.items {
            if tokens.len() == people {
                break;
            }
            let account = match account_of.remove(&person.id) {
                Some(account) => account,
                None => {
                    store
                        .create_account(&Actor::named("benchmark"), person.id, None, &[Role::Staff])
                        .await?
                }
            };
            tokens.push((person.id, write_token(store, &account).await?));
        }
        if !batch.has_next() {
            break;
        }
        page += 1;
    }
    let person_ids: Vec<Uuid> = tokens.iter().map(|(id, _)| *id).collect();
    let mut lines = Vec::with_capacity(people * campaigns);
    for _ in 0..campaigns {
        let input = CampaignInput {
            version_id: version.id,
            title: None,
            audience: Some(CampaignAudience::People {
                person_ids: person_ids.clone(),
            }),
            due_on: today + Duration::days(30),
            statement: None,
            reminders: Some(ReminderSchedule::default()),
        };
        let campaign = store.launch_campaign(&launcher, input, today).await?;
        lines.extend(
            tokens
                .iter()
                .map(|(_, token)| format!("{token} {} {}", campaign.id, version.id)),
        );
    }
    Ok(lines)
}

/// A write API token for the account, valid for a day; returns its secret.
async fn write_token(store: &dyn Store, account: &Account) -> StoreResult<String> {
    use crate::auth::secret::{random_secret, secret_hash};
    use crate::domain::account::{ApiToken, TokenScope};
    let now = crate::domain::audit::truncate_to_micros(time::OffsetDateTime::now_utc());
    let secret = format!("charter_{}", random_secret());
    let token = ApiToken {
        id: Uuid::now_v7(),
        account_id: account.id,
        name: "benchmark".into(),
        scope: TokenScope::Write,
        created_at: now,
        expires_at: now + Duration::days(1),
        last_used_at: None,
        revoked_at: None,
    };
    store
        .create_api_token(&Actor::named("benchmark"), &token, &secret_hash(&secret))
        .await?;
    Ok(secret)
}
