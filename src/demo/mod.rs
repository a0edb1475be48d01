//! The demo organization: realistic, the same shape on every run (a seeded generator), and fast
//! enough to scale to 100,000 people in seconds for benchmarks.

use std::collections::HashMap;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use time::{Date, Duration};
use uuid::Uuid;

pub mod ack_history;
pub mod campaigns;
pub mod governance;
pub mod leadership;
pub mod policies;
pub mod role_load;
pub mod roles;
pub mod volume;

use crate::domain::{Actor, OrgProfileInput, PersonInput, PersonKind, PersonStatus, UnitInput};
use crate::store::{PersonWrite, Store, StoreResult};

const SEED: u64 = 27_001;
const DOMAIN: &str = "northwind.example";

/// The departments: name, parent (by index), job titles, and a weight for head count.
const DEPARTMENTS: &[(&str, Option<usize>, &[&str], u32)] = &[
    (
        "Executive Office",
        None,
        &["Executive Assistant", "Chief of Staff"],
        1,
    ),
    (
        "Finance",
        Some(0),
        &["Accountant", "Financial Analyst", "Controller"],
        4,
    ),
    (
        "People & Culture",
        Some(0),
        &["HR Business Partner", "Recruiter", "Payroll Specialist"],
        3,
    ),
    (
        "Legal & Compliance",
        Some(0),
        &["Legal Counsel", "Compliance Officer", "Privacy Officer"],
        2,
    ),
    (
        "Information Security",
        Some(0),
        &["Security Engineer", "Security Analyst", "GRC Specialist"],
        2,
    ),
    (
        "IT Operations",
        Some(0),
        &[
            "Systems Administrator",
            "Service Desk Analyst",
            "Network Engineer",
        ],
        4,
    ),
    (
        "Engineering",
        Some(0),
        &["Engineering Manager", "Technical Writer"],
        2,
    ),
    (
        "Platform Engineering",
        Some(6),
        &[
            "Site Reliability Engineer",
            "Platform Engineer",
            "Database Engineer",
        ],
        6,
    ),
    (
        "Product Engineering",
        Some(6),
        &[
            "Software Engineer",
            "Senior Software Engineer",
            "QA Engineer",
        ],
        12,
    ),
    (
        "Data Science",
        Some(6),
        &["Data Scientist", "Data Engineer", "ML Engineer"],
        4,
    ),
    (
        "Sales",
        Some(0),
        &[
            "Account Executive",
            "Sales Development Representative",
            "Sales Engineer",
        ],
        8,
    ),
    (
        "Customer Success",
        Some(0),
        &[
            "Customer Success Manager",
            "Support Engineer",
            "Onboarding Specialist",
        ],
        7,
    ),
    (
        "Marketing",
        Some(0),
        &["Marketing Manager", "Content Strategist", "Designer"],
        3,
    ),
];

const FIRST: &[&str] = &[
    "Ada", "Alan", "Amara", "Anja", "Aziz", "Bea", "Bruno", "Carmen", "Chen", "Dara", "David",
    "Elena", "Emeka", "Eva", "Farah", "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jamal",
    "Jana", "Jonas", "Kai", "Keiko", "Lars", "Leila", "Liam", "Lina", "Malik", "Maria", "Marek",
    "Mei", "Nadia", "Nils", "Noor", "Olga", "Omar", "Paula", "Pedro", "Priya", "Rafael", "Rosa",
    "Sami", "Sara", "Sofia", "Tariq", "Tom", "Uma", "Vera", "Wei", "Yara", "Yusuf", "Zoe", "Zofia",
];

const LAST: &[&str] = &[
    "Abara",
    "Becker",
    "Costa",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ivanova",
    "Jensen",
    "Kowalski",
    "Larsen",
    "Moreau",
    "Nakamura",
    "Okafor",
    "Petrov",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Umarov",
    "Varga",
    "Wagner",
    "Xu",
    "Yilmaz",
    "Zimmermann",
    "Andersson",
    "Bianchi",
    "Chowdhury",
    "Diallo",
    "Esposito",
    "Fernandes",
    "Gomez",
    "Hansen",
    "Ibrahim",
    "Jovanovic",
    "Kim",
    "Lindqvist",
    "Mensah",
    "Novak",
    "Olsen",
    "Park",
    "Reyes",
    "Santos",
    "Torres",
    "Urban",
    "Vasquez",
    "Weber",
    "Young",
    "Zhang",
];

/// What was generated.
#[derive(Debug, Clone, Default)]
pub struct DemoSummary {
    pub people: usize,
    pub units: usize,
    pub contractors_and_externals: usize,
    pub departed: usize,
}

/// A unit of the generated organization, before it is stored.
struct DemoUnit {
    name: String,
    parent: Option<usize>,
    titles: &'static [&'static str],
    weight: u32,
}

/// Generates the organization into an empty store: profile, units, people, unit heads.
pub async fn generate(store: &dyn Store, people: usize, today: Date) -> StoreResult<DemoSummary> {
    let actor = Actor::named("demo");
    store.update_organization(&actor, profile()).await?;
    let units = units_for(people);
    let mut unit_ids: Vec<Uuid> = Vec::with_capacity(units.len());
    for unit in &units {
        let parent_id = unit.parent.map(|p| unit_ids[p]);
        let input = UnitInput {
            name: unit.name.clone(),
            description: String::new(),
            parent_id,
            head_id: None,
        };
        unit_ids.push(store.create_unit(&actor, input).await?.id);
    }
    let (writes, heads) = people_for(&units, &unit_ids, people.max(units.len()), today);
    store.write_people(&actor, &writes).await?;
    for (index, head) in heads.iter().enumerate() {
        let unit = store.get_unit(unit_ids[index]).await?;
        store
            .update_unit(
                &actor,
                unit.id,
                UnitInput {
                    head_id: Some(*head),
                    ..UnitInput::from_unit(&unit)
                },
            )
            .await?;
    }
    Ok(DemoSummary {
        people: writes.len(),
        units: units.len(),
        contractors_and_externals: writes
            .iter()
            .filter(|w| w.input.kind != PersonKind::Employee)
            .count(),
        departed: writes
            .iter()
            .filter(|w| w.input.status == PersonStatus::Departed)
            .count(),
    })
}

fn profile() -> OrgProfileInput {
    OrgProfileInput {
        name: "Northwind Analytics".into(),
        purpose: "Northwind Analytics builds forecasting software that helps retailers and logistics firms plan \
                  stock and capacity."
            .into(),
        isms_scope: "The design, development, operation and support of the Northwind forecasting platform and the \
                     customer data it processes, at the offices in Lyon and Rotterdam and in the cloud regions that host it."
            .into(),
        strategic_themes: vec![
            "Customer trust".into(),
            "Growth in regulated markets".into(),
            "Operational resilience".into(),
        ],
    }
}

/// The departments, plus one more team per 400 people beyond the first 600, so units scale.
fn units_for(people: usize) -> Vec<DemoUnit> {
    let mut units: Vec<DemoUnit> = DEPARTMENTS
        .iter()
        .map(|(name, parent, titles, weight)| DemoUnit {
            name: (*name).into(),
            parent: *parent,
            titles,
            weight: *weight,
        })
        .collect();
    let extra = people.saturating_sub(600) / 400;
    for team in 0..extra {
        let parent = 1 + team % (DEPARTMENTS.len() - 1);
        let (name, _, titles, weight) = DEPARTMENTS[parent];
        units.push(DemoUnit {
            name: format!("{name} Team {}", team / (DEPARTMENTS.len() - 1) + 1),
            parent: Some(parent),
            titles,
            weight,
        });
    }
    units
}

/// Everyone, with heads first (index = unit index), then staff in teams of about ten under a lead.
fn people_for(
    units: &[DemoUnit],
    unit_ids: &[Uuid],
    count: usize,
    today: Date,
) -> (Vec<PersonWrite>, Vec<Uuid>) {
    let mut rng = StdRng::seed_from_u64(SEED);
    let mut emails: HashMap<String, u32> = HashMap::new();
    let mut writes: Vec<PersonWrite> = Vec::with_capacity(count);
    let heads: Vec<Uuid> = units.iter().map(|_| Uuid::now_v7()).collect();
    for (index, unit) in units.iter().enumerate() {
        let manager = unit.parent.map(|p| heads[p]);
        let title = if index == 0 {
            "Chief Executive Officer".to_owned()
        } else {
            format!("Head of {}", unit.name)
        };
        let mut input = person(&mut rng, &mut emails, title, unit_ids[index], manager);
        input.kind = PersonKind::Employee;
        input.status = PersonStatus::Active;
        input.departed_on = None;
        writes.push(PersonWrite {
            id: heads[index],
            input,
            is_new: true,
        });
    }
    let total_weight: u32 = units.iter().map(|u| u.weight).sum();
    let mut leads: Vec<Option<(Uuid, u32)>> = vec![None; units.len()];
    while writes.len() < count {
        let index = pick_unit(&mut rng, units, total_weight);
        let unit = &units[index];
        let title = unit.titles[rng.random_range(0..unit.titles.len())].to_owned();
        let id = Uuid::now_v7();
        let manager = match leads[index] {
            Some((lead, members)) if members < 9 => {
                leads[index] = Some((lead, members + 1));
                lead
            }
            _ => {
                leads[index] = Some((id, 0));
                heads[index]
            }
        };
        let mut input = person(&mut rng, &mut emails, title, unit_ids[index], Some(manager));
        vary_engagement(
            &mut rng,
            &mut input,
            today,
            leads[index].is_some_and(|(lead, _)| lead == id),
        );
        writes.push(PersonWrite {
            id,
            input,
            is_new: true,
        });
    }
    (writes, heads)
}

fn pick_unit(rng: &mut StdRng, units: &[DemoUnit], total_weight: u32) -> usize {
    let mut ticket = rng.random_range(0..total_weight);
    for (index, unit) in units.iter().enumerate() {
        if ticket < unit.weight {
            return index;
        }
        ticket -= unit.weight;
    }
    units.len() - 1
}

fn person(
    rng: &mut StdRng,
    emails: &mut HashMap<String, u32>,
    job_title: String,
    unit: Uuid,
    manager: Option<Uuid>,
) -> PersonInput {
    let first = FIRST[rng.random_range(0..FIRST.len())];
    let last = LAST[rng.random_range(0..LAST.len())];
    let local = format!("{}.{}", first.to_lowercase(), last.to_lowercase());
    let seen = emails.entry(local.clone()).or_insert(0);
    *seen += 1;
    let email = if *seen == 1 {
        format!("{local}@{DOMAIN}")
    } else {
        format!("{local}{seen}@{DOMAIN}")
    };
    PersonInput {
        name: format!("{first} {last}"),
        email,
        job_title,
        unit_id: Some(unit),
        manager_id: manager,
        kind: PersonKind::Employee,
        status: PersonStatus::Active,
        departed_on: None,
    }
}

/// About 6% contractors, 1.5% externals, 4% departed within two years, 2% on leave; leads stay.
fn vary_engagement(rng: &mut StdRng, input: &mut PersonInput, today: Date, is_lead: bool) {
    let roll = rng.random_range(0..1000);
    input.kind = match roll {
        0..60 => PersonKind::Contractor,
        60..75 => PersonKind::External,
        _ => PersonKind::Employee,
    };
    if is_lead {
        input.kind = PersonKind::Employee;
        return;
    }
    let status_roll = rng.random_range(0..1000);
    if status_roll < 40 {
        input.status = PersonStatus::Departed;
        input.departed_on = Some(today - Duration::days(rng.random_range(1..730)));
    } else if status_roll < 60 {
        input.status = PersonStatus::OnLeave;
    }
}
