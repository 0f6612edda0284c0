//! Demo collaborations: on every accepted demo application the first
//! deliverable has been through the brief's three rounds: changes requested
//! with cited action items, answered; a request beyond the brief, replied to;
//! then approved and published on every other collaboration, and waiting past
//! the promised review time on the rest. Each has a short message thread and
//! the notifications those steps sent. The reviews span two months, so the
//! creators' growth pages have a trend to draw.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::notifications::{self, Kind, db::Note};

/// Days ago, for each step of the story. The two reviews are 31 days apart,
/// so they always fall in different months.
const FIRST_DRAFT: i32 = 40;
const FIRST_REVIEW: i32 = 39;
const SECOND_DRAFT: i32 = 10;
const SECOND_REVIEW: i32 = 8;
const LAST_DRAFT: i32 = 3;
const LAST_REVIEW: i32 = 2;

/// Returns how many collaborations were filled in.
pub async fn load(tx: &mut PgConnection) -> anyhow::Result<usize> {
    let accepted = sqlx::query!(
        r#"select a.id, c.brand_id, c.title, c.brand_name, p.user_id as creator,
                  u.display_name as creator_name,
                  (select m.user_id from brand_members m
                    where m.brand_id = c.brand_id and m.role = 'owner') as "owner!",
                  v.review_days, v.disclosure, v.dos, v.rubric
             from applications a
             join campaigns c on c.id = a.campaign_id
             join influencer_profiles p on p.id = a.profile_id
             join users u on u.id = p.user_id
             join brief_versions v on v.campaign_id = c.id
                                  and v.version = (select max(x.version) from brief_versions x
                                                    where x.campaign_id = c.id)
            where a.status = 'accepted'
            order by c.created_at, a.id"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let mut filled = 0;
    for (k, a) in accepted.into_iter().enumerate() {
        let deliverables: Vec<Uuid> = sqlx::query_scalar!(
            "select id from deliverables where application_id = $1 order by position",
            a.id
        )
        .fetch_all(&mut *tx)
        .await?;
        let Some(&first) = deliverables.first() else {
            continue;
        };
        let do_one = a.dos.first().cloned();
        // Round 1: two changes, one citing the disclosure rule.
        let r1 = submission(tx, first, 1, FIRST_DRAFT, a.review_days, a.creator).await?;
        let review1 = review(
            tx,
            r1,
            a.owner,
            "request_changes",
            FIRST_REVIEW,
            &a.rubric,
            2,
            &a.brand_name,
        )
        .await?;
        let disclosure = ("disclosure", None, a.disclosure.as_str());
        item(
            tx,
            review1,
            first,
            1,
            "Move #ad to the very start of the caption.",
            Some(disclosure),
            false,
        )
        .await?;
        let in_use = "Show the product in use in the first three seconds.";
        let cite = do_one.as_deref().map(|text| ("do", Some(1), text));
        item(tx, review1, first, 2, in_use, cite, false).await?;
        // Round 2 does both; the brand then asks for something beyond the brief.
        let r2 = submission(tx, first, 2, SECOND_DRAFT, a.review_days, a.creator).await?;
        answer(tx, first, r2, None).await?;
        let review2 = review(
            tx,
            r2,
            a.owner,
            "request_changes",
            SECOND_REVIEW,
            &a.rubric,
            3,
            &a.brand_name,
        )
        .await?;
        item(
            tx,
            review2,
            first,
            3,
            "Add a second cut for Stories.",
            None,
            true,
        )
        .await?;
        // Round 3 replies to it: approved and published on one collaboration,
        // waiting past the promised review time on the next.
        let complete = k % 2 == 0;
        let sent = if complete {
            LAST_DRAFT
        } else {
            a.review_days + 2
        };
        let r3 = submission(tx, first, 3, sent, a.review_days, a.creator).await?;
        answer(
            tx,
            first,
            r3,
            Some("A Stories cut is a separate deliverable: happy to quote for it."),
        )
        .await?;
        if complete {
            review(
                tx,
                r3,
                a.owner,
                "approve",
                LAST_REVIEW,
                &a.rubric,
                4,
                &a.brand_name,
            )
            .await?;
            sqlx::query!(
                "update deliverables set status = 'published', live_url = $2 where id = $1",
                first,
                format!("https://www.instagram.com/p/demo{k}/")
            )
            .execute(&mut *tx)
            .await?;
            let message = format!("{} approved your draft for “{}”.", a.brand_name, a.title);
            let note = Note {
                kind: Kind::FeedbackReceived,
                subject: first,
                message: &message,
                link: &format!("/deliverables/{first}"),
            };
            notifications::db::to_user(&mut *tx, a.creator, note).await?;
        } else {
            sqlx::query!(
                "update deliverables set status = 'submitted' where id = $1",
                first
            )
            .execute(&mut *tx)
            .await?;
            let message = format!(
                "{} sent round 3 for “{}”: review it.",
                a.creator_name, a.title
            );
            let note = Note {
                kind: Kind::SubmissionReceived,
                subject: first,
                message: &message,
                link: &format!("/deliverables/{first}"),
            };
            notifications::db::to_brand(&mut *tx, a.brand_id, None, note).await?;
        }
        for (days, author, body) in [
            (
                41,
                a.creator,
                "Hi! Can I film the first post on a wet weekday rather than a weekend?",
            ),
            (
                41,
                a.owner,
                "Of course: real weather is the point. Send the draft when it's ready.",
            ),
            (
                6,
                a.creator,
                "Round 2 of the video is up; I replied about the Stories cut.",
            ),
        ] {
            sqlx::query!(
                "insert into messages (id, application_id, author_id, body, created_at)
                 values ($1, $2, $3, $4, now() - make_interval(days => $5))",
                Uuid::now_v7(),
                a.id,
                author,
                body,
                days
            )
            .execute(&mut *tx)
            .await?;
        }
        filled += 1;
    }
    Ok(filled)
}

/// Answers every open item of the deliverable in this submission.
async fn answer(
    tx: &mut PgConnection,
    deliverable: Uuid,
    submission: Uuid,
    reply: Option<&str>,
) -> Result<(), sqlx::Error> {
    sqlx::query!(
        "update action_items set answered_in = $2,
                answer = case when $3::text is null then 'done' else 'replied' end, reply = $3
          where deliverable_id = $1 and answered_in is null",
        deliverable,
        submission,
        reply
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}

async fn submission(
    tx: &mut PgConnection,
    deliverable: Uuid,
    round: i16,
    days_ago: i32,
    review_days: i32,
    creator: Uuid,
) -> Result<Uuid, sqlx::Error> {
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into submissions (id, deliverable_id, round, content_url, caption, notes,
                                  submitted_by, submitted_at, review_due_at)
         values ($1, $2, $3, $4, $5, $6, $7, now() - make_interval(days => $8),
                 now() - make_interval(days => $8) + make_interval(days => $9))",
        id,
        deliverable,
        round,
        format!("https://drive.example.com/demo/{deliverable}/round-{round}"),
        "#ad Three wet days on the trail and still dry. Link in bio.",
        if round == 1 {
            "Shot over a rainy weekend; tell me if the colour grade is too dark."
        } else {
            "See my answers to your requests."
        },
        creator,
        days_ago,
        review_days
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

/// What a brand keeps and why, in words about its own product: (keep, why).
fn review_words(brand: &str) -> (&'static str, &'static str) {
    match brand {
        "Northwind Outdoor" => (
            "The rain shots and your honest tone: that is what sells the jacket.",
            "Our goal is trust: a clear #ad and the jacket in real weather both build it.",
        ),
        "Lumen Skincare" => (
            "The close-ups of your skin after two weeks, with no filter: that is the proof.",
            "People buy skincare from results they can see; the routine has to look real.",
        ),
        "Brightside Coffee Roasters" => (
            "The slow pour and your tasting notes: it feels like your kitchen, not an ad.",
            "We want first orders from people who care how coffee is made, not a discount crowd.",
        ),
        _ => (
            "The moment your friends laugh at the table: that is the game.",
            "Board games sell on the evening they make; show the play, not the box.",
        ),
    }
}

/// A review scoring every rubric criterion `base` (round 1) or higher, in the
/// brand's own words.
#[expect(clippy::too_many_arguments, reason = "the seed's one review writer")]
async fn review(
    tx: &mut PgConnection,
    submission: Uuid,
    reviewer: Uuid,
    decision: &str,
    days_ago: i32,
    rubric: &[String],
    base: i16,
    brand: &str,
) -> Result<Uuid, sqlx::Error> {
    let (keep, why) = review_words(brand);
    let id = Uuid::now_v7();
    sqlx::query!(
        "insert into reviews (id, submission_id, reviewer_id, decision, keep, why, on_time, created_at)
         select $1, s.id, $3, $4, $5, $6, now() - make_interval(days => $7) <= s.review_due_at,
                now() - make_interval(days => $7)
           from submissions s where s.id = $2",
        id,
        submission,
        reviewer,
        decision,
        keep,
        why,
        days_ago
    )
    .execute(&mut *tx)
    .await?;
    // Each criterion a little apart, so the growth chart's lines can be told apart.
    let scores: Vec<i16> = (0..rubric.len())
        .map(|i| (base + [1, 0, -1, 1, 0][i % 5] + (submission.as_u128() % 2) as i16).clamp(1, 5))
        .collect();
    sqlx::query!(
        "insert into review_scores (review_id, criterion, score)
         select $1, * from unnest($2::text[], $3::int2[])",
        id,
        rubric,
        &scores
    )
    .execute(&mut *tx)
    .await?;
    Ok(id)
}

async fn item(
    tx: &mut PgConnection,
    review: Uuid,
    deliverable: Uuid,
    number: i16,
    body: &str,
    cite: Option<(&str, Option<i16>, &str)>,
    out_of_scope: bool,
) -> Result<(), sqlx::Error> {
    let (kind, cite_number, text) =
        cite.map_or((None, None, None), |(k, n, t)| (Some(k), n, Some(t)));
    sqlx::query!(
        "insert into action_items (id, review_id, deliverable_id, number, body, cite_kind,
                                   cite_number, cite_text, out_of_scope)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        Uuid::now_v7(),
        review,
        deliverable,
        number,
        body,
        kind,
        cite_number,
        text,
        out_of_scope
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
