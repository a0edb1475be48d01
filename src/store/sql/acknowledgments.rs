// Shared SQL for acknowledgments: recording many in one transaction (group commit), one
// person's tasks, and the people of a campaign under a filter.

const ACK_COLUMNS: &str = "k.campaign_id, k.person_id, p.name AS person_name, p.email, p.unit_id,
    u.name AS unit_name, p.manager_id, m.name AS manager_name, k.assigned_at, k.due_on,
    k.joined_late, k.acknowledged_at, k.version_id, v.major, v.minor, k.content_hash, k.statement";
const ACK_FROM: &str = "acknowledgments k JOIN people p ON p.id = k.person_id";
/// The names and the version each row shows, after `ACK_FROM` or `ACK_PEOPLE_FIRST`.
const ACK_JOINS: &str = "LEFT JOIN units u ON u.id = p.unit_id
    LEFT JOIN people m ON m.id = p.manager_id LEFT JOIN policy_versions v ON v.id = k.version_id";
/// From this many rows on, a page in name order reads people in name order (`ACK_PEOPLE_FIRST`,
/// from the backend) and stops once the page is full, instead of sorting every row.
const PEOPLE_FIRST_FROM: i64 = 2_000;

fn acknowledgment_from_row(row: &DbRow, today: Date) -> Result<Acknowledgment, sqlx::Error> {
    let acknowledged_at: Option<OffsetDateTime> = row.try_get("acknowledged_at")?;
    let due_on: Date = row.try_get("due_on")?;
    let major: Option<i32> = row.try_get("major")?;
    let minor: Option<i32> = row.try_get("minor")?;
    Ok(Acknowledgment {
        campaign_id: row.try_get("campaign_id")?,
        person_id: row.try_get("person_id")?,
        person_name: row.try_get("person_name")?,
        email: row.try_get("email")?,
        unit_id: row.try_get("unit_id")?,
        unit_name: row.try_get("unit_name")?,
        manager_id: row.try_get("manager_id")?,
        manager_name: row.try_get("manager_name")?,
        assigned_at: row.try_get("assigned_at")?,
        due_on,
        joined_late: row.try_get("joined_late")?,
        state: AckState::on(acknowledged_at.is_some(), due_on, today),
        acknowledged_at,
        version_id: row.try_get("version_id")?,
        version_number: major.zip(minor).map(|(major, minor)| VersionNumber {
            major: major.unsigned_abs(),
            minor: minor.unsigned_abs(),
        }),
        content_hash: row.try_get("content_hash")?,
        statement: row.try_get("statement")?,
    })
}

/// The conditions on `k` (acknowledgments) and `p` (people) for one campaign under a filter.
fn ack_conditions(campaign_id: Uuid, filter: &AckFilter, today: Date) -> Conditions {
    let mut conditions = Conditions::default();
    conditions.add("k.campaign_id = {}", Arg::Uuid(campaign_id));
    match filter.state {
        Some(AckState::Acknowledged) => conditions.add_fixed("k.acknowledged_at IS NOT NULL"),
        Some(AckState::Pending) => conditions.add(
            "k.acknowledged_at IS NULL AND k.due_on >= {}",
            Arg::Date(today),
        ),
        Some(AckState::Overdue) => conditions.add(
            "k.acknowledged_at IS NULL AND k.due_on < {}",
            Arg::Date(today),
        ),
        None => {}
    }
    if let Some(unit) = filter.unit_id {
        conditions.add(
            "p.unit_id IN (WITH RECURSIVE below(id) AS (SELECT id FROM units WHERE id = {}
                UNION SELECT u2.id FROM units u2 JOIN below ON u2.parent_id = below.id)
                SELECT id FROM below)",
            Arg::Uuid(unit),
        );
    }
    if let Some(q) = filter.q.as_deref().filter(|q| !q.trim().is_empty()) {
        conditions.add(
            "(lower(p.name) LIKE {} ESCAPE '\\' OR lower(p.email) LIKE {} ESCAPE '\\')",
            Arg::Text(contains_pattern(q)),
        );
    }
    if let Some(manager) = filter.team_of {
        conditions.add(
            "(p.manager_id = {} OR p.unit_id IN (WITH RECURSIVE headed(id) AS (
                SELECT id FROM units WHERE head_id = {}
                UNION SELECT u3.id FROM units u3 JOIN headed ON u3.parent_id = headed.id)
                SELECT id FROM headed))",
            Arg::Uuid(manager),
        );
    }
    conditions
}

/// The tables a filter reads: people only when it narrows by something about them.
fn ack_from(filter: &AckFilter) -> &'static str {
    if filter.unit_id.is_some() || filter.team_of.is_some() || filter.q.is_some() {
        ACK_FROM
    } else {
        "acknowledgments k"
    }
}

async fn get_acknowledgment(
    pool: &sqlx::Pool<Db>,
    campaign_id: Uuid,
    person_id: Uuid,
    today: Date,
) -> StoreResult<Acknowledgment> {
    let row = dynamic(format!(
        "SELECT {ACK_COLUMNS} FROM {ACK_FROM} {ACK_JOINS}
         WHERE k.campaign_id = $1 AND k.person_id = $2"
    ))
    .bind(campaign_id)
    .bind(person_id)
    .fetch_optional(pool)
    .await?;
    row.map(|r| acknowledgment_from_row(&r, today))
        .transpose()?
        .ok_or(StoreError::NotFound("acknowledgment"))
}

async fn list_acknowledgments(
    pool: &sqlx::Pool<Db>,
    campaign_id: Uuid,
    filter: &AckFilter,
    today: Date,
    page: PageRequest,
) -> StoreResult<Page<Acknowledgment>> {
    get_campaign_in(pool, campaign_id, today).await?;
    let conditions = ack_conditions(campaign_id, filter, today);
    let where_sql = conditions.where_sql();
    let counting = dynamic(format!(
        "SELECT COUNT(*) FROM {}{where_sql}",
        ack_from(filter)
    ));
    let total = count(bind_args(counting, &conditions.args), pool).await?;
    let n = conditions.next_placeholder();
    let from = if total >= PEOPLE_FIRST_FROM {
        ACK_PEOPLE_FIRST
    } else {
        ACK_FROM
    };
    let sql = format!(
        "SELECT {ACK_COLUMNS} FROM {from} {ACK_JOINS}{where_sql} ORDER BY p.name, p.id
         LIMIT ${n} OFFSET ${}",
        n + 1
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .bind(page.limit())
        .bind(page.offset())
        .fetch_all(pool)
        .await?;
    let items = rows
        .iter()
        .map(|row| acknowledgment_from_row(row, today))
        .collect::<Result<_, _>>()?;
    Ok(Page::new(items, page, total))
}

async fn all_acknowledgments(
    pool: &sqlx::Pool<Db>,
    campaign_id: Uuid,
    filter: &AckFilter,
    today: Date,
) -> StoreResult<Vec<Acknowledgment>> {
    get_campaign_in(pool, campaign_id, today).await?;
    let conditions = ack_conditions(campaign_id, filter, today);
    let sql = format!(
        "SELECT {ACK_COLUMNS} FROM {ACK_FROM} {ACK_JOINS}{} ORDER BY p.name, p.id",
        conditions.where_sql()
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .fetch_all(pool)
        .await?;
    Ok(rows
        .iter()
        .map(|row| acknowledgment_from_row(row, today))
        .collect::<Result<_, _>>()?)
}

async fn pending_people(
    pool: &sqlx::Pool<Db>,
    campaign_id: Uuid,
    filter: &AckFilter,
) -> StoreResult<Vec<PendingPerson>> {
    let mut filter = filter.clone();
    // Pending here means not acknowledged, overdue or not; "pending" narrows to not yet due.
    let today = OffsetDateTime::now_utc().date();
    if filter.state == Some(AckState::Acknowledged) {
        return Ok(Vec::new());
    }
    let narrowed = filter.state.take();
    let mut conditions = ack_conditions(campaign_id, &filter, today);
    conditions.add_fixed("k.acknowledged_at IS NULL AND p.status = 'active'");
    match narrowed {
        Some(AckState::Pending) => conditions.add("k.due_on >= {}", Arg::Date(today)),
        Some(AckState::Overdue) => conditions.add("k.due_on < {}", Arg::Date(today)),
        _ => {}
    }
    let sql = format!(
        "SELECT p.id, p.name, p.email, k.due_on
         FROM {ACK_FROM}{} ORDER BY p.name, p.id",
        conditions.where_sql()
    );
    let rows = bind_args(dynamic(sql), &conditions.args)
        .fetch_all(pool)
        .await?;
    let mut people = Vec::with_capacity(rows.len());
    for row in rows {
        people.push(PendingPerson {
            person_id: row.try_get("id")?,
            name: row.try_get("name")?,
            email: row.try_get("email")?,
            due_on: row.try_get("due_on")?,
        });
    }
    Ok(people)
}

async fn my_acknowledgments(
    pool: &sqlx::Pool<Db>,
    person_id: Uuid,
    today: Date,
) -> StoreResult<Vec<MyAcknowledgment>> {
    let rows = sqlx::query(
        "SELECT k.campaign_id, c.title AS campaign_title, c.policy_id, pol.title AS policy_title,
            c.version_id, v.major, v.minor, k.due_on, k.acknowledged_at
         FROM acknowledgments k JOIN campaigns c ON c.id = k.campaign_id
            JOIN policies pol ON pol.id = c.policy_id JOIN policy_versions v ON v.id = c.version_id
         WHERE k.person_id = $1 AND (c.status = 'open' OR k.acknowledged_at IS NOT NULL)
         ORDER BY CASE WHEN k.acknowledged_at IS NULL THEN 0 ELSE 1 END, k.due_on,
            k.acknowledged_at DESC, c.title",
    )
    .bind(person_id)
    .fetch_all(pool)
    .await?;
    let mut mine = Vec::with_capacity(rows.len());
    for row in rows {
        let acknowledged_at: Option<OffsetDateTime> = row.try_get("acknowledged_at")?;
        let due_on: Date = row.try_get("due_on")?;
        mine.push(MyAcknowledgment {
            campaign_id: row.try_get("campaign_id")?,
            campaign_title: row.try_get("campaign_title")?,
            policy_id: row.try_get("policy_id")?,
            policy_title: row.try_get("policy_title")?,
            version_id: row.try_get("version_id")?,
            version_number: number_from_row(&row)?,
            due_on,
            state: AckState::on(acknowledged_at.is_some(), due_on, today),
            acknowledged_at,
        });
    }
    Ok(mine)
}

/// What an acknowledgment is checked against: the campaign's status and the version in force.
#[derive(Clone)]
struct CampaignInForce {
    open: bool,
    version_id: Uuid,
    number: VersionNumber,
    content_hash: String,
    statement: String,
}

/// What a batch read in its two queries, and what it decided to write.
#[derive(Default)]
struct AckBatch {
    /// The person each active account of the batch belongs to.
    accounts: HashMap<Uuid, Uuid>,
    /// The acknowledgments asked of those people, by campaign and person: the receipt once given.
    asked: HashMap<(Uuid, Uuid), Option<AckReceipt>>,
    campaigns: HashMap<Uuid, CampaignInForce>,
    numbers: HashMap<Uuid, Option<VersionNumber>>,
    /// The new acknowledgments, with the account that gave each.
    writes: Vec<(Uuid, AckReceipt)>,
    /// Their campaigns and people.
    writing: std::collections::HashSet<(Uuid, Uuid)>,
}

/// How a request was decided before the batch was written.
enum AckDecision {
    Answered(StoreResult<AckReceipt>),
    /// To be written: the answer depends on whether the write took (campaign and person).
    Writing((Uuid, Uuid)),
}

/// The answer for an acknowledgment that the guarded write did not take, read again after it.
#[derive(Clone)]
enum Missed {
    /// Given meanwhile (by another instance): the stored receipt.
    Given(AckReceipt),
    Refused(String),
    Gone,
}

impl Missed {
    fn answer(&self) -> StoreResult<AckReceipt> {
        match self {
            Missed::Given(receipt) => Ok(receipt.clone()),
            Missed::Refused(message) => Err(StoreError::Conflict(message.clone())),
            Missed::Gone => Err(StoreError::NotFound("acknowledgment")),
        }
    }
}

/// Records the batch in one transaction. A database error fails every request of the batch.
async fn acknowledge(
    pool: &sqlx::Pool<Db>,
    requests: &[AckRequest],
) -> Vec<StoreResult<AckReceipt>> {
    if requests.is_empty() {
        return Vec::new();
    }
    match acknowledge_batch(pool, requests).await {
        Ok(results) => results,
        Err(error) => {
            let message = format!("the acknowledgment was not recorded: {error}");
            let mut first = Some(StoreError::Database(error));
            requests
                .iter()
                .map(|_| {
                    Err(first
                        .take()
                        .unwrap_or_else(|| StoreError::Config(message.clone())))
                })
                .collect()
        }
    }
}

/// Reads what the whole batch needs in two queries (after locking its campaigns, where the
/// backend needs that), decides each request in order, then writes the new acknowledgments in
/// one guarded statement per campaign and `WRITE_CHUNK` people and their events in one append.
/// A row the guard left alone (given, closed or moved meanwhile by another transaction) is read
/// again, all in one query, and answered as it stands.
async fn acknowledge_batch(
    pool: &sqlx::Pool<Db>,
    requests: &[AckRequest],
) -> Result<Vec<StoreResult<AckReceipt>>, sqlx::Error> {
    let mut tx = begin_write(pool).await?;
    let campaign_ids = distinct(requests.iter().map(|r| r.campaign_id));
    lock_campaigns(&mut tx, &campaign_ids).await?;
    let mut batch = AckBatch::default();
    read_asked(&mut tx, requests, &mut batch).await?;
    batch.campaigns = read_campaigns(&mut tx, &campaign_ids).await?;
    let at = now();
    let mut decisions = Vec::with_capacity(requests.len());
    for request in requests {
        decisions.push(acknowledge_one(&mut tx, request, at, &mut batch).await?);
    }
    let written = write_acknowledgments(&mut tx, &batch.writes).await?;
    let mut events = Vec::with_capacity(written.len());
    let mut missed = Vec::new();
    for (account_id, receipt) in &batch.writes {
        let key = (receipt.campaign_id, receipt.person_id);
        if written.contains(&key) {
            events.push(acknowledgment_event(*account_id, receipt));
        } else {
            missed.push(receipt.clone());
        }
    }
    let missed = read_missed(&mut tx, &missed, &mut batch).await?;
    append_events(&mut tx, events).await?;
    tx.commit().await?;
    Ok(decisions
        .into_iter()
        .map(|decision| match decision {
            AckDecision::Answered(result) => result,
            AckDecision::Writing(key) => match missed.get(&key) {
                Some(missed) => missed.answer(),
                None => batch.asked[&key]
                    .clone()
                    .ok_or(StoreError::NotFound("acknowledgment")),
            },
        })
        .collect())
}

/// `n` placeholders from `first` on, in the backend's style (SQLite's are anonymous, in order).
fn placeholders_from(first: usize, n: usize) -> String {
    match PLACEHOLDERS {
        Placeholders::Numbered => placeholder_list(first, n),
        Placeholders::Positional => vec!["?"; n].join(", "),
    }
}

fn distinct(ids: impl Iterator<Item = Uuid>) -> Vec<Uuid> {
    let mut seen = std::collections::HashSet::new();
    ids.filter(|id| seen.insert(*id)).collect()
}

/// Where the backend needs it, locks the batch's campaigns (in id order, as closing and
/// publishing take them) so that none is closed or moved to another version before the batch
/// commits; what is read after this is what the batch writes against.
async fn lock_campaigns(tx: &mut Tx, ids: &[Uuid]) -> Result<(), sqlx::Error> {
    let Some(lock) = FOR_SHARE else {
        return Ok(());
    };
    let sql = format!(
        "SELECT id FROM campaigns WHERE id IN ({}) ORDER BY id{lock}",
        placeholders_from(1, ids.len())
    );
    let mut query = dynamic(sql);
    for id in ids {
        query = query.bind(*id);
    }
    query.fetch_all(&mut **tx).await?;
    Ok(())
}

/// The batch's active accounts with their people, and what each of those people was asked in
/// the batch's campaigns.
async fn read_asked(
    tx: &mut Tx,
    requests: &[AckRequest],
    batch: &mut AckBatch,
) -> Result<(), sqlx::Error> {
    let campaigns = distinct(requests.iter().map(|r| r.campaign_id));
    let accounts = distinct(requests.iter().map(|r| r.account_id));
    let sql = format!(
        "SELECT a.id AS account_id, a.person_id AS account_person, k.campaign_id,
            k.acknowledged_at, k.version_id, v.major, v.minor, k.content_hash, k.statement
         FROM accounts a LEFT JOIN acknowledgments k
            ON k.person_id = a.person_id AND k.campaign_id IN ({})
         LEFT JOIN policy_versions v ON v.id = k.version_id
         WHERE a.id IN ({}) AND a.disabled_at IS NULL",
        placeholders_from(1, campaigns.len()),
        placeholders_from(campaigns.len() + 1, accounts.len())
    );
    let mut query = dynamic(sql);
    for id in campaigns.iter().chain(&accounts) {
        query = query.bind(*id);
    }
    for row in query.fetch_all(&mut **tx).await? {
        let person_id: Uuid = row.try_get("account_person")?;
        batch.accounts.insert(row.try_get("account_id")?, person_id);
        let Some(campaign_id) = row.try_get::<Option<Uuid>, _>("campaign_id")? else {
            continue;
        };
        batch.asked.insert(
            (campaign_id, person_id),
            given_receipt(&row, campaign_id, person_id)?,
        );
    }
    Ok(())
}

/// The receipt of an acknowledgment already given, from a row of `read_asked` or `read_missed`.
fn given_receipt(
    row: &DbRow,
    campaign_id: Uuid,
    person_id: Uuid,
) -> Result<Option<AckReceipt>, sqlx::Error> {
    let Some(acknowledged_at) = row.try_get::<Option<OffsetDateTime>, _>("acknowledged_at")? else {
        return Ok(None);
    };
    Ok(Some(AckReceipt {
        campaign_id,
        person_id,
        version_id: row.try_get("version_id")?,
        version_number: number_from_row(row)?,
        content_hash: row
            .try_get::<Option<String>, _>("content_hash")?
            .unwrap_or_default(),
        statement: row
            .try_get::<Option<String>, _>("statement")?
            .unwrap_or_default(),
        acknowledged_at,
    }))
}

async fn read_campaigns(
    tx: &mut Tx,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, CampaignInForce>, sqlx::Error> {
    let sql = format!(
        "SELECT c.id, c.status, c.version_id, c.statement, v.major, v.minor, v.content_hash
         FROM campaigns c JOIN policy_versions v ON v.id = c.version_id WHERE c.id IN ({})",
        placeholders_from(1, ids.len())
    );
    let mut query = dynamic(sql);
    for id in ids {
        query = query.bind(*id);
    }
    let mut campaigns = HashMap::with_capacity(ids.len());
    for row in query.fetch_all(&mut **tx).await? {
        let campaign = CampaignInForce {
            open: row.try_get::<String, _>("status")? == CampaignStatus::Open.as_str(),
            version_id: row.try_get("version_id")?,
            number: number_from_row(&row)?,
            content_hash: row.try_get("content_hash")?,
            statement: row.try_get("statement")?,
        };
        campaigns.insert(row.try_get("id")?, campaign);
    }
    Ok(campaigns)
}

/// Why a campaign refuses an acknowledgment of `version_id`, if it does.
async fn refusal(
    tx: &mut Tx,
    campaign: &CampaignInForce,
    version_id: Uuid,
    batch: &mut AckBatch,
) -> Result<Option<StoreError>, sqlx::Error> {
    if !campaign.open {
        return Ok(Some(StoreError::Conflict("this campaign is closed".into())));
    }
    if version_id != campaign.version_id {
        let shown = version_number(tx, version_id, batch).await?;
        return Ok(Some(superseded(shown, campaign.number)));
    }
    Ok(None)
}

/// One request, checked in order: the account is the person's (403), the person was asked (404),
/// the campaign is open and asks about this version (409); a second acknowledgment returns the
/// first, also within one batch.
async fn acknowledge_one(
    tx: &mut Tx,
    request: &AckRequest,
    at: OffsetDateTime,
    batch: &mut AckBatch,
) -> Result<AckDecision, sqlx::Error> {
    if batch.accounts.get(&request.account_id) != Some(&request.person_id) {
        return Ok(AckDecision::Answered(Err(StoreError::Forbidden(
            "you can only acknowledge for yourself".into(),
        ))));
    }
    let key = (request.campaign_id, request.person_id);
    let (Some(given), Some(campaign)) = (
        batch.asked.get(&key).cloned(),
        batch.campaigns.get(&request.campaign_id).cloned(),
    ) else {
        return Ok(AckDecision::Answered(Err(StoreError::NotFound(
            "acknowledgment",
        ))));
    };
    if let Some(refused) = refusal(tx, &campaign, request.version_id, batch).await? {
        return Ok(AckDecision::Answered(Err(refused)));
    }
    if let Some(receipt) = given {
        if batch.writing.contains(&key) {
            return Ok(AckDecision::Writing(key));
        }
        return Ok(AckDecision::Answered(Ok(receipt)));
    }
    let receipt = AckReceipt {
        campaign_id: request.campaign_id,
        person_id: request.person_id,
        version_id: campaign.version_id,
        version_number: campaign.number,
        content_hash: campaign.content_hash,
        statement: campaign.statement,
        acknowledged_at: at,
    };
    batch.asked.insert(key, Some(receipt.clone()));
    batch.writing.insert(key);
    batch.writes.push((request.account_id, receipt));
    Ok(AckDecision::Writing(key))
}

fn superseded(shown: Option<VersionNumber>, current: VersionNumber) -> StoreError {
    StoreError::Conflict(match shown {
        Some(shown) => {
            format!("version {shown} is superseded; read version {current} and acknowledge that")
        }
        None => format!("read version {current} and acknowledge that"),
    })
}

/// Reads again, in one query, the acknowledgments the guarded write did not take, with their
/// campaigns, and answers each as it stands now: the receipt stored meanwhile, the refusal of a
/// campaign closed or moved to another version, or not found (no longer asked).
async fn read_missed(
    tx: &mut Tx,
    missed: &[AckReceipt],
    batch: &mut AckBatch,
) -> Result<HashMap<(Uuid, Uuid), Missed>, sqlx::Error> {
    let mut answers = HashMap::with_capacity(missed.len());
    if missed.is_empty() {
        return Ok(answers);
    }
    let campaigns = distinct(missed.iter().map(|r| r.campaign_id));
    let people = distinct(missed.iter().map(|r| r.person_id));
    let sql = format!(
        "SELECT k.campaign_id, k.person_id, k.acknowledged_at, k.version_id, v.major, v.minor,
            k.content_hash, k.statement
         FROM acknowledgments k LEFT JOIN policy_versions v ON v.id = k.version_id
         WHERE k.campaign_id IN ({}) AND k.person_id IN ({})",
        placeholders_from(1, campaigns.len()),
        placeholders_from(campaigns.len() + 1, people.len())
    );
    let mut query = dynamic(sql);
    for id in campaigns.iter().chain(&people) {
        query = query.bind(*id);
    }
    let mut stored = HashMap::new();
    for row in query.fetch_all(&mut **tx).await? {
        let key: (Uuid, Uuid) = (row.try_get("campaign_id")?, row.try_get("person_id")?);
        stored.insert(key, given_receipt(&row, key.0, key.1)?);
    }
    let in_force = read_campaigns(tx, &campaigns).await?;
    for receipt in missed {
        let key = (receipt.campaign_id, receipt.person_id);
        let answer = match (stored.get(&key), in_force.get(&receipt.campaign_id)) {
            (Some(Some(given)), _) => Missed::Given(given.clone()),
            (None, _) | (_, None) => Missed::Gone,
            (Some(None), Some(campaign)) => {
                match refusal(tx, campaign, receipt.version_id, batch).await? {
                    Some(refused) => Missed::Refused(refused.to_string()),
                    None => {
                        Missed::Refused("the acknowledgment was not recorded: try again".into())
                    }
                }
            }
        };
        answers.insert(key, answer);
    }
    Ok(answers)
}

/// How many acknowledgments one statement writes: few enough that the statement stays a small
/// message (about 40 bytes a row), since a large one can wait on the network.
const WRITE_CHUNK: usize = 200;

/// Writes the batch's new acknowledgments: per campaign, one statement per `WRITE_CHUNK` people,
/// binding what is the same for the campaign (time, version, hash, statement) once. Returns the
/// acknowledgments written (campaign and person).
async fn write_acknowledgments(
    tx: &mut Tx,
    writes: &[(Uuid, AckReceipt)],
) -> Result<std::collections::HashSet<(Uuid, Uuid)>, sqlx::Error> {
    let mut campaigns: Vec<Uuid> = Vec::new();
    let mut by_campaign: HashMap<Uuid, Vec<&(Uuid, AckReceipt)>> = HashMap::new();
    for write in writes {
        let rows = by_campaign.entry(write.1.campaign_id).or_default();
        if rows.is_empty() {
            campaigns.push(write.1.campaign_id);
        }
        rows.push(write);
    }
    let mut written = std::collections::HashSet::with_capacity(writes.len());
    for campaign_id in campaigns {
        for chunk in by_campaign[&campaign_id].chunks(WRITE_CHUNK) {
            write_chunk(tx, chunk, &mut written).await?;
        }
    }
    Ok(written)
}

/// One statement for acknowledgments of one campaign given at one time, guarded: it only takes
/// rows not acknowledged yet, while the campaign is open and on the version of the receipts.
/// Placeholders follow the text's order (SQLite's are anonymous): the people and accounts, then
/// the shared values.
async fn write_chunk(
    tx: &mut Tx,
    chunk: &[&(Uuid, AckReceipt)],
    written: &mut std::collections::HashSet<(Uuid, Uuid)>,
) -> Result<(), sqlx::Error> {
    let Some((_, shared)) = chunk.first() else {
        return Ok(());
    };
    let n = chunk.len();
    let values = placeholders_from(2 * n + 1, 7);
    let values: Vec<&str> = values.split(", ").collect();
    let sql = format!(
        "WITH given (who, by_account) AS (VALUES {})
         UPDATE acknowledgments SET acknowledged_at = {}, version_id = {}, content_hash = {},
            statement = {}, account_id = given.by_account
         FROM given WHERE acknowledgments.campaign_id = {}
            AND acknowledgments.person_id = given.who AND acknowledgments.acknowledged_at IS NULL
            AND EXISTS (SELECT 1 FROM campaigns c
                WHERE c.id = {} AND c.status = 'open' AND c.version_id = {})
         RETURNING campaign_id, person_id",
        values_placeholders(PLACEHOLDERS, n, 2),
        values[0],
        values[1],
        values[2],
        values[3],
        values[4],
        values[5],
        values[6]
    );
    let mut query = dynamic(sql);
    for (account_id, receipt) in chunk {
        query = query.bind(receipt.person_id).bind(*account_id);
    }
    let rows = query
        .bind(shared.acknowledged_at)
        .bind(shared.version_id)
        .bind(shared.content_hash.as_str())
        .bind(shared.statement.as_str())
        .bind(shared.campaign_id)
        .bind(shared.campaign_id)
        .bind(shared.version_id)
        .fetch_all(&mut **tx)
        .await?;
    for row in rows {
        written.insert((row.try_get("campaign_id")?, row.try_get("person_id")?));
    }
    Ok(())
}

/// The event of an acknowledgment: its record id is `<campaign id>:<person id>`, the key of the
/// acknowledgment, and its digest covers the receipt and the account that gave it.
fn acknowledgment_event(account_id: Uuid, receipt: &AckReceipt) -> NewAuditEvent {
    let record = serde_json::json!({ "receipt": receipt, "account_id": account_id });
    NewAuditEvent::for_record(
        &Actor::named(format!("account:{account_id}")),
        "acknowledgment.recorded",
        "acknowledgment",
        format!("{}:{}", receipt.campaign_id, receipt.person_id),
        &record,
    )
}

async fn version_number(
    tx: &mut Tx,
    id: Uuid,
    batch: &mut AckBatch,
) -> Result<Option<VersionNumber>, sqlx::Error> {
    if let Some(number) = batch.numbers.get(&id) {
        return Ok(*number);
    }
    let number = sqlx::query("SELECT major, minor FROM policy_versions WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| number_from_row(&row))
        .transpose()?;
    batch.numbers.insert(id, number);
    Ok(number)
}
