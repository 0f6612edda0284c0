//! Each draft's disclosure is checked when it is sent: both sides see the
//! result with its evidence beside the draft, the brand's disclosure score
//! starts from it, and a video says where its disclosure is.

use reqwest::StatusCode;

use crate::{
    collaborations::{collaboration, latest_submission, submit},
    helpers::fresh_db,
};

#[tokio::test]
async fn a_draft_without_a_clear_disclosure_is_flagged_for_both_sides() {
    let c = collaboration(fresh_db().await).await;
    let post = &c.deliverables[0];
    submit(
        &c.creator,
        post,
        &[(
            "caption",
            "Rain all weekend, dry all weekend. Thanks Northwind! #hiking #trail #spon",
        )],
    )
    .await
    .assert_redirect(post);
    for side in [&c.creator, &c.brand] {
        let page = side.get(post).await;
        assert!(
            page.body.contains("Disclosure check: needs attention"),
            "{}",
            page.body
        );
        assert!(
            page.body
                .contains("No disclosure the US (FTC) rules accept: add #ad")
        );
        assert!(page.body.contains("alone is ambiguous"));
    }
    // The brand's disclosure score starts from the check: 1.
    let review = c.brand.get(post).await;
    assert!(
        review
            .body
            .contains("name=\"score_disclosure\" value=\"1\" checked"),
        "{}",
        review.body
    );
    assert!(
        review
            .body
            .contains("Starts at 1 from the disclosure check")
    );
    let submission = latest_submission(&c.brand, post).await;
    assert!(!submission.is_empty());
}

#[tokio::test]
async fn a_clear_disclosure_passes_and_a_video_must_say_where_its_is() {
    let c = collaboration(fresh_db().await).await;
    let post = &c.deliverables[0];
    submit(
        &c.creator,
        post,
        &[("caption", "#ad Rain all weekend, dry all weekend.")],
    )
    .await
    .assert_redirect(post);
    let page = c.brand.get(post).await;
    assert!(page.body.contains("Disclosure check: passes"));
    assert!(
        page.body
            .contains("name=\"score_disclosure\" value=\"5\" checked")
    );

    let video = &c.deliverables[1];
    let form = c.creator.get(video).await;
    assert!(
        form.body
            .contains("Where is the disclosure in the content?")
    );
    let refused = submit(
        &c.creator,
        video,
        &[
            ("caption", "#ad The trail film."),
            ("video_disclosure", " "),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("video_disclosure-error"));
    assert!(
        refused.body.contains("#ad The trail film."),
        "the draft is kept"
    );
    submit(
        &c.creator,
        video,
        &[
            ("caption", "#ad The trail film."),
            ("video_disclosure", "overlay 0:00–0:05, spoken at 0:03"),
        ],
    )
    .await
    .assert_redirect(video);
    let page = c.brand.get(video).await;
    assert!(page.body.contains("overlay 0:00–0:05, spoken at 0:03"));
    assert!(
        page.body.contains("Disclosure check: passes"),
        "{}",
        page.body
    );
}
