//! The store contract for identity: accounts, sessions, API tokens, the setup link and sign-in
//! failures, on SQLite and on PostgreSQL with the same assertions.

use charter::domain::Actor;
use charter::domain::access::Role;
use charter::domain::account::{ApiToken, SessionRecord, TokenScope};
use charter::store::StoreError;
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, person_input};

fn now() -> OffsetDateTime {
    charter::domain::audit::truncate_to_micros(OffsetDateTime::now_utc())
}

async fn account(db: &TestDb, email: &str, roles: &[Role]) -> charter::domain::account::Account {
    let person = db
        .store
        .create_person(
            &Actor::cli(),
            person_input("Ada Admin", email),
            now().date(),
        )
        .await
        .expect("person");
    db.store
        .create_account(
            &Actor::cli(),
            person.id,
            Some("$argon2id$stored".into()),
            roles,
        )
        .await
        .expect("account")
}

crate::on_both_backends!(
    accounts_keep_their_roles_and_their_last_admin,
    sessions_are_found_with_their_account_and_end,
    api_tokens_are_found_by_hash_and_revoked,
    setup_links_work_once_and_failures_are_counted,
);

async fn accounts_keep_their_roles_and_their_last_admin(db: TestDb) {
    let store = db.store.as_ref();
    let admin = account(&db, "ada@example.com", &[Role::Auditor, Role::Admin]).await;
    assert_eq!(admin.roles, vec![Role::Admin, Role::Auditor]);
    let (found, hash) = store
        .account_credentials("ADA@example.com")
        .await
        .expect("lookup")
        .expect("found");
    assert_eq!(
        (found.id, hash.as_deref()),
        (admin.id, Some("$argon2id$stored"))
    );
    assert!(
        store
            .account_credentials("nobody@example.com")
            .await
            .expect("lookup")
            .is_none()
    );
    let twice = store
        .create_account(&Actor::cli(), admin.person_id, None, &[Role::Staff])
        .await;
    assert!(matches!(twice, Err(StoreError::Invalid(_))));
    let demoted = store
        .set_account_roles(&Actor::cli(), admin.id, &[Role::Staff])
        .await;
    assert!(
        matches!(demoted, Err(StoreError::Invalid(_))),
        "the last admin stays"
    );
    let disabled = store
        .set_account_disabled(&Actor::cli(), admin.id, true)
        .await;
    assert!(
        matches!(disabled, Err(StoreError::Invalid(_))),
        "the last admin stays enabled"
    );
    assert_eq!(
        store.account(admin.id).await.expect("account").roles,
        vec![Role::Admin, Role::Auditor]
    );
    let other = db
        .store
        .create_person(
            &Actor::cli(),
            person_input("Bo", "bo@example.com"),
            now().date(),
        )
        .await
        .expect("person");
    let bo = store
        .create_account(&Actor::cli(), other.id, None, &[])
        .await
        .expect("no roles");
    assert!(!bo.has_password && bo.roles.is_empty());
    let listed = store.list_accounts().await.expect("list");
    assert_eq!(
        listed.iter().map(|a| a.roles.len()).collect::<Vec<_>>(),
        vec![2, 0]
    );
}

async fn sessions_are_found_with_their_account_and_end(db: TestDb) {
    let store = db.store.as_ref();
    let admin = account(&db, "ada@example.com", &[Role::Admin]).await;
    let started = now();
    let session = SessionRecord {
        token_hash: "hash-of-a-session".into(),
        account_id: admin.id,
        csrf_token: "csrf".into(),
        created_at: started,
        last_seen_at: started,
        expires_at: started + Duration::hours(12),
    };
    store.start_session(&session).await.expect("start");
    let (found, owner) = store
        .session_with_account("hash-of-a-session")
        .await
        .expect("read")
        .expect("found");
    assert_eq!(
        (found, owner.id, owner.roles),
        (session.clone(), admin.id, vec![Role::Admin])
    );
    store
        .touch_session("hash-of-a-session", started + Duration::minutes(5))
        .await
        .expect("touch");
    let seen = store
        .session_with_account("hash-of-a-session")
        .await
        .expect("read")
        .expect("found")
        .0
        .last_seen_at;
    assert_eq!(seen, started + Duration::minutes(5));
    store
        .set_password(&Actor::cli(), admin.id, "$argon2id$new", None)
        .await
        .expect("password");
    assert!(
        store
            .session_with_account("hash-of-a-session")
            .await
            .expect("read")
            .is_none(),
        "a password change ends sessions"
    );
    store.start_session(&session).await.expect("start again");
    store.end_session("hash-of-a-session").await.expect("end");
    assert!(
        store
            .session_with_account("hash-of-a-session")
            .await
            .expect("read")
            .is_none()
    );
}

async fn api_tokens_are_found_by_hash_and_revoked(db: TestDb) {
    let store = db.store.as_ref();
    let admin = account(&db, "ada@example.com", &[Role::Admin]).await;
    let token = ApiToken {
        id: Uuid::now_v7(),
        account_id: admin.id,
        name: "reports".into(),
        scope: TokenScope::Read,
        created_at: now(),
        expires_at: now() + Duration::days(30),
        last_used_at: None,
        revoked_at: None,
    };
    store
        .create_api_token(&Actor::cli(), &token, "hash-of-a-token")
        .await
        .expect("create");
    let (found, owner) = store
        .api_token_with_account("hash-of-a-token")
        .await
        .expect("read")
        .expect("found");
    assert_eq!((found.clone(), owner.id), (token.clone(), admin.id));
    assert_eq!(
        store.list_api_tokens(admin.id).await.expect("list"),
        vec![token.clone()]
    );
    store
        .revoke_api_token(&Actor::cli(), admin.id, token.id)
        .await
        .expect("revoke");
    let (revoked, _) = store
        .api_token_with_account("hash-of-a-token")
        .await
        .expect("read")
        .expect("found");
    assert!(revoked.revoked_at.is_some() && !revoked.is_usable(now()));
    let again = store
        .revoke_api_token(&Actor::cli(), admin.id, token.id)
        .await;
    assert!(matches!(again, Err(StoreError::NotFound(_))));
}

async fn setup_links_work_once_and_failures_are_counted(db: TestDb) {
    let store = db.store.as_ref();
    store
        .create_setup_token("hash-of-a-link", now() + Duration::hours(1))
        .await
        .expect("link");
    store
        .create_setup_token("hash-of-an-old-link", now() - Duration::hours(1))
        .await
        .expect("old link");
    assert!(
        store
            .check_setup_token("hash-of-a-link", false)
            .await
            .expect("check")
    );
    assert!(
        !store
            .check_setup_token("hash-of-an-old-link", false)
            .await
            .expect("check"),
        "expired"
    );
    assert!(
        store
            .check_setup_token("hash-of-a-link", true)
            .await
            .expect("use")
    );
    assert!(
        !store
            .check_setup_token("hash-of-a-link", true)
            .await
            .expect("use"),
        "used once"
    );
    let at = now();
    store
        .record_sign_in_failure("address:192.0.2.1", at)
        .await
        .expect("fail");
    store
        .record_sign_in_failure("address:192.0.2.1", at)
        .await
        .expect("fail");
    assert_eq!(
        store
            .sign_in_failures("address:192.0.2.1")
            .await
            .expect("read"),
        Some((2, at))
    );
    store
        .clear_sign_in_failures("address:192.0.2.1")
        .await
        .expect("clear");
    assert_eq!(
        store
            .sign_in_failures("address:192.0.2.1")
            .await
            .expect("read"),
        None
    );
}
