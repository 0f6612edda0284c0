-- A brand's track record (reviews within the brief's promise, the median
-- review time, deliverables paid within the promise, the median days from
-- the last draft to pay), snapshotted. Every brand dashboard and every
-- campaign page a creator opens showed it, and counting it from every
-- submission, review and released share of the brand took 0.23 ms and 315
-- blocks a page at the bench's scale. It changes when a review is written or
-- a share released, a few times a day per brand, so the pages read a row
-- per brand taken every ten minutes by one instance at a time. Drafts
-- overdue now stay live: they are counted on the index of drafts awaiting
-- review (0045).

create materialized view brand_track_records as
    with reviewed as (
        select s.brand_id,
               count(*) as reviews,
               count(*) filter (where r.on_time) as on_time,
               (percentile_cont(0.5) within group (
                   order by extract(epoch from r.created_at - s.submitted_at)) / 3600)::int8
                 as median_hours
          from submissions s
          join reviews r on r.submission_id = s.id
         group by s.brand_id
    ), paid as (
        select h.brand_id,
               count(*) as releases,
               count(*) filter (where x.settled_at <= d.review_due_at) as releases_on_time,
               (percentile_cont(0.5) within group (
                   order by extract(epoch from x.settled_at - d.submitted_at)) / 86400)::int8
                 as median_days_to_pay
          from escrow_shares x
          join escrow_holds h on h.application_id = x.application_id
         cross join lateral (
               select l.submitted_at, l.review_due_at from submissions l
                where l.deliverable_id = x.deliverable_id
                order by l.round desc limit 1) d
         where x.settled = 'released'
         group by h.brand_id
    )
    select coalesce(r.brand_id, p.brand_id) as brand_id,
           coalesce(r.reviews, 0) as reviews,
           coalesce(r.on_time, 0) as on_time,
           r.median_hours,
           coalesce(p.releases, 0) as releases,
           coalesce(p.releases_on_time, 0) as releases_on_time,
           p.median_days_to_pay
      from reviewed r
      full join paid p on p.brand_id = r.brand_id;

-- A brand's row; refreshing concurrently needs a unique index.
create unique index brand_track_records_key on brand_track_records (brand_id);

alter table report_snapshots drop constraint report_snapshots_name_check;
alter table report_snapshots add constraint report_snapshots_name_check
    check (name in ('agency_results', 'agency_queue', 'track_records'));
insert into report_snapshots (name, refreshed_at) values ('track_records', now());
