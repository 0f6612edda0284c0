-- How many applications each campaign has in each status, kept by the
-- database as applications arrive and move. The brand's dashboard and a
-- campaign's list of applications read these instead of counting every
-- application of every campaign on each view (5,000 rows for a popular
-- campaign). Statement triggers with transition tables keep them: a bulk
-- insert adds its counts once per campaign, not once per row.
create table campaign_application_counts (
    campaign_id uuid primary key references campaigns (id) on delete cascade,
    submitted integer not null default 0,
    shortlisted integer not null default 0,
    accepted integer not null default 0,
    declined integer not null default 0,
    withdrawn integer not null default 0,
    cancelled integer not null default 0,
    constraint campaign_application_counts_not_negative check (
        submitted >= 0 and shortlisted >= 0 and accepted >= 0
        and declined >= 0 and withdrawn >= 0 and cancelled >= 0
    )
);

-- Adds each change (campaign, status, how many more or fewer) to the counts:
-- existing rows are updated (a campaign being deleted has lost its row to the
-- cascade, and its applications' removal then finds nothing to update), and
-- a campaign's first applications insert its row. The insert's proposed row
-- must pass the check itself, so only additions insert.
create function campaign_application_counts_add(
    campaign_ids uuid[], statuses text[], changes integer[]
) returns void
language sql as $$
    with per as (
        select campaign_id,
               coalesce(sum(n) filter (where status = 'submitted'), 0) as submitted,
               coalesce(sum(n) filter (where status = 'shortlisted'), 0) as shortlisted,
               coalesce(sum(n) filter (where status = 'accepted'), 0) as accepted,
               coalesce(sum(n) filter (where status = 'declined'), 0) as declined,
               coalesce(sum(n) filter (where status = 'withdrawn'), 0) as withdrawn,
               coalesce(sum(n) filter (where status = 'cancelled'), 0) as cancelled,
               bool_and(n > 0) as only_adds
          from unnest(campaign_ids, statuses, changes) as c(campaign_id, status, n)
         group by campaign_id
    ), updated as (
        update campaign_application_counts t
           set submitted = t.submitted + p.submitted,
               shortlisted = t.shortlisted + p.shortlisted,
               accepted = t.accepted + p.accepted,
               declined = t.declined + p.declined,
               withdrawn = t.withdrawn + p.withdrawn,
               cancelled = t.cancelled + p.cancelled
          from per p
         where t.campaign_id = p.campaign_id
        returning t.campaign_id
    )
    -- Two first applications to one campaign at once: the second inserter
    -- meets the first's row and adds to it.
    insert into campaign_application_counts as t
           (campaign_id, submitted, shortlisted, accepted, declined, withdrawn, cancelled)
    select p.campaign_id, p.submitted, p.shortlisted, p.accepted, p.declined, p.withdrawn,
           p.cancelled
      from per p
     where p.only_adds and p.campaign_id not in (select campaign_id from updated)
    on conflict (campaign_id) do update
       set submitted = t.submitted + excluded.submitted,
           shortlisted = t.shortlisted + excluded.shortlisted,
           accepted = t.accepted + excluded.accepted,
           declined = t.declined + excluded.declined,
           withdrawn = t.withdrawn + excluded.withdrawn,
           cancelled = t.cancelled + excluded.cancelled
$$;

create function applications_count_inserted() returns trigger
language plpgsql as $$
begin
    perform campaign_application_counts_add(array_agg(campaign_id), array_agg(status),
                                            array_agg(n))
       from (select campaign_id, status, count(*)::integer as n from inserted_rows
              group by campaign_id, status) x;
    return null;
end
$$;

-- A moved application counts one fewer where it was and one more where it is.
create function applications_count_updated() returns trigger
language plpgsql as $$
begin
    perform campaign_application_counts_add(array_agg(campaign_id), array_agg(status),
                                            array_agg(n))
       from (select m.campaign_id, m.status, sum(m.n)::integer as n
               from old_rows o join new_rows a using (id),
                    lateral (values (o.campaign_id, o.status, -1),
                                    (a.campaign_id, a.status, 1)) as m(campaign_id, status, n)
              where (o.campaign_id, o.status) is distinct from (a.campaign_id, a.status)
              group by m.campaign_id, m.status
             having sum(m.n) <> 0) x;
    return null;
end
$$;

create function applications_count_deleted() returns trigger
language plpgsql as $$
begin
    perform campaign_application_counts_add(array_agg(campaign_id), array_agg(status),
                                            array_agg(n))
       from (select campaign_id, status, -count(*)::integer as n from deleted_rows
              group by campaign_id, status) x;
    return null;
end
$$;

create trigger applications_count_inserted after insert on applications
    referencing new table as inserted_rows
    for each statement execute function applications_count_inserted();
create trigger applications_count_updated after update on applications
    referencing old table as old_rows new table as new_rows
    for each statement execute function applications_count_updated();
create trigger applications_count_deleted after delete on applications
    referencing old table as deleted_rows
    for each statement execute function applications_count_deleted();

insert into campaign_application_counts
       (campaign_id, submitted, shortlisted, accepted, declined, withdrawn, cancelled)
select campaign_id,
       count(*) filter (where status = 'submitted'),
       count(*) filter (where status = 'shortlisted'),
       count(*) filter (where status = 'accepted'),
       count(*) filter (where status = 'declined'),
       count(*) filter (where status = 'withdrawn'),
       count(*) filter (where status = 'cancelled')
  from applications
 group by campaign_id;
