//! Agreements as stored: drawing one up at acceptance, reading them for the
//! people who may, and signing.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use super::domain::{AgreedDeliverable, AmendmentStatus, Standing, Terms, hash};
use crate::{
    auth::CurrentUser,
    billing::terms,
    campaigns::brief::db as brief_db,
    documents::issuer,
    domain::{Currency, Format, Money, Party, Platform},
    error::AppError,
};

/// Who reads an agreement: its two parties, the agency's admins, and the
/// manager whose portfolio holds either party.
#[derive(Debug, Clone, Copy)]
pub enum Reader {
    Admin,
    Brand(Uuid),
    Creator(Uuid),
    Manager(Uuid),
}

impl Reader {
    pub fn of(user: &CurrentUser) -> Reader {
        match (&user.brand, user.is_admin(), user.is_manager()) {
            (_, true, _) => Reader::Admin,
            (Some(b), _, _) => Reader::Brand(b.brand_id),
            (None, _, true) => Reader::Manager(user.id),
            (None, _, false) => Reader::Creator(user.id),
        }
    }

    /// The side this reader signs for, if any.
    pub fn party(self) -> Option<Party> {
        match self {
            Reader::Brand(_) => Some(Party::Brand),
            Reader::Creator(_) => Some(Party::Creator),
            Reader::Admin | Reader::Manager(_) => None,
        }
    }

    /// (brand, creator's user, manager) for the access check in SQL; all
    /// `None` for an admin.
    fn ids(self) -> (Option<Uuid>, Option<Uuid>, Option<Uuid>, bool) {
        match self {
            Reader::Admin => (None, None, None, true),
            Reader::Brand(b) => (Some(b), None, None, false),
            Reader::Creator(u) => (None, Some(u), None, false),
            Reader::Manager(m) => (None, None, Some(m), false),
        }
    }
}

/// Draws up the agreement of an application just accepted (its deliverables
/// copied and its fee held), in the acceptance's transaction. Returns its id.
pub async fn draw_up(tx: &mut PgConnection, application_id: Uuid) -> Result<Uuid, AppError> {
    let a = sqlx::query!(
        r#"select c.id as campaign_id, c.title, b.name as brand_name, b.billing_address,
                  u.display_name, p.business_name, p.handle, a.decided_at as "decided_at!",
                  h.fee_minor, h.brand_fee_minor, h.creator_fee_basis_points,
                  h.currency as "currency: Currency",
                  (select min(d.brief_version) from deliverables d
                    where d.application_id = a.id) as "brief_version!"
             from applications a
             join escrow_holds h on h.application_id = a.id
             join campaigns c on c.id = a.campaign_id
             join brands b on b.id = c.brand_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
            where a.id = $1"#,
        application_id
    )
    .fetch_one(&mut *tx)
    .await?;
    let money = |minor| Money::from_minor(minor, a.currency);
    let deliverables = sqlx::query!(
        r#"select d.platform as "platform: Platform", d.format as "format: Format", d.quantity,
                  d.due_on, d.notes, s.fee_minor
             from deliverables d join escrow_shares s on s.deliverable_id = d.id
            where d.application_id = $1
            order by d.position"#,
        application_id
    )
    .fetch_all(&mut *tx)
    .await?
    .into_iter()
    .map(|d| AgreedDeliverable {
        platform: d.platform,
        format: d.format,
        quantity: d.quantity,
        due_on: d.due_on,
        notes: d.notes,
        fee: money(d.fee_minor),
    })
    .collect();
    let brief = brief_db::get(&mut *tx, a.campaign_id, Some(a.brief_version))
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("an accepted brief is missing")))?;
    let agency_terms = terms::load(&mut *tx).await?;
    let agency = issuer::load(&mut *tx).await?;
    let terms = Terms {
        campaign_title: a.title,
        brief_version: a.brief_version,
        brand_name: a.brand_name,
        brand_address: a.billing_address.replace('\n', ", "),
        creator_name: a.display_name,
        creator_business: a.business_name,
        creator_handle: a.handle,
        agency_name: agency.name,
        accepted_at: a.decided_at,
        deliverables,
        fee: money(a.fee_minor),
        brand_fee: money(a.brand_fee_minor),
        brand_fee_basis_points: agency_terms.brand_fee_basis_points,
        creator_fee_basis_points: i64::from(a.creator_fee_basis_points),
        auto_approve_grace_days: agency_terms.auto_approve_grace_days,
        brief: brief.brief,
    };
    let body = terms.text()?;
    insert(
        &mut *tx,
        application_id,
        1,
        a.brief_version,
        &terms.title(),
        &body,
    )
    .await
}

/// Stores an agreement's text (and its hash) as number `number` of the
/// collaboration's agreements.
pub async fn insert(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
    number: i16,
    brief_version: i32,
    title: &str,
    body: &str,
) -> Result<Uuid, AppError> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into agreements (id, application_id, number, brief_version, title, body,
                                 body_sha256)
         values ($1, $2, $3, $4, $5, $6, $7)",
        id,
        application_id,
        number,
        brief_version,
        title,
        body,
        &hash(body)[..]
    )
    .execute(db)
    .await?;
    Ok(id)
}

/// One signature, as the page shows it.
#[derive(Debug, Clone)]
pub struct Signature {
    pub party: Party,
    pub name: String,
    pub by_agency: bool,
    pub signed_at: OffsetDateTime,
    pub session_ref: String,
    pub session_started_at: OffsetDateTime,
    pub ip: Option<String>,
    pub hash_hex: String,
}

/// An agreement or amendment with its signatures.
#[derive(Debug, Clone)]
pub struct Agreement {
    pub id: Uuid,
    pub application_id: Uuid,
    pub number: i16,
    pub brief_version: i32,
    pub title: String,
    pub body: String,
    pub hash_hex: String,
    pub created_at: OffsetDateTime,
    pub brand_id: Uuid,
    pub brand_name: String,
    pub creator_user_id: Uuid,
    pub creator_name: String,
    pub campaign_title: String,
    pub signatures: Vec<Signature>,
    /// An amendment's quote and where it stands; `None` for the agreement.
    pub amendment: Option<(Uuid, AmendmentStatus)>,
}

impl Agreement {
    pub fn standing(&self) -> Standing {
        let signed = |p| self.signatures.iter().any(|s| s.party == p);
        Standing::of(signed(Party::Brand), signed(Party::Creator))
    }

    pub fn signature(&self, party: Party) -> Option<&Signature> {
        self.signatures.iter().find(|s| s.party == party)
    }

    pub fn is_amendment(&self) -> bool {
        self.number > 1
    }
}

/// An agreement, if `reader` may read it.
pub async fn find(
    db: impl PgExecutor<'_> + Copy,
    reader: Reader,
    id: Uuid,
) -> Result<Option<Agreement>, sqlx::Error> {
    let (brand, creator, manager, admin) = reader.ids();
    let Some(r) = sqlx::query!(
        r#"select g.id, g.application_id, g.number, g.brief_version, g.title, g.body,
                  g.body_sha256, g.created_at, h.brand_id, b.name as brand_name,
                  p.user_id as creator_user_id, u.display_name as creator_name,
                  c.title as campaign_title, m.id as "amendment_id?",
                  m.status as "amendment_status?: AmendmentStatus"
             from agreements g
             join escrow_holds h on h.application_id = g.application_id
             join brands b on b.id = h.brand_id
             join influencer_profiles p on p.id = h.profile_id
             join users u on u.id = p.user_id
             join applications a on a.id = g.application_id
             join campaigns c on c.id = a.campaign_id
             left join amendments m on m.agreement_id = g.id
            where g.id = $1
              and ($5 or h.brand_id = $2 or p.user_id = $3
                   or exists (select 1 from portfolio_brands pb
                               where pb.brand_id = h.brand_id and pb.manager_id = $4)
                   or exists (select 1 from portfolio_creators pc
                               where pc.profile_id = h.profile_id and pc.manager_id = $4))"#,
        id,
        brand,
        creator,
        manager,
        admin
    )
    .fetch_optional(db)
    .await?
    else {
        return Ok(None);
    };
    let signatures = signatures(db, r.id).await?;
    Ok(Some(Agreement {
        id: r.id,
        application_id: r.application_id,
        number: r.number,
        brief_version: r.brief_version,
        title: r.title,
        body: r.body,
        hash_hex: super::domain::hex(&r.body_sha256),
        created_at: r.created_at,
        brand_id: r.brand_id,
        brand_name: r.brand_name,
        creator_user_id: r.creator_user_id,
        creator_name: r.creator_name,
        campaign_title: r.campaign_title,
        signatures,
        amendment: r.amendment_id.zip(r.amendment_status),
    }))
}

/// The agreement's signatures. By its one id, not `= any($1)` of a list:
/// PostgreSQL planned the list's statement again on every view (0.13 ms, twice
/// the time to run it) for the list's length it could not know in advance.
async fn signatures(db: impl PgExecutor<'_>, id: Uuid) -> Result<Vec<Signature>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select s.party as "party: Party", u.display_name, s.for_brand_by_agency, s.signed_at,
                  s.session_ref, s.session_started_at, host(s.ip) as ip, s.body_sha256
             from agreement_signatures s join users u on u.id = s.user_id
            where s.agreement_id = $1
            order by s.signed_at"#,
        id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|s| Signature {
            party: s.party,
            name: s.display_name,
            by_agency: s.for_brand_by_agency,
            signed_at: s.signed_at,
            session_ref: s.session_ref,
            session_started_at: s.session_started_at,
            ip: s.ip,
            hash_hex: super::domain::hex(&s.body_sha256),
        })
        .collect())
}

/// A collaboration's agreement and amendments as its page lists them.
#[derive(Debug, Clone)]
pub struct Listed {
    pub id: Uuid,
    pub number: i16,
    pub title: String,
    pub created_at: OffsetDateTime,
    pub standing: Standing,
    /// An amendment's quote and where it stands.
    pub amendment_status: Option<AmendmentStatus>,
}

impl Listed {
    pub fn is_amendment(&self) -> bool {
        self.number > 1
    }
}

/// Every agreement of a collaboration, the agreement first. The caller has
/// checked that the viewer may see the collaboration.
pub async fn of_application(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
) -> Result<Vec<Listed>, sqlx::Error> {
    let rows = sqlx::query!(
        r#"select g.id, g.number, g.title, g.created_at,
                  m.status as "amendment_status?: AmendmentStatus",
                  exists (select 1 from agreement_signatures s
                           where s.agreement_id = g.id and s.party = 'brand') as "brand!",
                  exists (select 1 from agreement_signatures s
                           where s.agreement_id = g.id and s.party = 'creator') as "creator!"
             from agreements g left join amendments m on m.agreement_id = g.id
            where g.application_id = $1
            order by g.number"#,
        application_id
    )
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Listed {
            id: r.id,
            number: r.number,
            title: r.title,
            created_at: r.created_at,
            standing: Standing::of(r.brand, r.creator),
            amendment_status: r.amendment_status,
        })
        .collect())
}

/// A collaboration's agreement still waiting for a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pending {
    pub agreement_id: Uuid,
    pub standing: Standing,
}

/// Why work on a collaboration cannot start yet: its agreement waits for a
/// signature. `None` when it may (signed by both, or accepted before
/// agreements were drawn up).
pub async fn work_blocked(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
) -> Result<Option<Pending>, sqlx::Error> {
    let row = sqlx::query!(
        r#"select g.id,
                  exists (select 1 from agreement_signatures s
                           where s.agreement_id = g.id and s.party = 'brand') as "brand!",
                  exists (select 1 from agreement_signatures s
                           where s.agreement_id = g.id and s.party = 'creator') as "creator!"
             from agreements g
            where g.application_id = $1 and g.number = 1"#,
        application_id
    )
    .fetch_optional(db)
    .await?;
    Ok(row
        .map(|r| Pending {
            agreement_id: r.id,
            standing: Standing::of(r.brand, r.creator),
        })
        .filter(|p| p.standing != Standing::InForce))
}

/// The session a signature is made from, as it is recorded.
#[derive(Debug, Clone)]
pub struct SignedFrom {
    pub session_ref: String,
    pub session_started_at: OffsetDateTime,
    pub ip: Option<std::net::IpAddr>,
    pub user_agent: String,
}

/// Looks up the session a signature comes from: a reference derived from its
/// stored token hash (never the token) and when it started.
pub async fn signed_from(
    db: impl PgExecutor<'_>,
    token: &str,
    ip: Option<std::net::IpAddr>,
    user_agent: &str,
) -> Result<Option<SignedFrom>, sqlx::Error> {
    let token_hash = crate::auth::tokens::sha256(token);
    let started = sqlx::query_scalar!(
        "select created_at from sessions where token_hash = $1",
        &token_hash[..]
    )
    .fetch_optional(db)
    .await?;
    Ok(started.map(|session_started_at| SignedFrom {
        session_ref: super::domain::hex(&super::domain::hash_bytes(&token_hash))[..16].to_owned(),
        session_started_at,
        ip,
        user_agent: user_agent.chars().take(500).collect(),
    }))
}

/// Why a signature was not recorded.
#[derive(Debug)]
pub enum SignError {
    /// The text changed since the page was shown (it never does, but a form
    /// from another agreement's page says so), or this side signed already.
    Refused(&'static str),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for SignError {
    fn from(e: sqlx::Error) -> Self {
        SignError::Db(e)
    }
}

/// Records `party`'s signature on the text whose hash the signer was shown.
pub async fn sign(
    tx: &mut PgConnection,
    agreement_id: Uuid,
    party: Party,
    user: &CurrentUser,
    from: &SignedFrom,
    shown_hash: &[u8],
) -> Result<(), SignError> {
    let stored = sqlx::query_scalar!(
        "select body_sha256 from agreements where id = $1 for share",
        agreement_id
    )
    .fetch_one(&mut *tx)
    .await?;
    if stored != shown_hash {
        return Err(SignError::Refused(
            "This is not the text you were shown: read the agreement again and sign it there.",
        ));
    }
    let done = sqlx::query!(
        "insert into agreement_signatures (agreement_id, party, user_id, for_brand_by_agency,
                                           session_ref, session_started_at, ip, user_agent,
                                           body_sha256)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (agreement_id, party) do nothing",
        agreement_id,
        party as Party,
        user.id,
        user.acting_for().is_some(),
        from.session_ref,
        from.session_started_at,
        from.ip.map(sqlx::types::ipnetwork::IpNetwork::from) as _,
        from.user_agent,
        shown_hash
    )
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() == 0 {
        return Err(SignError::Refused("This side has signed already."));
    }
    Ok(())
}

/// Whether the collaboration is still running (accepted, not ended).
pub async fn collaboration_open(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
) -> Result<bool, sqlx::Error> {
    let status = sqlx::query_scalar!(
        "select status from applications where id = $1",
        application_id
    )
    .fetch_optional(db)
    .await?;
    Ok(status.as_deref() == Some("accepted"))
}
