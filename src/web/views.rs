//! Small view pieces the templates share: links, status badges and pagination.

use crate::domain::{Page, PersonStatus};

use super::forms::{query_string, status_word};

/// A link to a record, with the words to show.
#[derive(Debug, Clone)]
pub struct Link {
    pub href: String,
    pub label: String,
}

impl Link {
    pub fn new(href: impl Into<String>, label: impl Into<String>) -> Self {
        Self {
            href: href.into(),
            label: label.into(),
        }
    }
}

/// A status badge: one vocabulary of tones (green, amber, red, grey), always with its word.
#[derive(Debug, Clone)]
pub struct Badge {
    pub tone: &'static str,
    pub word: String,
}

impl Badge {
    pub fn new(tone: &'static str, word: impl Into<String>) -> Self {
        Self {
            tone,
            word: word.into(),
        }
    }
}

/// Active people are green, people on leave amber, departed people grey: departure is no fault.
pub fn status_badge(status: PersonStatus) -> Badge {
    let tone = match status {
        PersonStatus::Active => "green",
        PersonStatus::OnLeave => "amber",
        PersonStatus::Departed => "grey",
    };
    Badge::new(tone, status_word(status))
}

/// Previous and next links that keep the list's filter.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: u32,
    pub page_count: u32,
    pub previous: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `filter` holds the list's query pairs without the page number.
    pub fn new<T>(path: &str, page: &Page<T>, filter: &[(&str, &str)]) -> Self {
        let link = |number: u32| {
            let number = number.to_string();
            let per_page = page.per_page.to_string();
            let mut pairs = filter.to_vec();
            pairs.push(("per_page", &per_page));
            pairs.push(("page", &number));
            format!("{path}{}", query_string(&pairs))
        };
        Self {
            page: page.page,
            page_count: page.page_count(),
            previous: page.has_previous().then(|| link(page.page - 1)),
            next: page.has_next().then(|| link(page.page + 1)),
        }
    }
}
