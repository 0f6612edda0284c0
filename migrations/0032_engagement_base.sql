-- The engagement rate the reports compare across tiers is the one the
-- platform benchmarks use: likes and comments over followers (views on video
-- platforms). Kept as the two counts, so a group's rate is a ratio of sums
-- with an interval, not an average of rates.

alter table deliverable_results
    add column interactions bigint not null default 0,
    add column engagement_base bigint not null default 0,
    add constraint deliverable_results_engagement_check check (
        interactions >= 0 and engagement_base >= 0
    );
