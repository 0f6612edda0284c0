//! Each queue's count and rows, read with the same conditions.

use sqlx::PgExecutor;
use time::OffsetDateTime;

use super::Queue;

/// How many rows each queue holds, in [`Queue::ALL`]'s order.
pub struct Counts(pub [i64; 8]);

impl Counts {
    pub fn of(&self, queue: Queue) -> i64 {
        Queue::ALL
            .iter()
            .position(|q| *q == queue)
            .and_then(|i| self.0.get(i).copied())
            .unwrap_or(0)
    }
}

pub async fn counts(db: impl PgExecutor<'_>) -> Result<Counts, sqlx::Error> {
    let r = sqlx::query!(
        r#"select
             (select count(*) from submissions s
               where s.review_due_at < now()
                 and not exists (select 1 from reviews r where r.submission_id = s.id)) as "reviews!",
             (select count(*) from deliverables d
               where d.due_on < current_date
                 and d.status in ('todo', 'submitted', 'changes_requested')) as "deliverables!",
             (select count(*) from applications a
               where a.status = 'accepted'
                 and a.decided_at < now() - interval '7 days'
                 and exists (select 1 from deliverables d where d.application_id = a.id
                              and d.status not in ('published', 'cancelled'))
                 and not exists (select 1 from messages m where m.application_id = a.id
                                  and m.created_at > now() - interval '7 days')) as "silent!",
             (select count(*) from channels where not latest_verified) as "to_verify!",
             (select count(*) from channels where score < 50) as "signals!",
             (select count(*) from disputes where resolved_at is null) as "disputes!",
             (select count(*) from audit_events
               where action = 'deliverable.auto_approved'
                 and occurred_at > now() - interval '30 days') as "auto!",
             (select count(*) from campaigns c
               where c.status = 'open'
                 and c.application_deadline between current_date and current_date + 7
                 and not exists (select 1 from applications a where a.campaign_id = c.id
                                  and a.status = 'accepted')) as "closing!""#
    )
    .fetch_one(db)
    .await?;
    Ok(Counts([
        r.reviews,
        r.deliverables,
        r.silent,
        r.to_verify,
        r.signals,
        r.disputes,
        r.auto,
        r.closing,
    ]))
}

/// A row of a queue: where to act, what it is, and since when.
#[derive(Debug, Clone)]
pub struct Row {
    pub href: String,
    pub title: String,
    pub detail: String,
    pub since: OffsetDateTime,
}

/// Up to `limit` rows of `queue`, most urgent first.
pub async fn rows(
    db: impl PgExecutor<'_>,
    queue: Queue,
    limit: i64,
) -> Result<Vec<Row>, sqlx::Error> {
    match queue {
        Queue::ReviewsOverdue => sqlx::query_as!(
            Row,
            r#"select '/deliverables/' || d.id as "href!",
                      c.title || ': ' || d.platform || ' ' || d.format || ', round ' || s.round as "title!",
                      c.brand_name || ' to review ' || u.display_name || '''s draft' as "detail!",
                      s.review_due_at as since
                 from submissions s
                 join deliverables d on d.id = s.deliverable_id
                 join applications a on a.id = d.application_id
                 join campaigns c on c.id = a.campaign_id
                 join influencer_profiles p on p.id = a.profile_id
                 join users u on u.id = p.user_id
                where s.review_due_at < now()
                  and not exists (select 1 from reviews r where r.submission_id = s.id)
                order by s.review_due_at, s.id
                limit $1"#,
            limit
        )
        .fetch_all(db)
        .await,
        Queue::DeliverablesOverdue => sqlx::query_as!(
            Row,
            r#"select '/deliverables/' || d.id as "href!",
                      c.title || ': ' || d.platform || ' ' || d.format as "title!",
                      u.display_name || ' for ' || c.brand_name || ', ' || d.status as "detail!",
                      d.due_on::timestamptz as "since!"
                 from deliverables d
                 join applications a on a.id = d.application_id
                 join campaigns c on c.id = a.campaign_id
                 join influencer_profiles p on p.id = a.profile_id
                 join users u on u.id = p.user_id
                where d.due_on < current_date
                  and d.status in ('todo', 'submitted', 'changes_requested')
                order by d.due_on, d.id
                limit $1"#,
            limit
        )
        .fetch_all(db)
        .await,
        Queue::Silent => sqlx::query_as!(
            Row,
            r#"select '/applications/' || a.id || '/messages' as "href!",
                      c.title as "title!",
                      u.display_name || ' and ' || c.brand_name as "detail!",
                      greatest(a.decided_at, (select max(m.created_at) from messages m
                                               where m.application_id = a.id)) as "since!"
                 from applications a
                 join campaigns c on c.id = a.campaign_id
                 join influencer_profiles p on p.id = a.profile_id
                 join users u on u.id = p.user_id
                where a.status = 'accepted'
                  and a.decided_at < now() - interval '7 days'
                  and exists (select 1 from deliverables d where d.application_id = a.id
                               and d.status not in ('published', 'cancelled'))
                  and not exists (select 1 from messages m where m.application_id = a.id
                                   and m.created_at > now() - interval '7 days')
                order by 4, a.id
                limit $1"#,
            limit
        )
        .fetch_all(db)
        .await,
        Queue::ToVerify | Queue::Signals => sqlx::query_as!(
            Row,
            r#"select '/influencers/' || c.profile_id || '#channel-' || c.id as "href!",
                      u.display_name || ': ' || c.platform || ' @' || c.handle as "title!",
                      to_char(c.followers, 'FM999,999,999,999') || ' followers, score ' || c.score as "detail!",
                      c.captured_on::timestamptz as "since!"
                 from channels c
                 join influencer_profiles p on p.id = c.profile_id
                 join users u on u.id = p.user_id
                where case when $2 then not c.latest_verified else c.score < 50 end
                order by c.followers desc, c.id
                limit $1"#,
            limit,
            queue == Queue::ToVerify
        )
        .fetch_all(db)
        .await,
        Queue::Disputes => sqlx::query_as!(
            Row,
            r#"select '/disputes/' || x.id as "href!",
                      c.title as "title!",
                      c.brand_name || ' and ' || u.display_name || ': ' || left(x.reason, 120) as "detail!",
                      x.opened_at as since
                 from disputes x
                 join applications a on a.id = x.application_id
                 join campaigns c on c.id = a.campaign_id
                 join influencer_profiles p on p.id = a.profile_id
                 join users u on u.id = p.user_id
                where x.resolved_at is null
                order by x.opened_at, x.id
                limit $1"#,
            limit
        )
        .fetch_all(db)
        .await,
        Queue::AutoApprovals => sqlx::query_as!(
            Row,
            r#"select '/deliverables/' || e.object_id as "href!",
                      'Approved automatically' as "title!",
                      e.detail as "detail!",
                      e.occurred_at as since
                 from audit_events e
                where e.action = 'deliverable.auto_approved'
                  and e.occurred_at > now() - interval '30 days'
                order by e.occurred_at desc, e.id desc
                limit $1"#,
            limit
        )
        .fetch_all(db)
        .await,
        Queue::ClosingEmpty => sqlx::query_as!(
            Row,
            r#"select '/campaigns/' || c.id || '/applications' as "href!",
                      c.title as "title!",
                      c.brand_name || ', ' || (select count(*) from applications a
                                               where a.campaign_id = c.id) || ' applications' as "detail!",
                      c.application_deadline::timestamptz as "since!"
                 from campaigns c
                where c.status = 'open'
                  and c.application_deadline between current_date and current_date + 7
                  and not exists (select 1 from applications a where a.campaign_id = c.id
                                   and a.status = 'accepted')
                order by c.application_deadline, c.id
                limit $1"#,
            limit
        )
        .fetch_all(db)
        .await,
    }
}
