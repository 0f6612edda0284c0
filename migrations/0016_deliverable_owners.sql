-- Each deliverable carries its brand and its creator's profile, set from its
-- application on insert (an application never changes campaign or creator), so
-- a dashboard reads a brand's or a creator's open work, soonest due first,
-- from one partial index instead of joining through every campaign and
-- application (the brand dashboard's two costliest statements at scale).

alter table deliverables
    add column brand_id uuid references brands (id) on delete cascade,
    add column profile_id uuid references influencer_profiles (id) on delete cascade;

update deliverables d
   set brand_id = c.brand_id, profile_id = a.profile_id
  from applications a
  join campaigns c on c.id = a.campaign_id
 where a.id = d.application_id;

alter table deliverables
    alter column brand_id set not null,
    alter column profile_id set not null;

create function deliverables_set_owners() returns trigger
language plpgsql as $$
begin
    select c.brand_id, a.profile_id into new.brand_id, new.profile_id
      from applications a
      join campaigns c on c.id = a.campaign_id
     where a.id = new.application_id;
    return new;
end;
$$;

-- On update too: whatever a statement writes, the owners stay the application's.
create trigger deliverables_set_owners
    before insert or update of application_id, brand_id, profile_id on deliverables
    for each row execute function deliverables_set_owners();

create index deliverables_brand_open_idx on deliverables (brand_id, due_on)
    where status not in ('approved', 'published');
create index deliverables_profile_open_idx on deliverables (profile_id, due_on)
    where status not in ('approved', 'published');

-- A campaign's applications counted by status (the brand's dashboard, the
-- campaign's progress) from the index alone.
create index applications_campaign_status_idx on applications (campaign_id, status) include (id);
