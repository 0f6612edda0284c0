//! Data at realistic scale for benchmarks: many brands and campaigns with briefs,
//! inserted in batches. Deterministic for a given count, so runs compare.

use sqlx::PgPool;
use time::{Date, Duration, OffsetDateTime};
use uuid::Uuid;

use super::{NICHES, Rng};
use crate::{
    accounts::{domain::Password, password},
    campaigns::{
        brief::{Criterion, domain::DEFAULT_DISCLOSURE},
        domain::{Compensation, KpiMetric, Objective},
    },
    domain::{Currency, Format, Platform, Tier},
};

const WORDS: &[&str] = &[
    "Autumn",
    "Launch",
    "Everyday",
    "Honest",
    "Weekend",
    "Local",
    "Better",
    "Fresh",
    "Summer",
    "Winter",
    "Community",
    "Creator",
    "Studio",
    "Trail",
    "Kitchen",
    "Morning",
];
const BATCH: usize = 2_000;
/// Campaigns per generated brand.
const CAMPAIGNS_PER_BRAND: usize = 20;

/// Adds `count` campaigns (with brands to own them) and returns a summary.
pub async fn campaigns(pool: &PgPool, count: usize) -> anyhow::Result<String> {
    let mut rng = Rng(count as u64);
    let today = OffsetDateTime::now_utc().date();
    let brand_count = count.div_ceil(CAMPAIGNS_PER_BRAND).max(1);
    let hash =
        password::hash(Password::parse(crate::seed::DEMO_PASSWORD).map_err(anyhow::Error::msg)?)
            .await?;
    let run = Uuid::now_v7().simple().to_string();

    let mut brand_ids = Vec::with_capacity(brand_count);
    for chunk_start in (0..brand_count).step_by(BATCH) {
        let n = BATCH.min(brand_count - chunk_start);
        let ids: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
        let users: Vec<Uuid> = (0..n).map(|_| Uuid::now_v7()).collect();
        let names: Vec<String> = (0..n)
            .map(|i| {
                format!(
                    "{} {} Co. {}",
                    rng.pick(WORDS),
                    rng.pick(WORDS),
                    chunk_start + i
                )
            })
            .collect();
        let emails: Vec<String> = (0..n)
            .map(|i| format!("owner{}-{}@bench.example", chunk_start + i, &run[..8]))
            .collect();
        let mut tx = pool.begin().await?;
        sqlx::query!(
            "insert into brands (id, name) select * from unnest($1::uuid[], $2::text[])",
            &ids,
            &names
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into users (id, email, display_name, password_hash, role)
             select u, e, 'Bench owner', $3, 'brand' from unnest($1::uuid[], $2::text[]) as t(u, e)",
            &users,
            &emails,
            hash
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into brand_members (brand_id, user_id, role)
             select * , 'owner' from unnest($1::uuid[], $2::uuid[])",
            &ids,
            &users
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        brand_ids.extend(ids);
    }

    let mut open = 0;
    for chunk_start in (0..count).step_by(BATCH) {
        let n = BATCH.min(count - chunk_start);
        let mut c = Columns::default();
        for i in 0..n {
            let status = match rng.below(10) {
                0 => "draft",
                1 => "closed",
                2 => "completed",
                _ => "open",
            };
            if status == "open" {
                open += 1;
            }
            let (deadline, start): (Date, Date) = match status {
                "open" | "draft" => {
                    let d = today + Duration::days(1 + rng.below(60) as i64);
                    (d, d + Duration::days(3))
                }
                _ => {
                    let d = today - Duration::days(5 + rng.below(200) as i64);
                    (d, d + Duration::days(3))
                }
            };
            let currency = *rng.pick(&[Currency::Usd, Currency::Usd, Currency::Eur, Currency::Gbp]);
            let compensation = *rng.pick(&Compensation::ALL);
            let tier_from = rng.below(4) as usize;
            c.ids.push(Uuid::now_v7());
            c.brands
                .push(brand_ids[(chunk_start + i) % brand_ids.len()]);
            c.titles.push(format!(
                "{} {} campaign {}",
                rng.pick(WORDS),
                rng.pick(NICHES),
                chunk_start + i
            ));
            c.objectives
                .push(rng.pick(&Objective::ALL).key().to_owned());
            c.budgets.push((500 + rng.below(50_000) as i64) * 100);
            c.currencies.push(currency.code().to_owned());
            c.compensations.push(compensation.key().to_owned());
            c.commissions.push(
                matches!(compensation, Compensation::Affiliate | Compensation::Hybrid)
                    .then(|| 500 + rng.below(1500) as i32),
            );
            c.deadlines.push(deadline);
            c.starts.push(start);
            c.ends.push(start + Duration::days(30));
            c.tiers.push(
                Tier::TARGETABLE[tier_from..(tier_from + 2).min(5)]
                    .iter()
                    .map(|t| t.key())
                    .collect::<Vec<_>>()
                    .join(","),
            );
            let p1 = *rng.pick(&Platform::ALL);
            let p2 = *rng.pick(&Platform::ALL);
            c.platforms.push(if p1 == p2 {
                p1.key().to_owned()
            } else {
                format!("{},{}", p1.key(), p2.key())
            });
            c.niches.push(rng.pick(NICHES).to_string());
            c.statuses.push(status.to_owned());
            c.published_ago.push(rng.below(30 * 24) as i32);
            c.first_platform.push(p1.key().to_owned());
        }
        let mut tx = pool.begin().await?;
        sqlx::query!(
            r#"insert into campaigns (id, brand_id, title, business_goal, objective, budget_minor, currency,
                   compensation, commission_basis_points, creators_wanted, application_deadline, starts_on,
                   ends_on, eligible_tiers, platforms, niches, countries, target_audience, status, published_at)
               select id, brand, title, 'Grow the business with creators our customers trust.', objective,
                      budget, currency, compensation, commission, 5, deadline, starts, ends,
                      string_to_array(tiers, ','), string_to_array(platforms, ','), array[niche], '{US}',
                      'People who buy with care.', status,
                      case when status = 'draft' then null else now() - make_interval(hours => ago) end
                 from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::bigint[], $6::text[],
                             $7::text[], $8::int[], $9::date[], $10::date[], $11::date[], $12::text[],
                             $13::text[], $14::text[], $15::text[], $16::int[])
                   as t(id, brand, title, objective, budget, currency, compensation, commission, deadline,
                        starts, ends, tiers, platforms, niche, status, ago)"#,
            &c.ids,
            &c.brands,
            &c.titles,
            &c.objectives,
            &c.budgets,
            &c.currencies,
            &c.compensations,
            &c.commissions as &[Option<i32>],
            &c.deadlines,
            &c.starts,
            &c.ends,
            &c.tiers,
            &c.platforms,
            &c.niches,
            &c.statuses,
            &c.published_ago,
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into campaign_kpis (campaign_id, position, metric, target)
             select id, 0, $2, 1000 from unnest($1::uuid[]) as id",
            &c.ids,
            KpiMetric::Conversions.key()
        )
        .execute(&mut *tx)
        .await?;
        let rubric: Vec<String> = Criterion::ALL.iter().map(|c| c.key().to_owned()).collect();
        sqlx::query!(
            "insert into brief_versions (campaign_id, version, key_message, dos, donts, hashtags,
                 disclosure, review_days, max_revision_rounds, rubric)
             select id, 1, 'Show how it fits a real day.', '{Use your own voice}', '{No competitors}',
                    '{#ad}', $2, 3, 2, $3 from unnest($1::uuid[]) as id",
            &c.ids,
            DEFAULT_DISCLOSURE,
            &rubric
        )
        .execute(&mut *tx)
        .await?;
        sqlx::query!(
            "insert into brief_deliverables (campaign_id, version, position, platform, format, quantity, due_on)
             select id, 1, 0, platform, $4, 2, starts + 10
               from unnest($1::uuid[], $2::text[], $3::date[]) as t(id, platform, starts)",
            &c.ids,
            &c.first_platform,
            &c.starts,
            Format::Post.key()
        )
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
    }
    sqlx::query("analyze campaigns").execute(pool).await?;
    Ok(format!(
        "Added {count} campaigns ({open} open) for {brand_count} new brands, each with a brief."
    ))
}

#[derive(Default)]
struct Columns {
    ids: Vec<Uuid>,
    brands: Vec<Uuid>,
    titles: Vec<String>,
    objectives: Vec<String>,
    budgets: Vec<i64>,
    currencies: Vec<String>,
    compensations: Vec<String>,
    commissions: Vec<Option<i32>>,
    deadlines: Vec<Date>,
    starts: Vec<Date>,
    ends: Vec<Date>,
    tiers: Vec<String>,
    platforms: Vec<String>,
    niches: Vec<String>,
    statuses: Vec<String>,
    published_ago: Vec<i32>,
    first_platform: Vec<String>,
}
