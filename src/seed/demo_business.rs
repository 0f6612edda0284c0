//! The demo's creator with a year of business: Aisha Patel, a nano creator
//! who worked with the demo's brands about once a month for a year. Each deal
//! is a finished campaign of the brand, accepted, signed, delivered and paid
//! through the same code as real ones (escrow, agreement, releases as of the
//! day they happened); she logged her hours on each, rated the brands, made a
//! few deals outside Liaison, and set goals. Her business desk tells a year's
//! story on a fresh start.

use sqlx::PgConnection;
use time::{Date, Duration, OffsetDateTime, Time};
use uuid::Uuid;

use super::demo_applications::sign_both;
use crate::{
    agreements,
    billing::{
        escrow,
        funding::{self, Receipt, Source as FundingSource},
        terms,
    },
    collaborations::deliverables,
    domain::{Currency, Money, ReleaseOn},
    ledger::IdempotencyKey,
    links,
};

pub const CREATOR: &str = "aisha.patel@creators.example";

/// A past deal: the brand, what it was for, the fee in major units, how many
/// months ago it ran, the hours it took her, and her rating of the brand
/// (out of 5, on each of the five questions alike).
struct PastDeal {
    brand: &'static str,
    title: &'static str,
    fee: i64,
    months_ago: i64,
    hours: i64,
    rating: Option<i16>,
}

const DEALS: [PastDeal; 12] = [
    PastDeal {
        brand: "Northwind Outdoor",
        title: "Winter layering, honestly tested",
        fee: 180,
        months_ago: 12,
        hours: 6,
        rating: Some(5),
    },
    PastDeal {
        brand: "Kite & Key Games",
        title: "New year, new game night",
        fee: 150,
        months_ago: 11,
        hours: 5,
        rating: Some(4),
    },
    PastDeal {
        brand: "Northwind Outdoor",
        title: "Snow to slush: boots that last",
        fee: 220,
        months_ago: 10,
        hours: 7,
        rating: Some(5),
    },
    PastDeal {
        brand: "Lumen Skincare",
        title: "Spring skin reset",
        fee: 160,
        months_ago: 9,
        hours: 6,
        rating: Some(3),
    },
    PastDeal {
        brand: "Kite & Key Games",
        title: "Games for rainy weekends",
        fee: 140,
        months_ago: 8,
        hours: 4,
        rating: Some(4),
    },
    PastDeal {
        brand: "Northwind Outdoor",
        title: "First hike of the season",
        fee: 240,
        months_ago: 7,
        hours: 8,
        rating: Some(5),
    },
    PastDeal {
        brand: "Lumen Skincare",
        title: "SPF that people actually wear",
        fee: 200,
        months_ago: 6,
        hours: 9,
        rating: Some(2),
    },
    PastDeal {
        brand: "Northwind Outdoor",
        title: "Long days, light packs",
        fee: 260,
        months_ago: 5,
        hours: 7,
        rating: Some(5),
    },
    PastDeal {
        brand: "Kite & Key Games",
        title: "Summer holiday table games",
        fee: 170,
        months_ago: 4,
        hours: 5,
        rating: None,
    },
    PastDeal {
        brand: "Northwind Outdoor",
        title: "Repairs on the trail",
        fee: 280,
        months_ago: 3,
        hours: 8,
        rating: Some(5),
    },
    PastDeal {
        brand: "Lumen Skincare",
        title: "After-sun care, minus the hype",
        fee: 190,
        months_ago: 2,
        hours: 8,
        rating: Some(3),
    },
    PastDeal {
        brand: "Kite & Key Games",
        title: "Back to school, back to games",
        fee: 160,
        months_ago: 1,
        hours: 5,
        rating: None,
    },
];

/// Deals she made outside Liaison: brand, what, amount in dollars, months ago
/// it was paid (`None`: agreed, not yet paid).
const OUTSIDE: [(&str, &str, i64, Option<i64>); 5] = [
    ("Trailhead Cafe", "Local guide post", 90, Some(10)),
    ("Ridge Running Club", "Race-day stories", 120, Some(7)),
    ("Trailhead Cafe", "Autumn menu post", 100, Some(4)),
    ("Peak Socks", "Unboxing reel", 150, Some(1)),
    ("Peak Socks", "Winter socks review", 180, None),
];

pub async fn load(tx: &mut PgConnection, admin_id: Uuid, today: Date) -> anyhow::Result<usize> {
    let Some(creator) = sqlx::query!(
        "select p.id, p.user_id from influencer_profiles p join users u on u.id = p.user_id
          where u.email = $1",
        CREATOR
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(0);
    };
    let terms = terms::load(&mut *tx).await?;
    let mut made = 0;
    for (n, deal) in DEALS.iter().enumerate() {
        let Some(template) = sqlx::query!(
            r#"select c.id, c.brand_id, c.currency as "currency: Currency",
                      (select m.user_id from brand_members m
                        where m.brand_id = c.brand_id and m.role = 'owner') as "owner!",
                      (select max(v.version) from brief_versions v where v.campaign_id = c.id) as "version!"
                 from campaigns c join brands b on b.id = c.brand_id
                where b.name = $1 and c.status <> 'draft'
                order by c.created_at limit 1"#,
            deal.brand
        )
        .fetch_optional(&mut *tx)
        .await?
        else {
            continue;
        };
        let starts_on = today - Duration::days(deal.months_ago * 30 + 12);
        let ends_on = starts_on + Duration::days(21);
        let at = |day: Date, hour: u8| -> anyhow::Result<OffsetDateTime> {
            Ok(day.with_time(Time::from_hms(hour, 0, 0)?).assume_utc())
        };
        let fee = Money::from_minor(
            deal.fee * 10_i64.pow(template.currency.exponent()),
            template.currency,
        );
        let (_, total) = escrow::total(fee, &terms);

        // The brand's finished campaign, briefed like its first one.
        let campaign = Uuid::now_v7();
        sqlx::query!(
            "insert into campaigns (id, brand_id, created_by, title, business_goal, objective,
                                    budget_minor, currency, compensation, commission_basis_points,
                                    creators_wanted, application_deadline, starts_on, ends_on,
                                    eligible_tiers, platforms, niches, countries, target_audience,
                                    status, published_at, created_at, updated_at, brand_name,
                                    landing_url, attribution_window_days)
             select $1, brand_id, created_by, $2, business_goal, objective, $3, currency,
                    compensation, commission_basis_points, 1, $4, $5, $6, eligible_tiers,
                    platforms, niches, countries, target_audience, 'completed', $7, $7, $8,
                    brand_name, landing_url, attribution_window_days
               from campaigns where id = $9",
            campaign,
            deal.title,
            fee.minor() * 3,
            starts_on - Duration::days(6),
            starts_on,
            ends_on,
            at(starts_on - Duration::days(20), 9)?,
            at(ends_on, 17)?,
            template.id
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into brief_versions (campaign_id, version, key_message, story, dos, donts,
                                         hashtags, mentions, disclosure, paid_usage_days,
                                         exclusivity_categories, exclusivity_days, review_days,
                                         max_revision_rounds, rubric, change_summary, created_by,
                                         created_at, release_on)
             select $1, 1, key_message, story, dos, donts, hashtags, mentions, disclosure,
                    paid_usage_days, exclusivity_categories, exclusivity_days, review_days,
                    max_revision_rounds, rubric, '', created_by, $3, release_on
               from brief_versions where campaign_id = $2 and version = $4",
            campaign,
            template.id,
            at(starts_on - Duration::days(20), 9)?,
            template.version
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into brief_deliverables (campaign_id, version, position, platform, format,
                                             quantity, due_on, notes)
             select $1, 1, position, platform, format, 1, $3, notes
               from brief_deliverables where campaign_id = $2 and version = $4",
            campaign,
            template.id,
            starts_on + Duration::days(10),
            template.version
        )
        .execute(&mut *tx)
        .await?;

        // Paid in for it, accepted, signed.
        funding::record(
            &mut *tx,
            &Receipt {
                source: FundingSource::BankTransfer,
                event_id: format!("DEMO-HISTORY-{n:02}"),
                brand_id: template.brand_id,
                amount: total,
                received_on: starts_on - Duration::days(8),
                reference: format!("DEMO-HISTORY-{n:02}"),
            },
            admin_id,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo history funding: {e}"))?;
        let application = Uuid::now_v7();
        sqlx::query!(
            "insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor,
                                       agreed_fee_minor, currency, status, decided_by, decided_at,
                                       created_at)
             values ($1, $2, $3, $4, $5, $5, $6, 'accepted', $7, $8, $9)",
            application,
            campaign,
            creator.id,
            "I have worked with you before and my audience asked for more: same honest tests.",
            fee.minor(),
            template.currency as Currency,
            template.owner,
            at(starts_on - Duration::days(3), 11)?,
            at(starts_on - Duration::days(8), 10)?,
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into brief_acknowledgements (application_id, version) values ($1, 1)",
            application
        )
        .execute(&mut *tx)
        .await?;
        let delivered = deliverables::db::copy_from_brief(&mut *tx, application, campaign).await?;
        escrow::hold(
            &mut *tx,
            &escrow::Hold {
                application_id: application,
                brand_id: template.brand_id,
                profile_id: creator.id,
                fee,
                deliverables: delivered.clone(),
                split: None,
                key: IdempotencyKey::derived("demo-history-accept", &application.to_string()),
                by: template.owner,
                release_on: ReleaseOn::Approval,
            },
            &terms,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo history escrow: {e:?}"))?;
        links::db::create_for(&mut *tx, application).await?;
        let agreement = agreements::db::draw_up(&mut *tx, application)
            .await
            .map_err(|e| anyhow::anyhow!("demo history agreement: {e}"))?;
        sign_both(&mut *tx, agreement).await?;

        // Delivered and published; each part released when it was approved.
        sqlx::query!(
            "update deliverables set status = 'published',
                    live_url = 'https://instagram.com/p/aisha-' || position || '-' || $2
              where application_id = $1",
            application,
            n as i32
        )
        .execute(&mut *tx)
        .await?;
        for &d in &delivered {
            escrow::release_as_of(
                &mut *tx,
                d,
                ReleaseOn::Approval,
                None,
                at(starts_on + Duration::days(12), 15)?,
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo history release: {e}"))?;
        }

        // The hours it took: creating first, then revising, talking, admin.
        let kinds = ["creating", "creating", "revising", "communicating", "admin"];
        for (i, kind) in kinds.iter().cycle().take(deal.hours as usize).enumerate() {
            sqlx::query!(
                "insert into time_entries (id, profile_id, application_id, worked_on, kind,
                                           minutes, note)
                 values ($1, $2, $3, $4, $5, $6, '')",
                Uuid::now_v7(),
                creator.id,
                application,
                starts_on + Duration::days(i as i64),
                kind,
                45 + (i as i32 % 3) * 15,
            )
            .execute(&mut *tx)
            .await?;
        }
        if let Some(score) = deal.rating {
            sqlx::query!(
                "insert into brand_ratings (application_id, brand_id, rater_id, brief_clarity,
                                            feedback_quality, communication, payment_timeliness,
                                            fairness, comment, created_at)
                 values ($1, $2, $3, $4, $4, $4, $4, $4, '', $5)",
                application,
                template.brand_id,
                creator.user_id,
                score,
                at(ends_on, 18)?
            )
            .execute(&mut *tx)
            .await?;
        }
        made += 1;
    }

    for (brand, title, dollars, paid) in OUTSIDE {
        let paid_on = paid.map(|m| today - Duration::days(m * 30));
        // Paid three weeks after it was agreed; the one still open is due soon.
        let agreed_on = paid_on.map_or(today - Duration::days(10), |p| p - Duration::days(21));
        sqlx::query!(
            "insert into outside_deals (id, profile_id, brand_name, title, currency, amount_minor,
                                        platform, format, stage, agreed_on, due_on, paid_on)
             values ($1, $2, $3, $4, 'USD', $5, 'instagram', 'post', $6, $7, $8, $9)",
            Uuid::now_v7(),
            creator.id,
            brand,
            title,
            dollars * 100,
            if paid.is_some() { "paid" } else { "agreed" },
            agreed_on,
            agreed_on + Duration::days(14),
            paid_on
        )
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query!(
        "insert into business_goals (profile_id, currency, monthly_income_minor, weekly_hours_cap)
         values ($1, 'USD', 50000, 25)",
        creator.id
    )
    .execute(&mut *tx)
    .await?;
    Ok(made)
}
