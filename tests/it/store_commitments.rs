//! Store tests for resource commitments, process integration and managers' briefings (5.1.b,
//! 5.1.c, 5.1.h, A.5.4), on both databases: nobody decides their own request, "none needed" is
//! top management's decision, a process goes stale the day after its interval, only its owner
//! or an ISMS manager verifies it, and a manager records briefings only for their own units.

use charter::domain::access::Role;
use charter::domain::account::Account;
use charter::domain::briefing::{BriefingFilter, BriefingInput};
use charter::domain::process::{ProcessInput, STANDARD_PROCESSES, VerificationInput};
use charter::domain::resource::{
    Amount, CommitmentStatus, ResourceCommitmentInput, ResourceDecision, ResourceDecisionInput,
    ResourceKind,
};
use charter::domain::{Actor, AuditFilter, PageRequest, UnitInput};
use charter::store::{Store, StoreError};
use time::{Date, Duration, Month, OffsetDateTime};
use uuid::Uuid;

use crate::helpers::{TestDb, person_input, store_account};

crate::on_both_backends!(
    a_request_is_decided_by_top_management_never_by_the_requester,
    the_requester_withdraws_a_waiting_request_and_nobody_else_does,
    two_acting_on_one_request_at_once_move_it_once,
    none_needed_is_top_managements_decision_and_counts_as_considered,
    the_key_processes_are_seeded_and_recorded_once,
    a_process_goes_stale_the_day_after_its_interval,
    only_the_owner_or_an_isms_manager_verifies_a_process,
    two_verifications_at_once_never_move_the_last_one_back,
    a_manager_records_briefings_only_for_their_own_units,
);

fn today() -> Date {
    OffsetDateTime::now_utc().date()
}

fn year(y: i32) -> (Date, Date) {
    (
        Date::from_calendar_date(y, Month::January, 1).expect("date"),
        Date::from_calendar_date(y, Month::December, 31).expect("date"),
    )
}

fn money(kind: ResourceKind, amount: &str, currency: &str, y: i32) -> ResourceCommitmentInput {
    let (start, end) = year(y);
    ResourceCommitmentInput {
        kind,
        description: format!("{} for {y}", kind.label()),
        amount: Some(Amount::parse(amount).expect("amount")),
        currency: Some(currency.into()),
        fte: None,
        period_start: start,
        period_end: end,
        none_needed: false,
    }
}

fn decision(decision: ResourceDecision) -> ResourceDecisionInput {
    ResourceDecisionInput {
        decision,
        comment: "Fits the security roadmap".into(),
    }
}

async fn actions(store: &dyn Store, record_type: &str, id: &str) -> Vec<String> {
    let filter = AuditFilter {
        record_type: Some(record_type.into()),
        record_id: Some(id.into()),
        ..AuditFilter::default()
    };
    let mut events = store
        .list_audit_events(&filter, PageRequest::new(Some(1), Some(100)))
        .await
        .expect("events")
        .items;
    events.sort_by_key(|e| e.seq);
    events.into_iter().map(|e| e.action).collect()
}

fn forbidden<T: std::fmt::Debug>(result: Result<T, StoreError>) -> String {
    match result {
        Err(StoreError::Forbidden(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn a_request_is_decided_by_top_management_never_by_the_requester(db: TestDb) {
    let store = db.store.as_ref();
    store_account(store, "Ada", &[Role::Admin]).await;
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let bea = store_account(store, "Bea", &[Role::TopManagement]).await;
    let tom = store_account(store, "Tom", &[Role::TopManagement]).await;
    let y = today().year();
    let asked = store
        .request_resources(&ina, money(ResourceKind::Financial, "18000", "eur", y))
        .await
        .expect("requested");
    assert_eq!(asked.status, CommitmentStatus::Requested);
    assert_eq!(asked.requested_by, ina.person_id);
    assert_eq!(asked.currency.as_deref(), Some("EUR"));

    let own = store
        .request_resources(&bea, money(ResourceKind::Personnel, "50000", "EUR", y))
        .await
        .expect("requested by top management");
    let message = forbidden(
        store
            .decide_resources(&bea, own.id, decision(ResourceDecision::Approve))
            .await,
    );
    assert!(message.contains("own request"), "{message}");
    forbidden(
        store
            .decide_resources(&ina, asked.id, decision(ResourceDecision::Approve))
            .await,
    );

    // Roles are read again when deciding: Tom lost top management after signing in.
    store
        .set_account_roles(&Actor::cli(), tom.id, &[Role::Staff])
        .await
        .expect("roles");
    forbidden(
        store
            .decide_resources(&tom, asked.id, decision(ResourceDecision::Approve))
            .await,
    );

    let blank = ResourceDecisionInput {
        comment: " ".into(),
        ..decision(ResourceDecision::Approve)
    };
    assert!(matches!(
        store.decide_resources(&bea, asked.id, blank).await,
        Err(StoreError::Invalid(_))
    ));
    let approved = store
        .decide_resources(&bea, asked.id, decision(ResourceDecision::Approve))
        .await
        .expect("approved");
    assert_eq!(approved.status, CommitmentStatus::Approved);
    assert_eq!(approved.decided_by, Some(bea.person_id));
    assert_eq!(approved.decided_by_name.as_deref(), Some("Bea"));
    assert_eq!(
        approved.decision_comment.as_deref(),
        Some("Fits the security roadmap")
    );
    let again = store
        .decide_resources(&bea, asked.id, decision(ResourceDecision::Reject))
        .await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(
        actions(store, "resource_commitment", &asked.id.to_string()).await,
        [
            "resource_commitment.requested",
            "resource_commitment.approved"
        ]
    );
}

async fn the_requester_withdraws_a_waiting_request_and_nobody_else_does(db: TestDb) {
    let store = db.store.as_ref();
    let mia = store_account(store, "Mia", &[Role::Manager]).await;
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let bea = store_account(store, "Bea", &[Role::TopManagement]).await;
    let asked = store
        .request_resources(&mia, money(ResourceKind::Facilities, "900", "GBP", 2026))
        .await
        .expect("requested");
    forbidden(store.withdraw_resources(&ina, asked.id).await);
    let withdrawn = store
        .withdraw_resources(&mia, asked.id)
        .await
        .expect("withdrawn");
    assert_eq!(withdrawn.status, CommitmentStatus::Withdrawn);
    assert!(withdrawn.withdrawn_at.is_some());
    let late = store
        .decide_resources(&bea, asked.id, decision(ResourceDecision::Approve))
        .await;
    assert!(matches!(late, Err(StoreError::Conflict(_))), "{late:?}");
    let twice = store.withdraw_resources(&mia, asked.id).await;
    assert!(matches!(twice, Err(StoreError::Conflict(_))), "{twice:?}");
    assert_eq!(
        actions(store, "resource_commitment", &asked.id.to_string()).await,
        [
            "resource_commitment.requested",
            "resource_commitment.withdrawn"
        ]
    );
}

/// What a result was, short enough to print: "ok" or the refusal.
fn outcome<T>(result: &Result<T, StoreError>) -> String {
    match result {
        Ok(_) => "ok".to_owned(),
        Err(error) => format!("{error:?}"),
    }
}

/// Of two results, the one refused: it must be a conflict that says what happened.
fn the_conflict<'a, T>(a: &'a Result<T, StoreError>, b: &'a Result<T, StoreError>) -> &'a str {
    let oks = [a, b].iter().filter(|r| r.is_ok()).count();
    assert_eq!(oks, 1, "exactly one wins: {} / {}", outcome(a), outcome(b));
    match (a, b) {
        (Err(StoreError::Conflict(message)), Ok(_))
        | (Ok(_), Err(StoreError::Conflict(message))) => message,
        _ => panic!("the other is told (409): {} / {}", outcome(a), outcome(b)),
    }
}

/// Two members of top management decide the same request at the same moment, or its requester
/// withdraws it while one decides: only one of them moves it, the other is told, and the trail
/// holds one decision (on PostgreSQL both transactions run at once).
async fn two_acting_on_one_request_at_once_move_it_once(db: TestDb) {
    let store = db.store.as_ref();
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let bea = store_account(store, "Bea", &[Role::TopManagement]).await;
    let tom = store_account(store, "Tom", &[Role::TopManagement]).await;
    let y = today().year();
    for round in 0..4 {
        let asked = store
            .request_resources(&ina, money(ResourceKind::Financial, "100", "EUR", y))
            .await
            .expect("requested");
        let (approve, reject) = tokio::join!(
            store.decide_resources(&bea, asked.id, decision(ResourceDecision::Approve)),
            store.decide_resources(&tom, asked.id, decision(ResourceDecision::Reject)),
        );
        let message = the_conflict(&approve, &reject);
        assert!(message.contains("already"), "round {round}: {message}");
        let (winner, action) = match &approve {
            Ok(record) => (record, "resource_commitment.approved"),
            Err(_) => (
                reject.as_ref().expect("the other"),
                "resource_commitment.rejected",
            ),
        };
        let stored = store.get_resource_commitment(asked.id).await.expect("read");
        assert_eq!(stored.status, winner.status, "round {round}");
        assert_eq!(
            actions(store, "resource_commitment", &asked.id.to_string()).await,
            ["resource_commitment.requested", action],
            "round {round}: one decision in the trail"
        );

        let asked = store
            .request_resources(&ina, money(ResourceKind::Personnel, "200", "EUR", y))
            .await
            .expect("requested");
        let (withdrawn, decided) = tokio::join!(
            store.withdraw_resources(&ina, asked.id),
            store.decide_resources(&bea, asked.id, decision(ResourceDecision::Approve)),
        );
        the_conflict(&withdrawn, &decided);
        assert_eq!(
            actions(store, "resource_commitment", &asked.id.to_string())
                .await
                .len(),
            2,
            "round {round}: requested, then withdrawn or approved"
        );
    }
}

async fn none_needed_is_top_managements_decision_and_counts_as_considered(db: TestDb) {
    let store = db.store.as_ref();
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let bea = store_account(store, "Bea", &[Role::TopManagement]).await;
    let tom = store_account(store, "Tom", &[Role::TopManagement]).await;
    let (start, end) = year(2026);
    let none = |kind| ResourceCommitmentInput {
        kind,
        description: "The current offices and data centre suffice".into(),
        amount: None,
        currency: None,
        fte: None,
        period_start: start,
        period_end: end,
        none_needed: true,
    };
    let message = forbidden(
        store
            .request_resources(&ina, none(ResourceKind::Facilities))
            .await,
    );
    assert!(message.contains("top management"), "{message}");
    let decided = store
        .request_resources(&bea, none(ResourceKind::Facilities))
        .await
        .expect("none needed");
    assert!(decided.none_needed);
    assert_eq!(decided.status, CommitmentStatus::Approved);
    assert_eq!(decided.decided_by, Some(bea.person_id));
    assert_eq!(
        actions(store, "resource_commitment", &decided.id.to_string()).await,
        ["resource_commitment.none_needed"]
    );

    for (amount, currency) in [("1000", "EUR"), ("500.50", "EUR"), ("200", "USD")] {
        let asked = store
            .request_resources(&ina, money(ResourceKind::Financial, amount, currency, 2026))
            .await
            .expect("requested");
        store
            .decide_resources(&tom, asked.id, decision(ResourceDecision::Approve))
            .await
            .expect("approved");
    }
    let people = ResourceCommitmentInput {
        kind: ResourceKind::Personnel,
        amount: None,
        currency: None,
        fte: Some(1.5),
        ..money(ResourceKind::Personnel, "1", "EUR", 2026)
    };
    store
        .request_resources(&ina, people)
        .await
        .expect("waiting");
    store
        .request_resources(&ina, money(ResourceKind::Financial, "7", "EUR", 2024))
        .await
        .expect("another year");

    let summary = store.resource_summary(start, end).await.expect("summary");
    let of = |kind| {
        summary
            .iter()
            .find(|s| s.kind == kind)
            .expect("every type is listed")
    };
    let financial = of(ResourceKind::Financial);
    assert_eq!(financial.approved, 3);
    assert!(financial.considered());
    let totals: Vec<(String, String)> = financial
        .money
        .iter()
        .map(|m| (m.currency.clone(), m.amount.to_string()))
        .collect();
    assert_eq!(
        totals,
        [
            ("EUR".to_owned(), "1500.50".to_owned()),
            ("USD".to_owned(), "200.00".to_owned())
        ]
    );
    assert!(of(ResourceKind::Facilities).none_needed);
    assert!(of(ResourceKind::Facilities).considered());
    let personnel = of(ResourceKind::Personnel);
    assert_eq!((personnel.awaiting, personnel.considered()), (1, false));
    assert!(!of(ResourceKind::TechnicalInfrastructure).considered());
}

async fn the_key_processes_are_seeded_and_recorded_once(db: TestDb) {
    let store = db.store.as_ref();
    let processes = store.list_processes(today()).await.expect("processes");
    assert_eq!(processes.len(), STANDARD_PROCESSES.len());
    for (key, name) in STANDARD_PROCESSES {
        let process = processes
            .iter()
            .find(|p| p.standard_key.as_deref() == Some(key))
            .unwrap_or_else(|| panic!("{key} is seeded"));
        assert_eq!(process.name, name);
        assert!(process.key_process && process.stale && process.owner_id.is_none());
    }
    store.list_processes(today()).await.expect("again");
    let filter = AuditFilter {
        action: Some("process_catalog.installed".into()),
        ..AuditFilter::default()
    };
    let events = store
        .list_audit_events(&filter, PageRequest::default())
        .await
        .expect("events");
    assert_eq!(events.total, 1, "the seeded catalog is recorded once");
    assert_eq!(events.items[0].actor, "system");
}

fn process_input(name: &str, owner: Option<Uuid>, interval: i32) -> ProcessInput {
    ProcessInput {
        name: name.into(),
        integration: "Every vendor is risk-rated before contract; the rating is reviewed yearly."
            .into(),
        owner_id: owner,
        evidence: "Vendor register".into(),
        verification_interval_days: interval,
        key_process: false,
    }
}

fn on(day: Date) -> VerificationInput {
    VerificationInput {
        verified_on: Some(day),
        evidence: None,
    }
}

async fn a_process_goes_stale_the_day_after_its_interval(db: TestDb) {
    let store = db.store.as_ref();
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let today = today();
    let process = store
        .create_process(
            &Actor::cli(),
            process_input("Vendor onboarding", None, 30),
            today,
        )
        .await
        .expect("created");
    assert!(process.stale, "never verified is stale");
    let lapsed = store
        .verify_process(&ina, process.id, on(today - Duration::days(31)), today)
        .await
        .expect("verified");
    assert!(lapsed.stale, "verified 31 days ago with a 30-day interval");
    let due_today = store
        .verify_process(&ina, process.id, on(today - Duration::days(30)), today)
        .await
        .expect("verified");
    assert!(
        !due_today.stale,
        "verified 30 days ago is still fresh today"
    );
    assert_eq!(due_today.verification_due_on, Some(today));
    let earlier = store
        .verify_process(&ina, process.id, on(today - Duration::days(40)), today)
        .await;
    assert!(
        matches!(earlier, Err(StoreError::Invalid(_))),
        "{earlier:?}"
    );
    let listed = store.list_processes(today).await.expect("list");
    let fresh_at = listed
        .iter()
        .position(|p| p.id == process.id)
        .expect("listed");
    assert_eq!(fresh_at, listed.len() - 1, "stale processes come first");
}

async fn only_the_owner_or_an_isms_manager_verifies_a_process(db: TestDb) {
    let store = db.store.as_ref();
    let today = today();
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let owner = store_account(store, "Olga", &[Role::Staff]).await;
    let other = store_account(store, "Otto", &[Role::Manager]).await;
    let process = store
        .create_process(
            &Actor::cli(),
            process_input("Supplier reviews", Some(owner.person_id), 365),
            today,
        )
        .await
        .expect("created");
    let message = forbidden(
        store
            .verify_process(&other, process.id, VerificationInput::default(), today)
            .await,
    );
    assert!(message.contains("owner"), "{message}");
    let by_owner = VerificationInput {
        verified_on: None,
        evidence: Some("Review minutes 2026-Q1".into()),
    };
    let verified = store
        .verify_process(&owner, process.id, by_owner, today)
        .await
        .expect("the owner verifies");
    assert_eq!(verified.last_verified_on, Some(today));
    assert_eq!(verified.last_verified_by, Some(owner.person_id));
    assert_eq!(verified.evidence, "Review minutes 2026-Q1");
    store
        .verify_process(&ina, process.id, VerificationInput::default(), today)
        .await
        .expect("an ISMS manager verifies");
    assert_eq!(
        actions(store, "process", &process.id.to_string()).await,
        ["process.created", "process.verified", "process.verified"]
    );
    let seeded = store.list_processes(today).await.expect("list")[0].clone();
    let undescribed = store
        .verify_process(&ina, seeded.id, VerificationInput::default(), today)
        .await;
    assert!(
        matches!(undescribed, Err(StoreError::Conflict(_))),
        "a process that does not say how the ISMS is built in is not verified: {undescribed:?}"
    );
}

/// Six verifications of different days recorded at the same moment, the latest sent first: the
/// last verification never moves back, and each verification in the trail is one that was
/// recorded (the others are told why not).
async fn two_verifications_at_once_never_move_the_last_one_back(db: TestDb) {
    let today = today();
    let ina = store_account(db.store.as_ref(), "Ina", &[Role::IsmsManager]).await;
    for round in 0..4 {
        let name = format!("Vendor onboarding {round}");
        let process = db
            .store
            .create_process(&Actor::cli(), process_input(&name, None, 30), today)
            .await
            .expect("created");
        let mut racing = tokio::task::JoinSet::new();
        for days_ago in 1..=6 {
            let (store, ina) = (db.store.clone(), ina.clone());
            let day = today - Duration::days(days_ago);
            racing.spawn(async move {
                let result = store.verify_process(&ina, process.id, on(day), today).await;
                (day, result)
            });
        }
        let mut recorded = 0;
        while let Some(joined) = racing.join_next().await {
            let (day, result) = joined.expect("joined");
            match result {
                Ok(_) => recorded += 1,
                Err(StoreError::Invalid(_)) => {}
                Err(StoreError::Conflict(message)) => {
                    assert!(message.contains("later verification"), "{message}");
                }
                Err(other) => panic!("round {round}, {day}: {other:?}"),
            }
        }
        let stored = db.store.get_process(process.id, today).await.expect("read");
        assert_eq!(
            stored.last_verified_on,
            Some(today - Duration::days(1)),
            "round {round}: the last verification never moves back"
        );
        let verified = actions(db.store.as_ref(), "process", &process.id.to_string())
            .await
            .iter()
            .filter(|a| *a == "process.verified")
            .count();
        assert_eq!(verified, recorded, "round {round}: only what was recorded");
    }
}

async fn unit(store: &dyn Store, name: &str, head: Option<Uuid>) -> Uuid {
    let input = UnitInput {
        name: name.into(),
        head_id: head,
        ..UnitInput::default()
    };
    store
        .create_unit(&Actor::cli(), input)
        .await
        .expect("unit")
        .id
}

fn briefing(unit_id: Uuid, manager: Option<Uuid>) -> BriefingInput {
    BriefingInput {
        manager_id: manager,
        unit_id,
        briefed_on: today() - Duration::days(3),
        topic: "Reporting phishing".into(),
        staff_count: 8,
        attendee_ids: Vec::new(),
        notes: String::new(),
    }
}

async fn a_manager_records_briefings_only_for_their_own_units(db: TestDb) {
    let store = db.store.as_ref();
    let today = today();
    let mia: Account = store_account(store, "Mia", &[Role::Manager]).await;
    let max = store_account(store, "Max", &[Role::Manager]).await;
    let ina = store_account(store, "Ina", &[Role::IsmsManager]).await;
    let sales = unit(store, "Sales", Some(mia.person_id)).await;
    let finance = unit(store, "Finance", Some(max.person_id)).await;
    let support = unit(store, "Support", None).await;
    let mut report = person_input("Rita", "rita@example.com");
    report.unit_id = Some(support);
    report.manager_id = Some(mia.person_id);
    let rita = store
        .create_person(&Actor::cli(), report, today)
        .await
        .expect("report");

    let mut named = briefing(sales, None);
    named.attendee_ids = vec![rita.id];
    let recorded = store
        .record_briefing(&mia, named, today)
        .await
        .expect("her own unit");
    assert_eq!(recorded.manager_id, mia.person_id);
    assert_eq!(recorded.attendees.len(), 1);
    assert_eq!(recorded.attendees[0].name, "Rita");
    store
        .record_briefing(&mia, briefing(support, None), today)
        .await
        .expect("the unit her team works in");
    let message = forbidden(
        store
            .record_briefing(&mia, briefing(finance, None), today)
            .await,
    );
    assert!(message.contains("units you head"), "{message}");
    forbidden(
        store
            .record_briefing(&mia, briefing(finance, Some(max.person_id)), today)
            .await,
    );
    let for_max = store
        .record_briefing(&ina, briefing(finance, Some(max.person_id)), today)
        .await
        .expect("an ISMS manager records for another manager");
    assert_eq!(
        (for_max.manager_id, for_max.recorded_by),
        (max.person_id, ina.person_id)
    );
    let not_his = store
        .record_briefing(&ina, briefing(sales, Some(max.person_id)), today)
        .await;
    assert!(
        matches!(not_his, Err(StoreError::Invalid(_))),
        "{not_his:?}"
    );
    assert_eq!(
        actions(store, "briefing", &recorded.id.to_string()).await,
        ["briefing.recorded"]
    );

    let since = today - Duration::days(365);
    let quiet = unit(store, "Legal", Some(mia.person_id)).await;
    let by_unit = store.briefings_by_unit(since).await.expect("by unit");
    assert_eq!(by_unit[0].unit_id, quiet, "units never briefed come first");
    let sales_row = by_unit.iter().find(|u| u.unit_id == sales).expect("sales");
    assert_eq!(sales_row.in_period, 1);
    assert_eq!(sales_row.last_briefed_on, Some(today - Duration::days(3)));
    let awaiting = store
        .units_awaiting_briefing(mia.person_id, since)
        .await
        .expect("awaiting");
    let names: Vec<&str> = awaiting.iter().map(|u| u.unit_name.as_str()).collect();
    assert_eq!(names, ["Legal"]);
    let filter = BriefingFilter {
        unit_id: Some(finance),
        manager_id: None,
    };
    let listed = store
        .list_briefings(&filter, PageRequest::default())
        .await
        .expect("list");
    assert_eq!(listed.total, 1);
    assert_eq!(listed.items[0].recorded_by_name, "Ina");
}
