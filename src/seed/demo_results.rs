//! The demo's finished spring campaign, with results: a dozen creators from
//! nano to mega, each paid what their tier typically charges for two posts,
//! with the posts' figures, the clicks on their links and the orders those
//! brought. The shapes follow the published tier data (price per post rising
//! and engagement, click-through and conversion falling with audience size;
//! the README's *Demo data* section has the figures), so the tier report tells
//! a story on a fresh start. Every figure goes through the same code as real
//! ones: escrow, the click writer's batch, the conversions path, post figures.

use sqlx::PgConnection;
use time::{Duration, Time};
use uuid::Uuid;

use super::Rng;
use crate::{
    billing::{
        escrow,
        funding::{self, Receipt, Source as FundingSource},
        terms,
    },
    clicks::{self, Click},
    collaborations::{deliverables, figures},
    conversions::{
        db as conversions_db,
        domain::{Order, OrderStatus, Source},
    },
    domain::{Currency, Money, ReleaseOn, Tier},
    ledger::IdempotencyKey,
    links,
    promo_codes::{self, PromoCode},
};

/// What a tier typically costs and does, per post, on Instagram: price in
/// cents, the share of followers a post reaches, likes and comments per
/// million followers, clicks per impression and orders per person who clicked.
struct Shape {
    tier: Tier,
    creators: i64,
    price_cents: i64,
    reach: f64,
    engagement_ppm: f64,
    click_through: f64,
    conversion: f64,
}

const SHAPES: [Shape; 5] = [
    Shape {
        tier: Tier::Nano,
        creators: 3,
        price_cents: 6_000,
        reach: 0.45,
        engagement_ppm: 40_000.0,
        click_through: 0.012,
        conversion: 0.045,
    },
    Shape {
        tier: Tier::Micro,
        creators: 4,
        price_cents: 30_000,
        reach: 0.35,
        engagement_ppm: 24_000.0,
        click_through: 0.010,
        conversion: 0.040,
    },
    Shape {
        tier: Tier::Mid,
        creators: 3,
        price_cents: 200_000,
        reach: 0.25,
        engagement_ppm: 20_000.0,
        click_through: 0.006,
        conversion: 0.025,
    },
    Shape {
        tier: Tier::Macro,
        creators: 1,
        price_cents: 750_000,
        reach: 0.18,
        engagement_ppm: 17_000.0,
        click_through: 0.004,
        conversion: 0.018,
    },
    Shape {
        tier: Tier::Mega,
        creators: 1,
        price_cents: 1_500_000,
        reach: 0.12,
        engagement_ppm: 15_000.0,
        click_through: 0.0025,
        conversion: 0.010,
    },
];

const CAMPAIGN: &str = "Spring trail kit";

/// A number near `x`: between 80% and 120% of it.
fn near(rng: &mut Rng, x: f64) -> f64 {
    x * (0.8 + rng.below(401) as f64 / 1000.0)
}

/// Returns how many collaborations were made.
pub async fn load(tx: &mut PgConnection, admin_id: Uuid) -> anyhow::Result<usize> {
    let Some(spring) = sqlx::query!(
        r#"select c.id, c.brand_id, c.starts_on, c.ends_on,
                  (select max(v.version) from brief_versions v where v.campaign_id = c.id) as "version!",
                  (select m.user_id from brand_members m
                    where m.brand_id = c.brand_id and m.role = 'owner') as "owner!"
             from campaigns c where c.title = $1 and c.currency = 'USD'"#,
        CAMPAIGN
    )
    .fetch_optional(&mut *tx)
    .await?
    else {
        return Ok(0);
    };
    let mut rng = Rng(0x5EA5_0017);
    let terms = terms::load(&mut *tx).await?;

    // Who took part, and at what fee.
    let mut team = Vec::new();
    for shape in &SHAPES {
        let creators = sqlx::query!(
            // Shaped by their Instagram audience, where the posts ran; a
            // creator without one is shaped by their largest.
            r#"select p.id, p.user_id,
                      coalesce((select max(ch.followers) from channels ch
                                 where ch.profile_id = p.id and ch.platform = 'instagram'),
                               p.followers) as "followers!",
                      coalesce(p.handle, u.display_name) as "name!"
                 from influencer_profiles p join users u on u.id = p.user_id
                where p.tier = $1
                order by p.followers desc
                limit $2"#,
            shape.tier.key(),
            shape.creators
        )
        .fetch_all(&mut *tx)
        .await?;
        for c in creators {
            let fee = (near(&mut rng, shape.price_cents as f64 * 2.0) / 500.0).round() as i64 * 500;
            team.push((shape, c.id, c.user_id, c.followers, c.name, fee));
        }
    }
    let fees: i64 = team.iter().map(|t| t.5).sum();
    let (_, total) = escrow::total(Money::from_minor(fees, Currency::Usd), &terms);
    // The season's budget grew with the creators taken on; the brand paid in for it.
    sqlx::query!(
        "update campaigns set budget_minor = greatest(budget_minor, $2),
                              creators_wanted = greatest(creators_wanted, $3)
          where id = $1",
        spring.id,
        fees,
        team.len() as i32
    )
    .execute(&mut *tx)
    .await?;
    funding::record(
        &mut *tx,
        &Receipt {
            source: FundingSource::BankTransfer,
            event_id: "NORTHWIN-USD-SPRING".into(),
            brand_id: spring.brand_id,
            amount: Money::from_minor((total.minor() / 100_000 + 1) * 100_000, Currency::Usd),
            received_on: spring.starts_on - Duration::days(20),
            reference: "NORTHWIN-USD-SPRING".into(),
        },
        admin_id,
    )
    .await
    .map_err(|e| anyhow::anyhow!("demo spring funding: {e}"))?;

    let start = spring
        .starts_on
        .with_time(Time::from_hms(9, 0, 0)?)
        .assume_utc();
    let days = (spring.ends_on - spring.starts_on).whole_days().max(1);
    let mut made = 0;
    for (n, (shape, profile_id, user_id, followers, name, fee)) in team.into_iter().enumerate() {
        let id = Uuid::now_v7();
        let fee = Money::from_minor(fee, Currency::Usd);
        sqlx::query!(
            "insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor,
                                       agreed_fee_minor, currency, status, decided_by, decided_at,
                                       created_at)
             values ($1, $2, $3, $4, $5, $5, 'USD', 'accepted', $6, $7, $8)",
            id,
            spring.id,
            profile_id,
            "I hike every weekend; my audience asks what I carry. Two posts from the trail.",
            fee.minor(),
            spring.owner,
            start - Duration::days(12),
            start - Duration::days(18),
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into brief_acknowledgements (application_id, version) values ($1, $2)",
            id,
            spring.version
        )
        .execute(&mut *tx)
        .await?;
        let delivered = deliverables::db::copy_from_brief(&mut *tx, id, spring.id).await?;
        escrow::hold(
            &mut *tx,
            &escrow::Hold {
                application_id: id,
                brand_id: spring.brand_id,
                profile_id,
                fee,
                deliverables: delivered.clone(),
                split: None,
                key: IdempotencyKey::derived("demo-spring-accept", &id.to_string()),
                by: spring.owner,
                release_on: ReleaseOn::Approval,
            },
            &terms,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo spring escrow: {e:?}"))?;
        links::db::create_for(&mut *tx, id).await?;
        if matches!(shape.tier, Tier::Micro | Tier::Mid)
            && let Some(base) = PromoCode::suggest_from(&name)
        {
            let code = promo_codes::db::first_free(&mut *tx, spring.brand_id, &base).await?;
            promo_codes::db::set(&mut *tx, id, &code, spring.owner)
                .await?
                .map_err(|_| anyhow::anyhow!("demo promo code {code} taken"))?;
        }
        // The posts went live; the releases follow with the demo's approved work.
        sqlx::query!(
            "update deliverables set status = 'published', live_url = $2 where application_id = $1",
            id,
            format!("https://instagram.com/p/spring-{n:02}")
        )
        .execute(&mut *tx)
        .await?;

        // What the two posts did.
        let posts = 2.0;
        let impressions = near(&mut rng, followers as f64 * shape.reach * posts).round() as i64;
        let interactions = near(
            &mut rng,
            followers as f64 * shape.engagement_ppm / 1e6 * posts,
        );
        let likes = (interactions * 0.92).round() as i64;
        let comments = (interactions * 0.08).round() as i64;
        let post_figures = figures::domain::Figures {
            impressions: Some(impressions),
            reach: Some((impressions as f64 * 0.8).round() as i64),
            views: None,
            likes: Some(likes),
            comments: Some(comments),
            shares: Some((interactions * 0.05).round() as i64),
            saves: Some((interactions * 0.07).round() as i64),
        };
        for &deliverable in &delivered {
            let (_, context) = figures::db::of_post(&mut *tx, deliverable).await?;
            figures::db::record(
                &mut *tx,
                deliverable,
                spring.ends_on - Duration::days(2),
                &post_figures,
                context.as_ref(),
                user_id,
            )
            .await?
            .map_err(|_| anyhow::anyhow!("demo figures twice"))?;
        }

        // Who clicked: people over the campaign's days, some twice, and a few
        // crawlers; then the orders some of them placed.
        let link_id: Uuid = sqlx::query_scalar!(
            "select id from tracked_links where application_id = $1 limit 1",
            id
        )
        .fetch_one(&mut *tx)
        .await?;
        let people = near(&mut rng, impressions as f64 * shape.click_through).round() as usize;
        let mut batch: Vec<Click> = Vec::with_capacity(people + people / 5);
        let mut buyers = Vec::new();
        for _ in 0..people {
            let mut visitor = [0u8; 16];
            visitor[..8].copy_from_slice(&rng.next().to_le_bytes());
            visitor[8..].copy_from_slice(&rng.next().to_le_bytes());
            let at = start + Duration::minutes(rng.below((days * 24 * 60) as u64) as i64);
            let click = Click {
                id: Uuid::now_v7(),
                link_id,
                at,
                visitor,
                referrer_host: Some("l.instagram.com".into()),
                is_bot: false,
            };
            if (rng.below(1_000_000) as f64) < shape.conversion * 1e6 {
                buyers.push((click.id, at));
            }
            if rng.below(100) < 15 {
                batch.push(Click {
                    id: Uuid::now_v7(),
                    at: at + Duration::hours(rng.below(30) as i64 + 1),
                    ..click.clone()
                });
            }
            batch.push(click);
            if rng.below(100) < 3 {
                batch.push(Click {
                    id: Uuid::now_v7(),
                    link_id,
                    at,
                    visitor: [rng.below(255) as u8; 16],
                    referrer_host: None,
                    is_bot: true,
                });
            }
        }
        for chunk in batch.chunks(2_000) {
            clicks::write_batch(&mut *tx, chunk).await?;
        }
        for (k, (click_id, at)) in buyers.into_iter().enumerate() {
            let order = Order {
                order_id: format!("NW-SPRING-{n:02}-{k:03}"),
                // Jackets, packs and boots: most orders between $120 and $260.
                amount: Money::from_minor(12_000 + rng.below(14_000) as i64, Currency::Usd),
                occurred_at: at + Duration::minutes(rng.below(36 * 60) as i64 + 5),
                click_id: Some(click_id),
                promo_codes: Vec::new(),
                status: OrderStatus::Completed,
            };
            record(tx, spring.brand_id, &order).await?;
        }
        made += 1;
    }

    // Orders by promo code alone, and some that nothing ties to a creator.
    let codes = sqlx::query_scalar!(
        "select p.code from promo_codes p join applications a on a.id = p.application_id
          where a.campaign_id = $1 order by p.code",
        spring.id
    )
    .fetch_all(&mut *tx)
    .await?;
    for (k, code) in codes.iter().cycle().take(codes.len() * 2).enumerate() {
        let order = Order {
            order_id: format!("NW-SPRING-CODE-{k:03}"),
            amount: Money::from_minor(9_000 + rng.below(12_000) as i64, Currency::Usd),
            occurred_at: start + Duration::hours(rng.below((days * 24) as u64) as i64),
            click_id: None,
            promo_codes: vec![code.clone()],
            status: OrderStatus::Completed,
        };
        record(tx, spring.brand_id, &order).await?;
    }
    for k in 0..6 {
        let order = Order {
            order_id: format!("NW-SPRING-WEB-{k:03}"),
            amount: Money::from_minor(3_000 + rng.below(12_000) as i64, Currency::Usd),
            occurred_at: start + Duration::hours(rng.below((days * 24) as u64) as i64),
            click_id: None,
            promo_codes: Vec::new(),
            status: OrderStatus::Completed,
        };
        record(tx, spring.brand_id, &order).await?;
    }
    Ok(made)
}

async fn record(tx: &mut PgConnection, brand_id: Uuid, order: &Order) -> anyhow::Result<()> {
    conversions_db::record(&mut *tx, brand_id, order, Source::Api)
        .await?
        .map(|_| ())
        .map_err(|refusal| anyhow::anyhow!("demo order {}: {refusal:?}", order.order_id))
}
