//! Store tests for objectives and their append-only measurements (5.1.a, 5.1.e), on both
//! databases: references checked, retiring keeps history, corrections replace what they correct
//! and never twice, only the owner or an ISMS manager records, statuses at their boundaries.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::isms_status::{ObjectiveLine, ObjectiveStatus};
use charter::domain::objective::{
    Direction, MeasurementInput, Objective, ObjectiveFilter, ObjectiveInput,
};
use charter::domain::policy::{Audience, PolicyInput, PolicyKind, Visibility};
use charter::domain::policy_version::DraftInput;
use charter::domain::process::ProcessInput;
use charter::domain::{Actor, AuditFilter, PageRequest};
use charter::store::{DatabaseLocation, Store, StoreError};
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, raw_sql, store_account};

crate::on_both_backends!(
    an_objective_names_a_known_owner_and_policy_and_is_audited,
    a_retired_objective_keeps_its_history_and_leaves_the_active_lists,
    measurements_are_appended_and_a_correction_replaces_what_it_corrects,
    only_the_owner_or_an_isms_manager_records_a_measurement,
    statuses_follow_the_interval_the_target_and_the_due_date,
    lists_filter_by_theme_status_and_owner,
    a_retirement_committed_meanwhile_stops_an_edit_and_a_measurement,
    themes_and_process_names_ignore_case_in_every_alphabet,
);

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn ago(days: i64) -> OffsetDateTime {
    OffsetDateTime::now_utc() - Duration::days(days)
}

/// Ina (ISMS manager), Olga (staff, owns objectives), Sam (staff, owns none).
struct Org {
    ina: Account,
    olga: Account,
    sam: Account,
}

async fn org(store: &dyn Store) -> Org {
    Org {
        ina: store_account(store, "Ina", &[Role::IsmsManager]).await,
        olga: store_account(store, "Olga", &[Role::Staff]).await,
        sam: store_account(store, "Sam", &[Role::Staff]).await,
    }
}

fn input(owner: Uuid, target: f64, direction: Direction) -> ObjectiveInput {
    ObjectiveInput {
        statement: "Every member of staff completes security training".into(),
        metric: "Staff trained".into(),
        unit: "%".into(),
        target,
        direction,
        owner_id: owner,
        due_on: today() + Duration::days(180),
        measurement_interval_days: 30,
        theme: "Trust".into(),
        policy_id: None,
    }
}

async fn objective(store: &dyn Store, input: ObjectiveInput) -> Objective {
    store
        .create_objective(&Actor::cli(), input, today())
        .await
        .expect("objective")
}

fn value(value: f64, measured_at: Option<OffsetDateTime>) -> MeasurementInput {
    MeasurementInput {
        value,
        measured_at,
        source: "LMS export".into(),
        corrects_id: None,
    }
}

async fn actions(store: &dyn Store, action: &str) -> i64 {
    let filter = AuditFilter {
        action: Some(action.into()),
        ..AuditFilter::default()
    };
    store
        .list_audit_events(&filter, PageRequest::new(Some(1), Some(100)))
        .await
        .expect("events")
        .total
}

fn fields(result: Result<impl std::fmt::Debug, StoreError>) -> Vec<String> {
    match result {
        Err(StoreError::Invalid(errors)) => errors.iter().map(|(f, _)| f.to_owned()).collect(),
        other => panic!("expected 422, got {other:?}"),
    }
}

async fn line(store: &dyn Store, id: Uuid) -> Option<ObjectiveLine> {
    let lines = store.objective_lines(today()).await.expect("lines");
    lines.into_iter().find(|l| l.id == id)
}

async fn an_objective_names_a_known_owner_and_policy_and_is_audited(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let mut unknown = input(Uuid::now_v7(), 90.0, Direction::AtLeast);
    unknown.policy_id = Some(Uuid::now_v7());
    let refused = store
        .create_objective(&Actor::cli(), unknown, today())
        .await;
    assert_eq!(fields(refused), vec!["owner_id", "policy_id"]);
    let mut themeless = input(org.olga.person_id, 90.0, Direction::AtLeast);
    themeless.theme = " ".into();
    let refused = store
        .create_objective(&Actor::cli(), themeless, today())
        .await;
    assert_eq!(fields(refused), vec!["theme"]);

    let policy = policy(store, &org.ina).await;
    let mut linked = input(org.olga.person_id, 90.0, Direction::AtLeast);
    linked.policy_id = Some(policy);
    let created = objective(store, linked.clone()).await;
    assert_eq!(created.owner_name, "Olga");
    assert_eq!(created.policy_id, Some(policy));
    assert_eq!(created.status, ObjectiveStatus::NotMeasured);
    linked.target = 95.0;
    let updated = store
        .update_objective(&Actor::cli(), created.id, linked, today())
        .await
        .expect("updated");
    assert_eq!(updated.target, 95.0);
    assert_eq!(actions(store, "objective.created").await, 1);
    assert_eq!(actions(store, "objective.updated").await, 1);
}

async fn policy(store: &dyn Store, by: &Account) -> Uuid {
    let input = PolicyInput {
        title: "Training policy".into(),
        kind: PolicyKind::TopicSpecific,
        owner_id: by.person_id,
        approver_role: Role::TopManagement,
        audience: Audience::Everyone,
        review_interval_months: 12,
        visibility: Visibility::Internal,
        visibility_rationale: String::new(),
        quorum: 1,
    };
    let draft = DraftInput {
        body: "# Training\n\nEveryone is trained.\n".into(),
        is_major: false,
        change_summary: String::new(),
    };
    let (policy, _) = store.create_policy(by, input, draft).await.expect("policy");
    policy.id
}

async fn a_retired_objective_keeps_its_history_and_leaves_the_active_lists(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let kept = objective(store, input(org.olga.person_id, 90.0, Direction::AtLeast)).await;
    store
        .record_measurement(&org.olga, kept.id, value(80.0, None))
        .await
        .expect("measured");
    let retired = store
        .retire_objective(&Actor::cli(), kept.id, today())
        .await
        .expect("retired");
    assert!(!retired.active && retired.retired_at.is_some());
    assert!(line(store, kept.id).await.is_none(), "not in the pack");
    let active = store
        .list_objectives(&ObjectiveFilter::default(), today())
        .await
        .expect("list");
    assert!(active.is_empty());
    let all = ObjectiveFilter {
        include_retired: true,
        ..ObjectiveFilter::default()
    };
    assert_eq!(
        store
            .list_objectives(&all, today())
            .await
            .expect("all")
            .len(),
        1
    );
    assert_eq!(
        store.list_measurements(kept.id).await.expect("kept").len(),
        1
    );
    let again = store
        .retire_objective(&Actor::cli(), kept.id, today())
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let edit = input(org.olga.person_id, 50.0, Direction::AtLeast);
    let edited = store
        .update_objective(&Actor::cli(), kept.id, edit, today())
        .await;
    assert!(matches!(edited, Err(StoreError::Conflict(_))), "{edited:?}");
    let measured = store
        .record_measurement(&org.olga, kept.id, value(95.0, None))
        .await;
    assert!(
        matches!(measured, Err(StoreError::Conflict(_))),
        "{measured:?}"
    );
    assert_eq!(actions(store, "objective.retired").await, 1);
}

async fn measurements_are_appended_and_a_correction_replaces_what_it_corrects(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let trained = objective(store, input(org.olga.person_id, 90.0, Direction::AtLeast)).await;
    let other = objective(store, input(org.olga.person_id, 5.0, Direction::AtMost)).await;
    let may = store
        .record_measurement(&org.olga, trained.id, value(78.0, Some(ago(40))))
        .await
        .expect("may");
    let june = store
        .record_measurement(&org.olga, trained.id, value(92.0, Some(ago(10))))
        .await
        .expect("june");
    let elsewhere = store
        .record_measurement(&org.olga, other.id, value(3.0, None))
        .await
        .expect("elsewhere");
    let fix = MeasurementInput {
        corrects_id: Some(may.id),
        ..value(87.0, None)
    };
    let correction = store
        .record_measurement(&org.olga, trained.id, fix.clone())
        .await
        .expect("correction");
    assert_eq!(correction.corrects_id, Some(may.id));
    assert_eq!(
        correction.measured_at, may.measured_at,
        "stands where it corrects"
    );
    let trend: Vec<f64> = line(store, trained.id)
        .await
        .expect("line")
        .trend
        .iter()
        .map(|p| p.value)
        .collect();
    assert_eq!(trend, vec![87.0, 92.0]);

    let twice = store.record_measurement(&org.olga, trained.id, fix).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    let foreign = MeasurementInput {
        corrects_id: Some(elsewhere.id),
        ..value(1.0, None)
    };
    let refused = store
        .record_measurement(&org.olga, trained.id, foreign)
        .await;
    assert_eq!(fields(refused), vec!["corrects_id"]);
    let fix_again = MeasurementInput {
        corrects_id: Some(correction.id),
        ..value(88.0, None)
    };
    store
        .record_measurement(&org.olga, trained.id, fix_again)
        .await
        .expect("a correction is corrected in turn");
    let history = store.list_measurements(trained.id).await.expect("history");
    assert_eq!(history.len(), 4, "nothing is removed");
    assert_eq!(
        history
            .iter()
            .find(|m| m.id == may.id)
            .and_then(|m| m.corrected_by),
        Some(correction.id)
    );
    let trend: Vec<f64> = line(store, trained.id)
        .await
        .expect("line")
        .trend
        .iter()
        .map(|p| p.value)
        .collect();
    assert_eq!(trend, vec![88.0, 92.0]);
    assert_eq!(june.recorded_by_name, "Olga");
    assert_eq!(actions(store, "objective.measured").await, 5);
    the_database_refuses_to_change_a_measurement(&db.location, may.id).await;
}

/// Around Charter, straight on the database: no UPDATE or DELETE gets through.
async fn the_database_refuses_to_change_a_measurement(location: &DatabaseLocation, id: Uuid) {
    use sqlx::Connection;
    let change = "UPDATE objective_measurements SET value = 100";
    let remove = "DELETE FROM objective_measurements";
    match location {
        DatabaseLocation::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path);
            let mut conn = sqlx::SqliteConnection::connect_with(&options)
                .await
                .expect("sqlite");
            for sql in [change, remove] {
                let result = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await;
                assert!(result.is_err(), "{sql} on measurement {id}");
            }
        }
        DatabaseLocation::Postgres(url) => {
            let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
            for sql in [change, remove] {
                let result = sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await;
                assert!(result.is_err(), "{sql} on measurement {id}");
            }
        }
    }
}

async fn only_the_owner_or_an_isms_manager_records_a_measurement(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let admin = store_account(store, "Ada", &[Role::Admin]).await;
    let owned = objective(store, input(org.olga.person_id, 90.0, Direction::AtLeast)).await;
    let refused = store
        .record_measurement(&org.sam, owned.id, value(91.0, None))
        .await;
    match refused {
        Err(StoreError::Forbidden(reason)) => assert!(reason.contains("Olga"), "{reason}"),
        other => panic!("expected 403, got {other:?}"),
    }
    for by in [&org.olga, &org.ina, &admin] {
        store
            .record_measurement(by, owned.id, value(91.0, None))
            .await
            .expect("owner and managers record");
    }
    // The roles are read again when recording: a manager who lost the role is refused.
    store
        .set_account_roles(&Actor::cli(), org.ina.id, &[Role::Staff])
        .await
        .expect("demoted");
    let stale = store
        .record_measurement(&org.ina, owned.id, value(91.0, None))
        .await;
    assert!(matches!(stale, Err(StoreError::Forbidden(_))), "{stale:?}");
    let unknown = store
        .record_measurement(&org.olga, Uuid::now_v7(), value(1.0, None))
        .await;
    assert!(
        matches!(unknown, Err(StoreError::NotFound(_))),
        "{unknown:?}"
    );
}

async fn statuses_follow_the_interval_the_target_and_the_due_date(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let owner = org.olga.person_id;
    let with_due = |days: i64, direction, target| ObjectiveInput {
        due_on: today() + Duration::days(days),
        ..input(owner, target, direction)
    };
    let cases = [
        // (objective, value measured, days ago, expected status)
        (
            with_due(90, Direction::AtLeast, 90.0),
            90.0,
            30,
            ObjectiveStatus::OnTrack,
        ),
        (
            with_due(90, Direction::AtLeast, 90.0),
            99.0,
            31,
            ObjectiveStatus::NotMeasured,
        ),
        (
            with_due(0, Direction::AtLeast, 90.0),
            89.0,
            1,
            ObjectiveStatus::AtRisk,
        ),
        (
            with_due(-1, Direction::AtLeast, 90.0),
            89.0,
            1,
            ObjectiveStatus::Missed,
        ),
        (
            with_due(-1, Direction::AtMost, 5.0),
            5.0,
            1,
            ObjectiveStatus::OnTrack,
        ),
        (
            with_due(90, Direction::AtMost, 5.0),
            6.0,
            1,
            ObjectiveStatus::AtRisk,
        ),
    ];
    for (input, measured, days_ago, expected) in cases {
        let created = objective(store, input).await;
        store
            .record_measurement(&org.olga, created.id, value(measured, Some(ago(days_ago))))
            .await
            .expect("measured");
        let line = line(store, created.id).await.expect("line");
        assert_eq!(
            line.status, expected,
            "{measured} measured {days_ago} days ago, due {}",
            line.due_on
        );
        assert_eq!(line.owner_name.as_deref(), Some("Olga"));
    }
    let never = objective(store, input(owner, 1.0, Direction::AtLeast)).await;
    let line = line(store, never.id).await.expect("line");
    assert_eq!(line.status, ObjectiveStatus::NotMeasured);
    assert!(line.latest.is_none() && line.trend.is_empty());
}

async fn lists_filter_by_theme_status_and_owner(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let mut growth = input(org.sam.person_id, 10.0, Direction::AtLeast);
    growth.theme = "Growth".into();
    let growth = objective(store, growth).await;
    let trust = objective(store, input(org.olga.person_id, 90.0, Direction::AtLeast)).await;
    store
        .record_measurement(&org.olga, trust.id, value(95.0, None))
        .await
        .expect("measured");
    for i in 0..14 {
        store
            .record_measurement(
                &org.sam,
                growth.id,
                value(f64::from(i), Some(ago(14 - i64::from(i)))),
            )
            .await
            .expect("measured");
    }
    let find = |filter: ObjectiveFilter| async move {
        let found = store.list_objectives(&filter, today()).await.expect("list");
        found.iter().map(|o| o.id).collect::<Vec<_>>()
    };
    let by_theme = ObjectiveFilter {
        theme: Some("growth".into()),
        ..Default::default()
    };
    assert_eq!(find(by_theme).await, vec![growth.id]);
    let on_track = ObjectiveFilter {
        status: Some(ObjectiveStatus::OnTrack),
        ..Default::default()
    };
    assert_eq!(find(on_track).await, vec![growth.id, trust.id]);
    let olga = ObjectiveFilter {
        owner_id: Some(org.olga.person_id),
        ..Default::default()
    };
    assert_eq!(find(olga).await, vec![trust.id]);
    let line = line(store, growth.id).await.expect("line");
    assert_eq!(line.trend.len(), 12, "the last twelve");
    assert_eq!(
        line.trend.first().map(|p| p.value),
        Some(2.0),
        "oldest first"
    );
    assert_eq!(line.latest.map(|p| p.value), Some(13.0));
}

/// A retirement written by another instance, still uncommitted on PostgreSQL until the store's
/// call waits on it (SQLite lets one writer in at a time, so there it commits first). Without the
/// objective's row held, the edit or the measurement would land on the retired objective.
async fn a_retirement_committed_meanwhile_stops_an_edit_and_a_measurement(db: TestDb) {
    let store = db.store.clone();
    let org = org(store.as_ref()).await;
    let measured = objective(
        store.as_ref(),
        input(org.olga.person_id, 90.0, Direction::AtLeast),
    )
    .await;
    let retire = RetiredElsewhere::begin(&db, measured.id).await;
    let (by, id) = (org.olga.clone(), measured.id);
    let call = {
        let store = store.clone();
        tokio::spawn(async move { store.record_measurement(&by, id, value(95.0, None)).await })
    };
    let result = retire.commit_under(call).await;
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    assert!(
        store
            .list_measurements(id)
            .await
            .expect("history")
            .is_empty()
    );

    let edited = objective(
        store.as_ref(),
        input(org.olga.person_id, 90.0, Direction::AtLeast),
    )
    .await;
    let retire = RetiredElsewhere::begin(&db, edited.id).await;
    let id = edited.id;
    let call = {
        let store = store.clone();
        let edit = input(org.olga.person_id, 50.0, Direction::AtLeast);
        tokio::spawn(async move {
            store
                .update_objective(&Actor::cli(), id, edit, today())
                .await
        })
    };
    let result = retire.commit_under(call).await;
    assert!(matches!(result, Err(StoreError::Conflict(_))), "{result:?}");
    let kept = store.get_objective(id, today()).await.expect("kept");
    assert_eq!(kept.target, 90.0, "the retired objective is kept as it was");
}

enum RetiredElsewhere {
    Postgres(sqlx::PgConnection),
    Sqlite,
}

impl RetiredElsewhere {
    async fn begin(db: &TestDb, id: Uuid) -> Self {
        use sqlx::Connection;
        let at = "'2026-01-02T03:04:05.000006Z'";
        match &db.location {
            DatabaseLocation::Postgres(url) => {
                let mut conn = sqlx::PgConnection::connect(url).await.expect("postgres");
                let sql = format!(
                    "BEGIN; UPDATE objectives SET retired_at = {at}, updated_at = {at} \
                     WHERE id = '{id}'"
                );
                sqlx::raw_sql(sqlx::AssertSqlSafe(sql))
                    .execute(&mut conn)
                    .await
                    .expect("retired elsewhere");
                Self::Postgres(conn)
            }
            DatabaseLocation::Sqlite(_) => {
                let sql = format!(
                    "UPDATE objectives SET retired_at = {at}, updated_at = {at} \
                     WHERE id = x'{}'",
                    id.simple()
                );
                raw_sql(&db.location, &sql).await;
                Self::Sqlite
            }
        }
    }

    /// Commits once the store's call waits on this transaction, and returns the call's answer.
    async fn commit_under<T>(self, call: tokio::task::JoinHandle<T>) -> T {
        if let Self::Postgres(mut conn) = self {
            let waited_on = "SELECT EXISTS (SELECT 1 FROM pg_locks l
                WHERE NOT l.granted AND pg_backend_pid() = ANY(pg_blocking_pids(l.pid)))";
            let mut tries = 0;
            while !sqlx::query_scalar::<_, bool>(waited_on)
                .fetch_one(&mut conn)
                .await
                .expect("locks")
            {
                tries += 1;
                assert!(
                    tries < 500,
                    "the store's call never waited on the retirement"
                );
                tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            }
            sqlx::raw_sql("COMMIT")
                .execute(&mut conn)
                .await
                .expect("commit");
        }
        call.await.expect("the store's call")
    }
}

/// SQLite's `lower()` folds only A-Z: "État" and "état" must still be one theme, and one process
/// name, on both databases.
async fn themes_and_process_names_ignore_case_in_every_alphabet(db: TestDb) {
    let store = db.store.as_ref();
    let org = org(store).await;
    let mut state = input(org.olga.person_id, 90.0, Direction::AtLeast);
    state.theme = "État de droit".into();
    let state = objective(store, state).await;
    objective(store, input(org.olga.person_id, 90.0, Direction::AtLeast)).await;
    let filter = ObjectiveFilter {
        theme: Some(" état DE DROIT ".into()),
        ..Default::default()
    };
    let found = store.list_objectives(&filter, today()).await.expect("list");
    assert_eq!(
        found.iter().map(|o| o.id).collect::<Vec<_>>(),
        vec![state.id]
    );

    let process = |name: &str| ProcessInput {
        name: name.into(),
        integration: "Security requirements are part of every registration".into(),
        owner_id: None,
        evidence: String::new(),
        verification_interval_days: 365,
        key_process: false,
    };
    let first = store
        .create_process(&Actor::cli(), process("État civil"), today())
        .await
        .expect("created");
    let twin = store
        .create_process(&Actor::cli(), process("état civil"), today())
        .await;
    assert_eq!(fields(twin), vec!["name"]);
    let other = store
        .create_process(&Actor::cli(), process("Öffentliche Aufträge"), today())
        .await
        .expect("created");
    let renamed = store
        .update_process(&Actor::cli(), other.id, process("ÉTAT CIVIL"), today())
        .await;
    assert_eq!(fields(renamed), vec!["name"]);
    store
        .update_process(&Actor::cli(), first.id, process("État Civil"), today())
        .await
        .expect("its own name in another case");
}
