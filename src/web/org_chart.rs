//! The org chart: reporting lines drawn on the server as SVG (a tidy tree: leaves take the next
//! slot, a manager sits centred over their reports), each box with the name, job title and the
//! catalog roles held today; filtered by unit, capped in size, and the same people as a nested
//! list for screen readers.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use serde::Deserialize;
use uuid::Uuid;

use super::error::PageResult;
use super::forms::{SelectOption, parse_optional_id, unit_options};
use super::layout::{Area, Layout};
use crate::app::{AppState, today};
use crate::domain::{PageRequest, Person, PersonFilter, PersonStatus};
use crate::store::{Store, StoreResult};

/// The most people the chart draws; a larger unit is asked to be narrowed.
pub const CHART_CAP: usize = 300;

/// Where a node sits: its horizontal slot (centre, in slot widths), its height (in levels from
/// the top), and whether it is stacked in a column under its manager.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slot {
    pub x: f64,
    pub y: f64,
    pub stacked: bool,
}

/// The trees of a forest given each node's parent: which edges are kept (a parent outside the
/// slice, the node itself, or a loop makes the node the root of its own tree), and the nodes in
/// pre-order with their depth.
pub struct Forest {
    pub children: Vec<Vec<usize>>,
    pub parent: Vec<Option<usize>>,
    pub order: Vec<(usize, usize)>,
}

impl Forest {
    pub fn build(parents: &[Option<usize>]) -> Self {
        let n = parents.len();
        let mut candidates = vec![Vec::new(); n];
        let mut roots = Vec::new();
        for (node, parent) in parents.iter().enumerate() {
            match parent {
                Some(p) if *p < n && *p != node => candidates[*p].push(node),
                _ => roots.push(node),
            }
        }
        let mut forest = Forest {
            children: vec![Vec::new(); n],
            parent: vec![None; n],
            order: Vec::with_capacity(n),
        };
        let mut seen = vec![false; n];
        // Nodes on a reporting loop are reached from no root: each left over starts a tree.
        let starts: Vec<usize> = roots.into_iter().chain(0..n).collect();
        for start in starts {
            if seen[start] {
                continue;
            }
            seen[start] = true;
            let mut stack = vec![(start, 0usize)];
            while let Some((node, depth)) = stack.pop() {
                forest.order.push((node, depth));
                let kids: Vec<usize> = candidates[node]
                    .iter()
                    .copied()
                    .filter(|k| !seen[*k])
                    .collect();
                for &kid in &kids {
                    seen[kid] = true;
                    forest.parent[kid] = Some(node);
                }
                stack.extend(kids.iter().rev().map(|&k| (k, depth + 1)));
                forest.children[node] = kids;
            }
        }
        forest
    }

    /// The tidy layout: a node's reports without reports of their own are stacked in one column
    /// (`step` levels apart), and each such column and each childless root takes the next slot, in
    /// pre-order; every other node sits one level above its reports, centred over its first and
    /// last column. Subtrees never share a slot, so no two boxes overlap.
    pub fn layout(&self, step: f64) -> Vec<Slot> {
        let mut slots = vec![
            Slot {
                x: 0.0,
                y: 0.0,
                stacked: false,
            };
            self.children.len()
        ];
        let mut next = 0.0;
        for &(node, depth) in &self.order {
            if depth == 0 {
                self.place(node, 0.0, step, &mut next, &mut slots);
            }
        }
        slots
    }

    fn place(&self, node: usize, y: f64, step: f64, next: &mut f64, slots: &mut [Slot]) {
        let (leaves, inner): (Vec<usize>, Vec<usize>) = self.children[node]
            .iter()
            .partition(|&&k| self.children[k].is_empty());
        let mut columns = Vec::new();
        if !leaves.is_empty() {
            let x = take_slot(next);
            for (i, &leaf) in leaves.iter().enumerate() {
                slots[leaf] = Slot {
                    x,
                    y: y + 1.0 + i as f64 * step,
                    stacked: true,
                };
            }
            columns.push(x);
        }
        for &kid in &inner {
            self.place(kid, y + 1.0, step, next, slots);
            columns.push(slots[kid].x);
        }
        let x = match (columns.first(), columns.last()) {
            (Some(first), Some(last)) => (first + last) / 2.0,
            _ => take_slot(next),
        };
        slots[node] = Slot {
            x,
            y,
            stacked: false,
        };
    }
}

fn take_slot(next: &mut f64) -> f64 {
    let x = *next;
    *next += 1.0;
    x
}

/// A person as the chart shows them.
#[derive(Debug, Clone)]
pub struct ChartPerson {
    pub id: Uuid,
    pub name: String,
    pub job_title: String,
    pub roles: Vec<String>,
    pub manager_id: Option<Uuid>,
}

const SLOT_WIDTH: f64 = 200.0;
const BOX_WIDTH: f64 = 184.0;
const BOX_HEIGHT: f64 = 66.0;
const LEVEL_HEIGHT: f64 = 108.0;
const MARGIN: f64 = 16.0;
/// Reports without reports of their own stack this many levels apart (a box and a gap).
const STACK_STEP: f64 = (BOX_HEIGHT + 12.0) / LEVEL_HEIGHT;
/// Where the line down a column of stacked reports runs, left of their boxes.
const SPINE_OFFSET: f64 = 8.0;

/// One person's box, with its text cut to fit (the tooltip and the list have it whole).
pub struct ChartBox {
    pub id: Uuid,
    pub x: String,
    pub y: String,
    pub text_x: String,
    pub name_y: String,
    pub title_y: String,
    pub roles_y: String,
    pub name: String,
    pub title: String,
    pub roles: String,
    pub tooltip: String,
    pub has_roles: bool,
}

/// The drawing.
#[derive(Template)]
#[template(path = "roles/org_chart_svg.html", whitespace = "minimize")]
pub struct OrgChart {
    pub width: String,
    pub height: String,
    pub description: String,
    pub boxes: Vec<ChartBox>,
    /// `d` of each reporting line, from the manager's box down to the report's.
    pub lines: Vec<String>,
    pub box_width: String,
    pub box_height: String,
}

/// One person of the nested list, with the markup that closes or opens levels before them.
pub struct ListItem {
    pub id: Uuid,
    pub name: String,
    pub job_title: String,
    pub roles: String,
    /// Starts a list of the previous person's reports.
    pub opens: bool,
    /// How many levels end before this person (each `</ul></li>`), when `opens` is false.
    pub closes: usize,
    pub first: bool,
}

impl OrgChart {
    /// The chart and the nested list of the same forest; `people` sorted as siblings should be.
    pub fn new(people: &[ChartPerson]) -> (Self, Vec<ListItem>, usize) {
        let index: HashMap<Uuid, usize> =
            people.iter().enumerate().map(|(i, p)| (p.id, i)).collect();
        let parents: Vec<Option<usize>> = people
            .iter()
            .map(|p| p.manager_id.and_then(|m| index.get(&m).copied()))
            .collect();
        let forest = Forest::build(&parents);
        let slots = forest.layout(STACK_STEP);
        let at = |slot: &Slot| (MARGIN + slot.x * SLOT_WIDTH, MARGIN + slot.y * LEVEL_HEIGHT);
        let boxes = people
            .iter()
            .zip(&slots)
            .map(|(person, slot)| chart_box(person, at(slot)))
            .collect();
        let lines = forest
            .parent
            .iter()
            .enumerate()
            .filter_map(|(node, parent)| {
                let slot = &slots[node];
                Some(line(at(&slots[(*parent)?]), at(slot), slot.stacked))
            })
            .collect();
        let columns = slots.iter().map(|s| s.x).fold(0.0_f64, f64::max) + 1.0;
        let bottom = slots.iter().map(|s| s.y).fold(0.0_f64, f64::max);
        let levels = forest.order.iter().map(|(_, d)| *d).max().unwrap_or(0) + 1;
        let trees = forest.parent.iter().filter(|p| p.is_none()).count();
        let chart = OrgChart {
            width: number(2.0 * MARGIN + (columns - 1.0) * SLOT_WIDTH + BOX_WIDTH),
            height: number(2.0 * MARGIN + bottom * LEVEL_HEIGHT + BOX_HEIGHT),
            description: format!(
                "{} people in {trees} reporting tree(s), {} level(s) deep; each line joins a person to their manager above.",
                people.len(),
                levels
            ),
            boxes,
            lines,
            box_width: number(BOX_WIDTH),
            box_height: number(BOX_HEIGHT),
        };
        let (list, trailing) = nested_list(people, &forest);
        (chart, list, trailing)
    }
}

/// A reporting line from the bottom of the manager's box: down half a gap, across, then down to
/// the top of the report's box, or for a stacked report down the column's spine into its side.
fn line((px, py): (f64, f64), (cx, cy): (f64, f64), stacked: bool) -> String {
    let (from_x, from_y) = (px + BOX_WIDTH / 2.0, py + BOX_HEIGHT);
    let middle = from_y + (LEVEL_HEIGHT - BOX_HEIGHT) / 2.0;
    let start = format!("M{} {}V{}", number(from_x), number(from_y), number(middle));
    if stacked {
        let spine = cx - SPINE_OFFSET;
        let side = cy + BOX_HEIGHT / 2.0;
        format!("{start}H{}V{}H{}", number(spine), number(side), number(cx))
    } else {
        let to_x = cx + BOX_WIDTH / 2.0;
        format!("{start}H{}V{}", number(to_x), number(cy))
    }
}

fn chart_box(person: &ChartPerson, (x, y): (f64, f64)) -> ChartBox {
    let roles = person.roles.join(", ");
    let mut tooltip = person.name.clone();
    if !person.job_title.is_empty() {
        tooltip.push_str(", ");
        tooltip.push_str(&person.job_title);
    }
    if !roles.is_empty() {
        tooltip.push_str(". Roles: ");
        tooltip.push_str(&roles);
    }
    ChartBox {
        id: person.id,
        x: number(x),
        y: number(y),
        text_x: number(x + 10.0),
        name_y: number(y + 20.0),
        title_y: number(y + 38.0),
        roles_y: number(y + 56.0),
        name: cut(&person.name, 24),
        title: cut(&person.job_title, 28),
        has_roles: !roles.is_empty(),
        roles: cut(&roles, 28),
        tooltip,
    }
}

/// The pre-order as list items, and how many levels are still open after the last one.
fn nested_list(people: &[ChartPerson], forest: &Forest) -> (Vec<ListItem>, usize) {
    let mut items = Vec::with_capacity(people.len());
    let mut previous: Option<usize> = None;
    for &(node, depth) in &forest.order {
        let person = &people[node];
        let (opens, closes) = match previous {
            Some(before) if depth > before => (true, 0),
            Some(before) => (false, before - depth),
            None => (false, 0),
        };
        items.push(ListItem {
            id: person.id,
            name: person.name.clone(),
            job_title: person.job_title.clone(),
            roles: person.roles.join(", "),
            opens,
            closes,
            first: previous.is_none(),
        });
        previous = Some(depth);
    }
    (items, previous.unwrap_or(0))
}

/// Text cut to `chars` characters with an ellipsis.
fn cut(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        return text.to_owned();
    }
    let kept: String = text.chars().take(chars - 1).collect();
    format!("{}\u{2026}", kept.trim_end())
}

fn number(value: f64) -> String {
    let rounded = (value * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct OrgChartQuery {
    unit_id: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/org_chart.html", whitespace = "minimize")]
pub struct OrgChartPage {
    layout: Layout,
    unit_options: Vec<SelectOption>,
    /// The unit chosen, if any.
    unit_name: Option<String>,
    /// How many people are in scope when there are too many to draw.
    too_many: Option<i64>,
    cap: usize,
    chart: Option<OrgChart>,
    list: Vec<ListItem>,
    trailing: usize,
}

pub async fn show_org_chart(
    State(state): State<AppState>,
    Query(query): Query<OrgChartQuery>,
) -> PageResult<OrgChartPage> {
    let store = state.store.as_ref();
    let units = store.all_units().await?;
    let unit_id = parse_optional_id(&query.unit_id)
        .ok()
        .flatten()
        .filter(|id| units.iter().any(|u| u.id == *id));
    let selected = unit_id.map(|id| id.to_string()).unwrap_or_default();
    let mut page = OrgChartPage {
        layout: Layout::load(&state, Area::Roles, "Org chart").await,
        unit_options: unit_options(&units, &selected, "The whole organization", &[]),
        unit_name: unit_id
            .and_then(|id| units.iter().find(|u| u.id == id))
            .map(|u| u.name.clone()),
        too_many: None,
        cap: CHART_CAP,
        chart: None,
        list: Vec::new(),
        trailing: 0,
    };
    match people_in(store, unit_id).await? {
        Scope::TooMany(total) => page.too_many = Some(total),
        Scope::People(people) if people.is_empty() => {}
        Scope::People(people) => {
            let people = with_roles(store, people).await?;
            let (chart, list, trailing) = OrgChart::new(&people);
            (page.chart, page.list, page.trailing) = (Some(chart), list, trailing);
        }
    }
    Ok(page)
}

enum Scope {
    People(Vec<Person>),
    TooMany(i64),
}

/// The people of the unit and its sub-units (or everyone) who have not departed, unless there
/// are more than the chart draws.
async fn people_in(store: &dyn Store, unit_id: Option<Uuid>) -> StoreResult<Scope> {
    let page = PageRequest::new(Some(1), Some(CHART_CAP as u32 + 1));
    let mut people = Vec::new();
    let mut total = 0;
    for status in [PersonStatus::Active, PersonStatus::OnLeave] {
        let filter = PersonFilter {
            unit_id,
            status: Some(status),
            ..PersonFilter::default()
        };
        let found = store.list_people(&filter, page).await?;
        total += found.total;
        people.extend(found.items);
    }
    if total > CHART_CAP as i64 {
        return Ok(Scope::TooMany(total));
    }
    Ok(Scope::People(people))
}

/// The people with the catalog roles they hold today, siblings in name order.
async fn with_roles(store: &dyn Store, people: Vec<Person>) -> StoreResult<Vec<ChartPerson>> {
    let ids: Vec<Uuid> = people.iter().map(|p| p.id).collect();
    let mut roles = store.current_role_names(&ids, today()).await?;
    let mut chart: Vec<ChartPerson> = people
        .into_iter()
        .map(|p| ChartPerson {
            roles: roles.remove(&p.id).unwrap_or_default(),
            id: p.id,
            name: p.name,
            job_title: p.job_title,
            manager_id: p.manager_id,
        })
        .collect();
    chart.sort_by_key(|p| p.name.to_lowercase());
    Ok(chart)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A forest of 3 trees: 0 heads 1, 2, 3; 1 heads 4, 5; 3 heads 6; 7 alone; 8 and 9 report to
    /// each other (a loop) and 10 reports to 8.
    fn parents() -> Vec<Option<usize>> {
        vec![
            None,
            Some(0),
            Some(0),
            Some(0),
            Some(1),
            Some(1),
            Some(3),
            None,
            Some(9),
            Some(8),
            Some(8),
        ]
    }

    const STEP: f64 = 0.75;
    /// A box's height in levels: boxes closer than this vertically must be a slot apart.
    const BOX: f64 = 0.6;

    #[test]
    fn no_two_boxes_overlap() {
        let forest = Forest::build(&parents());
        let slots = forest.layout(STEP);
        assert_eq!(forest.order.len(), 11, "every node is placed once");
        for (i, a) in slots.iter().enumerate() {
            for b in &slots[i + 1..] {
                let apart = (a.x - b.x).abs() >= 1.0 || (a.y - b.y).abs() >= BOX;
                assert!(apart, "{a:?} and {b:?} overlap");
            }
        }
    }

    #[test]
    fn a_manager_is_centred_over_their_reports_one_level_up() {
        let forest = Forest::build(&parents());
        let slots = forest.layout(STEP);
        for (node, kids) in forest.children.iter().enumerate() {
            if kids.is_empty() {
                continue;
            }
            let xs = kids.iter().map(|k| slots[*k].x);
            let (low, high) = xs.fold((f64::MAX, f64::MIN), |(l, h), x| (l.min(x), h.max(x)));
            assert_eq!(slots[node].x, (low + high) / 2.0, "node {node}");
            for kid in kids {
                assert!(slots[*kid].y >= slots[node].y + 1.0, "{kid} below {node}");
            }
        }
        // 0's report 2 has no reports: a column of its own, left of 1's and 3's subtrees.
        assert_eq!([slots[2].x, slots[1].x, slots[3].x], [0.0, 1.0, 2.0]);
        assert_eq!(slots[0].x, 1.0);
    }

    #[test]
    fn reports_without_reports_stack_in_one_column() {
        let forest = Forest::build(&parents());
        let slots = forest.layout(STEP);
        assert_eq!((slots[4].x, slots[5].x), (slots[1].x, slots[1].x));
        assert_eq!((slots[4].y, slots[5].y), (2.0, 2.0 + STEP));
        assert!(slots[4].stacked && slots[5].stacked && !slots[1].stacked);
        assert_eq!(slots[7].x, 3.0, "a person alone takes the next slot");
        assert_eq!((slots[9].x, slots[10].x), (4.0, 4.0), "the loop's tree");
    }

    #[test]
    fn a_reporting_loop_is_broken_into_a_tree() {
        let forest = Forest::build(&parents());
        let roots: Vec<usize> = (0..11).filter(|n| forest.parent[*n].is_none()).collect();
        assert_eq!(roots, vec![0, 7, 8]);
        assert_eq!(forest.parent[9], Some(8));
        assert_eq!(forest.parent[10], Some(8));
    }

    fn person(name: &str, manager: Option<Uuid>) -> ChartPerson {
        ChartPerson {
            id: Uuid::now_v7(),
            name: name.into(),
            job_title: "Engineer".into(),
            roles: vec!["Risk owner".into()],
            manager_id: manager,
        }
    }

    #[test]
    fn the_drawing_and_the_list_show_the_same_people() {
        let boss = person("Bea <Boss>", None);
        let report = person("Ada", Some(boss.id));
        let outside = person("Cy", Some(Uuid::now_v7()));
        let (chart, list, trailing) = OrgChart::new(&[boss, report, outside]);
        let svg = chart.render().expect("render");
        assert_eq!(svg.matches("<rect").count(), 3, "{svg}");
        assert_eq!(chart.lines.len(), 1, "one reporting line inside the set");
        assert!(svg.contains("Bea &#60;Boss&#62;") || svg.contains("Bea &lt;Boss&gt;"));
        assert!(svg.contains("Risk owner"));
        let names: Vec<&str> = list.iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, ["Bea <Boss>", "Ada", "Cy"]);
        assert!(list[1].opens);
        assert_eq!(list[2].closes, 1);
        assert_eq!(trailing, 0);
    }
}
