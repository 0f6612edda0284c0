//! Results at scale for benchmarks: over the collaborations the scale seed
//! made, a tracked link per deliverable, millions of clicks (spread over the
//! last sixty days, more on larger creators' links, some people twice, a few
//! crawlers), the orders a share of them placed (fewer per click the larger
//! the creator), and figures for every published post; with the roll-ups,
//! link counts and first visits the app's own writes keep, computed
//! set-based in the caller's transaction.

use sqlx::{PgConnection, PgPool};

/// `liaison seed --results`: the clicks and orders, in one transaction.
pub async fn results(pool: &PgPool, clicks: i64, orders: i64) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    let mut tx = pool.begin().await?;
    let (made, placed) = clicks_and_orders(&mut tx, clicks, orders).await?;
    tx.commit().await?;
    Ok(format!(
        "Seeded {made} clicks and {placed} orders on the collaborations' tracked links in {:.0} s.",
        started.elapsed().as_secs_f64()
    ))
}

/// Adds about `clicks` clicks and `orders` orders; returns how many of each.
pub async fn clicks_and_orders(
    tx: &mut PgConnection,
    clicks: i64,
    orders: i64,
) -> anyhow::Result<(i64, i64)> {
    sqlx::raw_sql(
        "insert into tracked_links (id, code, deliverable_id)
         select uuidv7(), new_link_code(), d.id
           from deliverables d join applications a on a.id = d.application_id
          where a.status in ('accepted', 'cancelled')
            and not exists (select 1 from tracked_links l where l.deliverable_id = d.id)
         on conflict do nothing;

         -- Larger audiences bring more clicks per link, and fewer orders per click.
         create temp table sr_links on commit drop as
             select l.id, l.application_id, l.brand_id, l.campaign_id, c.currency,
                    case a.creator_tier when 'micro' then 3 when 'mid' then 8 when 'macro' then 15
                                        when 'mega' then 30 else 1 end as weight,
                    case a.creator_tier when 'nano' then 14 when 'micro' then 12 when 'mid' then 9
                                        when 'macro' then 6 when 'mega' then 4 else 10 end as buys
               from tracked_links l
               join applications a on a.id = l.application_id
               join campaigns c on c.id = l.campaign_id
              where not exists (select 1 from clicks k where k.link_id = l.id);
         analyze sr_links;",
    )
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "create temp table sr_plan on commit drop as
             select l.*, greatest(1, round($1::float8 * weight / sum(weight) over ()
                                        * (0.6 + (abs(hashtext(l.id::text)) % 80) / 100.0)))::int as k
               from sr_links l",
    )
    .bind(clicks as f64)
    .execute(&mut *tx)
    .await?;
    // Temporary tables are never analysed by autovacuum; the joins below need
    // their sizes.
    sqlx::raw_sql("analyze sr_plan").execute(&mut *tx).await?;
    // Each click's id is a UUIDv7 of its own time, as the redirect makes it;
    // visitors come from a pool per link, so some people click twice.
    let made = sqlx::raw_sql(
        "insert into clicks (id, link_id, clicked_at, visitor, referrer_host, is_bot)
         select encode(set_byte(overlay(uuid_send(gen_random_uuid())
                                        placing substring(int8send((extract(epoch from t.at) * 1000)::int8) from 3)
                                        from 1 for 6), 6, 112 + (get_byte(uuid_send(gen_random_uuid()), 6) & 15)),
                       'hex')::uuid,
                p.id, t.at,
                decode(md5(p.id::text || '/' || (g * 7919) % greatest(1, p.k * 85 / 100)), 'hex'),
                case g % 3 when 0 then 'l.instagram.com' when 1 then 'www.tiktok.com' end,
                g % 33 = 0
           from sr_plan p
          cross join lateral generate_series(1, p.k) g
          cross join lateral (select now() - make_interval(secs => (abs(hashtext(p.id::text || g)) % 5184000)::float8) as at) t;",
    )
    .execute(&mut *tx)
    .await?
    .rows_affected() as i64;
    sqlx::raw_sql(
        "insert into link_visitors (link_id, visitor, first_seen)
         select link_id, visitor, (min(clicked_at) at time zone 'UTC')::date
           from clicks k join sr_plan p on p.id = k.link_id
          where not k.is_bot
          group by link_id, visitor
         on conflict do nothing;

         create temp table sr_link_counts on commit drop as
             select k.link_id, count(*) filter (where not k.is_bot) as clicks,
                    count(*) filter (where k.is_bot) as bots,
                    max(k.clicked_at) filter (where not k.is_bot) as last_click
               from clicks k join sr_plan p on p.id = k.link_id
              group by k.link_id;
         update tracked_links l
            set clicks = l.clicks + c.clicks, bot_clicks = l.bot_clicks + c.bots,
                unique_visitors = (select count(*) from link_visitors v where v.link_id = l.id),
                last_click_at = greatest(l.last_click_at, c.last_click)
           from sr_link_counts c where c.link_id = l.id;

         insert into results_daily (application_id, day, brand_id, campaign_id, clicks, unique_clicks,
                                    bot_clicks)
         select p.application_id, (k.clicked_at at time zone 'UTC')::date, p.brand_id, p.campaign_id,
                count(*) filter (where not k.is_bot), 0, count(*) filter (where k.is_bot)
           from clicks k join sr_plan p on p.id = k.link_id
          group by p.application_id, p.brand_id, p.campaign_id, (k.clicked_at at time zone 'UTC')::date
         on conflict (application_id, day) do update
            set clicks = results_daily.clicks + excluded.clicks,
                bot_clicks = results_daily.bot_clicks + excluded.bot_clicks;
         update results_daily r set unique_clicks = r.unique_clicks + v.n
           from (select p.application_id, v.first_seen as day, count(*) as n
                   from link_visitors v join sr_plan p on p.id = v.link_id
                  group by p.application_id, v.first_seen) v
          where r.application_id = v.application_id and r.day = v.day;",
    )
    .execute(&mut *tx)
    .await?;
    // Orders: a share of people's clicks, set so that about `orders` are placed,
    // each some hours after its click.
    let placed = sqlx::query(
        "with rate as (
             select $1::float8 / nullif(sum(p.k * p.buys), 0) as scale from sr_plan p
         ),
         bought as (
             insert into conversions (id, brand_id, order_id, amount_minor, currency, occurred_at,
                                      click_id, application_id, campaign_id, attributed_by, source)
             select uuidv7(), p.brand_id, 'S-' || replace(k.id::text, '-', ''),
                    3000 + abs(hashtext(k.id::text)) % 22000, p.currency,
                    least(now(), k.clicked_at + make_interval(mins => 5 + abs(hashtext(k.id::text || 'o')) % 2880)),
                    k.id, p.application_id, p.campaign_id, 'click', 'api'
               from clicks k
               join sr_plan p on p.id = k.link_id
              cross join rate
              where not k.is_bot
                and (abs(hashtext(k.id::text || 'b')) % 1000000) < p.buys * rate.scale * 1000000
             returning application_id, brand_id, campaign_id, occurred_at, amount_minor
         ),
         daily as (
             insert into results_daily (application_id, day, brand_id, campaign_id, conversions,
                                        revenue_minor)
             select b.application_id, (b.occurred_at at time zone 'UTC')::date, b.brand_id,
                    b.campaign_id, count(*), sum(b.amount_minor)
               from bought b
              group by b.application_id, b.brand_id, b.campaign_id,
                       (b.occurred_at at time zone 'UTC')::date
             on conflict (application_id, day) do update
                set conversions = results_daily.conversions + excluded.conversions,
                    revenue_minor = results_daily.revenue_minor + excluded.revenue_minor
         )
         select count(*) from bought",
    )
    .bind(orders as f64)
    .fetch_one(&mut *tx)
    .await
    .map(|row: sqlx::postgres::PgRow| sqlx::Row::get::<i64, _>(&row, 0))?;
    // Each collaboration's totals, from its days.
    sqlx::raw_sql(
        "insert into collaboration_results (application_id, brand_id, campaign_id, clicks,
                                            unique_clicks, bot_clicks, conversions, revenue_minor)
         select application_id, (array_agg(brand_id))[1], (array_agg(campaign_id))[1], sum(clicks),
                sum(unique_clicks), sum(bot_clicks), sum(conversions), sum(revenue_minor)
           from results_daily
          group by application_id
         on conflict (application_id) do update
            set clicks = excluded.clicks, unique_clicks = excluded.unique_clicks,
                bot_clicks = excluded.bot_clicks, conversions = excluded.conversions,
                revenue_minor = excluded.revenue_minor;",
    )
    .execute(&mut *tx)
    .await?;
    // Every published post's figures, shaped like its creator's audience.
    sqlx::raw_sql(
        "create temp table sr_posts on commit drop as
             select d.id as deliverable_id, d.application_id, d.brand_id, a.campaign_id, d.platform,
                    greatest(100, coalesce((select max(ch.followers) from channels ch
                                             where ch.profile_id = d.profile_id
                                               and ch.platform = d.platform), p.followers)) as followers,
                    abs(hashtext(d.id::text)) % 40 as jitter
               from deliverables d
               join applications a on a.id = d.application_id
               join influencer_profiles p on p.id = d.profile_id
              where d.status = 'published'
                and not exists (select 1 from post_figures f where f.deliverable_id = d.id);
         insert into post_figures (id, deliverable_id, brand_id, recorded_on, impressions, reach,
                                   views, likes, comments, shares, saves)
         select uuidv7(), deliverable_id, brand_id, current_date - 2,
                followers * (20 + jitter) / 100, followers * (16 + jitter) / 100,
                case when platform in ('youtube', 'tiktok', 'twitch') then followers * (25 + jitter) / 100 end,
                followers * (12 + jitter / 4) / 1000, followers * (12 + jitter / 4) / 12000,
                followers / 400, followers / 300
           from sr_posts;
         insert into deliverable_results (deliverable_id, application_id, brand_id, campaign_id,
                                          recorded_on, impressions, views, engagements,
                                          engagement_ppm, interactions, engagement_base)
         select s.deliverable_id, s.application_id, s.brand_id, s.campaign_id, f.recorded_on,
                f.impressions, coalesce(f.views, 0),
                f.likes + f.comments + f.shares + f.saves,
                ((f.likes + f.comments) * 1000000 / greatest(1, coalesce(f.views, s.followers)))::int,
                f.likes + f.comments, coalesce(f.views, s.followers)
           from sr_posts s join post_figures f on f.deliverable_id = s.deliverable_id
         on conflict (deliverable_id) do nothing;",
    )
    .execute(&mut *tx)
    .await?;
    Ok((made, placed))
}
