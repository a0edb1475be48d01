//! What the API, the pages and the background jobs share about campaigns: whose coverage a caller
//! sees, the reminder emails, and the re-acknowledgment campaign offered when a major version is
//! published.

use time::{Date, Duration};

use crate::app::AppState;
use crate::auth::Principal;
use crate::domain::access::Role;
use crate::domain::account::Account;
use crate::domain::campaign::{AckFilter, Campaign, CampaignAudience, CampaignInput};
use crate::domain::mail::{MailKind, NewMail};
use crate::domain::policy::Audience;
use crate::domain::policy_version::PolicyVersion;
use crate::domain::{Actor, FieldErrors};
use crate::store::{PendingPerson, StoreError, StoreResult};

/// Days a re-acknowledgment campaign gives people unless told otherwise.
pub const DEFAULT_DAYS_TO_ACKNOWLEDGE: i64 = 14;

/// Whose acknowledgments a caller may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CoverageScope {
    /// Everyone's (ISMS managers, top management, auditors, admins).
    All,
    /// A manager's team: their direct reports and the people of the units they head.
    Team(uuid::Uuid),
}

impl CoverageScope {
    /// The caller's scope; managers without a wider role see only their team.
    pub fn of(account: &Account) -> Self {
        let wide = [
            Role::Admin,
            Role::IsmsManager,
            Role::TopManagement,
            Role::Auditor,
        ];
        if wide.iter().any(|role| account.has_role(*role)) {
            CoverageScope::All
        } else {
            CoverageScope::Team(account.person_id)
        }
    }

    /// The filter narrowed to the scope.
    pub fn narrow(self, mut filter: AckFilter) -> AckFilter {
        if let CoverageScope::Team(person_id) = self {
            filter.team_of = Some(person_id);
        }
        filter
    }
}

/// The page where a person reads and acknowledges a campaign's version.
pub fn acknowledge_path(campaign_id: uuid::Uuid) -> String {
    format!("/acknowledge/{campaign_id}")
}

/// A reminder to one pending person. Scheduled reminders are keyed by day, so the schedule run
/// twice (or by two instances) queues one; a manual reminder is limited to one a day per person.
pub fn reminder_mail(
    kind: MailKind,
    campaign: &Campaign,
    person: &PendingPerson,
    public_url: Option<&str>,
    today: Date,
) -> NewMail {
    let prefix = match kind {
        MailKind::ManualReminder => "manual",
        _ => "reminder",
    };
    let link = format!(
        "{}{}",
        public_url.unwrap_or("").trim_end_matches('/'),
        acknowledge_path(campaign.id)
    );
    let when = match (person.due_on - today).whole_days() {
        d if d > 1 => format!("is due on {} ({d} days from now)", person.due_on),
        1 => format!("is due tomorrow, {}", person.due_on),
        0 => "is due today".to_owned(),
        d => format!("was due on {} ({} days ago)", person.due_on, -d),
    };
    let body = format!(
        "Hello {name},\n\n\
         Please read and acknowledge \"{policy}\", version {version}. Your acknowledgment {when}.\n\n\
         Read it here (you will be asked to sign in):\n{link}\n\n\
         This reminder was sent by Charter for your information security management system.\n",
        name = person.name,
        policy = campaign.policy_title,
        version = campaign.version_number,
    );
    NewMail {
        kind,
        dedupe_key: format!("{prefix}:{}:{}:{today}", campaign.id, person.person_id),
        to_person_id: Some(person.person_id),
        to_address: person.email.clone(),
        subject: format!("Please acknowledge: {}", campaign.policy_title),
        body,
        campaign_id: Some(campaign.id),
        communication_id: None,
    }
}

/// Queues a reminder by hand for the pending people of a campaign within the caller's scope
/// (and the filter); at most one a day per person. Returns how many were queued.
pub async fn send_reminders(
    state: &AppState,
    principal: &Principal,
    campaign: &Campaign,
    filter: AckFilter,
    today: Date,
) -> StoreResult<u64> {
    send_reminders_to(state, principal, campaign, filter, None, today).await
}

/// As `send_reminders`, limited to the named people when `only` is given (still within scope).
pub async fn send_reminders_to(
    state: &AppState,
    principal: &Principal,
    campaign: &Campaign,
    filter: AckFilter,
    only: Option<&[uuid::Uuid]>,
    today: Date,
) -> StoreResult<u64> {
    let filter = CoverageScope::of(&principal.account).narrow(filter);
    let pending = state.store.pending_people(campaign.id, &filter).await?;
    let only: Option<std::collections::HashSet<uuid::Uuid>> =
        only.map(|ids| ids.iter().copied().collect());
    let mails: Vec<NewMail> = pending
        .iter()
        .filter(|person| {
            only.as_ref()
                .is_none_or(|ids| ids.contains(&person.person_id))
        })
        .map(|person| {
            reminder_mail(
                MailKind::ManualReminder,
                campaign,
                person,
                state.public_url.as_deref(),
                today,
            )
        })
        .collect();
    state
        .store
        .queue_mail(&principal.actor(), &mails, None)
        .await
}

/// Queues today's scheduled reminders of one campaign (a background job); marks the campaign as
/// reminded today in the same transaction.
pub async fn queue_scheduled_reminders(
    state: &AppState,
    campaign: &Campaign,
    today: Date,
) -> StoreResult<u64> {
    let pending = state
        .store
        .pending_people(campaign.id, &AckFilter::default())
        .await?;
    let mails: Vec<NewMail> = pending
        .iter()
        .filter(|person| campaign.reminders.reminds_on(person.due_on, today))
        .map(|person| {
            reminder_mail(
                MailKind::Reminder,
                campaign,
                person,
                state.public_url.as_deref(),
                today,
            )
        })
        .collect();
    state
        .store
        .queue_mail(&Actor::system(), &mails, Some((campaign.id, today)))
        .await
}

/// After a major version is published: a campaign asking the policy's audience to acknowledge
/// it, due in `days` days. Minor versions need none: acknowledgments carry over.
pub async fn launch_reacknowledgment(
    state: &AppState,
    by: &Account,
    version: &PolicyVersion,
    days: i64,
    today: Date,
) -> StoreResult<Campaign> {
    let policy = state.store.get_policy(version.policy_id).await?;
    let audience = policy_audience(&policy.audience)?;
    let input = CampaignInput {
        version_id: version.id,
        title: None,
        audience: Some(audience),
        due_on: today + Duration::days(days.clamp(0, 365)),
        statement: None,
        reminders: None,
    }
    .validate(today)
    .map_err(StoreError::Invalid)?;
    state.store.launch_campaign(by, input, today).await
}

/// The policy's audience as a campaign resolves it. Role names that are not Charter roles (the
/// organization's own role titles) cannot be resolved to people yet: refused with what to do,
/// rather than silently asking fewer people than the policy addresses.
fn policy_audience(audience: &Audience) -> StoreResult<CampaignAudience> {
    let resolved = CampaignAudience::from_policy(audience);
    if let (Audience::Roles { roles }, CampaignAudience::Roles { roles: known }) =
        (audience, &resolved)
        && known.len() < roles.len()
    {
        let unknown: Vec<&str> = roles
            .iter()
            .filter(|name| name.parse::<Role>().is_err())
            .map(String::as_str)
            .collect();
        return Err(StoreError::Invalid(FieldErrors::single(
            "audience",
            format!(
                "the policy addresses roles Charter cannot resolve to people ({}); launch the \
                 campaign from the Campaigns page and choose units or people instead",
                unknown.join(", ")
            ),
        )));
    }
    Ok(resolved)
}

/// After people were created, moved or imported: those who joined an open campaign's audience
/// get their pending acknowledgment now. A failure is logged, not returned: the change to the
/// people already stands, and the background job syncs again on its next tick.
pub async fn people_changed(store: &dyn crate::store::Store, actor: &Actor, today: Date) {
    if let Err(error) = store.sync_audiences(actor, today).await {
        tracing::warn!(%error, "could not add new audience members to open campaigns");
    }
}
