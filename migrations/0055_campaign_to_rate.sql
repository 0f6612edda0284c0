-- How many of each campaign's creators are waiting for the brand's rating,
-- kept beside its application counts.
--
-- The brand's dashboard showed it per campaign by probing every accepted
-- application: its rating, whether it has deliverables, whether any is not yet
-- published. At Northwind's 40 accepted applications that was 0.4 ms of the
-- page's 0.55 ms in the database, and it grows with every creator a brand
-- works with; a campaign with 500 accepted creators would probe 1,500 rows on
-- every view of the dashboard.
--
-- An application is waiting for its rating when it is accepted, has
-- deliverables, all of them published, and no rating yet. Kept by statement
-- triggers on applications, deliverables and ratings, which count the touched
-- campaigns again. A count, not a change added: whether one deliverable's move
-- finishes its collaboration depends on its siblings, which a delta would have
-- to read anyway.
alter table campaign_application_counts
    add column to_rate integer not null default 0,
    add constraint campaign_application_counts_to_rate_check check (to_rate >= 0);

-- The applications of a campaign waiting for its brand's rating.
create function campaign_to_rate(campaign uuid) returns integer
language sql stable as $$
    select count(*)::integer
      from applications a
     where a.campaign_id = campaign and a.status = 'accepted'
       and not exists (select 1 from creator_ratings r where r.application_id = a.id)
       and exists (select 1 from deliverables d where d.application_id = a.id)
       and not exists (select 1 from deliverables d
                        where d.application_id = a.id and d.status <> 'published')
$$;

-- What the table holds, computed from its sources: the agreement tests
-- compare the two, for the counts by status too.
create view campaign_application_counts_source as
select a.campaign_id,
       count(*) filter (where a.status = 'submitted')::integer as submitted,
       count(*) filter (where a.status = 'shortlisted')::integer as shortlisted,
       count(*) filter (where a.status = 'accepted')::integer as accepted,
       count(*) filter (where a.status = 'declined')::integer as declined,
       count(*) filter (where a.status = 'withdrawn')::integer as withdrawn,
       count(*) filter (where a.status = 'cancelled')::integer as cancelled,
       campaign_to_rate(a.campaign_id) as to_rate
  from applications a
 group by a.campaign_id;

-- Counts the campaigns again. Their rows are locked first and counted in a
-- statement of their own: a transaction that waited for another's lock then
-- counts with what that one committed (each statement here reads a fresh
-- snapshot), so two finishing collaborations of one campaign both count.
create function campaign_to_rate_refresh(campaigns uuid[]) returns void
language plpgsql as $$
begin
    perform 1 from campaign_application_counts
      where campaign_id = any (campaigns)
      order by campaign_id
        for update;
    update campaign_application_counts n
       set to_rate = campaign_to_rate(n.campaign_id)
     where n.campaign_id = any (campaigns)
       and n.to_rate <> campaign_to_rate(n.campaign_id);
end
$$;

-- An application accepted, or no longer (cancelled, or removed with its
-- creator's account), counts its campaign again. A new application has no
-- deliverables yet, so its arrival changes nothing.
create function applications_to_rate_changed() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform campaign_to_rate_refresh(array_agg(distinct campaign_id))
           from old_rows where status = 'accepted'
         having count(*) > 0;
    else
        perform campaign_to_rate_refresh(array_agg(distinct c.campaign_id))
           from old_rows o join new_rows a using (id),
                lateral (values (o.campaign_id), (a.campaign_id)) as c(campaign_id)
          where (o.status = 'accepted') <> (a.status = 'accepted')
             or (a.status = 'accepted' and o.campaign_id <> a.campaign_id)
         having count(*) > 0;
    end if;
    return null;
end
$$;

create trigger applications_to_rate_updated after update on applications
    referencing old table as old_rows new table as new_rows
    for each statement execute function applications_to_rate_changed();
create trigger applications_to_rate_deleted after delete on applications
    referencing old table as old_rows
    for each statement execute function applications_to_rate_changed();

-- A deliverable added, moved or removed, or a rating given or withdrawn,
-- counts its campaign again; rows whose application is gone (a cascade) leave
-- nothing to count.
create function to_rate_touched() returns trigger
language plpgsql as $$
begin
    perform campaign_to_rate_refresh(array_agg(distinct a.campaign_id))
       from (select application_id from touched_rows) t
       join applications a on a.id = t.application_id
     having count(*) > 0;
    return null;
end
$$;

create function deliverables_to_rate_moved() returns trigger
language plpgsql as $$
begin
    perform campaign_to_rate_refresh(array_agg(distinct a.campaign_id))
       from old_rows o join new_rows d using (id)
       join applications a on a.id = d.application_id
      where (o.status = 'published') <> (d.status = 'published')
         or o.application_id <> d.application_id
     having count(*) > 0;
    return null;
end
$$;

create trigger deliverables_to_rate_inserted after insert on deliverables
    referencing new table as touched_rows
    for each statement execute function to_rate_touched();
create trigger deliverables_to_rate_updated after update on deliverables
    referencing old table as old_rows new table as new_rows
    for each statement execute function deliverables_to_rate_moved();
create trigger deliverables_to_rate_deleted after delete on deliverables
    referencing old table as touched_rows
    for each statement execute function to_rate_touched();
create trigger creator_ratings_to_rate_inserted after insert on creator_ratings
    referencing new table as touched_rows
    for each statement execute function to_rate_touched();
create trigger creator_ratings_to_rate_deleted after delete on creator_ratings
    referencing old table as touched_rows
    for each statement execute function to_rate_touched();

update campaign_application_counts n
   set to_rate = campaign_to_rate(n.campaign_id)
 where n.accepted > 0;
