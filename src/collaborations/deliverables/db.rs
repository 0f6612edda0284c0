//! Deliverable storage, scoped to who may see each one (the creator, the
//! brand's members, admins), and the row lock every move on a deliverable takes.

use sqlx::{PgConnection, PgExecutor};
use time::Date;
use uuid::Uuid;

use super::DeliverableStatus;
use crate::{
    auth::Viewer,
    domain::{Format, Party, Platform},
};

/// Copies the deliverables of the campaign's newest brief onto an application
/// being accepted, in the caller's transaction; returns their ids in order.
pub async fn copy_from_brief(
    tx: &mut PgConnection,
    application_id: Uuid,
    campaign_id: Uuid,
) -> Result<Vec<Uuid>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select d.version, d.position, d.platform as "platform: Platform",
                  d.format as "format: Format", d.quantity, d.due_on, d.notes
           from brief_deliverables d
          where d.campaign_id = $1
            and d.version = (select max(v.version) from brief_versions v where v.campaign_id = $1)
          order by d.position"#,
        campaign_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|_| Uuid::now_v7()).collect();
    let versions: Vec<i32> = rows.iter().map(|r| r.version).collect();
    let positions: Vec<i16> = rows.iter().map(|r| r.position).collect();
    let platforms: Vec<Platform> = rows.iter().map(|r| r.platform).collect();
    let formats: Vec<Format> = rows.iter().map(|r| r.format).collect();
    let quantities: Vec<i32> = rows.iter().map(|r| r.quantity).collect();
    let due: Vec<Date> = rows.iter().map(|r| r.due_on).collect();
    let notes: Vec<String> = rows.iter().map(|r| r.notes.clone()).collect();
    sqlx::query!(
        "insert into deliverables (id, application_id, brief_version, position, platform, format,
                                   quantity, due_on, notes)
         select id, $2, version, position, platform, format, quantity, due_on, notes
           from unnest($1::uuid[], $3::int4[], $4::int2[], $5::text[], $6::text[], $7::int4[],
                       $8::date[], $9::text[])
             as t(id, version, position, platform, format, quantity, due_on, notes)",
        &ids,
        application_id,
        &versions,
        &positions,
        &platforms as &[Platform],
        &formats as &[Format],
        &quantities,
        &due,
        &notes,
    )
    .execute(&mut *tx)
    .await?;
    Ok(ids)
}

#[derive(Debug, Clone)]
pub struct DeliverableRow {
    pub id: Uuid,
    pub application_id: Uuid,
    pub campaign_title: String,
    pub creator_name: String,
    pub platform: Platform,
    pub format: Format,
    pub quantity: i32,
    pub due_on: Date,
    pub notes: String,
    pub status: DeliverableStatus,
    pub brand_id: Uuid,
    /// The creator's user account.
    pub applicant_id: Uuid,
}

/// The statement both of `list`'s ways share, with its caller's condition;
/// who may see a row is checked on the row afterwards, for the reason
/// `applications::db` gives.
macro_rules! deliverables_where {
    ($condition:literal, $($key:expr),+) => {
        sqlx::query_as!(
            DeliverableRow,
            r#"select d.id, d.application_id, c.title as campaign_title, u.display_name as creator_name,
                      d.platform as "platform: Platform", d.format as "format: Format", d.quantity,
                      d.due_on, d.notes, d.status as "status: DeliverableStatus", c.brand_id,
                      p.user_id as applicant_id
                 from deliverables d
                 join applications a on a.id = d.application_id
                 join campaigns c on c.id = a.campaign_id
                 join influencer_profiles p on p.id = a.profile_id
                 join users u on u.id = p.user_id
                where a.status in ('accepted', 'cancelled') and "# + $condition,
            $($key),+
        )
    };
}

impl DeliverableRow {
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_open() && self.due_on < today
    }
}

/// The deliverables the viewer may see: of one collaboration when
/// `application` is given, else the open ones due soonest across all of theirs.
pub async fn list(
    db: impl sqlx::PgExecutor<'_>,
    viewer: Viewer,
    application: Option<Uuid>,
    limit: i64,
) -> Result<Vec<DeliverableRow>, sqlx::Error> {
    let mut rows = match (application, viewer) {
        (Some(a), _) => {
            deliverables_where!(
                "d.application_id = $1 order by d.position limit $2",
                a,
                limit
            )
            .fetch_all(db)
            .await?
        }
        // The page is cut on the index for the way in before anything is
        // joined, then read in one statement.
        (None, Viewer::Creator(user)) => {
            deliverables_where!(
                "d.id in (select x.id from deliverables x
                           where x.profile_id = (select p.id from influencer_profiles p
                                                  where p.user_id = $1)
                             and x.status not in ('approved', 'published', 'cancelled')
                           order by x.due_on limit $2)
                 order by d.due_on, d.id",
                user,
                limit
            )
            .fetch_all(db)
            .await?
        }
        (None, Viewer::Brand(brand)) => {
            deliverables_where!(
                "d.id in (select x.id from deliverables x
                           where x.brand_id = $1
                             and x.status not in ('approved', 'published', 'cancelled')
                           order by x.due_on limit $2)
                 order by d.due_on, d.id",
                brand,
                limit
            )
            .fetch_all(db)
            .await?
        }
        (None, Viewer::Admin) => {
            deliverables_where!(
                "d.id in (select x.id from deliverables x
                           where x.status not in ('approved', 'published', 'cancelled')
                           order by x.due_on limit $1)
                 order by d.due_on, d.id",
                limit
            )
            .fetch_all(db)
            .await?
        }
    };
    rows.retain(|r| viewer.may_see(r.brand_id, r.applicant_id));
    Ok(rows)
}

/// Ends the work of a collaboration that `by` is ending, under the
/// deliverables' locks: what is not yet paid or published is cancelled.
/// Refused (`Err` with the reason) when the brand would end work it has
/// approved, or a draft waiting for its review: the creator did that work.
pub async fn wind_down(
    tx: &mut PgConnection,
    application_id: Uuid,
    by: Party,
) -> Result<Result<(), String>, sqlx::Error> {
    let statuses = sqlx::query_scalar!(
        r#"select status as "status: DeliverableStatus" from deliverables
            where application_id = $1 order by id for update"#,
        application_id
    )
    .fetch_all(&mut *tx)
    .await?;
    if by == Party::Brand {
        if statuses.iter().any(|s| {
            matches!(
                s,
                DeliverableStatus::Approved | DeliverableStatus::Published
            )
        }) {
            return Ok(Err(
                "Part of the work is approved already, so the collaboration can't be cancelled. \
                 If something went wrong with a deliverable, open a dispute on it and the agency \
                 will settle its money."
                    .to_owned(),
            ));
        }
        if statuses.contains(&DeliverableStatus::Submitted) {
            return Ok(Err(
                "A draft is waiting for your review: review it first (approve it or ask for \
                 changes), then cancel if you still need to."
                    .to_owned(),
            ));
        }
    }
    sqlx::query!(
        "update deliverables d set status = 'cancelled'
          where d.application_id = $1
            and (d.status in ('todo', 'submitted', 'changes_requested')
                 or (d.status = 'approved'
                     and exists (select 1 from escrow_shares s
                                  where s.deliverable_id = d.id and s.settled is null)))",
        application_id
    )
    .execute(&mut *tx)
    .await?;
    Ok(Ok(()))
}

/// A deliverable with what its page and its rules need: the collaboration it
/// belongs to and the brief version's feedback terms.
#[derive(Debug, Clone)]
pub struct DeliverableDetail {
    pub id: Uuid,
    pub application_id: Uuid,
    pub campaign_id: Uuid,
    pub campaign_title: String,
    pub brand_id: Uuid,
    pub brand_name: String,
    pub applicant_id: Uuid,
    pub creator_name: String,
    pub brief_version: i32,
    pub position: i16,
    pub platform: Platform,
    pub format: Format,
    pub quantity: i32,
    pub due_on: Date,
    pub notes: String,
    pub status: DeliverableStatus,
    pub live_url: Option<String>,
    pub review_days: i32,
    pub max_revision_rounds: i32,
    /// The dispute opened on its money, if any.
    pub dispute_id: Option<Uuid>,
}

impl DeliverableDetail {
    /// "2 × Instagram post"
    pub fn title(&self) -> String {
        format!(
            "{} × {} {}",
            self.quantity,
            self.platform.label(),
            self.format.label().to_lowercase()
        )
    }
}

/// A deliverable the viewer may see.
pub async fn find(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    id: Uuid,
) -> Result<Option<DeliverableDetail>, sqlx::Error> {
    // Who may see it is checked on the row, for the reason `applications::db` gives.
    let row = sqlx::query_as!(
        DeliverableDetail,
        r#"select d.id, d.application_id, a.campaign_id, c.title as campaign_title, c.brand_id,
                  c.brand_name, p.user_id as applicant_id, u.display_name as creator_name,
                  d.brief_version, d.position, d.platform as "platform: Platform",
                  d.format as "format: Format", d.quantity, d.due_on, d.notes,
                  d.status as "status: DeliverableStatus", d.live_url, v.review_days,
                  v.max_revision_rounds,
                  (select x.id from disputes x where x.deliverable_id = d.id) as dispute_id
             from deliverables d
             join applications a on a.id = d.application_id
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
             join brief_versions v on v.campaign_id = a.campaign_id and v.version = d.brief_version
            where d.id = $1"#,
        id
    )
    .fetch_optional(db)
    .await?;
    Ok(row.filter(|d| viewer.may_see(d.brand_id, d.applicant_id)))
}

/// The deliverable a submission belongs to, if the viewer may see it.
pub async fn find_by_submission(
    db: &sqlx::PgPool,
    viewer: Viewer,
    submission_id: Uuid,
) -> Result<Option<DeliverableDetail>, sqlx::Error> {
    let deliverable = sqlx::query_scalar!(
        "select deliverable_id from submissions where id = $1",
        submission_id
    )
    .fetch_optional(db)
    .await?;
    match deliverable {
        Some(id) => find(db, viewer, id).await,
        None => Ok(None),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WorkError {
    /// The move doesn't fit the deliverable's state now; the message says why.
    #[error("{0}")]
    Refused(String),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

pub(in crate::collaborations) struct Locked {
    pub status: DeliverableStatus,
    pub last_round: i16,
}

/// Locks the deliverable row so rounds, reviews and answers are decided one
/// at a time.
pub(in crate::collaborations) async fn lock(
    tx: &mut PgConnection,
    id: Uuid,
) -> Result<Locked, WorkError> {
    let r = sqlx::query!(
        r#"select d.status as "status: DeliverableStatus",
                  coalesce((select max(s.round) from submissions s where s.deliverable_id = d.id), 0)::int2
                      as "last_round!"
             from deliverables d where d.id = $1 for update"#,
        id
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok(Locked {
        status: r.status,
        last_round: r.last_round,
    })
}

pub(in crate::collaborations) async fn set_status(
    tx: &mut PgConnection,
    id: Uuid,
    status: DeliverableStatus,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update deliverables set status = $2 where id = $1",
        id,
        status as DeliverableStatus
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Marks an approved deliverable published at its live address.
pub async fn publish(
    tx: &mut PgConnection,
    d: &DeliverableDetail,
    live_url: &str,
) -> Result<(), WorkError> {
    let locked = lock(tx, d.id).await?;
    if locked.status != DeliverableStatus::Approved {
        return Err(WorkError::Refused(match locked.status {
            DeliverableStatus::Published => "This deliverable is published already.".into(),
            DeliverableStatus::Cancelled => {
                "This collaboration has ended: the deliverable was cancelled.".into()
            }
            _ => "Publish once the brand has approved the draft.".into(),
        }));
    }
    sqlx::query!(
        "update deliverables set status = 'published', live_url = $2 where id = $1",
        d.id,
        live_url
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
