//! Top-management communications (5.1.d): who in top management told whom, through which
//! channel and when, why information security matters.

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::campaign::CampaignAudience;
use super::person::iso_date;

/// How the message reached people.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Meeting,
    TownHall,
    Intranet,
    Newsletter,
    Video,
    Other,
}

text_enum!(Channel, "channel", Email => "email", Meeting => "meeting", TownHall => "town_hall",
    Intranet => "intranet", Newsletter => "newsletter", Video => "video", Other => "other");

impl Channel {
    pub fn label(self) -> &'static str {
        match self {
            Channel::Email => "Email",
            Channel::Meeting => "Meeting",
            Channel::TownHall => "Town hall",
            Channel::Intranet => "Intranet",
            Channel::Newsletter => "Newsletter",
            Channel::Video => "Video",
            Channel::Other => "Other",
        }
    }
}

/// A communication as recorded.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Communication {
    pub id: Uuid,
    /// The account of the top-management member who communicated.
    pub author_id: Uuid,
    pub author_name: String,
    pub audience: CampaignAudience,
    pub channel: Channel,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub communicated_on: Date,
    pub subject: String,
    pub body: String,
    pub link: Option<String>,
    /// How many emails were queued for it (0 when not sent through Charter).
    pub emails_queued: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// What a communication is recorded with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct CommunicationInput {
    pub audience: CampaignAudience,
    pub channel: Channel,
    #[serde(with = "iso_date")]
    #[schema(value_type = String, format = Date)]
    pub communicated_on: Date,
    pub subject: String,
    /// The text, or a summary of what was said; a link may stand in for it.
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub link: Option<String>,
    /// Also email it to the audience through the outbox.
    #[serde(default)]
    pub send_email: bool,
}

impl CommunicationInput {
    pub fn validate(mut self, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.audience.validate(&mut errors);
        self.subject = self.subject.trim().to_owned();
        if self.subject.is_empty() || self.subject.chars().count() > 200 {
            errors.add("subject", "is required, at most 200 characters");
        }
        self.body = self.body.trim().to_owned();
        if self.body.chars().count() > 20_000 {
            errors.add("body", "must be at most 20000 characters");
        }
        self.link = self
            .link
            .map(|l| l.trim().to_owned())
            .filter(|l| !l.is_empty());
        if let Some(link) = &self.link {
            let ok = (link.starts_with("https://") || link.starts_with("http://"))
                && link.len() <= 2000
                && !link.contains(char::is_whitespace);
            if !ok {
                errors.add("link", "must be an http(s) address");
            }
        }
        if self.body.is_empty() && self.link.is_none() {
            errors.add("body", "give the text or a link to it");
        }
        if self.communicated_on > today {
            errors.add(
                "communicated_on",
                "is in the future: record what was communicated",
            );
        }
        if self.send_email && self.body.is_empty() {
            errors.add("body", "an email needs the text");
        }
        errors.into_result()?;
        Ok(self)
    }
}
