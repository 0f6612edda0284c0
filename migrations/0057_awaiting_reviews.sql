-- The drafts waiting for their brand's review, kept with their newest round's
-- review promise, for the dashboards.
--
-- Both dashboards list the drafts waiting longest first. The promise is on
-- the draft's newest submission, so each view found every waiting
-- deliverable of the creator (or brand) and looked up its newest submission
-- before it could order them: the bench's busiest creator has 110 drafts
-- out, 503 blocks and 0.39 ms of the creator dashboard's 0.67 in the
-- database, growing with every draft a creator or brand has waiting. Kept
-- here, the ten longest waiting are the first ten entries of one index.
--
-- A deliverable has a row while its status is `submitted` and it has a
-- submission. Kept by row triggers on deliverables (the status moving in or
-- out of `submitted`) and on submissions (a new round, or a promise moved by
-- hand: submissions are otherwise immutable), whichever comes first in a
-- transaction. Deleting a deliverable deletes its row.

create table awaiting_reviews (
    deliverable_id uuid primary key references deliverables (id) on delete cascade,
    brand_id uuid not null references brands (id),
    profile_id uuid not null references influencer_profiles (id),
    round smallint not null check (round >= 1),
    review_due_at timestamptz not null
);

create index awaiting_reviews_brand_idx on awaiting_reviews (brand_id, review_due_at, deliverable_id);
create index awaiting_reviews_profile_idx on awaiting_reviews (profile_id, review_due_at, deliverable_id);
create index awaiting_reviews_due_idx on awaiting_reviews (review_due_at, deliverable_id);

-- What the table holds, from its sources: the agreement tests compare the two.
create view awaiting_reviews_source as
select d.id as deliverable_id, d.brand_id, d.profile_id, s.round, s.review_due_at
  from deliverables d
 cross join lateral (select x.round, x.review_due_at from submissions x
                      where x.deliverable_id = d.id
                      order by x.round desc limit 1) s
 where d.status = 'submitted';

-- Makes one deliverable's row what its sources say.
create function awaiting_reviews_refresh(deliverable uuid) returns void
language plpgsql as $$
begin
    insert into awaiting_reviews
    select * from awaiting_reviews_source where deliverable_id = deliverable
    on conflict (deliverable_id) do update
       set brand_id = excluded.brand_id, profile_id = excluded.profile_id,
           round = excluded.round, review_due_at = excluded.review_due_at;
    if not found then
        delete from awaiting_reviews where deliverable_id = deliverable;
    end if;
end;
$$;

create function awaiting_reviews_touched() returns trigger
language plpgsql as $$
begin
    if tg_table_name = 'deliverables' then
        perform awaiting_reviews_refresh(new.id);
    else
        perform awaiting_reviews_refresh(new.deliverable_id);
    end if;
    return null;
end;
$$;

create trigger awaiting_reviews_deliverable_inserted after insert on deliverables
    for each row when (new.status = 'submitted')
    execute function awaiting_reviews_touched();
create trigger awaiting_reviews_deliverable_moved after update of status on deliverables
    for each row when ((old.status = 'submitted') <> (new.status = 'submitted'))
    execute function awaiting_reviews_touched();
create trigger awaiting_reviews_submitted after insert or update of round, review_due_at on submissions
    for each row execute function awaiting_reviews_touched();

insert into awaiting_reviews select * from awaiting_reviews_source order by 1;
