//! Applications and collaborations at scale for benchmarks: `count`
//! applications spread over every published campaign and every creator (one
//! active per creator and campaign), one in ten accepted with the brief's
//! deliverables in every state of delivery: waiting, submitted, changes
//! requested with action items, or approved and published after two rounds,
//! with their scores. Accepted ones get a short message thread, decided ones
//! a notification, and the money of all of them moves as `scale_money` says.
//! On top, the demo's hot spots: 300 applications on the demo brand's first
//! campaign, 5,000 on its finished spring launch, and five years of them for
//! the demo creator.
//!
//! Set-based SQL in one transaction: rows are generated in the database.

use sqlx::PgPool;

/// The demo campaign and creator the benchmark signs in as.
const HOT_CAMPAIGN: &str = "Autumn jackets, tested on the trail";
const HOT_CAMPAIGN_APPLICATIONS: i64 = 300;
/// A campaign that drew applications by the thousand: the brand's finished
/// spring launch, every applicant but the few it worked with declined or
/// withdrawn.
const POPULAR_CAMPAIGN: &str = "Spring trail kit";
const POPULAR_CAMPAIGN_APPLICATIONS: i64 = 5_000;
const HOT_CREATOR: &str = "aisha.patel@creators.example";
/// Five years of a full-time creator's business: a thousand deals.
const HOT_CREATOR_APPLICATIONS: i64 = 1_000;
/// The hours they logged on them, and the deals they made outside Liaison.
const HOT_CREATOR_HOUR_ENTRIES: i64 = 20_000;
const HOT_CREATOR_OUTSIDE_DEALS: i64 = 60;

pub async fn applications(pool: &PgPool, count: usize) -> anyhow::Result<String> {
    let started = std::time::Instant::now();
    let mut tx = pool.begin().await?;
    sqlx::query("set local liaison.bulk_load = 'on'")
        .execute(&mut *tx)
        .await?;
    sqlx::raw_sql(
        "create temp table seed_campaigns on commit drop as
             select (row_number() over (order by c.id) - 1)::int8 as n, c.id, c.currency,
                    c.budget_minor, v.version, v.review_days, v.rubric, v.disclosure
               from campaigns c
               join brief_versions v on v.campaign_id = c.id
                                    and v.version = (select max(x.version) from brief_versions x
                                                      where x.campaign_id = c.id)
              where c.status in ('open', 'closed', 'completed');
         create temp table seed_profiles on commit drop as
             select (row_number() over (order by p.id) - 1)::int8 as n, p.id
               from influencer_profiles p;
         create temp table seed_new (id uuid primary key, campaign_id uuid, k int8) on commit drop;",
    )
    .execute(&mut *tx)
    .await?;
    let (campaigns, profiles): (i64, i64) = sqlx::query_as(
        "select (select count(*) from seed_campaigns), (select count(*) from seed_profiles)",
    )
    .fetch_one(&mut *tx)
    .await?;
    anyhow::ensure!(
        campaigns > 0 && profiles > 0,
        "seed campaigns and influencers first (--campaigns N --influencers N)"
    );

    // The bulk: application i goes to campaign i mod C, from the k-th creator
    // after an offset per campaign (k = i div C), so no pair repeats.
    let bulk = sqlx::query(
        "with made as (
             insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor,
                                       agreed_fee_minor, currency, status, decision_reason,
                                       decided_at, created_at)
             select uuidv7(), c.id, p.id,
                    'My audience trusts my reviews; I would show this in real use and report the results.',
                    greatest(c.budget_minor / 20, 100),
                    case when x.k % 10 = 0 then greatest(c.budget_minor / 20, 100) end,
                    c.currency,
                    case x.k % 10 when 0 then 'accepted' when 1 then 'declined'
                                  when 2 then 'shortlisted' when 3 then 'withdrawn'
                                  else 'submitted' end,
                    case when x.k % 10 = 1 then 'We went with creators closer to our audience.' end,
                    case when x.k % 10 in (0, 1, 2) then now() - interval '10 days' end,
                    now() - make_interval(days => (x.i % 60)::int, secs => (x.i % 86400)::float8)
               from generate_series(0, $1 - 1) as g(i)
               cross join lateral (select g.i as i, g.i % $2 as cn, g.i / $2 as k) x
               join seed_campaigns c on c.n = x.cn
               join seed_profiles p on p.n = (x.cn * 97 + x.k) % $3
             on conflict do nothing
             returning id, campaign_id, created_at)
         insert into seed_new (id, campaign_id, k)
         select id, campaign_id, 0 from made",
    )
    .bind(count as i64)
    .bind(campaigns)
    .bind(profiles)
    .execute(&mut *tx)
    .await?
    .rows_affected();

    // The hot campaign: many applicants, none accepted beyond the demo's.
    let hot_campaign = sqlx::query(
        "with made as (
             insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor,
                                       currency, status, decided_at, created_at)
             select uuidv7(), c.id, p.id,
                    'Rain or shine, I test outdoor gear for a living; here is how I would show yours.',
                    50000 + (p.n % 40) * 2500, c.currency,
                    case when p.n % 12 = 0 then 'shortlisted' else 'submitted' end,
                    case when p.n % 12 = 0 then now() - interval '2 days' end,
                    now() - make_interval(hours => (p.n % 500)::int)
               from campaigns c
               join seed_profiles p on p.n < $2
              where c.title = $1
             on conflict do nothing
             returning id, campaign_id)
         insert into seed_new (id, campaign_id, k) select id, campaign_id, 1 from made",
    )
    .bind(HOT_CAMPAIGN)
    .bind(HOT_CAMPAIGN_APPLICATIONS)
    .execute(&mut *tx)
    .await?
    .rows_affected();

    let popular_campaign = sqlx::query(
        "with made as (
             insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor,
                                       currency, status, decision_reason, decided_at, created_at)
             select uuidv7(), c.id, p.id,
                    'I hike every weekend and my followers ask what I carry: this pack would be it.',
                    30000 + (p.n % 60) * 2500, c.currency,
                    case when p.n % 10 < 8 then 'declined' else 'withdrawn' end,
                    case when p.n % 10 < 8 then 'We went with creators who hike where our buyers do.' end,
                    case when p.n % 10 < 8 then now() - interval '60 days' end,
                    now() - interval '90 days' + make_interval(mins => (p.n % 20000)::int)
               from campaigns c
               join seed_profiles p on p.n >= $2 and p.n < $2 + $3
              where c.title = $1
             on conflict do nothing
             returning id, campaign_id)
         insert into seed_new (id, campaign_id, k) select id, campaign_id, 1 from made",
    )
    .bind(POPULAR_CAMPAIGN)
    .bind(HOT_CAMPAIGN_APPLICATIONS)
    .bind(POPULAR_CAMPAIGN_APPLICATIONS)
    .execute(&mut *tx)
    .await?
    .rows_affected();

    // The hot creator: five years of applications across campaigns, three in
    // five accepted, the newest still waiting.
    let hot_creator = sqlx::query(
        "with made as (
             insert into applications (id, campaign_id, profile_id, pitch, proposed_fee_minor,
                                       agreed_fee_minor, currency, status, decision_reason,
                                       decided_at, created_at)
             select uuidv7(), c.id, p.id,
                    'I have wanted to work with you for a while: my audience fits your goal.',
                    60000 + (c.n % 7) * 10000,
                    case when c.n % 5 < 3 then 60000 + (c.n % 7) * 10000 end, c.currency,
                    case when c.n % 5 < 3 then 'accepted' when c.n % 5 = 3 then 'declined'
                         when c.n < 20 then 'shortlisted' else 'withdrawn' end,
                    case when c.n % 5 = 3 then 'We need more video for this one.' end,
                    case when c.n % 5 < 4 or c.n < 20
                         then now() - make_interval(hours => (c.n * 43)::int) + interval '5 days'
                    end,
                    now() - make_interval(hours => (c.n * 43)::int) - interval '5 days'
               from influencer_profiles p
               join users u on u.id = p.user_id and u.email = $1
               join seed_campaigns c on c.n < $2
             on conflict do nothing
             returning id, campaign_id)
         insert into seed_new (id, campaign_id, k) select id, campaign_id, 2 from made",
    )
    .bind(HOT_CREATOR)
    .bind(HOT_CREATOR_APPLICATIONS)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    sqlx::raw_sql(
        "insert into brief_acknowledgements (application_id, version)
         select n.id, c.version from seed_new n join seed_campaigns c on c.id = n.campaign_id;

         insert into deliverables (id, application_id, position, brief_version, platform, format,
                                   quantity, due_on, notes)
         select uuidv7(), a.id, d.position, d.version, d.platform, d.format, d.quantity, d.due_on,
                d.notes
           from seed_new n
           join applications a on a.id = n.id and a.status = 'accepted'
           join seed_campaigns c on c.id = a.campaign_id
           join brief_deliverables d on d.campaign_id = c.id and d.version = c.version;

         -- A code that happens to be drawn twice leaves its deliverable without a
         -- link; the odds at this scale are about one in a million per link.
         insert into tracked_links (id, code, deliverable_id)
         select uuidv7(), new_link_code(), d.id
           from seed_new n join deliverables d on d.application_id = n.id
         on conflict do nothing;

         -- Each deliverable's fate: 0 waiting, 1 submitted, 2 changes requested,
         -- 3 and 4 approved after two rounds and published.
         create temp table seed_work on commit drop as
             select d.id, abs(hashtext(d.id::text)) % 5 as fate, c.review_days, c.rubric,
                    c.disclosure
               from seed_new n
               join deliverables d on d.application_id = n.id
               join applications a on a.id = n.id
               join seed_campaigns c on c.id = a.campaign_id;

         -- A draft still waiting was sent within its review promise and two
         -- days more: some are overdue, none has waited past the agency's
         -- grace, which the app's automatic approval would settle at once.
         insert into submissions (id, deliverable_id, round, content_url, caption, notes,
                                  submitted_at, review_due_at)
         select uuidv7(), w.id, 1, 'https://drive.example.com/' || w.id || '/round-1',
                '#ad Tested it for a week: here is what I found.', 'First cut, colour not final.',
                t.at, t.at + make_interval(days => w.review_days)
           from seed_work w
          cross join lateral (
                select case when w.fate = 1
                            then now() - make_interval(hours => abs(hashtext(w.id::text || 'sent'))
                                                                 % (24 * (w.review_days + 2)))
                            else now() - interval '20 days' end as at) t
          where w.fate >= 1;

         insert into reviews (id, submission_id, decision, keep, why, on_time, created_at)
         select uuidv7(), s.id, 'request_changes', 'The honest tone and the real-use shots.',
                'Trust is the goal: a clear label and real use build it.',
                abs(hashtext(s.id::text)) % 4 <> 0,
                s.submitted_at + make_interval(days => (abs(hashtext(s.id::text)) % 4)::int + 1)
           from submissions s join seed_work w on w.id = s.deliverable_id
          where w.fate >= 2;

         insert into review_scores (review_id, criterion, score)
         select r.id, k.criterion, (2 + abs(hashtext(r.id::text || k.criterion)) % 3)::int2
           from reviews r
           join submissions s on s.id = r.submission_id
           join seed_work w on w.id = s.deliverable_id
          cross join lateral unnest(w.rubric) as k(criterion);

         insert into action_items (id, review_id, deliverable_id, number, body, cite_kind,
                                   cite_text, out_of_scope)
         select uuidv7(), r.id, w.id, 1, 'Move #ad to the very start of the caption.',
                'disclosure', w.disclosure, false
           from reviews r join submissions s on s.id = r.submission_id
           join seed_work w on w.id = s.deliverable_id;
         insert into action_items (id, review_id, deliverable_id, number, body, out_of_scope)
         select uuidv7(), r.id, w.id, 2, 'Add a cut for Stories too.', true
           from reviews r join submissions s on s.id = r.submission_id
           join seed_work w on w.id = s.deliverable_id
          where w.fate = 2;

         insert into submissions (id, deliverable_id, round, content_url, caption, notes,
                                  submitted_at, review_due_at)
         select uuidv7(), w.id, 2, 'https://drive.example.com/' || w.id || '/round-2',
                '#ad Tested it for a week: here is what I found.', 'Label moved to the start.',
                now() - interval '12 days',
                now() - interval '12 days' + make_interval(days => w.review_days)
           from seed_work w where w.fate >= 3;

         update action_items i set answered_in = s.id, answer = 'done'
           from submissions s join seed_work w on w.id = s.deliverable_id
          where s.round = 2 and i.deliverable_id = w.id;

         insert into reviews (id, submission_id, decision, keep, why, on_time, created_at)
         select uuidv7(), s.id, 'approve', 'All of it: ready to post.', '', true,
                s.submitted_at + interval '1 day'
           from submissions s join seed_work w on w.id = s.deliverable_id
          where s.round = 2;
         insert into review_scores (review_id, criterion, score)
         select r.id, k.criterion, (4 + abs(hashtext(r.id::text || k.criterion)) % 2)::int2
           from reviews r
           join submissions s on s.id = r.submission_id and s.round = 2
           join seed_work w on w.id = s.deliverable_id
          cross join lateral unnest(w.rubric) as k(criterion);

         update deliverables d
            set status = case w.fate when 1 then 'submitted' when 2 then 'changes_requested'
                                     else 'published' end,
                live_url = case when w.fate >= 3 then 'https://www.instagram.com/p/' || w.id end
           from seed_work w where w.id = d.id and w.fate >= 1;

         insert into messages (id, application_id, author_id, body, created_at)
         select uuidv7(), a.id, p.user_id, 'Quick question about the shooting dates: can I start next week?',
                now() - interval '18 days'
           from seed_new n join applications a on a.id = n.id and a.status = 'accepted'
           join influencer_profiles p on p.id = a.profile_id;
         insert into messages (id, application_id, author_id, body, created_at)
         select uuidv7(), a.id, m.user_id, 'Yes, any day that week works for us.',
                now() - interval '17 days'
           from seed_new n join applications a on a.id = n.id and a.status = 'accepted'
           join campaigns c on c.id = a.campaign_id
           join brand_members m on m.brand_id = c.brand_id and m.role = 'owner';

         insert into notifications (id, user_id, kind, subject_id, message, link, created_at)
         select uuidv7(), p.user_id, 'application_decided', a.id,
                'Your application was ' || a.status || '.', '/applications/' || a.id, a.decided_at
           from seed_new n join applications a on a.id = n.id and a.decided_at is not null
           join influencer_profiles p on p.id = a.profile_id;
         -- History is not news: nobody is emailed about it.
         delete from notification_mail q
          using notifications x, seed_new n
          where q.notification_id = x.id and x.subject_id = n.id and x.kind = 'application_decided';",
    )
    .execute(&mut *tx)
    .await?;
    let (holds, releases) = super::scale_money::fund_hold_and_release(&mut tx).await?;
    business_history(&mut tx).await?;
    // The desk's roll-ups, once for everything loaded (the triggers stood
    // aside for the bulk load).
    sqlx::query("select desk_rebuild()")
        .execute(&mut *tx)
        .await?;
    let (accepted, deliverables, submissions): (i64, i64, i64) = sqlx::query_as(
        "select (select count(*) from seed_new n join applications a on a.id = n.id
                  where a.status = 'accepted'),
                (select count(*) from seed_work),
                (select count(*) from submissions s join seed_work w on w.id = s.deliverable_id)",
    )
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(format!(
        "Seeded {} applications ({bulk} spread, {hot_campaign} on “{HOT_CAMPAIGN}”, \
         {popular_campaign} on “{POPULAR_CAMPAIGN}”, {hot_creator} by {HOT_CREATOR}); \
         {accepted} accepted with {deliverables} deliverables and {submissions} drafts; \
         {holds} fees held and {releases} parts released, in {:.1} s.",
        bulk + hot_campaign + popular_campaign + hot_creator,
        started.elapsed().as_secs_f64()
    ))
}

/// The hot creator's desk: hours logged across their accepted deals over the
/// years, deals made outside Liaison, and their goals.
async fn business_history(tx: &mut sqlx::PgConnection) -> anyhow::Result<()> {
    sqlx::query(
        "with deals as (
             select a.id, a.profile_id, (a.decided_at at time zone 'UTC')::date as agreed_on,
                    row_number() over (order by a.id) as k, count(*) over () as n
               from applications a
               join influencer_profiles p on p.id = a.profile_id
               join users u on u.id = p.user_id and u.email = $1
              where a.status = 'accepted')
         insert into time_entries (id, profile_id, application_id, worked_on, kind, minutes, note)
         select uuidv7(), d.profile_id, d.id,
                d.agreed_on + i,
                (array['creating', 'creating', 'revising', 'communicating', 'admin'])[1 + i % 5],
                30 + abs(hashtext(d.id::text || i)) % 150, ''
           from deals d
          -- One entry a day from the day it was agreed, at most 60 days.
          cross join generate_series(0, least($2 / greatest(d.n, 1), 60)::int - 1) as i
          where d.agreed_on + i <= current_date",
    )
    .bind(HOT_CREATOR)
    .bind(HOT_CREATOR_HOUR_ENTRIES)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into outside_deals (id, profile_id, brand_name, title, currency, amount_minor,
                                    platform, format, stage, agreed_on, due_on, paid_on)
         select uuidv7(), p.id, 'Outside brand ' || (i % 12), 'Direct deal ' || i, 'USD',
                40000 + (i % 9) * 15000, 'instagram', 'post',
                case when i < 4 then 'agreed' when i % 10 = 9 then 'lost' else 'paid' end,
                current_date - i * 30, current_date - i * 30 + 14,
                case when i >= 4 and i % 10 <> 9 then current_date - i * 30 + 20 end
           from influencer_profiles p
           join users u on u.id = p.user_id and u.email = $1
          cross join generate_series(0, ($2 - 1)::int) as i",
    )
    .bind(HOT_CREATOR)
    .bind(HOT_CREATOR_OUTSIDE_DEALS)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "insert into business_goals (profile_id, currency, monthly_income_minor, weekly_hours_cap)
         select p.id, 'USD', 800000, 40
           from influencer_profiles p join users u on u.id = p.user_id and u.email = $1
         on conflict (profile_id) do nothing",
    )
    .bind(HOT_CREATOR)
    .execute(&mut *tx)
    .await?;
    Ok(())
}
