use sqlx::{PgConnection, PgExecutor};
use time::Date;
use uuid::Uuid;

use crate::{
    applications::db::Party,
    domain::{Format, Platform, keyed_enum},
};

keyed_enum! {
    pub enum DeliverableStatus {
        Todo => ("todo", "To do"),
        Submitted => ("submitted", "Submitted"),
        ChangesRequested => ("changes_requested", "Changes requested"),
        Approved => ("approved", "Approved"),
        Published => ("published", "Published"),
    }
    unknown: "Choose a status."
}

impl DeliverableStatus {
    /// Still work to do (or to review) before its due date matters no more.
    pub fn is_open(self) -> bool {
        !matches!(
            self,
            DeliverableStatus::Approved | DeliverableStatus::Published
        )
    }
}

/// Copies the deliverables of the campaign's newest brief onto an application
/// being accepted, in the caller's transaction.
pub async fn copy_from_brief(
    tx: &mut PgConnection,
    application_id: Uuid,
    campaign_id: Uuid,
) -> Result<usize, sqlx::Error> {
    let rows = sqlx::query!(
        "select d.version, d.position, d.platform, d.format, d.quantity, d.due_on, d.notes
           from brief_deliverables d
          where d.campaign_id = $1
            and d.version = (select max(v.version) from brief_versions v where v.campaign_id = $1)
          order by d.position",
        campaign_id
    )
    .fetch_all(&mut *tx)
    .await?;
    let ids: Vec<Uuid> = rows.iter().map(|_| Uuid::now_v7()).collect();
    let versions: Vec<i32> = rows.iter().map(|r| r.version).collect();
    let positions: Vec<i16> = rows.iter().map(|r| r.position).collect();
    let platforms: Vec<String> = rows.iter().map(|r| r.platform.clone()).collect();
    let formats: Vec<String> = rows.iter().map(|r| r.format.clone()).collect();
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
        &platforms,
        &formats,
        &quantities,
        &due,
        &notes,
    )
    .execute(&mut *tx)
    .await?;
    Ok(rows.len())
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
}

impl DeliverableRow {
    pub fn is_overdue(&self, today: Date) -> bool {
        self.status.is_open() && self.due_on < today
    }
}

/// Deliverables the party may see: of one collaboration when `application`
/// is given, else the open ones due soonest across all of theirs.
pub async fn list(
    db: impl PgExecutor<'_>,
    party: Party,
    application: Option<Uuid>,
    limit: i64,
) -> Result<Vec<DeliverableRow>, sqlx::Error> {
    let (applicant, brand, admin) = party.ids();
    let rows = sqlx::query!(
        r#"select d.id, d.application_id, c.title as campaign_title, u.display_name as creator_name,
                  d.platform, d.format, d.quantity, d.due_on, d.notes, d.status
             from deliverables d
             join applications a on a.id = d.application_id
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
            where (p.user_id = $1 or c.brand_id = $2 or $3)
              and a.status = 'accepted'
              and (($4::uuid is null and d.status not in ('approved', 'published')) or d.application_id = $4)
            order by case when $4::uuid is null then d.due_on end, d.position, d.due_on
            limit $5"#,
        applicant,
        brand,
        admin,
        application,
        limit
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(DeliverableRow {
                id: r.id,
                application_id: r.application_id,
                campaign_title: r.campaign_title,
                creator_name: r.creator_name,
                platform: Platform::parse(&r.platform).ok()?,
                format: Format::parse(&r.format).ok()?,
                quantity: r.quantity,
                due_on: r.due_on,
                notes: r.notes,
                status: DeliverableStatus::parse(&r.status).ok()?,
            })
        })
        .collect())
}
