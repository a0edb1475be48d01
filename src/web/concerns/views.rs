//! View pieces the concern pages share: badges in the one status vocabulary, rows of the
//! handlers' list, and the conversation as each side reads it.

use time::OffsetDateTime;

use crate::domain::concern::{
    ConcernCategory, ConcernMessage, ConcernStatus, ConcernSummary, FollowUpMessage, MessageAuthor,
};
use crate::web::forms::SelectOption;
use crate::web::moment::{Moment, moment};
use crate::web::views::Badge;

/// A closed concern is done (green); every other status is still waiting on someone (amber).
pub fn status_badge(status: ConcernStatus) -> Badge {
    let tone = match status {
        ConcernStatus::Closed => "green",
        _ => "amber",
    };
    Badge::new(tone, status.label())
}

/// Red when a target has passed, with which one.
pub fn overdue_badge(summary: &ConcernSummary) -> Option<Badge> {
    if summary.receipt_overdue {
        Some(Badge::new("red", "receipt overdue"))
    } else if summary.response_overdue {
        Some(Badge::new("red", "answer overdue"))
    } else {
        None
    }
}

/// The category choices, `selected` marked (a blank first when nothing is chosen yet).
pub fn category_options(selected: &str) -> Vec<SelectOption> {
    let mut options = vec![SelectOption::new(
        "",
        "Choose what it is about",
        selected.is_empty(),
    )];
    options.extend(ConcernCategory::ALL.iter().map(|c| {
        let mut label = c.label().to_owned();
        label[..1].make_ascii_uppercase();
        SelectOption::new(c.as_str(), label, c.as_str() == selected)
    }));
    options
}

/// One concern in the handlers' list.
pub struct ConcernRow {
    pub href: String,
    pub category: String,
    pub status: Badge,
    pub overdue: Option<Badge>,
    pub excerpt: String,
    pub received: Moment,
    pub messages: i64,
}

pub fn concern_row(summary: &ConcernSummary, now: OffsetDateTime) -> ConcernRow {
    ConcernRow {
        href: format!("/concerns/{}", summary.id),
        category: summary.category.label().to_owned(),
        status: status_badge(summary.status),
        overdue: overdue_badge(summary),
        excerpt: summary.excerpt.clone(),
        received: moment(summary.received_at, now),
        messages: summary.messages,
    }
}

/// One message as shown in a conversation.
pub struct MessageView {
    pub from: String,
    pub body: String,
    pub when: Moment,
    /// Written by the side reading the page.
    pub own: bool,
}

/// The conversation as a handler reads it: which handler answered.
pub fn handler_view(message: &ConcernMessage, now: OffsetDateTime) -> MessageView {
    let from = match message.author {
        MessageAuthor::Reporter => "The reporter".to_owned(),
        MessageAuthor::Handler => message
            .handler_name
            .clone()
            .unwrap_or_else(|| "A concern handler".to_owned()),
    };
    MessageView {
        from,
        body: message.body.clone(),
        when: moment(message.sent_at, now),
        own: message.author == MessageAuthor::Handler,
    }
}

/// The conversation as the reporter reads it: handlers are not named.
pub fn reporter_view(message: &FollowUpMessage, now: OffsetDateTime) -> MessageView {
    let from = match message.author {
        MessageAuthor::Reporter => "You",
        MessageAuthor::Handler => "Concern handler",
    };
    MessageView {
        from: from.to_owned(),
        body: message.body.clone(),
        when: moment(message.sent_at, now),
        own: message.author == MessageAuthor::Reporter,
    }
}
