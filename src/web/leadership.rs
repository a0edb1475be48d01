//! The leadership overview: the state of the ISMS read now from the live records, the same view a
//! management-review pack and a performance report freeze, with the way into each record.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use time::OffsetDateTime;

use super::error::PageResult;
use super::layout::{Area, Layout};
use super::moment::{Moment, moment};
use super::status_view::StatusView;
use crate::app::AppState;
use crate::isms_status::read_isms_status;

#[derive(Template, WebTemplate)]
#[template(path = "leadership/overview.html", whitespace = "minimize")]
pub struct OverviewPage {
    layout: Layout,
    as_of: Moment,
    status_view: StatusView,
}

pub async fn show_overview(State(state): State<AppState>) -> PageResult<OverviewPage> {
    let now = OffsetDateTime::now_utc();
    let status = read_isms_status(state.store.as_ref(), now).await?;
    Ok(OverviewPage {
        layout: Layout::load(&state, Area::Leadership, "Leadership").await,
        as_of: moment(now, now),
        status_view: StatusView::new(status),
    })
}
