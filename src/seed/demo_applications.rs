//! Demo applications: on each open demo campaign, up to three demo creators
//! who fit it have applied; the brand has shortlisted one, accepted one and
//! declined one with a reason, so every screen of the decision has something
//! to show.

use sqlx::PgConnection;
use uuid::Uuid;

use crate::{
    applications::{
        db,
        domain::{Move, NewApplication, Status},
    },
    auth::Viewer,
    collaborations,
    domain::{Currency, Money},
};

const PITCHES: &[&str] = &[
    "My audience asks me about exactly this every week. I'd test it on real outings first and tell them honestly what works.",
    "I've wanted to work with you for a while: your goal matches what my followers come to me for, and my engagement is steady.",
    "I can deliver the brief's posts with behind-the-scenes stories, and I'll share the results with you after two weeks.",
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
    let mut made = 0;
    for c in campaigns {
        let currency = Currency::parse(&c.currency).map_err(anyhow::Error::msg)?;
        let creators: Vec<Uuid> = sqlx::query_scalar!(
            "select p.id from influencer_profiles p, campaigns c
              where c.id = $1 and p.tier = any(c.eligible_tiers) and p.platforms && c.platforms
              order by p.score desc nulls last, p.id
              limit 3",
            c.id
        )
        .fetch_all(&mut *tx)
        .await?;
        for (i, profile_id) in creators.into_iter().enumerate() {
            let fee = Money::from_minor((c.budget_minor / 6 / 500 * 500).max(500), currency);
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
            let decided = match i {
                0 => db::decide(&mut *tx, brand, id, Move::Accept, Some(fee), None, c.owner).await,
                1 => db::decide(
                    &mut *tx,
                    brand,
                    id,
                    Move::Decline,
                    None,
                    Some("We need creators with more video for this campaign; we'd love to work with you on the next one."),
                    c.owner,
                )
                .await,
                _ => db::decide(&mut *tx, brand, id, Move::Shortlist, None, None, c.owner).await,
            };
            let (status, campaign_id) =
                decided.map_err(|e| anyhow::anyhow!("demo decision: {e}"))?;
            if status == Status::Accepted {
                collaborations::deliverables::db::copy_from_brief(&mut *tx, id, campaign_id)
                    .await?;
            }
            made += 1;
        }
    }
    Ok(made)
}
