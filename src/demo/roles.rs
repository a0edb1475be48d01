//! The demo's roles, written through the store like any user would: the standard catalog held by
//! the demo's people, acknowledged, with competence evidence and delegations, and deliberate gaps
//! (a vacant required role, a critical role without a deputy, a segregation-of-duties conflict
//! covered by an approved exception, lapsed competence, an unacknowledged assignment, one ending
//! soon) beside a leaver's role handed over on their last day.

use std::collections::HashMap;

use time::{Date, Duration};
use uuid::Uuid;

use crate::domain::access::Role;
use crate::domain::account::Account;
use crate::domain::assignment::{
    AssignmentEnd, AssignmentFilter, AssignmentInput, AssignmentScope, CompetenceEvidenceInput,
    Delegate, DelegationInput, EvidenceKind,
};
use crate::domain::role::{OrgRole, OrgRoleFilter, RoleCategory};
use crate::domain::sod::{SodConflict, SodExceptionDecisionInput, SodExceptionInput};
use crate::domain::{Actor, PageRequest, Person, PersonInput, PersonStatus, Unit};
use crate::store::{Store, StoreError, StoreResult};

/// What the demo's roles came to.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RolesSummary {
    pub assignments: usize,
    pub acknowledged: usize,
    pub delegations: usize,
}

/// The people and accounts the demo assigns roles to.
struct Cast {
    by_role: HashMap<Role, Account>,
    account_of: HashMap<Uuid, Account>,
    units: Vec<Unit>,
    people: Vec<Person>,
}

impl Cast {
    fn account(&self, role: Role) -> Option<&Account> {
        self.by_role.get(&role)
    }

    fn head_of(&self, unit_name: &str) -> Option<Uuid> {
        self.units
            .iter()
            .find(|u| u.name == unit_name)
            .and_then(|u| u.head_id)
    }

    fn unit(&self, unit_name: &str) -> Option<Uuid> {
        self.units
            .iter()
            .find(|u| u.name == unit_name)
            .map(|u| u.id)
    }

    /// An active member of the unit who heads nothing, the `n`th in name order.
    fn member_of(&self, unit_name: &str, n: usize) -> Option<&Person> {
        let unit = self.unit(unit_name)?;
        let heads: Vec<Uuid> = self.units.iter().filter_map(|u| u.head_id).collect();
        self.people
            .iter()
            .filter(|p| p.unit_id == Some(unit) && p.status == PersonStatus::Active)
            .filter(|p| {
                !heads.contains(&p.id) && !self.by_role.values().any(|a| a.person_id == p.id)
            })
            .nth(n)
    }
}

/// One assignment the demo makes: which role (found by `pick`), who, where, since when.
struct Plan {
    role: Uuid,
    person: Uuid,
    scope: AssignmentScope,
    deputy: bool,
    since_days: i64,
    ends_in_days: Option<i64>,
    acknowledge: bool,
}

/// Assigns the catalog to the demo organization; does nothing without the demo accounts.
pub async fn seed_roles(store: &dyn Store, today: Date) -> StoreResult<RolesSummary> {
    let Some(cast) = cast(store).await? else {
        return Ok(RolesSummary::default());
    };
    let Some(admin) = cast.account(Role::Admin).cloned() else {
        return Ok(RolesSummary::default());
    };
    let roles = store.list_roles(&OrgRoleFilter::default()).await?;
    let mut summary = RolesSummary::default();
    for plan in plans(&cast, &roles) {
        if assign(store, &cast, &admin, &plan, today, None).await? {
            summary.assignments += 1;
            summary.acknowledged += usize::from(plan.acknowledge);
        }
    }
    summary.assignments += seed_covered_conflict(store, &cast, &admin, today).await?;
    seed_competence(store, &cast, &roles, today).await?;
    summary.delegations = seed_delegations(store, &cast, today).await?;
    seed_departed_holder(store, &cast, &admin, &roles, today).await?;
    Ok(summary)
}

async fn cast(store: &dyn Store) -> StoreResult<Option<Cast>> {
    let accounts = store.list_accounts().await?;
    let mut by_role = HashMap::new();
    for role in Role::ALL {
        if let Some(account) = accounts.iter().find(|a| a.roles.contains(&role)) {
            by_role.insert(role, account.clone());
        }
    }
    if by_role.len() < Role::ALL.len() {
        return Ok(None);
    }
    let account_of = accounts.into_iter().map(|a| (a.person_id, a)).collect();
    let units = store.all_units().await?;
    let people = store.all_people().await?;
    Ok(Some(Cast {
        by_role,
        account_of,
        units,
        people,
    }))
}

fn find(roles: &[OrgRole], test: impl Fn(&OrgRole) -> bool) -> Option<&OrgRole> {
    roles.iter().find(|r| test(r))
}

fn in_category(roles: &[OrgRole], category: RoleCategory) -> Option<&OrgRole> {
    find(roles, |r| r.category == category)
}

/// The assignments of the demo. The privacy role (or the last required one) stays vacant, and
/// critical roles other than the conformance owner's get no deputy: both are gaps to find.
fn plans(cast: &Cast, roles: &[OrgRole]) -> Vec<Plan> {
    let mut plans = Vec::new();
    let mut add = |role: Option<&OrgRole>, person: Option<Uuid>, scope, deputy, acknowledge| {
        if let (Some(role), Some(person)) = (role, person) {
            plans.push(Plan {
                role: role.id,
                person,
                scope,
                deputy,
                since_days: 400,
                ends_in_days: None,
                acknowledge,
            });
        }
    };
    let person = |role: Role| cast.account(role).map(|a| a.person_id);
    let org = || AssignmentScope::Organization;
    let unit = |name: &str| {
        cast.unit(name)
            .map_or(AssignmentScope::Organization, |unit_id| {
                AssignmentScope::Unit { unit_id }
            })
    };
    let top = find(roles, |r| r.grants == Some(Role::TopManagement));
    add(top, person(Role::TopManagement), org(), false, true);
    add(top, cast.head_of("Executive Office"), org(), false, true);
    let committee = find(roles, |r| {
        r.category == RoleCategory::TopManagement && top.is_some_and(|t| t.id != r.id)
    });
    add(committee, cast.head_of("Finance"), org(), false, true);
    let owner = find(roles, |r| r.conformance_owner);
    add(owner, person(Role::IsmsManager), org(), false, true);
    add(
        owner,
        cast.head_of("Information Security"),
        org(),
        true,
        true,
    );
    let reporter = find(roles, |r| r.performance_reporter && !r.conformance_owner);
    add(reporter, person(Role::IsmsManager), org(), false, true);
    let handler = find(roles, |r| r.grants == Some(Role::ConcernHandler));
    add(handler, person(Role::ConcernHandler), org(), false, true);
    let auditor = find(roles, |r| r.name.to_lowercase().contains("auditor"));
    add(auditor, person(Role::Auditor), org(), false, true);
    let information = in_category(roles, RoleCategory::InformationOwner);
    add(
        information,
        cast.head_of("Finance"),
        unit("Finance"),
        false,
        true,
    );
    add(
        information,
        cast.head_of("People & Culture"),
        unit("People & Culture"),
        false,
        true,
    );
    let asset = in_category(roles, RoleCategory::AssetOwner);
    let platform = AssignmentScope::Asset {
        name: "Forecasting platform production environment".into(),
    };
    add(
        asset,
        cast.head_of("Platform Engineering"),
        platform,
        false,
        true,
    );
    let risk = in_category(roles, RoleCategory::RiskOwner);
    add(
        risk,
        cast.head_of("IT Operations"),
        unit("IT Operations"),
        false,
        true,
    );
    add(risk, cast.head_of("Sales"), unit("Sales"), false, false);
    let process = in_category(roles, RoleCategory::ProcessOwner);
    let onboarding = AssignmentScope::Process {
        name: "Onboarding and offboarding".into(),
    };
    add(
        process,
        cast.head_of("People & Culture"),
        onboarding,
        false,
        true,
    );
    let line = in_category(roles, RoleCategory::LineManager);
    for u in cast.units.iter().take(12) {
        add(
            line,
            u.head_id,
            AssignmentScope::Unit { unit_id: u.id },
            false,
            true,
        );
    }
    let incident = find(roles, |r| {
        r.critical && !r.conformance_owner && r.name.to_lowercase().contains("incident")
    });
    add(incident, cast.head_of("IT Operations"), org(), false, true);
    // A tenure that ends within the month: its handover is due.
    if let (Some(risk), Some(member)) = (risk, cast.member_of("Platform Engineering", 0)) {
        plans.push(Plan {
            role: risk.id,
            person: member.id,
            scope: unit("Platform Engineering"),
            deputy: false,
            since_days: 150,
            ends_in_days: Some(20),
            acknowledge: true,
        });
    }
    plans
}

/// Makes one assignment and, when planned, the holder's acknowledgment; a refusal (a conflict
/// the catalog's rules find) is skipped, as a careful ISMS manager would.
async fn assign(
    store: &dyn Store,
    cast: &Cast,
    by: &Account,
    plan: &Plan,
    today: Date,
    exception: Option<Uuid>,
) -> StoreResult<bool> {
    let input = AssignmentInput {
        role_id: plan.role,
        person_id: plan.person,
        scope: plan.scope.clone(),
        deputy: plan.deputy,
        starts_on: today - Duration::days(plan.since_days),
        ends_on: plan.ends_in_days.map(|d| today + Duration::days(d)),
        reason: "Named in the ISMS roles register approved by the management committee.".into(),
        sod_exception_id: exception,
    };
    let assignment = match store.assign_role(by, input, today).await {
        Ok(assignment) => assignment,
        Err(StoreError::Conflict(_) | StoreError::Invalid(_)) => return Ok(false),
        Err(other) => return Err(other),
    };
    if plan.acknowledge
        && let Some(holder) = cast.account_of.get(&plan.person)
    {
        store
            .acknowledge_assignment(holder, assignment.id, today)
            .await?;
    }
    Ok(true)
}

/// A person who holds both sides of a roles rule, under an exception top management approved.
async fn seed_covered_conflict(
    store: &dyn Store,
    cast: &Cast,
    admin: &Account,
    today: Date,
) -> StoreResult<usize> {
    let rules = store.list_sod_rules().await?;
    let Some((rule, role_a, role_b)) = rules.iter().find_map(|r| match r.conflict {
        SodConflict::Roles { role_a, role_b } => Some((r, role_a, role_b)),
        SodConflict::Duties { .. } => None,
    }) else {
        return Ok(0);
    };
    let (Some(person), Some(isms), Some(top)) = (
        cast.head_of("Legal & Compliance"),
        cast.account(Role::IsmsManager),
        cast.account(Role::TopManagement),
    ) else {
        return Ok(0);
    };
    let exception = store
        .request_sod_exception(
            isms,
            SodExceptionInput {
                rule_id: rule.id,
                person_id: person,
                justification: "Legal & Compliance has one senior person until the second hire \
                                starts in the spring."
                    .into(),
                compensating_controls: "Every decision in the second role is reviewed by the \
                                        management committee each month."
                    .into(),
                expires_on: today + Duration::days(120),
            },
            today,
        )
        .await?;
    store
        .decide_sod_exception(
            top,
            exception.id,
            SodExceptionDecisionInput {
                approve: true,
                note: "Approved until the second hire; review in the next management review."
                    .into(),
            },
            today,
        )
        .await?;
    let mut made = 0;
    for (role, exception) in [(role_a, None), (role_b, Some(exception.id))] {
        let plan = Plan {
            role,
            person,
            scope: AssignmentScope::Organization,
            deputy: false,
            since_days: 30,
            ends_in_days: None,
            acknowledge: true,
        };
        made += usize::from(assign(store, cast, admin, &plan, today, exception).await?);
    }
    Ok(made)
}

/// The conformance owner's certification is current; the auditor's lapsed two weeks ago.
async fn seed_competence(
    store: &dyn Store,
    cast: &Cast,
    roles: &[OrgRole],
    today: Date,
) -> StoreResult<()> {
    let Some(admin) = cast.account(Role::Admin) else {
        return Ok(());
    };
    let evidence = [
        (
            Role::IsmsManager,
            find(roles, |r| r.conformance_owner),
            "Certified information security manager",
            400,
        ),
        (
            Role::Auditor,
            find(roles, |r| r.name.to_lowercase().contains("auditor")),
            "ISO/IEC 27001 lead auditor certificate",
            -15,
        ),
    ];
    for (tool_role, role, description, expires_in) in evidence {
        let (Some(account), Some(role)) = (cast.account(tool_role), role) else {
            continue;
        };
        let held = store.person_assignments(account.person_id, today).await?;
        let Some(assignment) = held.iter().find(|a| a.role_id == role.id) else {
            continue;
        };
        let input = CompetenceEvidenceInput {
            kind: EvidenceKind::Certification,
            description: description.into(),
            obtained_on: today - Duration::days(3 * 365 - expires_in),
            expires_on: Some(today + Duration::days(expires_in)),
        };
        store
            .add_competence_evidence(admin, assignment.id, input, today)
            .await?;
    }
    Ok(())
}

/// The ISMS manager delegates the quarterly access review to an analyst, and penetration testing
/// to an outside firm; the accountability stays with them.
async fn seed_delegations(store: &dyn Store, cast: &Cast, today: Date) -> StoreResult<usize> {
    let Some(isms) = cast.account(Role::IsmsManager) else {
        return Ok(0);
    };
    let held = store.person_assignments(isms.person_id, today).await?;
    let Some(assignment) = held.first() else {
        return Ok(0);
    };
    let analyst = cast.member_of("Information Security", 0).map(|p| p.id);
    let mut delegates = vec![(
        Delegate::External {
            provider: "Contoso Security Ltd".into(),
        },
        "Run the yearly penetration test of the forecasting platform",
        -10,
        80,
    )];
    if let Some(person_id) = analyst {
        delegates.push((
            Delegate::Person { person_id },
            "Run the quarterly access review and report exceptions",
            -5,
            60,
        ));
    }
    let mut made = 0;
    for (delegate, task, starts, ends) in delegates {
        let input = DelegationInput {
            assignment_id: assignment.id,
            delegate,
            task: task.into(),
            starts_on: today + Duration::days(starts),
            ends_on: today + Duration::days(ends),
        };
        store.delegate_task(isms, input, today).await?;
        made += 1;
    }
    Ok(made)
}

/// An asset owner who left last week: the departure flagged the role for handover, and the ISMS
/// manager ended it on their last day, so the audit trail shows a handover done in time.
async fn seed_departed_holder(
    store: &dyn Store,
    cast: &Cast,
    admin: &Account,
    roles: &[OrgRole],
    today: Date,
) -> StoreResult<()> {
    let (Some(asset), Some(leaver)) = (
        in_category(roles, RoleCategory::AssetOwner),
        cast.member_of("IT Operations", 1),
    ) else {
        return Ok(());
    };
    let plan = Plan {
        role: asset.id,
        person: leaver.id,
        scope: AssignmentScope::Asset {
            name: "Legacy billing archive".into(),
        },
        deputy: false,
        since_days: 600,
        ends_in_days: None,
        acknowledge: true,
    };
    if !assign(store, cast, admin, &plan, today, None).await? {
        return Ok(());
    }
    let last_day = today - Duration::days(7);
    let departed = PersonInput {
        status: PersonStatus::Departed,
        departed_on: Some(last_day),
        ..PersonInput::from_person(leaver)
    };
    let actor = Actor::named("demo");
    store
        .update_person(&actor, leaver.id, departed, today)
        .await?;
    let held = AssignmentFilter {
        person_id: Some(leaver.id),
        ..AssignmentFilter::default()
    };
    let page = store
        .list_assignments(&held, today, PageRequest::default())
        .await?;
    for assignment in page.items {
        let end = AssignmentEnd {
            ends_on: last_day,
            reason: "Handed over on the holder's last day; the archive's new owner is being \
                     named."
                .into(),
        };
        store
            .end_assignment(&actor, assignment.id, end, today)
            .await?;
    }
    Ok(())
}
