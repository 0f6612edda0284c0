use super::*;

fn draft<'a>(caption: &'a str, countries: &'a [String]) -> Draft<'a> {
    Draft {
        caption,
        platform: Platform::Instagram,
        format: Format::Post,
        rule: "#ad at the start of the caption, plus the platform's paid-partnership label.",
        countries,
        brand_name: "Northwind",
        statement: None,
    }
}

fn us() -> Vec<String> {
    vec!["US".into()]
}

fn uk() -> Vec<String> {
    vec!["GB".into()]
}

#[test]
fn a_clear_marker_at_the_start_passes() {
    let c = check(&draft(
        "#ad Rain all weekend, dry all weekend in the Ridge jacket.",
        &us(),
    ));
    assert!(c.passed, "{c:?}");
    assert_eq!(c.suggested_score, 5);
    assert_eq!(
        c.findings[0]
            .evidence
            .as_deref()
            .map(|e| e.contains("#ad Rain")),
        Some(true)
    );
}

#[test]
fn no_marker_or_an_ambiguous_one_alone_fails() {
    let none = check(&draft(
        "Rain all weekend, dry all weekend. Thanks Northwind!",
        &us(),
    ));
    assert!(!none.passed);
    assert_eq!(none.suggested_score, 1);
    assert!(
        none.findings[0]
            .text
            .starts_with("No disclosure the US (FTC) rules accept: add #ad")
    );
    assert!(
        none.findings[1]
            .text
            .contains("“Thanks” alone is ambiguous"),
        "{none:?}"
    );
    let spon = check(&draft("Loving this jacket #spon #hiking", &us()));
    assert!(!spon.passed);
    assert!(
        spon.findings
            .iter()
            .any(|f| f.text.contains("“#spon” alone is ambiguous"))
    );
    // "#adventure" and "bad" are not "#ad" or "ad".
    let lookalike = check(&draft("#adventure time, not bad at all", &us()));
    assert!(!lookalike.passed);
}

#[test]
fn after_the_fold_or_buried_in_trailing_hashtags_is_flagged() {
    let long = format!(
        "{} #ad",
        "Rain all weekend and a long story about the trail. ".repeat(4)
    );
    let c = check(&draft(&long, &us()));
    assert!(!c.passed);
    assert_eq!(c.suggested_score, 3);
    assert!(
        c.findings
            .iter()
            .any(|f| f.text.contains("after the first 125 characters"))
    );
    let buried = check(&draft("Dry all weekend. #hiking #trail #ad #rain", &us()));
    assert!(!buried.passed);
    assert!(
        buried
            .findings
            .iter()
            .any(|f| f.text.contains("buried in the cluster"))
    );
}

#[test]
fn the_uk_does_not_accept_sponsored_and_a_campaign_in_both_needs_both() {
    let uk = uk();
    let mut rule_free = draft("Sponsored: dry all weekend in the Ridge jacket.", &uk);
    rule_free.rule = "Disclose clearly.";
    let c = check(&rule_free);
    assert!(!c.passed, "{c:?}");
    assert!(
        c.findings
            .iter()
            .any(|f| f.text.contains("“Sponsored” alone is ambiguous"))
    );
    let mut us_ok = rule_free;
    let us_countries = us();
    us_ok.countries = &us_countries;
    assert!(check(&us_ok).passed);
    let both: Vec<String> = vec!["US".into(), "GB".into()];
    assert_eq!(markets(&both), vec![Market::Us, Market::Uk]);
    let mut ad = draft("Ad | dry all weekend.", &both);
    ad.rule = "Disclose clearly.";
    assert!(check(&ad).passed);
}

#[test]
fn video_needs_the_creators_statement_of_where_it_is() {
    let us = us();
    let mut d = draft("#ad New trail film.", &us);
    d.format = Format::ShortVideo;
    d.platform = Platform::Tiktok;
    let c = check(&d);
    assert!(!c.passed);
    assert_eq!(c.suggested_score, 1);
    d.statement = Some("overlay 0:00–0:05, spoken at 0:03");
    let c = check(&d);
    assert!(c.passed, "{c:?}");
    assert!(
        c.findings
            .iter()
            .any(|f| f.text.contains("overlay 0:00–0:05"))
    );
}

#[test]
fn the_trailing_cluster_is_three_or_more_tags_at_the_end() {
    assert_eq!(trailing_cluster("Dry. #a #b #c"), Some(5));
    assert_eq!(trailing_cluster("Dry. #a #b"), None);
    assert_eq!(trailing_cluster("#a #b #c"), Some(0));
    assert_eq!(trailing_cluster("#ad dry #a"), None);
}
