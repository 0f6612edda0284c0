-- Agency managers: staff who look after a portfolio of brands and creators.
-- Admins assign each brand and each creator to at most one manager; a manager
-- sees and acts only within their portfolio. A brand marked agency-managed
-- lets its manager work as the brand (write campaigns and briefs, decide
-- applications, review drafts), each action recorded as done for the brand.

alter table users drop constraint users_role_check;
alter table users add constraint users_role_check
    check (role in ('brand', 'influencer', 'admin', 'manager'));
-- Lets a portfolio's foreign key say "a user who is a manager".
alter table users add constraint users_id_role_key unique (id, role);

alter table brands add column agency_managed boolean not null default false;

-- One manager per brand and per creator. The constant role column makes the
-- foreign key refuse anyone but a manager, and refuse turning a manager with
-- a portfolio into something else.
create table portfolio_brands (
    brand_id uuid primary key references brands (id),
    manager_id uuid not null,
    manager_role text not null generated always as ('manager') stored,
    assigned_by uuid not null references users (id),
    assigned_at timestamptz not null default now(),
    constraint portfolio_brands_manager_fkey
        foreign key (manager_id, manager_role) references users (id, role)
);

create table portfolio_creators (
    profile_id uuid primary key references influencer_profiles (id),
    manager_id uuid not null,
    manager_role text not null generated always as ('manager') stored,
    assigned_by uuid not null references users (id),
    assigned_at timestamptz not null default now(),
    constraint portfolio_creators_manager_fkey
        foreign key (manager_id, manager_role) references users (id, role)
);

create index portfolio_brands_manager_idx on portfolio_brands (manager_id);
create index portfolio_creators_manager_idx on portfolio_creators (manager_id);

-- Whether `person` (a user) is within `manager`'s portfolio: a member of one
-- of its brands, or a creator in it.
create function in_portfolio(manager uuid, person uuid) returns boolean
language sql stable as $$
    select exists (select 1 from brand_members m join portfolio_brands pb on pb.brand_id = m.brand_id
                    where m.user_id = person and pb.manager_id = manager)
        or exists (select 1 from influencer_profiles p join portfolio_creators pc on pc.profile_id = p.id
                    where p.user_id = person and pc.manager_id = manager)
$$;

-- The brand a manager's session works as. Honoured only while the brand is
-- agency-managed, in that manager's portfolio and not suspended (checked
-- when the session is read).
alter table sessions add column acting_brand_id uuid references brands (id);

create function sessions_notify_acting() returns trigger
language plpgsql as $$
begin
    perform notify_session_user(new.user_id);
    return null;
end;
$$;

create trigger sessions_notify_acting after update of acting_brand_id on sessions
    for each row execute function sessions_notify_acting();

-- A manager's session copies hold what they may act as: drop them when their
-- portfolio or a brand's agency-managed mark changes.
create function portfolio_brands_notify() returns trigger
language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform notify_session_user(old.manager_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform notify_session_user(new.manager_id);
    end if;
    return null;
end;
$$;

create trigger portfolio_brands_notify after insert or update or delete on portfolio_brands
    for each row execute function portfolio_brands_notify();

create function brands_notify_manager() returns trigger
language plpgsql as $$
begin
    perform notify_session_user(pb.manager_id) from portfolio_brands pb where pb.brand_id = new.id;
    return null;
end;
$$;

create trigger brands_notify_manager after update of agency_managed, suspended_at, name on brands
    for each row execute function brands_notify_manager();

-- Every queue of the console in one view: which queue, whose (brand and
-- creator, for managers' portfolios), where to act, what it is, since when,
-- and how urgent (smallest first). Counts and pages read the same rows.
create view agency_queue as
select 'reviews-overdue' as queue, c.brand_id, a.profile_id,
       '/deliverables/' || d.id as href,
       c.title || ': ' || d.platform || ' ' || d.format || ', round ' || s.round as title,
       c.brand_name || ' to review ' || u.display_name || '''s draft' as detail,
       s.review_due_at as since,
       extract(epoch from s.review_due_at)::float8 as urgency, s.id
  from submissions s
  join deliverables d on d.id = s.deliverable_id
  join applications a on a.id = d.application_id
  join campaigns c on c.id = a.campaign_id
  join influencer_profiles p on p.id = a.profile_id
  join users u on u.id = p.user_id
 where s.review_due_at < now()
   and not exists (select 1 from reviews r where r.submission_id = s.id)
union all
select 'deliverables-overdue', c.brand_id, a.profile_id,
       '/deliverables/' || d.id,
       c.title || ': ' || d.platform || ' ' || d.format,
       u.display_name || ' for ' || c.brand_name || ', ' || d.status,
       d.due_on::timestamptz,
       extract(epoch from d.due_on::timestamptz)::float8, d.id
  from deliverables d
  join applications a on a.id = d.application_id
  join campaigns c on c.id = a.campaign_id
  join influencer_profiles p on p.id = a.profile_id
  join users u on u.id = p.user_id
 where d.due_on < current_date
   and d.status in ('todo', 'submitted', 'changes_requested')
union all
select 'silent-collaborations', c.brand_id, a.profile_id,
       '/applications/' || a.id || '/messages',
       c.title,
       u.display_name || ' and ' || c.brand_name,
       q.since,
       extract(epoch from q.since)::float8, a.id
  from applications a
  join campaigns c on c.id = a.campaign_id
  join influencer_profiles p on p.id = a.profile_id
  join users u on u.id = p.user_id
  cross join lateral (select greatest(a.decided_at, (select max(m.created_at) from messages m
                                                     where m.application_id = a.id)) as since) q
 where a.status = 'accepted'
   and a.decided_at < now() - interval '7 days'
   and exists (select 1 from deliverables d where d.application_id = a.id
                and d.status not in ('published', 'cancelled'))
   and not exists (select 1 from messages m where m.application_id = a.id
                    and m.created_at > now() - interval '7 days')
union all
select 'figures-to-verify', null, ch.profile_id,
       '/influencers/' || ch.profile_id || '#channel-' || ch.id,
       u.display_name || ': ' || ch.platform || ' @' || ch.handle,
       to_char(ch.followers, 'FM999,999,999,999') || ' followers, score ' || ch.score,
       ch.captured_on::timestamptz,
       -ch.followers::float8, ch.id
  from channels ch
  join influencer_profiles p on p.id = ch.profile_id
  join users u on u.id = p.user_id
 where not ch.latest_verified
union all
select 'authenticity-signals', null, ch.profile_id,
       '/influencers/' || ch.profile_id || '#channel-' || ch.id,
       u.display_name || ': ' || ch.platform || ' @' || ch.handle,
       to_char(ch.followers, 'FM999,999,999,999') || ' followers, score ' || ch.score,
       ch.captured_on::timestamptz,
       -ch.followers::float8, ch.id
  from channels ch
  join influencer_profiles p on p.id = ch.profile_id
  join users u on u.id = p.user_id
 where ch.score < 50
union all
select 'disputes', c.brand_id, a.profile_id,
       '/disputes/' || x.id,
       c.title,
       c.brand_name || ' and ' || u.display_name || ': ' || left(x.reason, 120),
       x.opened_at,
       extract(epoch from x.opened_at)::float8, x.id
  from disputes x
  join applications a on a.id = x.application_id
  join campaigns c on c.id = a.campaign_id
  join influencer_profiles p on p.id = a.profile_id
  join users u on u.id = p.user_id
 where x.resolved_at is null
union all
select 'automatic-approvals', c.brand_id, a.profile_id,
       '/deliverables/' || e.object_id,
       'Approved automatically',
       e.detail,
       e.occurred_at,
       -extract(epoch from e.occurred_at)::float8, e.id
  from audit_events e
  join deliverables d on d.id = e.object_id
  join applications a on a.id = d.application_id
  join campaigns c on c.id = a.campaign_id
 where e.action = 'deliverable.auto_approved'
   and e.occurred_at > now() - interval '30 days'
union all
select 'closing-without-creators', c.brand_id, null,
       '/campaigns/' || c.id || '/applications',
       c.title,
       c.brand_name || ', ' || (select count(*) from applications a
                                where a.campaign_id = c.id) || ' applications',
       c.application_deadline::timestamptz,
       extract(epoch from c.application_deadline::timestamptz)::float8, c.id
  from campaigns c
 where c.status = 'open'
   and c.application_deadline between current_date and current_date + 7
   and not exists (select 1 from applications a where a.campaign_id = c.id
                    and a.status = 'accepted');

insert into audit_actions (action, description) values
    ('admin.staff_created', 'Added a member of agency staff'),
    ('admin.portfolio_assigned', 'Assigned a brand or creator to a manager'),
    ('admin.agency_managed_changed', 'Changed whether the agency works for a brand'),
    ('manager.acting_started', 'Started working as a brand'),
    ('manager.acting_stopped', 'Stopped working as a brand'),
    ('campaign.created', 'Created a campaign'),
    ('campaign.updated', 'Changed a campaign'),
    ('campaign.status_changed', 'Published, closed, completed or archived a campaign'),
    ('campaign.brief_saved', 'Saved a new version of a brief');

