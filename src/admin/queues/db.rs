//! Each queue's count and rows. Most are read from a snapshot of one view
//! (`agency_queue`, taken every minute) so that both follow the same
//! conditions, bounded by a manager's portfolio. The figures to verify are
//! listed from their own index as they stand (migration 0056): they are
//! most of the queues' rows, and snapshotting them cost seconds a minute.

use sqlx::PgExecutor;
use time::OffsetDateTime;
use uuid::Uuid;

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

/// Each queue's count, within `manager`'s portfolio when given: the
/// snapshot's counts for admins; a manager's rows found through the
/// portfolio's indexes, their creators' figures to verify among them.
pub async fn counts(db: impl PgExecutor<'_>, manager: Option<Uuid>) -> Result<Counts, sqlx::Error> {
    let found = match manager {
        None => {
            sqlx::query!(r#"select queue as "queue!", n as "count!" from agency_queue_counts"#)
                .fetch_all(db)
                .await?
                .into_iter()
                .map(|r| (r.queue, r.count))
                .collect::<Vec<_>>()
        }
        Some(manager) => sqlx::query!(
            r#"select queue as "queue!", count(*) as "count!"
                 from agency_queue_rows q
                where q.brand_id = any(array(select brand_id from portfolio_brands where manager_id = $1))
                   or q.profile_id = any(array(select profile_id from portfolio_creators where manager_id = $1))
                group by queue
               union all
               select 'figures-to-verify', count(*)
                 from channels ch
                where ch.profile_id = any(array(select profile_id from portfolio_creators where manager_id = $1))
                  and not ch.latest_verified"#,
            manager
        )
        .fetch_all(db)
        .await?
        .into_iter()
        .map(|r| (r.queue, r.count))
        .collect(),
    };
    let mut counts = [0; 8];
    for (queue, count) in found {
        if let Some(i) = Queue::ALL.iter().position(|q| q.key() == queue) {
            counts[i] = count;
        }
    }
    Ok(Counts(counts))
}

/// How many rows one queue holds, within `manager`'s portfolio when given.
pub async fn count(
    db: impl PgExecutor<'_>,
    queue: Queue,
    manager: Option<Uuid>,
) -> Result<i64, sqlx::Error> {
    Ok(counts(db, manager).await?.of(queue))
}

/// A row of a queue: where to act, what it is, and since when.
#[derive(Debug, Clone)]
pub struct Row {
    pub href: String,
    pub title: String,
    pub detail: String,
    pub since: OffsetDateTime,
}

/// Rows shown from a queue's snapshot; the count says how many there are in
/// all.
const SHOWN: i64 = 200;
/// Rows shown of a queue listed live: each is looked up as it stands (with
/// its creator's name), and work on the first ones brings the next up.
const SHOWN_LIVE: i64 = 50;
// The statements below read `limit 200` and `limit 50` (literals, so that a
// manager's queue is not planned for the tenth of its rows PostgreSQL
// assumes of a `limit $n`, walking the whole queue in order): they must stay
// SHOWN and SHOWN_LIVE.
const _: () = assert!(SHOWN == 200 && SHOWN_LIVE == 50);

/// How many rows of `queue` a page shows.
pub fn shown(queue: Queue) -> i64 {
    if queue.listed_live() {
        SHOWN_LIVE
    } else {
        SHOWN
    }
}

/// The first [`shown`] rows of `queue`, most urgent first, within `manager`'s
/// portfolio when given. A manager's rows lead to the account in their
/// portfolio (the brand's owner, else the creator), where they act: the
/// collaboration pages themselves open to them when they work as the brand.
pub async fn rows(
    db: impl PgExecutor<'_>,
    queue: Queue,
    manager: Option<Uuid>,
) -> Result<Vec<Row>, sqlx::Error> {
    if queue == Queue::ToVerify {
        return to_verify(db, manager).await;
    }
    match manager {
        None => sqlx::query_as!(
            Row,
            r#"select href as "href!", title as "title!", detail as "detail!", since as "since!"
                 from agency_queue_rows
                where queue = $1
                order by urgency, id
                limit 200"#,
            queue.key(),
        )
        .fetch_all(db)
        .await,
        // Found through the portfolio's indexes, then ordered: a portfolio
        // holds few of a queue's rows. The queue is compared through a
        // subquery: with its name in view, PostgreSQL weighed each queue's
        // share of the rows, found a plan for the one at hand cheaper than
        // its cached plan, and planned again on every view (0.23 ms) to
        // reach the same plan.
        Some(manager) => sqlx::query_as!(
            Row,
            r#"select '/admin/accounts/' || coalesce(
                        (select m.user_id from brand_members m
                           join portfolio_brands pb on pb.brand_id = m.brand_id
                          where m.brand_id = q.brand_id and m.role = 'owner' and pb.manager_id = $2),
                        (select p.user_id from influencer_profiles p where p.id = q.profile_id)) as "href!",
                      q.title as "title!", q.detail as "detail!", q.since as "since!"
                 from agency_queue_rows q
                where q.queue = (select $1::text)
                  and (q.brand_id = any(array(select brand_id from portfolio_brands where manager_id = $2))
                       or q.profile_id = any(array(select profile_id from portfolio_creators where manager_id = $2)))
                order by q.urgency, q.id
                limit 200"#,
            queue.key(),
            manager,
        )
        .fetch_all(db)
        .await,
    }
}

/// The channels whose newest figures nobody has checked, largest audiences
/// first, worded as `agency_queue` words them. The admin's page walks
/// `channels_unverified_idx` and stops at [`SHOWN_LIVE`]; a manager's starts from
/// their creators' channels. Two statements, so each keeps its own plan.
async fn to_verify(
    db: impl PgExecutor<'_>,
    manager: Option<Uuid>,
) -> Result<Vec<Row>, sqlx::Error> {
    match manager {
        None => sqlx::query_as!(
            Row,
            r#"select '/influencers/' || ch.profile_id || '#channel-' || ch.id as "href!",
                      u.display_name || ': ' || ch.platform || ' @' || ch.handle as "title!",
                      to_char(ch.followers, 'FM999,999,999,999') || ' followers, score ' || ch.score as "detail!",
                      ch.captured_on::timestamptz as "since!"
                 from channels ch
                 join influencer_profiles p on p.id = ch.profile_id
                 join users u on u.id = p.user_id
                where not ch.latest_verified
                order by ch.followers desc, ch.id
                limit 50"#
        )
        .fetch_all(db)
        .await,
        Some(manager) => sqlx::query_as!(
            Row,
            r#"select '/admin/accounts/' || p.user_id as "href!",
                      u.display_name || ': ' || ch.platform || ' @' || ch.handle as "title!",
                      to_char(ch.followers, 'FM999,999,999,999') || ' followers, score ' || ch.score as "detail!",
                      ch.captured_on::timestamptz as "since!"
                 from channels ch
                 join influencer_profiles p on p.id = ch.profile_id
                 join users u on u.id = p.user_id
                where ch.profile_id = any(array(select profile_id from portfolio_creators where manager_id = $1))
                  and not ch.latest_verified
                order by ch.followers desc, ch.id
                limit 50"#,
            manager,
        )
        .fetch_all(db)
        .await,
    }
}
