//! The creator's applications, a campaign's applications for its brand, and one
//! application's page with its deliverables and ratings.

use askama::Template;
use axum::extract::{Path, State};
use uuid::Uuid;

use crate::{
    agreements::{
        self,
        amendments::{self, db::Quote, domain::ScopeCreep},
        domain::{AmendmentStatus, Standing},
    },
    applications::{
        db::{self, Applicant, ApplicationRow, CampaignSummary, Commitments, Own},
        domain::{Move, Status},
        list::{self, Counts, Cursor, Filter, ListQuery, Sort},
    },
    auth::{BrandMember, CurrentUser, Influencer, Viewer},
    billing::{escrow, terms},
    campaigns::brief::db as brief_db,
    collaborations::deliverables::{
        DeliverableStatus,
        db::{self as deliverables_db, DeliverableRow},
    },
    documents::invoices,
    domain::{
        Money, Party,
        date::today,
        display::{self, filters},
    },
    error::AppError,
    ledger::{self, AccountRef, IdempotencyKey},
    links::db::LinkRow,
    promo_codes,
    ratings::{
        RatingPartial,
        db::{self as ratings_db, GivenRating},
    },
    reports::{
        self,
        metrics::{Ratio, Totals},
    },
    state::AppState,
    web::{FieldErrors, Page, PageContext, Query, keyset},
};

#[derive(Template)]
#[template(path = "applications/mine.html")]
pub(super) struct MinePage {
    ctx: PageContext,
    applications: Vec<Own>,
    counts: Counts,
    filter: Filter,
    next: Option<Cursor>,
}

impl MinePage {
    fn statuses(&self) -> Vec<(Status, i64)> {
        self.counts.present().collect()
    }
}

pub(super) async fn mine(
    State(state): State<AppState>,
    ctx: PageContext,
    Influencer(user): Influencer,
    Query(query, unread): Query<ListQuery>,
) -> Result<Page<MinePage>, AppError> {
    unread.or_refuse()?;
    // The creator's list is newest first, whatever the address says.
    let filter = Filter {
        sort: Sort::Newest,
        ..query.filter()
    };
    let mut conn = state.db.acquire().await?;
    let counts = db::applicant_counts(&mut *conn, user.id).await?;
    let mut applications = db::applicant_page(&mut *conn, user.id, &filter).await?;
    drop(conn);
    let next = keyset::cut(&mut applications, list::PAGE, |a| {
        Cursor::at(a.created_at, a.id)
    });
    Ok(Page(MinePage {
        ctx,
        applications,
        counts,
        filter,
        next,
    }))
}

#[derive(Template)]
#[template(path = "applications/campaign.html")]
pub(super) struct CampaignListPage {
    ctx: PageContext,
    campaign_id: Uuid,
    summary: CampaignSummary,
    applications: Vec<Applicant>,
    filter: Filter,
    next: Option<Cursor>,
}

impl CampaignListPage {
    fn statuses(&self) -> Vec<(Status, i64)> {
        self.summary.counts.present().collect()
    }

    fn base(&self) -> String {
        format!("/campaigns/{}/applications", self.campaign_id)
    }

    fn sorts(&self) -> [(Sort, &'static str); 3] {
        [
            (Sort::Newest, "Newest"),
            (Sort::FeeLowest, "Fee, lowest first"),
            (Sort::ScoreHighest, "Authenticity, highest first"),
        ]
    }
}

pub(super) async fn campaign_list(
    State(state): State<AppState>,
    ctx: PageContext,
    member: BrandMember,
    Path(campaign_id): Path<Uuid>,
    Query(query, unread): Query<ListQuery>,
) -> Result<Page<CampaignListPage>, AppError> {
    unread.or_refuse()?;
    let brand = member.brand.brand_id;
    let filter = query.filter();
    let mut conn = state.db.acquire().await?;
    let summary = db::campaign_summary(&mut *conn, brand, campaign_id).await?;
    let mut applications = db::campaign_page(&mut *conn, brand, campaign_id, &filter).await?;
    drop(conn);
    let summary = summary.ok_or(AppError::NotFound)?;
    let next = keyset::cut(&mut applications, list::PAGE, |a| a.cursor(filter.sort));
    Ok(Page(CampaignListPage {
        ctx,
        campaign_id,
        summary,
        applications,
        filter,
        next,
    }))
}

/// What was typed into the page's forms, kept when one is refused.
#[derive(Debug, Default, Clone)]
pub(super) struct Typed {
    pub agreed_fee: String,
    pub shares: Vec<String>,
    pub reason: String,
    pub promo_code: String,
}

#[derive(Template)]
#[template(path = "applications/show.html")]
pub(super) struct ShowPage {
    ctx: PageContext,
    a: ApplicationRow,
    is_brand: bool,
    is_applicant: bool,
    commitments: Option<Commitments>,
    deliverables: Vec<DeliverableRow>,
    errors: FieldErrors,
    agreed_fee: String,
    reason: String,
    /// Every deliverable published: the two sides rate each other.
    complete: bool,
    /// The creator's rating of the brand, shown to the creator only.
    brand_rating: Option<GivenRating>,
    /// The brand's rating of the creator.
    creator_rating: Option<GivenRating>,
    rating: RatingPartial,
    /// For the brand, before it accepts: what accepting holds from its funds.
    accepting: Option<Accepting>,
    /// Once accepted: the fee, the fees, and what is held and released.
    escrow: Option<escrow::Summary>,
    /// A request key for the forms that end an accepted collaboration.
    ending_key: String,
    /// The collaboration's invoice, for its brand.
    invoice: Option<Uuid>,
    /// For the applicant before a decision: the agency's fee on their side
    /// (its rate and amount) and what they would receive at the fee asked.
    creator_side: Option<(String, Money, Money)>,
    /// Once accepted: what the creator shares, and what it brought.
    sharing: Option<Sharing>,
    /// Once accepted: the partnership agreement and its amendments.
    agreements: Vec<agreements::db::Listed>,
    quotes: Vec<Quote>,
    scope: Option<ScopeCreep>,
}

/// A collaboration's tracked links and promo code.
pub(super) struct Sharing {
    links: Vec<LinkRow>,
    /// The start of every link: `https://liaison.example/r/`.
    link_base: String,
    /// Whether the links lead anywhere yet (a landing page or a website).
    has_landing: bool,
    promo: Option<String>,
    /// What the brand's promo code field shows: what was typed, the code, or a
    /// suggestion.
    promo_field: String,
    /// Over all its links.
    clicks: i64,
    visitors: i64,
    /// What the collaboration cost and brought so far.
    totals: Totals,
    ratios: Vec<Ratio>,
}

/// What accepting at the proposed fee holds, and the form's request key.
pub(super) struct Accepting {
    key: String,
    /// The brief's deliverables, each with what was typed as its part of the
    /// fee.
    parts: Vec<(String, String)>,
    fee: Money,
    brand_fee_percent: String,
    brand_fee: Money,
    total: Money,
    available: Money,
}

impl Accepting {
    fn short_by(&self) -> Option<Money> {
        let short = self.total.minor() - self.available.minor();
        (short > 0).then(|| Money::from_minor(short, self.total.currency()))
    }
}

impl ShowPage {
    fn can(&self, m: Move) -> bool {
        let allowed = if m == Move::Withdraw {
            self.is_applicant
        } else {
            self.is_brand
        };
        allowed && m.from(self.a.status).is_ok()
    }

    fn overdue(&self, d: &DeliverableRow) -> bool {
        d.is_overdue(today())
    }

    /// Accepted, or ended after acceptance: there is work and money to show.
    fn is_collaboration(&self) -> bool {
        matches!(self.a.status, Status::Accepted | Status::Cancelled)
    }

    /// Who ended the collaboration, in words.
    fn ended_by(&self) -> Option<String> {
        let (party, at) = self.a.cancelled?;
        let who = match party {
            Party::Brand => format!("{} cancelled it", self.a.brand_name),
            Party::Creator => format!("{} withdrew", self.a.creator_name),
        };
        Some(format!("{who} on {}", display::date(at)))
    }

    /// The viewer's side has yet to rate.
    fn may_rate(&self) -> bool {
        self.complete
            && ((self.is_applicant && self.brand_rating.is_none())
                || (self.is_brand && self.creator_rating.is_none()))
    }

    fn brief_outdated(&self) -> bool {
        self.a.status.is_active() && self.a.acknowledged < self.a.latest_brief
    }
}

pub(super) async fn show_page(
    state: &AppState,
    ctx: PageContext,
    user: &CurrentUser,
    id: Uuid,
    errors: FieldErrors,
    typed: Typed,
) -> Result<ShowPage, AppError> {
    let viewer = Viewer::of(user);
    let mut conn = state.db.acquire().await?;
    let a = db::find(&mut *conn, viewer, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let is_brand = viewer.is_brand();
    let commitments = if is_brand {
        db::commitments(&mut *conn, a.campaign_id).await?
    } else {
        None
    };
    let collaboration = matches!(a.status, Status::Accepted | Status::Cancelled);
    // Everything a collaboration shows, read on the one connection.
    let (deliverables, (brand_rating, creator_rating), escrow, shared, agreements, requests) =
        if collaboration {
            let deliverables = deliverables_db::list(&mut *conn, viewer, Some(id), 100).await?;
            let ratings = ratings_db::of_application(&mut *conn, id).await?;
            let escrow = escrow::summary(&mut *conn, id).await?;
            let panel = reports::db::panel_of(&mut *conn, id, a.proposed_fee.currency()).await?;
            let agreements = agreements::db::of_application(&mut *conn, id).await?;
            let requests = amendments::db::requests_outside(&mut *conn, id).await?;
            (
                deliverables,
                ratings,
                escrow,
                Some(panel),
                agreements,
                requests,
            )
        } else {
            (Vec::new(), (None, None), None, None, Vec::new(), 0)
        };
    // The quotes only when there are some: most collaborations have none.
    let quotes = if agreements.iter().any(|g| g.is_amendment()) {
        amendments::db::of_application(&mut *conn, id).await?
    } else {
        Vec::new()
    };
    drop(conn);
    let statuses: Vec<_> = quotes.iter().map(|q| (q.status, q.price)).collect();
    let scope =
        (requests > 0).then(|| ScopeCreep::of(requests, &statuses, a.proposed_fee.currency()));
    let sharing = match shared {
        Some(reports::db::CollaborationPanel {
            totals,
            links,
            promo_code: promo,
            landing,
        }) => {
            let promo_field = if !typed.promo_code.is_empty() {
                typed.promo_code.clone()
            } else if let Some(code) = &promo {
                code.clone()
            } else if is_brand && a.status == Status::Accepted {
                promo_codes::db::suggestion(&state.db, id)
                    .await?
                    .map(|c| c.as_str().to_owned())
                    .unwrap_or_default()
            } else {
                String::new()
            };
            Some(Sharing {
                ratios: totals.ratios(),
                totals,
                clicks: links.iter().map(|l| l.clicks).sum(),
                visitors: links.iter().map(|l| l.unique_visitors).sum(),
                links,
                link_base: format!("{}/r/", state.config.public_url),
                has_landing: landing.is_some(),
                promo,
                promo_field,
            })
        }
        None => None,
    };
    let complete = !deliverables.is_empty()
        && deliverables
            .iter()
            .all(|d| d.status == DeliverableStatus::Published);
    let is_applicant = viewer.is_creator();
    let invoice = if collaboration && !is_applicant {
        invoices::of_application(&state.db, id).await?
    } else {
        None
    };
    let creator_side = if is_applicant && a.status.is_active() && !collaboration {
        let terms = terms::load(&state.db).await?;
        let fee = terms.creator_fee(a.proposed_fee);
        let net = Money::from_minor(
            a.proposed_fee.minor() - fee.minor(),
            a.proposed_fee.currency(),
        );
        Some((terms.creator_fee_text(), fee, net))
    } else {
        None
    };
    let accepting = match viewer {
        Viewer::Brand(brand) if Move::Accept.from(a.status).is_ok() => {
            let mut conn = state.db.acquire().await?;
            let terms = terms::load(&mut *conn).await?;
            let funds = ledger::db::balance(
                &mut *conn,
                AccountRef::brand_funds(brand, a.proposed_fee.currency()),
            )
            .await?;
            let brief = brief_db::get(&mut *conn, a.campaign_id, None).await?;
            drop(conn);
            let (brand_fee, total) = escrow::total(a.proposed_fee, &terms);
            let parts = brief
                .map(|v| v.brief.deliverables)
                .unwrap_or_default()
                .iter()
                .enumerate()
                .map(|(n, d)| {
                    let typed = typed.shares.get(n).cloned().unwrap_or_default();
                    (d.summary(), typed)
                })
                .collect();
            Some(Accepting {
                key: IdempotencyKey::new().as_str().to_owned(),
                parts,
                fee: a.proposed_fee,
                brand_fee_percent: terms.brand_fee_text(),
                brand_fee,
                total,
                available: funds,
            })
        }
        _ => None,
    };
    Ok(ShowPage {
        sharing,
        agreements,
        quotes,
        scope,
        accepting,
        escrow,
        complete,
        // Creators rate brands anonymously: the brand never sees a single rating.
        brand_rating: if is_applicant { brand_rating } else { None },
        creator_rating,
        rating: RatingPartial::new(id, is_applicant),
        ctx,
        agreed_fee: if typed.agreed_fee.is_empty() {
            a.proposed_fee.to_decimal_string()
        } else {
            typed.agreed_fee
        },
        reason: typed.reason,
        ending_key: IdempotencyKey::new().as_str().to_owned(),
        invoice,
        creator_side,
        is_applicant,
        is_brand,
        commitments,
        deliverables,
        errors,
        a,
    })
}

pub(super) async fn show(
    State(state): State<AppState>,
    ctx: PageContext,
    user: CurrentUser,
    Path(id): Path<Uuid>,
) -> Result<Page<ShowPage>, AppError> {
    let page = show_page(
        &state,
        ctx,
        &user,
        id,
        FieldErrors::new(),
        Default::default(),
    )
    .await?;
    Ok(Page(page))
}
