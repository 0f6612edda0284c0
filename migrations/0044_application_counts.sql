-- How many applications each campaign and each profile has in each status,
-- kept by the database as applications arrive and move. The brand's
-- dashboard and a campaign's list of applications read the campaign's; the
-- creator's dashboard and list read the profile's (a creator five years in
-- has a thousand), instead of counting every application on each view (5,000
-- rows for a popular campaign). Statement triggers with transition tables
-- keep them: a bulk insert adds its counts once per campaign and profile, not
-- once per row.
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

create table profile_application_counts (
    profile_id uuid primary key references influencer_profiles (id) on delete cascade,
    submitted integer not null default 0,
    shortlisted integer not null default 0,
    accepted integer not null default 0,
    declined integer not null default 0,
    withdrawn integer not null default 0,
    cancelled integer not null default 0,
    constraint profile_application_counts_not_negative check (
        submitted >= 0 and shortlisted >= 0 and accepted >= 0
        and declined >= 0 and withdrawn >= 0 and cancelled >= 0
    )
);

-- Adds each change (key, status, how many more or fewer) to the counts table
-- `counts`, whose key column is `key_column`: existing rows are updated (a
-- campaign or profile being deleted has lost its row to the cascade, and its
-- applications' removal then finds nothing to update), and a first
-- application inserts the row. The insert's proposed row must pass the check
-- itself, so only additions insert; a second first inserter meets the first's
-- row and adds to it.
create function application_counts_add(
    counts regclass, key_column text, keys uuid[], statuses text[], changes integer[]
) returns void
language plpgsql as $$
begin
    execute format($f$
        with per as (
            select k,
                   coalesce(sum(n) filter (where status = 'submitted'), 0) as submitted,
                   coalesce(sum(n) filter (where status = 'shortlisted'), 0) as shortlisted,
                   coalesce(sum(n) filter (where status = 'accepted'), 0) as accepted,
                   coalesce(sum(n) filter (where status = 'declined'), 0) as declined,
                   coalesce(sum(n) filter (where status = 'withdrawn'), 0) as withdrawn,
                   coalesce(sum(n) filter (where status = 'cancelled'), 0) as cancelled,
                   bool_and(n > 0) as only_adds
              from unnest($1, $2, $3) as c(k, status, n)
             group by k
        ), updated as (
            update %1$s t
               set submitted = t.submitted + p.submitted,
                   shortlisted = t.shortlisted + p.shortlisted,
                   accepted = t.accepted + p.accepted,
                   declined = t.declined + p.declined,
                   withdrawn = t.withdrawn + p.withdrawn,
                   cancelled = t.cancelled + p.cancelled
              from per p
             where t.%2$I = p.k
            returning t.%2$I as k
        )
        insert into %1$s as t
               (%2$I, submitted, shortlisted, accepted, declined, withdrawn, cancelled)
        select p.k, p.submitted, p.shortlisted, p.accepted, p.declined, p.withdrawn, p.cancelled
          from per p
         where p.only_adds and p.k not in (select k from updated)
         order by p.k
        on conflict (%2$I) do update
           set submitted = t.submitted + excluded.submitted,
               shortlisted = t.shortlisted + excluded.shortlisted,
               accepted = t.accepted + excluded.accepted,
               declined = t.declined + excluded.declined,
               withdrawn = t.withdrawn + excluded.withdrawn,
               cancelled = t.cancelled + excluded.cancelled
    $f$, counts, key_column)
    using keys, statuses, changes;
end
$$;

-- Adds a statement's changes (campaign, profile, status, how many more or
-- fewer) per campaign and per profile.
create function application_counts_apply(
    campaign_ids uuid[], profile_ids uuid[], statuses text[], changes integer[]
) returns void
language plpgsql as $$
begin
    perform application_counts_add('campaign_application_counts', 'campaign_id',
                                   array_agg(k), array_agg(status), array_agg(n))
       from (select k, status, sum(n)::integer as n
               from unnest(campaign_ids, statuses, changes) as c(k, status, n)
              group by k, status having sum(n) <> 0) x;
    perform application_counts_add('profile_application_counts', 'profile_id',
                                   array_agg(k), array_agg(status), array_agg(n))
       from (select k, status, sum(n)::integer as n
               from unnest(profile_ids, statuses, changes) as c(k, status, n)
              group by k, status having sum(n) <> 0) x;
end
$$;

create function applications_count_inserted() returns trigger
language plpgsql as $$
begin
    perform application_counts_apply(array_agg(campaign_id), array_agg(profile_id),
                                     array_agg(status), array_agg(1))
       from inserted_rows;
    return null;
end
$$;

-- A moved application counts one fewer where it was and one more where it is.
create function applications_count_updated() returns trigger
language plpgsql as $$
begin
    perform application_counts_apply(array_agg(m.campaign_id), array_agg(m.profile_id),
                                     array_agg(m.status), array_agg(m.n))
       from old_rows o join new_rows a using (id),
            lateral (values (o.campaign_id, o.profile_id, o.status, -1),
                            (a.campaign_id, a.profile_id, a.status, 1))
                as m(campaign_id, profile_id, status, n)
      where (o.campaign_id, o.profile_id, o.status)
            is distinct from (a.campaign_id, a.profile_id, a.status);
    return null;
end
$$;

create function applications_count_deleted() returns trigger
language plpgsql as $$
begin
    perform application_counts_apply(array_agg(campaign_id), array_agg(profile_id),
                                     array_agg(status), array_agg(-1))
       from deleted_rows;
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

insert into profile_application_counts
       (profile_id, submitted, shortlisted, accepted, declined, withdrawn, cancelled)
select profile_id,
       count(*) filter (where status = 'submitted'),
       count(*) filter (where status = 'shortlisted'),
       count(*) filter (where status = 'accepted'),
       count(*) filter (where status = 'declined'),
       count(*) filter (where status = 'withdrawn'),
       count(*) filter (where status = 'cancelled')
  from applications
 group by profile_id;
