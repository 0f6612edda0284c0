//! The click writer: takes whatever the queue holds (up to a batch), writes it
//! in one transaction, and goes back for more. Under load the queue fills while
//! a batch is written, so batches grow by themselves; when it is quiet a click
//! is written as soon as it arrives.

use std::{sync::Arc, time::Duration};

use sqlx::{PgConnection, PgPool};
use time::{OffsetDateTime, UtcOffset};
use tokio::sync::{mpsc, watch};
use uuid::Uuid;

use super::{
    click::{Click, Message},
    losses::Losses,
};

const BATCH: usize = 2_000;
/// Attempts at one batch before its clicks are counted as lost: about half a
/// minute with the pauses between them.
const ATTEMPTS: u32 = 8;

pub(super) async fn run(
    losses: Arc<Losses>,
    mut receiver: mpsc::Receiver<Message>,
    pool: PgPool,
    mut stop: watch::Receiver<bool>,
) {
    let mut messages = Vec::with_capacity(BATCH);
    // Losses already written, so each batch adds only what is new.
    let mut losses_written = 0;
    loop {
        // A dropped `ClickWriter` never asks to stop (its branch is then
        // disabled): the writer runs as long as the queue does.
        let stopping = tokio::select! {
            n = receiver.recv_many(&mut messages, BATCH) => n == 0,
            Ok(_) = stop.wait_for(|stop| *stop) => true,
        };
        if stopping {
            receiver.close();
            while receiver.recv_many(&mut messages, BATCH).await > 0 {
                write(&losses, &pool, &mut messages, &mut losses_written).await;
            }
            write(&losses, &pool, &mut messages, &mut losses_written).await;
            tracing::info!("click writer stopped: every queued click is written");
            return;
        }
        write(&losses, &pool, &mut messages, &mut losses_written).await;
    }
}

/// Writes the clicks among `messages`, then answers the flushes among them.
async fn write(
    losses: &Losses,
    pool: &PgPool,
    messages: &mut Vec<Message>,
    losses_written: &mut u64,
) {
    let mut clicks = Vec::with_capacity(messages.len());
    let mut flushes = Vec::new();
    for message in messages.drain(..) {
        match message {
            Message::Click(c) => clicks.push(c),
            Message::Flush(done) => flushes.push(done),
        }
    }
    let lost = losses.total().saturating_sub(*losses_written);
    if !clicks.is_empty() || lost > 0 {
        let mut pause = Duration::from_millis(250);
        let mut attempt = 1;
        loop {
            match store(pool, &clicks, lost).await {
                Ok(()) => {
                    *losses_written += lost;
                    metrics::counter!(crate::metrics::CLICKS_WRITTEN)
                        .increment(clicks.len() as u64);
                    break;
                }
                Err(e) if attempt < ATTEMPTS => {
                    tracing::warn!(error = %e, clicks = clicks.len(), attempt, "writing clicks failed; retrying");
                    tokio::time::sleep(pause).await;
                    pause = (pause * 2).min(Duration::from_secs(8));
                    attempt += 1;
                }
                Err(e) => {
                    // Counted as lost; the next batch stores the count.
                    tracing::error!(error = %e, clicks = clicks.len(), "giving up on a batch of clicks");
                    losses.count(clicks.len() as u64);
                    metrics::counter!(crate::metrics::CLICKS_LOST).increment(clicks.len() as u64);
                    break;
                }
            }
        }
    }
    for done in flushes {
        let _ = done.send(());
    }
}

/// One transaction: the clicks, first visits, each link's counts, the daily
/// roll-up, and the day's count of dropped clicks. A retried batch whose
/// first attempt committed after all adds nothing: clicks are keyed by id.
async fn store(pool: &PgPool, clicks: &[Click], lost: u64) -> Result<(), sqlx::Error> {
    let mut tx = pool.begin().await?;
    write_batch(&mut tx, clicks).await?;
    if lost > 0 {
        let today = OffsetDateTime::now_utc().to_offset(UtcOffset::UTC).date();
        sqlx::query!(
            "insert into click_losses (day, lost) values ($1, $2)
             on conflict (day) do update set lost = click_losses.lost + excluded.lost",
            today,
            lost as i64
        )
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await
}

/// Writes clicks with everything they count towards, in the caller's
/// transaction: the writer's batches, and the demo's history of clicks.
pub async fn write_batch(tx: &mut PgConnection, clicks: &[Click]) -> Result<(), sqlx::Error> {
    if clicks.is_empty() {
        return Ok(());
    }
    let ids: Vec<Uuid> = clicks.iter().map(|c| c.id).collect();
    let links: Vec<Uuid> = clicks.iter().map(|c| c.link_id).collect();
    let at: Vec<OffsetDateTime> = clicks.iter().map(|c| c.at).collect();
    let visitors: Vec<Vec<u8>> = clicks.iter().map(|c| c.visitor.to_vec()).collect();
    let referrers: Vec<Option<String>> = clicks.iter().map(|c| c.referrer_host.clone()).collect();
    let bots: Vec<bool> = clicks.iter().map(|c| c.is_bot).collect();
    sqlx::query!(
            r#"with stored as (
                   insert into clicks (id, link_id, clicked_at, visitor, referrer_host, is_bot)
                   select * from unnest($1::uuid[], $2::uuid[], $3::timestamptz[], $4::bytea[],
                                        $5::text[], $6::bool[])
                   on conflict (id) do nothing
                   returning id, link_id, clicked_at, visitor, is_bot,
                             (clicked_at at time zone 'UTC')::date as day
               ),
               first_visits as (
                   insert into link_visitors (link_id, visitor, first_seen)
                   select distinct on (link_id, visitor) link_id, visitor, day
                     from stored where not is_bot
                    order by link_id, visitor, clicked_at
                   on conflict do nothing
                   returning link_id, first_seen as day
               ),
               per_link as (
                   select s.link_id,
                          count(*) filter (where not s.is_bot) as clicks,
                          count(*) filter (where s.is_bot) as bots,
                          (select count(*) from first_visits f where f.link_id = s.link_id) as visitors,
                          max(s.clicked_at) filter (where not s.is_bot) as last_click
                     from stored s
                    group by s.link_id
               ),
               counted as (
                   update tracked_links l
                      set clicks = l.clicks + p.clicks,
                          bot_clicks = l.bot_clicks + p.bots,
                          unique_visitors = l.unique_visitors + p.visitors,
                          last_click_at = greatest(l.last_click_at, p.last_click)
                     from per_link p
                    where l.id = p.link_id
                   returning l.id, l.application_id, l.brand_id, l.campaign_id
               ),
               per_day as (
                   select c.application_id, s.day, c.brand_id, c.campaign_id,
                          count(*) filter (where not s.is_bot) as clicks,
                          count(*) filter (where s.is_bot) as bots,
                          (select count(*) from first_visits f
                             join counted fc on fc.id = f.link_id
                            where fc.application_id = c.application_id and f.day = s.day) as visitors
                     from stored s
                     join counted c on c.id = s.link_id
                    group by c.application_id, c.brand_id, c.campaign_id, s.day
               ),
               totals as (
                   insert into collaboration_results (application_id, brand_id, campaign_id,
                                                      clicks, unique_clicks, bot_clicks)
                   select application_id, brand_id, campaign_id, sum(clicks), sum(visitors),
                          sum(bots)
                     from per_day
                    group by application_id, brand_id, campaign_id
                   on conflict (application_id) do update
                      set clicks = collaboration_results.clicks + excluded.clicks,
                          unique_clicks = collaboration_results.unique_clicks + excluded.unique_clicks,
                          bot_clicks = collaboration_results.bot_clicks + excluded.bot_clicks
               )
               insert into results_daily (application_id, day, brand_id, campaign_id, clicks,
                                          unique_clicks, bot_clicks)
               select application_id, day, brand_id, campaign_id, clicks, visitors, bots
                 from per_day
               on conflict (application_id, day) do update
                  set clicks = results_daily.clicks + excluded.clicks,
                      unique_clicks = results_daily.unique_clicks + excluded.unique_clicks,
                      bot_clicks = results_daily.bot_clicks + excluded.bot_clicks"#,
            &ids,
            &links,
            &at,
            &visitors,
            &referrers as &[Option<String>],
            &bots,
        )
        .execute(&mut *tx)
        .await?;
    Ok(())
}
