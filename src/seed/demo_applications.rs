//! Demo applications: on each open demo campaign, up to four demo creators
//! who fit it have applied, each asking what their own rate card says for the
//! campaign's platforms (so fees follow tier and platform); the brand has
//! accepted one, declined one with a reason, shortlisted one, and one waits
//! for a decision, so every screen of the decision has something to show.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    agreements,
    applications::{
        db,
        domain::{Move, NewApplication, Status},
    },
    auth::Viewer,
    billing::{self, escrow},
    collaborations,
    domain::{Currency, Money},
    ledger::IdempotencyKey,
    links,
};

const PITCHES: &[&str] = &[
    "My audience asks me about exactly this every week. I'd test it on real outings first and tell them honestly what works.",
    "I've wanted to work with you for a while: your goal matches what my followers come to me for, and my engagement is steady.",
    "I can deliver the brief's posts with behind-the-scenes stories, and I'll share the results with you after two weeks.",
    "Your product fits a series I already run; I'd fold it in over two episodes so it feels like part of the story, not an ad break.",
];

/// Returns how many applications were made.
pub async fn load(tx: &mut PgConnection) -> anyhow::Result<usize> {
    let campaigns = sqlx::query!(
        r#"select c.id, c.currency, c.budget_minor, c.brand_id,
                  (select max(v.version) from brief_versions v where v.campaign_id = c.id) as "version!",
                  (select m.user_id from brand_members m where m.brand_id = c.brand_id and m.role = 'owner') as "owner!"
             from campaigns c
            where c.status = 'open' and exists (select 1 from brief_versions v where v.campaign_id = c.id)
            order by c.created_at"#
    )
    .fetch_all(&mut *tx)
    .await?;
    let terms = billing::terms::load(&mut *tx).await?;
    let mut made = 0;
    for c in campaigns {
        let currency = Currency::parse(&c.currency).map_err(anyhow::Error::msg)?;
        // Not the best-scored first: applicants differ, some with signals to check.
        let creators = sqlx::query!(
            r#"select p.id,
                      (select min(r.price_minor) from rates r
                        where r.profile_id = p.id and r.platform = any(c.platforms)) as rate
                 from influencer_profiles p, campaigns c
                where c.id = $1 and p.tier = any(c.eligible_tiers) and p.platforms && c.platforms
                order by abs(hashtext(p.id::text || c.id::text)), p.id
                limit 4"#,
            c.id
        )
        .fetch_all(&mut *tx)
        .await?;
        for (i, creator) in creators.into_iter().enumerate() {
            let profile_id = creator.id;
            // Two posts at the creator's own rate, a little more for the pitch's
            // extras, rounded to 50; within what one creator's share of the budget allows.
            let asked = creator
                .rate
                .map_or(c.budget_minor / 6, |r| r * 2 + r * (i as i64) / 10);
            // Each asks a little differently, as people do: no two alike by chance.
            let asked = asked + made as i64 * 2_500;
            let fee = Money::from_minor(
                (asked / 5_000 * 5_000).min(c.budget_minor / 3).max(5_000),
                currency,
            );
            let id = db::insert(
                &mut *tx,
                c.id,
                profile_id,
                &NewApplication {
                    pitch: PITCHES[i % PITCHES.len()].to_owned(),
                    fee,
                    brief_version: c.version,
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo application: {e}"))?;
            let brand = Viewer::Brand(c.brand_id);
            made += 1;
            let (mv, agreed, reason) = match i {
                0 => (Move::Accept, Some(fee), None),
                1 => (
                    Move::Decline,
                    None,
                    Some(
                        "We need creators with more video for this campaign; we'd love to work with you on the next one.",
                    ),
                ),
                2 => (Move::Shortlist, None, None),
                // The fourth waits for the brand's decision.
                _ => continue,
            };
            let (status, campaign_id) =
                db::decide(&mut *tx, brand, id, mv, agreed, reason, c.owner)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo decision: {e}"))?;
            if status == Status::Accepted {
                let deliverables =
                    collaborations::deliverables::db::copy_from_brief(&mut *tx, id, campaign_id)
                        .await?;
                // Held from the brand's first instalment, as accepting does.
                let hold = escrow::Hold {
                    application_id: id,
                    brand_id: c.brand_id,
                    profile_id,
                    fee,
                    deliverables,
                    split: None,
                    key: IdempotencyKey::derived("demo-accept", &id.to_string()),
                    by: c.owner,
                    release_on: crate::domain::ReleaseOn::Approval,
                };
                escrow::hold(&mut *tx, &hold, &terms)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo escrow: {e:?}"))?;
                links::db::create_for(&mut *tx, id).await?;
                let agreement = agreements::db::draw_up(&mut *tx, id)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo agreement: {e}"))?;
                sign_both(&mut *tx, agreement).await?;
            }
        }
    }
    Ok(made)
}

/// Both sides' signatures on a demo agreement, as if each had signed from a
/// session when it was accepted (the demo has no sessions of its own).
pub(super) async fn sign_both(tx: &mut PgConnection, agreement: Uuid) -> anyhow::Result<()> {
    sqlx::query!(
        "insert into agreement_signatures (agreement_id, party, user_id, session_ref,
                                           session_started_at, signed_at, body_sha256)
         select g.id, side.party,
                case side.party when 'brand' then a.decided_by else p.user_id end,
                substr(md5(g.id::text || side.party), 1, 16),
                a.decided_at - case side.party when 'brand' then interval '20 minutes'
                                               else interval '2 hours' end,
                a.decided_at, g.body_sha256
           from agreements g
           join applications a on a.id = g.application_id
           join influencer_profiles p on p.id = a.profile_id
          cross join (values ('brand'), ('creator')) as side(party)
          where g.id = $1",
        agreement
    )
    .execute(&mut *tx)
    .await?;
    Ok(())
}
