//! Application storage. Every read is scoped to a viewer (the applicant, the
//! campaign's brand, or an admin), so another viewer's id is simply not found.

use sqlx::{PgConnection, PgExecutor, Postgres, QueryBuilder};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{
    domain::{Move, NewApplication, Status},
    list::{Counts, Cursor, Filter, PAGE, Sort},
};
use crate::{
    auth::Viewer,
    domain::{Currency, Money, Party, Tier},
};

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error("an active application exists")]
    AlreadyApplied,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Records an application and the brief version it acknowledges.
pub async fn insert(
    tx: &mut PgConnection,
    campaign_id: Uuid,
    profile_id: Uuid,
    a: &NewApplication,
) -> Result<Uuid, ApplyError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor, currency)
         values ($1, $2, $3, $4, $5, $6)",
        id,
        campaign_id,
        profile_id,
        a.pitch,
        a.fee.minor(),
        a.fee.currency() as Currency,
    )
    .execute(&mut *tx)
    .await
    .map_err(|e| match &e {
        sqlx::Error::Database(d) if d.constraint() == Some("applications_one_active_idx") => {
            ApplyError::AlreadyApplied
        }
        _ => ApplyError::Db(e),
    })?;
    acknowledge(&mut *tx, id, a.brief_version).await?;
    Ok(id)
}

pub async fn acknowledge(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
    version: i32,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "insert into brief_acknowledgements (application_id, version) values ($1, $2)
         on conflict do nothing",
        application_id,
        version
    )
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, Clone)]
pub struct ApplicationRow {
    pub id: Uuid,
    pub campaign_id: Uuid,
    pub campaign_title: String,
    pub brand_id: Uuid,
    pub brand_name: String,
    pub profile_id: Uuid,
    /// The applicant's user account.
    pub applicant_id: Uuid,
    pub creator_name: String,
    pub tier: Option<Tier>,
    pub score: Option<i16>,
    pub first_signal: Option<String>,
    pub pitch: String,
    pub proposed_fee: Money,
    pub agreed_fee: Option<Money>,
    pub status: Status,
    pub decision_reason: Option<String>,
    pub created_at: OffsetDateTime,
    pub decided_at: Option<OffsetDateTime>,
    /// Who ended the collaboration after acceptance, and when.
    pub cancelled: Option<(Party, OffsetDateTime)>,
    /// The newest brief version the applicant has acknowledged.
    pub acknowledged: i32,
    /// The campaign's newest brief version.
    pub latest_brief: i32,
}

/// An application as its statements read it; `ApplicationRow` joins the
/// money back together.
struct Record {
    id: Uuid,
    campaign_id: Uuid,
    campaign_title: String,
    brand_id: Uuid,
    brand_name: String,
    profile_id: Uuid,
    applicant_id: Uuid,
    creator_name: String,
    tier: Option<Tier>,
    score: Option<i16>,
    first_signal: Option<String>,
    pitch: String,
    proposed_fee_minor: i64,
    agreed_fee_minor: Option<i64>,
    currency: Currency,
    status: Status,
    decision_reason: Option<String>,
    created_at: OffsetDateTime,
    decided_at: Option<OffsetDateTime>,
    cancelled_by_side: Option<Party>,
    cancelled_at: Option<OffsetDateTime>,
    acknowledged: i32,
    latest_brief: i32,
}

impl From<Record> for ApplicationRow {
    fn from(r: Record) -> ApplicationRow {
        ApplicationRow {
            id: r.id,
            campaign_id: r.campaign_id,
            campaign_title: r.campaign_title,
            brand_id: r.brand_id,
            brand_name: r.brand_name,
            profile_id: r.profile_id,
            applicant_id: r.applicant_id,
            creator_name: r.creator_name,
            tier: r.tier,
            score: r.score,
            first_signal: r.first_signal,
            pitch: r.pitch,
            proposed_fee: Money::from_minor(r.proposed_fee_minor, r.currency),
            agreed_fee: r.agreed_fee_minor.map(|m| Money::from_minor(m, r.currency)),
            status: r.status,
            decision_reason: r.decision_reason,
            created_at: r.created_at,
            decided_at: r.decided_at,
            cancelled: r.cancelled_by_side.zip(r.cancelled_at),
            acknowledged: r.acknowledged,
            latest_brief: r.latest_brief,
        }
    }
}

/// The statement the reads of one application share, with its caller's
/// condition. Each condition has only the keys it is found by as parameters,
/// and who may see the row is checked on the row afterwards: with the viewer
/// among the parameters PostgreSQL would plan this five-table join again on
/// every call (about 1 ms, ten times its running time) instead of keeping one
/// generic plan. The lists read narrower rows ([`campaign_page`],
/// [`applicant_page`]).
macro_rules! applications_where {
    ($condition:literal, $($key:expr),+) => {
        sqlx::query_as!(
            Record,
            r#"select a.id, a.campaign_id, c.title as campaign_title, c.brand_id, c.brand_name,
                      a.profile_id, p.user_id as applicant_id, u.display_name as creator_name,
                      p.tier as "tier: Tier", p.score, p.first_signal, a.pitch, a.proposed_fee_minor,
                      a.agreed_fee_minor, a.currency as "currency: Currency",
                      a.status as "status: Status", a.decision_reason, a.created_at, a.decided_at,
                      a.cancelled_by_side as "cancelled_by_side: Party", a.cancelled_at,
                      coalesce((select max(k.version) from brief_acknowledgements k
                                 where k.application_id = a.id), 0) as "acknowledged!",
                      coalesce((select max(v.version) from brief_versions v
                                 where v.campaign_id = a.campaign_id), 0) as "latest_brief!"
                 from applications a
                 join campaigns c on c.id = a.campaign_id
                 join influencer_profiles p on p.id = a.profile_id
                 join users u on u.id = p.user_id
                where "# + $condition,
            $($key),+
        )
    };
}

impl ApplicationRow {
    fn visible_to(&self, viewer: Viewer) -> bool {
        viewer.may_see(self.brand_id, self.applicant_id)
    }
}

pub async fn find(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    id: Uuid,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    Ok(applications_where!("a.id = $1", id)
        .fetch_optional(db)
        .await?
        .map(ApplicationRow::from)
        .filter(|r| r.visible_to(viewer)))
}

/// The influencer's active application to a campaign, if any.
pub async fn active(
    db: impl sqlx::PgExecutor<'_>,
    user_id: Uuid,
    campaign_id: Uuid,
) -> Result<Option<ApplicationRow>, sqlx::Error> {
    Ok(applications_where!(
        "p.user_id = $1 and a.campaign_id = $2
           and a.status in ('submitted', 'shortlisted', 'accepted')",
        user_id,
        campaign_id
    )
    .fetch_optional(db)
    .await?
    .map(ApplicationRow::from))
}

/// One application in a campaign's list, for its brand.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub id: Uuid,
    pub creator_name: String,
    pub tier: Option<Tier>,
    pub score: Option<i16>,
    pub first_signal: Option<String>,
    pub proposed_fee: Money,
    pub agreed_fee: Option<Money>,
    pub status: Status,
    /// The newest brief version the applicant has acknowledged.
    pub acknowledged: i32,
    pub created_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct ApplicantRecord {
    id: Uuid,
    creator_name: String,
    tier: Option<Tier>,
    score: Option<i16>,
    first_signal: Option<String>,
    proposed_fee_minor: i64,
    agreed_fee_minor: Option<i64>,
    currency: Currency,
    status: Status,
    acknowledged: i32,
    created_at: OffsetDateTime,
}

impl Applicant {
    /// Where a page ending at this row ends, in the list's order.
    pub fn cursor(&self, sort: Sort) -> Cursor {
        match sort {
            Sort::Newest => Cursor::at(self.created_at, self.id),
            Sort::FeeLowest => Cursor {
                value: self.proposed_fee.minor(),
                id: self.id,
            },
            Sort::ScoreHighest => Cursor {
                value: self.score.map_or(-1, i64::from),
                id: self.id,
            },
        }
    }
}

/// A page of a campaign's applications (one row more than a page when more
/// follow), if the campaign is the brand's. The page is cut on the index for
/// its order before anything is joined: the planner's estimate of a campaign's
/// applications is the average (25), and for a popular one it would otherwise
/// join thousands of rows first. Score order walks the scores kept beside the
/// applications (`applicant_scores`), since the score lives on the profile.
pub async fn campaign_page(
    db: impl sqlx::PgExecutor<'_>,
    brand_id: Uuid,
    campaign_id: Uuid,
    f: &Filter,
) -> Result<Vec<Applicant>, sqlx::Error> {
    let (key, direction, past) = match f.sort {
        Sort::Newest => ("a.created_at", "desc", "<"),
        Sort::FeeLowest => ("a.proposed_fee_minor", "asc", ">"),
        Sort::ScoreHighest => ("k.score", "desc", "<"),
    };
    // Where the page is cut: the applications, or the scores kept beside them
    // (whose rows then carry the score to order the joined page by).
    let (from, on, id, carried, shown) = if f.sort == Sort::ScoreHighest {
        (
            "applicant_scores k join applications a on a.id = k.application_id",
            "k",
            "k.application_id",
            ", k.score",
            "a.score",
        )
    } else {
        ("applications a", "a", "a.id", "", key)
    };
    let mut q = QueryBuilder::<Postgres>::new(
        "select a.id, u.display_name as creator_name, p.tier, p.score, p.first_signal,
                a.proposed_fee_minor, a.agreed_fee_minor, a.currency, a.status, a.created_at,
                coalesce((select max(k.version) from brief_acknowledgements k
                           where k.application_id = a.id), 0) as acknowledged
           from (select a.id, a.profile_id, a.proposed_fee_minor, a.agreed_fee_minor, a.currency,
                        a.status, a.created_at",
    );
    q.push(format_args!(
        "{carried} from {from} where {on}.campaign_id = "
    ))
    .push_bind(campaign_id)
    .push(" and exists (select 1 from campaigns c where c.id = ")
    .push_bind(campaign_id)
    .push(" and c.brand_id = ")
    .push_bind(brand_id)
    .push(")");
    if let Some(status) = f.status {
        q.push(format_args!(" and {on}.status = "))
            .push_bind(status);
    }
    if let Some(after) = f.after {
        q.push(format_args!(" and ({key}, {id}) {past} ("));
        match f.sort {
            Sort::Newest => q.push_bind(after.time()),
            Sort::FeeLowest | Sort::ScoreHighest => q.push_bind(after.value),
        };
        q.push(", ").push_bind(after.id).push(")");
    }
    q.push(format_args!(
        " order by {key} {direction}, {id} {direction} limit {}) a
           join influencer_profiles p on p.id = a.profile_id
           join users u on u.id = p.user_id
          order by {shown} {direction}, a.id {direction}",
        PAGE + 1,
    ));
    let rows: Vec<ApplicantRecord> = q.build_query_as().fetch_all(db).await?;
    Ok(rows
        .into_iter()
        .map(|r| Applicant {
            id: r.id,
            creator_name: r.creator_name,
            tier: r.tier,
            score: r.score,
            first_signal: r.first_signal,
            proposed_fee: Money::from_minor(r.proposed_fee_minor, r.currency),
            agreed_fee: r.agreed_fee_minor.map(|m| Money::from_minor(m, r.currency)),
            status: r.status,
            acknowledged: r.acknowledged,
            created_at: r.created_at,
        })
        .collect())
}

/// What heads a campaign's list: its title, what it has committed, its newest
/// brief version and how many applications have each status.
#[derive(Debug, Clone)]
pub struct CampaignSummary {
    pub title: String,
    pub commitments: Commitments,
    pub latest_brief: i32,
    pub counts: Counts,
}

/// The campaign's summary, if it is the brand's, in one statement: the
/// counts are kept per campaign by the database (migration 0044), and what is
/// committed adds up only the accepted few.
pub async fn campaign_summary(
    db: impl sqlx::PgExecutor<'_>,
    brand_id: Uuid,
    campaign_id: Uuid,
) -> Result<Option<CampaignSummary>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select c.title, c.budget_minor, c.currency as "currency: Currency", c.creators_wanted,
                  coalesce((select max(v.version) from brief_versions v
                             where v.campaign_id = c.id), 0) as "latest_brief!",
                  coalesce((select sum(a.agreed_fee_minor) from applications a
                             where a.campaign_id = c.id and a.status = 'accepted'), 0)::int8 as "committed!",
                  coalesce(n.submitted, 0) as "submitted!",
                  coalesce(n.shortlisted, 0) as "shortlisted!",
                  coalesce(n.accepted, 0) as "accepted!",
                  coalesce(n.declined, 0) as "declined!",
                  coalesce(n.withdrawn, 0) as "withdrawn!",
                  coalesce(n.cancelled, 0) as "cancelled!"
             from campaigns c
             left join campaign_application_counts n on n.campaign_id = c.id
            where c.id = $1 and c.brand_id = $2"#,
        campaign_id,
        brand_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| CampaignSummary {
        title: r.title,
        commitments: Commitments {
            budget: Money::from_minor(r.budget_minor, r.currency),
            committed: Money::from_minor(r.committed, r.currency),
            creators_wanted: r.creators_wanted,
            accepted: i64::from(r.accepted),
        },
        latest_brief: r.latest_brief,
        counts: Counts::of_statuses([
            r.submitted,
            r.shortlisted,
            r.accepted,
            r.declined,
            r.withdrawn,
            r.cancelled,
        ]),
    }))
}

/// One of the creator's own applications, in their list.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Own {
    pub id: Uuid,
    pub campaign_title: String,
    pub brand_name: String,
    pub proposed_fee_minor: i64,
    pub currency: Currency,
    pub status: Status,
    pub acknowledged: i32,
    pub latest_brief: i32,
    pub created_at: OffsetDateTime,
}

impl Own {
    pub fn fee(&self) -> Money {
        Money::from_minor(self.proposed_fee_minor, self.currency)
    }

    /// Active, and the brief changed since the creator last confirmed it.
    pub fn brief_outdated(&self) -> bool {
        self.status.is_active() && self.acknowledged < self.latest_brief
    }
}

/// A page of the creator's applications, newest first (one row more than a
/// page when more follow), cut from their applications on the index before
/// campaigns are joined, as [`campaign_page`] does.
pub async fn applicant_page(
    db: impl sqlx::PgExecutor<'_>,
    user_id: Uuid,
    f: &Filter,
) -> Result<Vec<Own>, sqlx::Error> {
    let mut q = QueryBuilder::<Postgres>::new(
        "select a.id, c.title as campaign_title, c.brand_name, a.proposed_fee_minor, a.currency,
                a.status, a.created_at,
                coalesce((select max(k.version) from brief_acknowledgements k
                           where k.application_id = a.id), 0) as acknowledged,
                coalesce((select max(v.version) from brief_versions v
                           where v.campaign_id = a.campaign_id), 0) as latest_brief
           from (select a.id, a.campaign_id, a.proposed_fee_minor, a.currency, a.status,
                        a.created_at
                   from applications a
                  where a.profile_id = (select p.id from influencer_profiles p where p.user_id = ",
    );
    q.push_bind(user_id).push(")");
    if let Some(status) = f.status {
        q.push(" and a.status = ").push_bind(status);
    }
    if let Some(after) = f.after {
        q.push(" and (a.created_at, a.id) < (")
            .push_bind(after.time())
            .push(", ")
            .push_bind(after.id)
            .push(")");
    }
    q.push(format_args!(
        " order by a.created_at desc, a.id desc limit {}) a
           join campaigns c on c.id = a.campaign_id
          order by a.created_at desc, a.id desc",
        PAGE + 1
    ));
    q.build_query_as().fetch_all(db).await
}

/// How many of the creator's applications have each status, as the database
/// keeps them per profile (migration 0044).
pub async fn applicant_counts(
    db: impl sqlx::PgExecutor<'_>,
    user_id: Uuid,
) -> Result<Counts, sqlx::Error> {
    let row = sqlx::query!(
        "select k.submitted, k.shortlisted, k.accepted, k.declined, k.withdrawn, k.cancelled
           from profile_application_counts k
          where k.profile_id = (select p.id from influencer_profiles p where p.user_id = $1)",
        user_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map_or_else(Counts::default, |r| {
        Counts::of_statuses([
            r.submitted,
            r.shortlisted,
            r.accepted,
            r.declined,
            r.withdrawn,
            r.cancelled,
        ])
    }))
}

/// What a campaign has committed so far, for deciding.
#[derive(Debug, Clone, Copy)]
pub struct Commitments {
    pub budget: Money,
    pub committed: Money,
    pub creators_wanted: i32,
    pub accepted: i64,
}

impl Commitments {
    pub fn free(&self) -> Money {
        Money::from_minor(
            self.budget.minor() - self.committed.minor(),
            self.budget.currency(),
        )
    }
}

pub async fn commitments(
    db: impl PgExecutor<'_>,
    campaign_id: Uuid,
) -> Result<Option<Commitments>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select c.budget_minor, c.currency as "currency: Currency", c.creators_wanted,
                  coalesce(sum(a.agreed_fee_minor) filter (where a.status = 'accepted'), 0)::int8 as "committed!",
                  count(a.id) filter (where a.status = 'accepted') as "accepted!"
             from campaigns c left join applications a on a.campaign_id = c.id
            where c.id = $1
            group by c.id"#,
        campaign_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| Commitments {
        budget: Money::from_minor(r.budget_minor, r.currency),
        committed: Money::from_minor(r.committed, r.currency),
        creators_wanted: r.creators_wanted,
        accepted: r.accepted,
    }))
}

#[derive(Debug, thiserror::Error)]
pub enum DecideError {
    #[error("not found")]
    NotFound,
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// Moves an application, locking its campaign first: two decisions on one
/// campaign at once run one after the other, so accepting can never commit
/// more than the budget or the creators wanted. Returns the new status and the
/// campaign, so that the caller can start the collaboration of an accepted one in
/// the same transaction.
pub async fn decide(
    tx: &mut PgConnection,
    viewer: Viewer,
    id: Uuid,
    mv: Move,
    agreed_fee: Option<Money>,
    reason: Option<&str>,
    by: Uuid,
) -> Result<(Status, Uuid), DecideError> {
    let (applicant, brand, _) = viewer.ids();
    let row = sqlx::query!(
        r#"select a.campaign_id, a.status as "status: Status", c.budget_minor, c.creators_wanted,
                  c.currency as "currency: Currency"
             from applications a
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
            where a.id = $1 and (p.user_id = $2 or c.brand_id = $3)
              for update of c, a"#,
        id,
        applicant,
        brand
    )
    .fetch_optional(&mut *tx)
    .await?
    .ok_or(DecideError::NotFound)?;
    let from = row.status;
    let to = mv.from(from).map_err(DecideError::Refused)?;
    if to == Status::Cancelled && reason.is_none() {
        // The page was read before an acceptance that landed meanwhile.
        return Err(DecideError::Refused(
            "The brand accepted this application a moment ago. Withdrawing now ends the \
             collaboration: give your reason below."
                .into(),
        ));
    }
    if to == Status::Accepted {
        let fee = agreed_fee.ok_or_else(|| DecideError::Refused("Enter the agreed fee.".into()))?;
        let c = commitments(&mut *tx, row.campaign_id)
            .await?
            .ok_or(DecideError::NotFound)?;
        if c.accepted >= i64::from(c.creators_wanted) {
            return Err(DecideError::Refused(format!(
                "This campaign wants {} creator{} and has accepted that many already.",
                c.creators_wanted,
                if c.creators_wanted == 1 { "" } else { "s" }
            )));
        }
        if fee.minor() > c.free().minor() {
            return Err(DecideError::Refused(format!(
                "That fee is more than the budget still free ({} of {}).",
                c.free(),
                c.budget
            )));
        }
    }
    // Ending a collaboration keeps its agreed fee and records who ended it;
    // the decision it was accepted with stays as it was.
    let cancelled_by = match (to, mv) {
        (Status::Cancelled, Move::Withdraw) => Some(Party::Creator),
        (Status::Cancelled, _) => Some(Party::Brand),
        _ => None,
    };
    sqlx::query!(
        "update applications
            set status = $2,
                agreed_fee_minor = case when $7::text is null then $3 else agreed_fee_minor end,
                decision_reason = coalesce($4, decision_reason),
                decided_by = case when $5 then $6 else decided_by end,
                decided_at = case when $5 then now() else decided_at end,
                cancelled_by_side = $7,
                cancelled_at = case when $7::text is null then null else now() end
          where id = $1",
        id,
        to as Status,
        agreed_fee
            .filter(|_| to == Status::Accepted)
            .map(Money::minor),
        reason,
        mv != Move::Withdraw && cancelled_by.is_none(),
        by,
        cancelled_by as Option<Party>,
    )
    .execute(&mut *tx)
    .await?;
    Ok((to, row.campaign_id))
}
