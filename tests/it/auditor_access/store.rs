//! The end of an account's access in the store, on SQLite and on PostgreSQL: the caller's query
//! refuses an account from the day after its last day, a change is checked and audited.

use charter::domain::access::Role;
use charter::domain::account::{Account, ApiToken, TokenScope, check_expiry};
use charter::domain::{Actor, AuditFilter, PageRequest};
use charter::store::{Store, StoreError};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, store_person};

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn days(n: i64) -> Date {
    today() + Duration::days(n)
}

/// An account whose last day is `last`, set on `set_on` (a past day stands for an end chosen
/// back then that has since passed).
async fn account_until(
    store: &dyn Store,
    name: &str,
    roles: &[Role],
    last: Option<Date>,
    set_on: Date,
) -> Result<Account, StoreError> {
    let person = store_person(store, name).await;
    store
        .create_account_until(
            &Actor::cli(),
            person,
            Some("$argon2id$stored".into()),
            roles,
            last,
            set_on,
        )
        .await
}

/// A session and an API token of the account: the hashes the caller's query looks up.
async fn credentials(store: &dyn Store, account: &Account) -> (String, String) {
    let session = charter::auth::sign_in::start_session(store, account.clone())
        .await
        .expect("session");
    let secret = charter::auth::secret::random_secret();
    let now = charter::domain::audit::truncate_to_micros(OffsetDateTime::now_utc());
    let token = ApiToken {
        id: Uuid::now_v7(),
        account_id: account.id,
        name: "pipeline".into(),
        scope: TokenScope::Read,
        created_at: now,
        expires_at: now + Duration::days(30),
        last_used_at: None,
        revoked_at: None,
    };
    let token_hash = charter::auth::secret::secret_hash(&secret);
    store
        .create_api_token(&Actor::cli(), &token, &token_hash)
        .await
        .expect("token");
    (
        charter::auth::secret::secret_hash(&session.token),
        token_hash,
    )
}

/// Whether the caller's query still finds the account through its session and its token.
async fn still_works(store: &dyn Store, (session, token): &(String, String)) -> (bool, bool) {
    let by_session = store.session_with_account(session).await.expect("session");
    let by_token = store.api_token_with_account(token).await.expect("token");
    (by_session.is_some(), by_token.is_some())
}

fn field_error(result: Result<Account, StoreError>, field: &str) -> String {
    match result {
        Err(StoreError::Invalid(errors)) => errors
            .get(field)
            .unwrap_or_else(|| panic!("no message for {field}: {errors:?}"))
            .join(" "),
        other => panic!("expected a refusal on {field}, got {other:?}"),
    }
}

crate::on_both_backends!(
    access_works_through_the_last_day_and_stops_the_day_after,
    ending_access_cuts_off_open_sessions_and_tokens_at_once,
    the_end_of_access_is_checked_against_today_and_the_roles,
    an_admin_without_an_end_always_remains,
);

async fn access_works_through_the_last_day_and_stops_the_day_after(db: TestDb) {
    let store = db.store.as_ref();
    let cases = [
        ("Tomorrow", days(1), true),
        ("Today", days(0), true),
        ("Yesterday", days(-1), false),
    ];
    for (name, last, works) in cases {
        let account = account_until(store, name, &[Role::Auditor], Some(last), last.min(today()))
            .await
            .expect("account");
        assert_eq!(account.expires_on, Some(last), "{name}");
        assert_eq!(account.access_ended(today()), !works, "{name}");
        let credentials = credentials(store, &account).await;
        assert_eq!(
            still_works(store, &credentials).await,
            (works, works),
            "last day {name}"
        );
        let listed = store.account(account.id).await.expect("still listed");
        assert_eq!(listed.expires_on, Some(last), "the admin still sees {name}");
    }
    let open = account_until(store, "Forever", &[Role::Staff], None, today())
        .await
        .expect("account");
    assert_eq!(open.expires_on, None);
    let credentials = credentials(store, &open).await;
    assert_eq!(still_works(store, &credentials).await, (true, true));
}

async fn ending_access_cuts_off_open_sessions_and_tokens_at_once(db: TestDb) {
    let store = db.store.as_ref();
    let auditor = account_until(store, "Ines", &[Role::Auditor], Some(days(30)), today())
        .await
        .expect("account");
    let credentials = credentials(store, &auditor).await;
    assert_eq!(still_works(store, &credentials).await, (true, true));

    // The end was moved to yesterday (chosen yesterday): from today nothing of it works.
    let ended = store
        .change_account_access(
            &Actor::cli(),
            auditor.id,
            None,
            Some(Some(days(-1))),
            days(-1),
        )
        .await
        .expect("moved");
    assert_eq!(ended.expires_on, Some(days(-1)));
    assert_eq!(ended.roles, vec![Role::Auditor], "roles untouched");
    assert_eq!(still_works(store, &credentials).await, (false, false));

    let cleared = store
        .change_account_access(&Actor::cli(), auditor.id, None, Some(None), today())
        .await
        .expect("cleared");
    assert_eq!(cleared.expires_on, None);
    assert_eq!(still_works(store, &credentials).await, (true, true));

    let unchanged = store
        .change_account_access(&Actor::cli(), auditor.id, None, Some(None), today())
        .await
        .expect("no change");
    assert_eq!(unchanged.expires_on, None);
    let filter = AuditFilter {
        record_type: Some("account".into()),
        record_id: Some(auditor.id.to_string()),
        action: Some("account.expiry_changed".into()),
        actor: None,
    };
    let events = store
        .list_audit_events(&filter, PageRequest::new(Some(1), Some(50)))
        .await
        .expect("events");
    assert_eq!(events.total, 2, "moved and cleared, nothing for no change");
    let verified = store.verify_audit_chain().await.expect("verify");
    assert!(verified.broken.is_none(), "{:?}", verified.broken);
}

async fn the_end_of_access_is_checked_against_today_and_the_roles(db: TestDb) {
    let store = db.store.as_ref();
    let past = account_until(store, "Past", &[Role::Staff], Some(days(-1)), today()).await;
    assert!(field_error(past, "expires_on").contains("must not be in the past"));
    let far = account_until(store, "Far", &[Role::Auditor], Some(days(367)), today()).await;
    assert!(field_error(far, "expires_on").contains("at most 366 days ahead for an auditor"));
    let year = account_until(store, "Year", &[Role::Auditor], Some(days(366)), today()).await;
    assert_eq!(year.expect("366 days").expires_on, Some(days(366)));

    let staff = account_until(store, "Long", &[Role::Staff], Some(days(500)), today())
        .await
        .expect("any role may carry an end");
    let made_auditor = store
        .change_account_access(
            &Actor::cli(),
            staff.id,
            Some(&[Role::Auditor][..]),
            None,
            today(),
        )
        .await;
    assert!(field_error(made_auditor, "expires_on").contains("366"));
    let with_shorter_end = store
        .change_account_access(
            &Actor::cli(),
            staff.id,
            Some(&[Role::Auditor][..]),
            Some(Some(days(90))),
            today(),
        )
        .await
        .expect("roles and end together");
    assert_eq!(
        (with_shorter_end.roles, with_shorter_end.expires_on),
        (vec![Role::Auditor], Some(days(90)))
    );
    let refused_move = store
        .change_account_access(&Actor::cli(), staff.id, None, Some(Some(days(-2))), today())
        .await;
    assert!(field_error(refused_move, "expires_on").contains("past"));
    let kept = store.account(staff.id).await.expect("account");
    assert_eq!(
        kept.expires_on,
        Some(days(90)),
        "a refused change writes nothing"
    );
}

async fn an_admin_without_an_end_always_remains(db: TestDb) {
    let store = db.store.as_ref();
    let ada = account_until(store, "Ada", &[Role::Admin], None, today())
        .await
        .expect("admin");
    let ending = store
        .change_account_access(&Actor::cli(), ada.id, None, Some(Some(days(10))), today())
        .await;
    assert!(field_error(ending, "expires_on").contains("last active admin"));
    let temporary = account_until(store, "Tim", &[Role::Admin], Some(days(10)), today())
        .await
        .expect("a second admin with an end");
    let demoted = store
        .set_account_roles(&Actor::cli(), ada.id, &[Role::Staff])
        .await;
    assert!(
        matches!(demoted, Err(StoreError::Invalid(_))),
        "an admin whose access ends does not count"
    );
    account_until(store, "Bea", &[Role::Admin], None, today())
        .await
        .expect("another admin");
    let ended = store
        .change_account_access(&Actor::cli(), ada.id, None, Some(Some(days(10))), today())
        .await
        .expect("now allowed");
    assert_eq!(ended.expires_on, Some(days(10)));
    assert_eq!(temporary.expires_on, Some(days(10)));
}

#[test]
fn the_last_day_is_checked_at_its_boundaries() {
    let today = time::macros::date!(2025 - 03 - 31);
    let auditor = [Role::Auditor];
    assert!(
        check_expiry(today, &auditor, today).is_ok(),
        "today is allowed"
    );
    assert!(check_expiry(today - Duration::days(1), &auditor, today).is_err());
    assert!(check_expiry(today + Duration::days(366), &auditor, today).is_ok());
    assert!(check_expiry(today + Duration::days(367), &auditor, today).is_err());
    assert!(check_expiry(today + Duration::days(3000), &[Role::Staff], today).is_ok());
    let auditor_and_staff = [Role::Staff, Role::Auditor];
    assert!(check_expiry(today + Duration::days(367), &auditor_and_staff, today).is_err());
}

#[test]
fn an_account_has_access_through_its_last_day() {
    let today = time::macros::date!(2025 - 03 - 31);
    let mut account = Account {
        id: Uuid::nil(),
        person_id: Uuid::nil(),
        name: "Ada".into(),
        email: "ada@example.test".into(),
        roles: vec![Role::Auditor],
        granted_roles: Vec::new(),
        has_password: true,
        disabled_at: None,
        created_at: OffsetDateTime::UNIX_EPOCH,
        expires_on: None,
    };
    assert!(!account.access_ended(today));
    account.expires_on = Some(today);
    assert!(!account.access_ended(today));
    assert!(account.access_ended(today + Duration::days(1)));
}
