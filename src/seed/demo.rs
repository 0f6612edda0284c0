//! A believable demo: an agency admin, brands with small teams, and a few dozen
//! influencer-entrepreneurs. Loaded in one transaction, and only once.

use sqlx::PgPool;

use crate::{
    accounts::{
        db,
        domain::{BrandName, DisplayName, Email, Password},
        password,
    },
    admin::portfolio::db as portfolio_db,
    brands::{self, domain::ProfileForm},
    campaigns::domain::{Compensation, KpiMetric, Objective, Status},
    domain::{Currency, Platform, Tier},
    seed::{
        demo_applications, demo_business,
        demo_campaigns::{self, DemoCampaign},
        demo_collaborations, demo_creators, demo_money, demo_results,
    },
    tiers,
};

/// Every demo account signs in with this password (README lists the accounts).
pub const DEMO_PASSWORD: &str = "liaison-demo-2026";
pub const DEMO_ADMIN: &str = "admin@liaison.example";
/// The demo's agency manager: Lumen Skincare and Kite & Key Games (which the
/// agency works for) and the first six creators are in their portfolio.
pub const DEMO_MANAGER: &str = "riley@liaison.example";

struct DemoBrand {
    name: &'static str,
    website: &'static str,
    industry: &'static str,
    description: &'static str,
    business_goals: &'static str,
    brand_voice: &'static str,
    billing_address: &'static str,
    tax_id: &'static str,
    owner: (&'static str, &'static str),
    members: &'static [(&'static str, &'static str)],
    campaigns: &'static [DemoCampaign],
}

const BRANDS: &[DemoBrand] = &[
    DemoBrand {
        name: "Northwind Outdoor",
        website: "https://northwind.example",
        industry: "Outdoor gear",
        description: "Waterproof jackets, packs and boots built to be repaired rather than replaced.",
        business_goals: "Double repeat purchases within two years by becoming the brand hikers trust for gear that lasts; grow the repair programme into a reason to choose us.",
        brand_voice: "Plain, warm and practical. We talk like a friend on the trail, never like a catalogue. No extreme-sports bravado.",
        billing_address: "Northwind Outdoor Inc.\n210 SW Harbor Way\nPortland, OR 97201\nUnited States",
        tax_id: "",
        owner: ("Maya Lindqvist", "maya@northwind.example"),
        members: &[("Leo Ortega", "leo@northwind.example")],
        campaigns: &[
            DemoCampaign {
                title: "Autumn jackets, tested on the trail",
                goal: "Sell through the autumn range before the first snow, with hikers who trust the creator's judgement.",
                key_message: "A Northwind jacket keeps you dry for a decade, and we repair it when it doesn't.",
                objective: Objective::Conversion,
                kpi: (KpiMetric::Conversions, 800),
                budget_major: 24_000,
                currency: Currency::Usd,
                compensation: Compensation::FlatFee,
                tiers: &[Tier::Micro, Tier::Mid],
                platforms: &[Platform::Instagram, Platform::Youtube],
                niches: &["hiking", "camping"],
                status: Status::Open,
            },
            DemoCampaign {
                title: "Repair, don't replace",
                goal: "Make the repair programme known: it is why customers come back.",
                key_message: "Bring it back: we fix Northwind gear for life.",
                objective: Objective::Loyalty,
                kpi: (KpiMetric::Reach, 400_000),
                budget_major: 9_000,
                currency: Currency::Usd,
                compensation: Compensation::PerDeliverable,
                tiers: &[Tier::Nano, Tier::Micro],
                platforms: &[Platform::Tiktok],
                niches: &["sustainability"],
                status: Status::Draft,
            },
            DemoCampaign {
                title: "Spring trail kit",
                goal: "Launch the lightweight spring pack with creators who hike every weekend.",
                key_message: "Everything you need for a day out, at 600 grams.",
                objective: Objective::Awareness,
                kpi: (KpiMetric::Impressions, 1_500_000),
                budget_major: 15_000,
                currency: Currency::Usd,
                compensation: Compensation::Hybrid,
                tiers: &[Tier::Micro, Tier::Mid, Tier::Macro],
                platforms: &[Platform::Instagram],
                niches: &["hiking"],
                status: Status::Completed,
            },
        ],
    },
    DemoBrand {
        name: "Lumen Skincare",
        website: "https://lumen.example",
        industry: "Skincare",
        description: "Fragrance-free skincare for sensitive skin, formulated with dermatologists.",
        business_goals: "Become the first choice for sensitive skin in the UK and Germany; build trust through honest before-and-after results rather than filters.",
        brand_voice: "Calm, evidence-based, kind. Never promise miracles; always mention patch testing.",
        billing_address: "Lumen Skincare Lda\nRua das Flores 42\n1200-195 Lisboa\nPortugal",
        tax_id: "PT509876543",
        owner: ("Ana Ribeiro", "ana@lumen.example"),
        members: &[],
        campaigns: &[
            DemoCampaign {
                title: "Sensitive skin, honest results",
                goal: "Earn trust in the UK and Germany with unfiltered four-week routines.",
                key_message: "Fragrance-free care that calms sensitive skin, shown without filters.",
                objective: Objective::Consideration,
                kpi: (KpiMetric::EngagementRate, 450),
                budget_major: 18_000,
                currency: Currency::Eur,
                compensation: Compensation::FlatFee,
                tiers: &[Tier::Nano, Tier::Micro],
                platforms: &[Platform::Instagram, Platform::Tiktok],
                niches: &["skincare", "wellness"],
                status: Status::Open,
            },
            DemoCampaign {
                title: "Winter barrier cream",
                goal: "Sell the winter cream to existing customers' friends.",
                key_message: "Cold wind, calm skin.",
                objective: Objective::Conversion,
                kpi: (KpiMetric::CostPerAcquisition, 1_800),
                budget_major: 7_500,
                currency: Currency::Eur,
                compensation: Compensation::Affiliate,
                tiers: &[Tier::Micro],
                platforms: &[Platform::Youtube],
                niches: &["skincare"],
                status: Status::Closed,
            },
        ],
    },
    DemoBrand {
        name: "Brightside Coffee Roasters",
        website: "https://brightside.example",
        industry: "Specialty coffee",
        description: "Small-batch roaster selling subscriptions of single-origin beans, traceable to the farm.",
        business_goals: "Grow subscriptions to 20,000 by the end of next year while keeping churn under 4% a month.",
        brand_voice: "Curious and cheerful, a little nerdy about brewing. Credit the farmers by name.",
        billing_address: "Brightside Coffee Roasters Ltd\nUnit 4, Canal Works\nLeeds LS11 5QN\nUnited Kingdom",
        tax_id: "GB123456789",
        owner: ("Sam Okafor", "sam@brightside.example"),
        members: &[("Priya Nair", "priya@brightside.example")],
        campaigns: &[
            DemoCampaign {
                title: "Meet the farmers",
                goal: "Grow subscriptions by telling where each bean comes from.",
                key_message: "Every Brightside bag names the farm, and the farmer gets paid more for it.",
                objective: Objective::Conversion,
                kpi: (KpiMetric::Conversions, 1_200),
                budget_major: 12_000,
                currency: Currency::Gbp,
                compensation: Compensation::Hybrid,
                tiers: &[Tier::Micro, Tier::Mid],
                platforms: &[Platform::Youtube, Platform::Instagram],
                niches: &["coffee", "food"],
                status: Status::Open,
            },
            DemoCampaign {
                title: "Brew guide series",
                goal: "Keep subscribers brewing well so they stay.",
                key_message: "Three minutes to a better cup.",
                objective: Objective::Loyalty,
                kpi: (KpiMetric::VideoViews, 250_000),
                budget_major: 4_000,
                currency: Currency::Gbp,
                compensation: Compensation::ProductGifting,
                tiers: &[Tier::Nano],
                platforms: &[Platform::Tiktok],
                niches: &["coffee"],
                status: Status::Archived,
            },
        ],
    },
    DemoBrand {
        name: "Kite & Key Games",
        website: "https://kiteandkey.example",
        industry: "Board games",
        description: "An independent publisher of cooperative board games for families and friends.",
        business_goals: "Make our next crowdfunding campaign the most backed in our history and build a community that plays together weekly.",
        brand_voice: "Playful and inclusive. Show real people laughing at a real table.",
        billing_address: "Kite & Key Games S.L.\nCarrer de Pallars 85\n08018 Barcelona\nSpain",
        tax_id: "ESB12345678",
        owner: ("Tomás Herrera", "tomas@kiteandkey.example"),
        members: &[],
        campaigns: &[DemoCampaign {
            title: "Game night, together",
            goal: "Build the community before the crowdfunding campaign opens.",
            key_message: "Cooperative games where everyone wins or nobody does.",
            objective: Objective::Awareness,
            kpi: (KpiMetric::NewFollowers, 5_000),
            budget_major: 6_000,
            currency: Currency::Usd,
            compensation: Compensation::PerDeliverable,
            tiers: &[Tier::Nano, Tier::Micro, Tier::Mid],
            platforms: &[Platform::Twitch, Platform::Youtube],
            niches: &["board games", "family"],
            status: Status::Open,
        }],
    },
];

const FIRST: &[&str] = &[
    "Aisha", "Ben", "Chloé", "Dev", "Emma", "Felix", "Grace", "Hiro", "Isla", "Jonas", "Kemi",
    "Lucas", "Mina", "Noah", "Olivia", "Pablo", "Quinn", "Rosa", "Sofia", "Theo", "Uma", "Victor",
    "Wen", "Yara", "Zoe", "Ravi", "Elena", "Marco", "Nia", "Omar",
];
const LAST: &[&str] = &[
    "Khan", "Carter", "Dubois", "Patel", "Schmidt", "Nguyen", "Rossi", "Tanaka", "Murphy", "Berg",
    "Adeyemi", "Silva", "Park", "Cohen", "Fischer", "García", "Walsh", "Costa", "Novak", "Moreau",
    "Iyer", "Lopez", "Zhang", "Haddad", "Evans", "Mehta", "Popescu", "Bianchi", "Osei", "Aziz",
];

/// Loads the demo, or says it is already there.
/// Loads the demo; creators' bank details are encrypted under `key`, the
/// data key the app will run with.
pub async fn demo(pool: &PgPool, key: &crate::config::DataKey) -> anyhow::Result<String> {
    let exists: bool = sqlx::query_scalar!(
        r#"select exists(select 1 from users where email = $1) as "e!""#,
        DEMO_ADMIN
    )
    .fetch_one(pool)
    .await?;
    if exists {
        return Ok("Demo data is already loaded.".to_owned());
    }
    // One hash for every demo account: hashing dozens at full cost would only slow
    // the first start.
    let hash = password::hash(Password::parse(DEMO_PASSWORD).map_err(anyhow::Error::msg)?).await?;
    let parse_email = |s: &str| Email::parse(s).map_err(anyhow::Error::msg);
    let parse_name = |s: &str| DisplayName::parse(s).map_err(anyhow::Error::msg);

    let mut tx = pool.begin().await?;
    let admin_id = db::create_admin(
        &mut tx,
        &parse_email(DEMO_ADMIN)?,
        &parse_name("Jordan Reyes")?,
        &hash,
    )
    .await?;
    demo_money::agency(&mut tx, admin_id).await?;
    let mut members = 0;
    let mut campaigns = 0;
    let today = time::OffsetDateTime::now_utc().date();
    for brand in BRANDS {
        let account = db::create_brand_account(
            &mut tx,
            &parse_email(brand.owner.1)?,
            &parse_name(brand.owner.0)?,
            &hash,
            &BrandName::parse(brand.name).map_err(anyhow::Error::msg)?,
        )
        .await?;
        let profile = ProfileForm {
            name: brand.name.to_owned(),
            website: brand.website.to_owned(),
            industry: brand.industry.to_owned(),
            description: brand.description.to_owned(),
            business_goals: brand.business_goals.to_owned(),
            brand_voice: brand.brand_voice.to_owned(),
            billing_address: brand.billing_address.to_owned(),
            tax_id: brand.tax_id.to_owned(),
        }
        .parse()
        .map_err(|e| anyhow::anyhow!("demo brand {} is invalid: {e:?}", brand.name))?;
        brands::db::update_profile(&mut *tx, account.brand_id, &profile).await?;
        campaigns += demo_campaigns::load(
            &mut tx,
            account.brand_id,
            account.user_id,
            brand.campaigns,
            today,
            campaigns,
        )
        .await?;
        for (name, email) in brand.members {
            let member =
                db::create_brand_user(&mut tx, &parse_email(email)?, &parse_name(name)?, &hash)
                    .await?;
            crate::brands::db::add_member(&mut *tx, account.brand_id, member).await?;
            members += 1;
        }
    }
    let mut influencers = 0;
    let scale = tiers::db::load(&mut *tx).await?;
    for (i, first) in FIRST.iter().enumerate() {
        let last = LAST[(i * 7 + 3) % LAST.len()];
        let email = format!("{}.{}@creators.example", ascii(first), ascii(last));
        let name = format!("{first} {last}");
        let user_id = db::create_influencer_account(
            &mut tx,
            &parse_email(&email)?,
            &parse_name(&name)?,
            &hash,
        )
        .await?;
        demo_creators::load(&mut tx, user_id, &name, i, admin_id, &scale, today).await?;
        influencers += 1;
    }
    portfolio(
        &mut tx,
        &parse_email(DEMO_MANAGER)?,
        &parse_name("Riley Chen")?,
        &hash,
        admin_id,
    )
    .await?;
    fund_brands(&mut tx, admin_id).await?;
    let applications = demo_applications::load(&mut tx).await?;
    let collaborations = demo_collaborations::load(&mut tx).await?;
    let finished = demo_results::load(&mut tx, admin_id).await?;
    release_approved_work(&mut tx).await?;
    let history = demo_business::load(&mut tx, admin_id, today).await?;
    demo_money::payouts_and_dispute(&mut tx, key, admin_id).await?;
    backdate_work(&mut tx).await?;
    backdate_accounts(&mut tx).await?;
    tx.commit().await?;
    Ok(format!(
        "Loaded the demo: 1 agency admin, 1 agency manager, {} brands ({} extra team members) with {campaigns} campaigns \
         in every state, {influencers} influencers and {applications} applications ({collaborations} collaborations under way, {finished} finished with results); {} has a year of business on her desk ({history} paid deals). Every demo account's password is {DEMO_PASSWORD}.",
        BRANDS.len(),
        members,
        demo_business::CREATOR
    ))
}

/// The demo's manager and their portfolio.
async fn portfolio(
    tx: &mut sqlx::PgConnection,
    email: &Email,
    name: &DisplayName,
    hash: &str,
    admin_id: uuid::Uuid,
) -> anyhow::Result<()> {
    let manager = db::create_staff(tx, email, name, hash, crate::domain::Role::Manager).await?;
    let brands = sqlx::query!(
        "select id, name from brands where name in ('Lumen Skincare', 'Kite & Key Games') order by name"
    )
    .fetch_all(&mut *tx)
    .await?;
    for brand in brands {
        portfolio_db::assign_brand(tx, brand.id, Some(manager), admin_id).await?;
        if brand.name == "Kite & Key Games" {
            portfolio_db::set_agency_managed(tx, brand.id, true).await?;
        }
    }
    let creators = sqlx::query_scalar!(
        "select p.id from influencer_profiles p join users u on u.id = p.user_id
          order by u.created_at, u.id limit 6"
    )
    .fetch_all(&mut *tx)
    .await?;
    for profile in creators {
        portfolio_db::assign_creator(tx, profile, Some(manager), admin_id).await?;
    }
    Ok(())
}

/// The demo's collaborations were filled in row by row: the deliverables they
/// left approved or published get their share of the escrow released, as
/// approving does.
async fn release_approved_work(tx: &mut sqlx::PgConnection) -> anyhow::Result<()> {
    let done = sqlx::query_scalar!(
        "select d.id from deliverables d join escrow_shares s on s.deliverable_id = d.id
          where d.status in ('approved', 'published') and s.settled is null
          order by d.id"
    )
    .fetch_all(&mut *tx)
    .await?;
    for id in done {
        crate::billing::escrow::release(&mut *tx, id, crate::domain::ReleaseOn::Approval, None)
            .await
            .map_err(|e| anyhow::anyhow!("demo release: {e}"))?;
    }
    Ok(())
}

/// Each brand paid the agency by bank transfer, a month ago, in each currency
/// it runs campaigns in: about half of those campaigns' budgets, as a first
/// instalment.
async fn fund_brands(tx: &mut sqlx::PgConnection, admin_id: uuid::Uuid) -> anyhow::Result<()> {
    let due = sqlx::query!(
        r#"select c.brand_id, b.name, c.currency as "currency: Currency",
                  (sum(c.budget_minor) / 2 / 100000 * 100000)::bigint as "amount!"
             from campaigns c join brands b on b.id = c.brand_id
            where c.status <> 'draft'
            group by c.brand_id, b.name, c.currency
            order by b.name, c.currency"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let received_on = crate::domain::date::today() - time::Duration::days(30);
    for (n, d) in due.into_iter().enumerate() {
        let reference = format!(
            "{}-{}-{:04}",
            ascii(&d.name)
                .chars()
                .take(8)
                .collect::<String>()
                .to_uppercase(),
            d.currency.code(),
            1_207 + n
        );
        crate::billing::funding::record(
            &mut *tx,
            &crate::billing::funding::Receipt {
                source: crate::billing::funding::Source::BankTransfer,
                event_id: reference.clone(),
                brand_id: d.brand_id,
                amount: crate::domain::Money::from_minor(d.amount.max(100_000), d.currency),
                received_on,
                reference,
            },
            admin_id,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo funding: {e}"))?;
    }
    Ok(())
}

/// Applications spread over the weeks work takes (their campaigns are dated
/// by `demo_campaigns`): sent over the last two weeks, each on its own day
/// and hour, and decided a while later, but the accepted ones, which came
/// after the campaign was published and before their collaboration's first
/// draft, 40 days ago.
async fn backdate_work(tx: &mut sqlx::PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update applications a
            set created_at = x.sent, updated_at = coalesce(x.decided, x.sent),
                decided_at = x.decided
           from (select a.id,
                        s.sent,
                        case when a.decided_at is null then null
                             when exists (select 1 from deliverables d where d.application_id = a.id)
                             then s.sent + interval '1 day 3 hours'
                             else s.sent + (now() - s.sent) / 2 end as decided
                   from applications a
                  cross join lateral (
                        select case when exists (select 1 from deliverables d
                                                  where d.application_id = a.id)
                                    then now() - make_interval(days => 44 + abs(hashtext(a.id::text)) % 3)
                                    else now() - make_interval(days => 1 + abs(hashtext(a.id::text)) % 13,
                                                               hours => abs(hashtext(a.id::text)) % 20)
                               end as sent) s) x
          where x.id = a.id
            -- The finished campaign's collaborations keep the dates of their season.
            and not exists (select 1 from campaigns c
                             where c.id = a.campaign_id and c.status = 'completed')"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update brief_acknowledgements k set acknowledged_at = a.created_at
           from applications a
          where a.id = k.application_id and k.acknowledged_at > a.created_at"
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Accounts joined before the demo's oldest activity (the creator with a
/// year of business, whose first deal is 13 months old), each on its own day,
/// as real sign-ups spread.
async fn backdate_accounts(tx: &mut sqlx::PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update users set created_at = now() - make_interval(days => 420 + abs(hashtext(id::text)) % 90)"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update influencer_profiles p set created_at = u.created_at from users u where u.id = p.user_id"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update brand_members m set created_at = u.created_at from users u where u.id = m.user_id"
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query!(
        "update brands b set created_at = (select min(m.created_at) from brand_members m
                                            where m.brand_id = b.id)
          where exists (select 1 from brand_members m where m.brand_id = b.id)"
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

/// Email-safe form of a name: lower-case ASCII letters only.
fn ascii(name: &str) -> String {
    name.chars()
        .map(|c| match c {
            'é' | 'è' => 'e',
            'á' | 'à' => 'a',
            'í' => 'i',
            'ó' => 'o',
            'ú' => 'u',
            other => other,
        })
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect()
}
