//! The demo's communications from top management (5.1.d): the chief executive tells everyone why
//! information security matters, at the town hall in spring and on the intranet in autumn.

use time::{Date, Duration};

use super::Cast;
use crate::domain::access::Role;
use crate::domain::campaign::CampaignAudience;
use crate::domain::communication::{Channel, CommunicationInput};
use crate::store::{Store, StoreResult};

/// (days ago, channel, subject, what was said).
const MESSAGES: &[(i64, Channel, &str, &str)] = &[
    (
        230,
        Channel::TownHall,
        "Why our customers trust us with their data",
        "Retailers send us their sales and stock figures because they trust us to keep them safe. \
         Security is part of the product we sell, not a cost beside it. This year every team \
         acknowledges the information security policy, and every manager briefs their people on \
         what it asks of them.",
    ),
    (
        45,
        Channel::Intranet,
        "Half a year of security: what we learned and what comes next",
        "Thank you for reporting the phishing attempts of the summer: two of them were stopped \
         because someone spoke up. The management review decided to replace the legacy VPN \
         gateway and to train every new starter in their first week. If something looks wrong, \
         report it; you will never be blamed for asking.",
    ),
];

/// Records the chief executive's messages to everyone; none without a top management account.
pub async fn seed_communications(
    store: &dyn Store,
    cast: &Cast,
    today: Date,
) -> StoreResult<usize> {
    let Some(chief) = cast.account(Role::TopManagement) else {
        return Ok(0);
    };
    for &(days_ago, channel, subject, body) in MESSAGES {
        let input = CommunicationInput {
            audience: CampaignAudience::Everyone,
            channel,
            communicated_on: today - Duration::days(days_ago),
            subject: subject.into(),
            body: body.into(),
            link: None,
            send_email: false,
        };
        store.record_communication(chief, input, today).await?;
    }
    Ok(MESSAGES.len())
}
