//! Ratings as stored: given once (a second one is refused by the database), the
//! brand averages creators see from three ratings on, and whether a
//! collaboration is complete enough to rate.

use sqlx::{PgConnection, PgExecutor};
use uuid::Uuid;

use crate::{auth::Viewer, domain::display::tenths};

use super::domain::{BrandCriterion, CreatorCriterion, NewRating, RATINGS_SHOWN_FROM};

/// A collaboration as rating it needs: its two sides, and whether it is
/// complete (accepted, with every deliverable published).
pub struct Rateable {
    pub id: Uuid,
    pub campaign_title: String,
    pub brand_id: Uuid,
    pub brand_name: String,
    pub profile_id: Uuid,
    /// The creator's user account.
    pub applicant_id: Uuid,
    pub creator_name: String,
    pub complete: bool,
}

/// The application, if the viewer is one of its parties (or an admin).
pub async fn find_rateable(
    db: impl PgExecutor<'_>,
    viewer: Viewer,
    application_id: Uuid,
) -> Result<Option<Rateable>, sqlx::Error> {
    let (applicant, brand, admin) = viewer.ids();
    sqlx::query_as!(
        Rateable,
        r#"select a.id, c.title as campaign_title, c.brand_id, c.brand_name, a.profile_id,
                  p.user_id as applicant_id, u.display_name as creator_name,
                  a.status = 'accepted'
                    and exists (select 1 from deliverables d where d.application_id = a.id)
                    and not exists (select 1 from deliverables d
                                     where d.application_id = a.id and d.status <> 'published')
                    as "complete!"
             from applications a
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
            where a.id = $4 and (p.user_id = $1 or c.brand_id = $2 or $3)"#,
        applicant,
        brand,
        admin,
        application_id
    )
    .fetch_optional(db)
    .await
}

/// A collaboration is complete when every deliverable is published.
pub async fn is_complete(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar!(
        r#"select count(*) > 0 and bool_and(status = 'published') as "complete!"
             from deliverables where application_id = $1"#,
        application_id
    )
    .fetch_one(db)
    .await
}

#[derive(Debug, Clone)]
pub struct GivenRating {
    /// (label, score) in the order of the side's criteria.
    pub scores: Vec<(&'static str, i16)>,
    pub comment: String,
}

/// The ratings given on one collaboration: (creator about the brand, brand
/// about the creator).
pub async fn of_application(
    db: impl PgExecutor<'_>,
    application_id: Uuid,
) -> Result<(Option<GivenRating>, Option<GivenRating>), sqlx::Error> {
    let r = sqlx::query!(
        r#"select b.brief_clarity as "b1?", b.feedback_quality as "b2?", b.communication as "b3?",
                  b.payment_timeliness as "b4?", b.fairness as "b5?", b.comment as "bc?",
                  c.quality as "c1?", c.reliability as "c2?", c.communication as "c3?",
                  c.results as "c4?", c.comment as "cc?"
             from (select $1::uuid as id) x
             left join brand_ratings b on b.application_id = x.id
             left join creator_ratings c on c.application_id = x.id"#,
        application_id
    )
    .fetch_one(db)
    .await?;
    let brand = match (r.b1, r.b2, r.b3, r.b4, r.b5) {
        (Some(a), Some(b), Some(c), Some(d), Some(e)) => Some(GivenRating {
            scores: BrandCriterion::ALL
                .iter()
                .map(|k| k.label())
                .zip([a, b, c, d, e])
                .collect(),
            comment: r.bc.unwrap_or_default(),
        }),
        _ => None,
    };
    let creator = match (r.c1, r.c2, r.c3, r.c4) {
        (Some(a), Some(b), Some(c), Some(d)) => Some(GivenRating {
            scores: CreatorCriterion::ALL
                .iter()
                .map(|k| k.label())
                .zip([a, b, c, d])
                .collect(),
            comment: r.cc.unwrap_or_default(),
        }),
        _ => None,
    };
    Ok((brand, creator))
}

/// The creator rates the brand. `false` when they already have.
pub async fn rate_brand(
    tx: &mut PgConnection,
    application_id: Uuid,
    brand_id: Uuid,
    rater_id: Uuid,
    rating: &NewRating,
) -> Result<bool, sqlx::Error> {
    let s = &rating.scores;
    let [a, b, c, d, e] = [0, 1, 2, 3, 4].map(|i| s.get(i).copied().unwrap_or(0));
    Ok(sqlx::query!(
        "insert into brand_ratings (application_id, brand_id, rater_id, brief_clarity,
                                    feedback_quality, communication, payment_timeliness,
                                    fairness, comment)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
         on conflict (application_id) do nothing",
        application_id,
        brand_id,
        rater_id,
        a,
        b,
        c,
        d,
        e,
        rating.comment
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1)
}

/// The brand rates the creator. `false` when it already has.
pub async fn rate_creator(
    tx: &mut PgConnection,
    application_id: Uuid,
    profile_id: Uuid,
    rater_id: Uuid,
    rating: &NewRating,
) -> Result<bool, sqlx::Error> {
    let s = &rating.scores;
    let [a, b, c, d] = [0, 1, 2, 3].map(|i| s.get(i).copied().unwrap_or(0));
    Ok(sqlx::query!(
        "insert into creator_ratings (application_id, profile_id, rater_id, quality, reliability,
                                      communication, results, comment)
         values ($1, $2, $3, $4, $5, $6, $7, $8)
         on conflict (application_id) do nothing",
        application_id,
        profile_id,
        rater_id,
        a,
        b,
        c,
        d,
        rating.comment
    )
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1)
}

/// A brand's average ratings from creators, in tenths of a point per
/// criterion; `None` below the anonymity threshold.
#[derive(Debug, Clone)]
pub struct BrandAverages {
    pub count: i64,
    pub averages: Vec<(&'static str, i64)>,
}

impl BrandAverages {
    /// "4.3"
    pub fn overall(&self) -> String {
        let n = self.averages.len().max(1) as i64;
        tenths(self.averages.iter().map(|(_, v)| v).sum::<i64>() / n)
    }
}

/// A brand's averages from `brand_rating_averages`' columns, in
/// `BrandCriterion::ALL`'s order; none until enough creators rated it.
pub fn averages_of(count: i64, tenths: [Option<i64>; 5]) -> Option<BrandAverages> {
    (count >= RATINGS_SHOWN_FROM).then(|| BrandAverages {
        count,
        averages: BrandCriterion::ALL
            .iter()
            .map(|k| k.label())
            .zip(tenths.map(Option::unwrap_or_default))
            .collect(),
    })
}
