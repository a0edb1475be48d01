//! The attendees of a review form: emails, one a line, bounded before any lookup, then found
//! together in one query; the emails of no one are named in the message.

use uuid::Uuid;

use crate::domain::FieldErrors;
use crate::domain::review::MAX_ATTENDEES;
use crate::store::{Store, StoreResult};

/// The people named by email, one a line, looked up together once the list is within bounds;
/// unknown emails are named in the message.
pub(super) async fn attendees_by_email(
    store: &dyn Store,
    text: &str,
    errors: &mut FieldErrors,
) -> StoreResult<Vec<Uuid>> {
    let emails: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if emails.len() > MAX_ATTENDEES {
        errors.add(
            "attendee_ids",
            format!(
                "must list at most {MAX_ATTENDEES} people, one email a line: {} lines were given",
                emails.len()
            ),
        );
        return Ok(Vec::new());
    }
    let found = store.people_ids_by_email(&emails).await?;
    let mut ids = Vec::with_capacity(emails.len());
    let mut unknown = Vec::new();
    for email in emails {
        match found.get(&email.to_lowercase()) {
            Some(id) => ids.push(*id),
            None => unknown.push(email),
        }
    }
    if !unknown.is_empty() {
        errors.add(
            "attendee_ids",
            format!("names emails of no one in Charter: {}", unknown.join(", ")),
        );
    }
    Ok(ids)
}
