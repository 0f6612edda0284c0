-- Each review of a creator's work, filed under the creator, with its scores:
-- the growth page (/feedback) charts a creator's average score per criterion
-- and month over every review, and lists the newest reviews.
--
-- A review reaches its creator through its submission and deliverable, so the
-- page found a busy creator's 700 reviews and 3,500 scores through 600
-- deliverables and 730 submissions on every view (15,000 buffer reads, 26 ms
-- of the database's time). Here the chart's figures are one index range and
-- the list is cut to its page on an index before anything is joined.
--
-- Kept by triggers: a row when a review is written, its scores when they are
-- (reviews and their scores are immutable, and both leave with the review).
create table creator_reviews (
    review_id uuid primary key references reviews (id) on delete cascade,
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    reviewed_at timestamptz not null,
    -- In step: criteria[i] was scored scores[i]; in criterion order.
    criteria text[] not null default '{}',
    scores smallint[] not null default '{}',
    constraint creator_reviews_scores_in_step check (cardinality(criteria) = cardinality(scores))
);

create index creator_reviews_profile_idx on creator_reviews (profile_id, reviewed_at desc, review_id desc)
    include (criteria, scores);

-- What the table holds, from its sources: fills it, and the test that proves
-- the triggers keep it true compares against it.
create view creator_reviews_source as
select r.id as review_id, d.profile_id, r.created_at as reviewed_at,
       coalesce((select array_agg(x.criterion order by x.criterion) from review_scores x
                  where x.review_id = r.id), '{}') as criteria,
       coalesce((select array_agg(x.score order by x.criterion) from review_scores x
                  where x.review_id = r.id), '{}') as scores
  from reviews r
  join submissions s on s.id = r.submission_id
  join deliverables d on d.id = s.deliverable_id;

create function creator_reviews_written() returns trigger
language plpgsql as $$
begin
    insert into creator_reviews (review_id, profile_id, reviewed_at)
    select n.id, d.profile_id, n.created_at
      from written n
      join submissions s on s.id = n.submission_id
      join deliverables d on d.id = s.deliverable_id;
    return null;
end;
$$;

create trigger creator_reviews_written after insert on reviews
    referencing new table as written for each statement
    execute function creator_reviews_written();

-- Scores arrive after their review, in one statement or several: each
-- review's arrays are rebuilt from all of its scores.
create function creator_reviews_scored() returns trigger
language plpgsql as $$
begin
    update creator_reviews k set criteria = v.criteria, scores = v.scores
      from (select x.review_id, array_agg(x.criterion order by x.criterion) as criteria,
                   array_agg(x.score order by x.criterion) as scores
              from review_scores x
             where x.review_id in (select distinct review_id from scored)
             group by x.review_id) v
     where k.review_id = v.review_id;
    return null;
end;
$$;

create trigger creator_reviews_scored after insert on review_scores
    referencing new table as scored for each statement
    execute function creator_reviews_scored();

insert into creator_reviews (review_id, profile_id, reviewed_at, criteria, scores)
select review_id, profile_id, reviewed_at, criteria, scores from creator_reviews_source;
