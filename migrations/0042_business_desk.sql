-- The creator's business desk: hours logged per collaboration, deals made
-- outside Liaison, goals, and the roll-ups the desk reads so that five years
-- of history (1,000 deals, 20,000 hour entries) are never scanned per view.

-- Deals a creator made outside Liaison, so the desk covers their whole
-- business. They never enter the ledger or any brand's figures.
create table outside_deals (
    id uuid primary key,
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    brand_name text not null,
    title text not null,
    currency text not null,
    amount_minor bigint not null,
    platform text,
    format text,
    stage text not null,
    -- Where it stands in the pipeline every deal shares.
    pipeline_stage text not null generated always as (
        case stage when 'pitched' then 'applied' when 'delivered' then 'releasing' else stage end
    ) stored,
    agreed_on date,
    due_on date,
    paid_on date,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint outside_deals_brand_name_length check (char_length(btrim(brand_name)) between 1 and 200),
    constraint outside_deals_title_length check (char_length(btrim(title)) between 1 and 200),
    constraint outside_deals_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint outside_deals_amount_check check (amount_minor between 0 and 100000000000),
    constraint outside_deals_platform_check check (platform in ('instagram', 'tiktok', 'youtube',
        'x', 'twitch', 'pinterest', 'linkedin', 'blog', 'podcast')),
    constraint outside_deals_format_check check (format in ('post', 'story', 'short_video',
        'long_video', 'live', 'blog', 'podcast')),
    constraint outside_deals_stage_check
        check (stage in ('pitched', 'agreed', 'delivering', 'delivered', 'paid', 'lost')),
    constraint outside_deals_paid_on check ((stage = 'paid') = (paid_on is not null)),
    constraint outside_deals_dates check (due_on is null or agreed_on is null or due_on >= agreed_on)
);

create index outside_deals_profile_idx on outside_deals (profile_id, created_at desc);

create trigger outside_deals_set_updated_at before update on outside_deals
    for each row execute function set_updated_at();

-- Hours the creator logs, on a Liaison collaboration (optionally one of its
-- deliverables) or an outside deal. At most 24 hours a day per deal.
create table time_entries (
    id uuid primary key,
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    application_id uuid references applications (id) on delete cascade,
    outside_deal_id uuid references outside_deals (id) on delete cascade,
    deliverable_id uuid references deliverables (id) on delete cascade,
    worked_on date not null,
    kind text not null,
    minutes integer not null,
    note text not null default '',
    created_at timestamptz not null default now(),
    constraint time_entries_one_deal check ((application_id is null) <> (outside_deal_id is null)),
    constraint time_entries_deliverable_of_deal
        check (deliverable_id is null or application_id is not null),
    constraint time_entries_kind_check
        check (kind in ('creating', 'revising', 'communicating', 'admin')),
    constraint time_entries_minutes_check check (minutes between 1 and 1440),
    constraint time_entries_note_length check (char_length(note) <= 500)
);

create index time_entries_profile_idx on time_entries (profile_id, worked_on desc, created_at desc);
create index time_entries_application_idx on time_entries (application_id, worked_on)
    where application_id is not null;
create index time_entries_outside_idx on time_entries (outside_deal_id, worked_on)
    where outside_deal_id is not null;

-- Only the deal's creator logs its hours, on its own deliverables, and a day
-- holds at most 24 hours per deal (checked under a lock on the deal, so two
-- entries at once cannot both pass).
create function time_entries_check() returns trigger
language plpgsql as $$
declare
    total integer;
begin
    if new.application_id is not null then
        perform 1 from applications a
         where a.id = new.application_id and a.profile_id = new.profile_id
           for update;
        if not found then
            raise exception 'hours are logged by the collaboration''s creator'
                using errcode = 'check_violation';
        end if;
        if new.deliverable_id is not null and not exists (
            select 1 from deliverables d
             where d.id = new.deliverable_id and d.application_id = new.application_id) then
            raise exception 'the deliverable is not this collaboration''s'
                using errcode = 'check_violation';
        end if;
    else
        perform 1 from outside_deals o
         where o.id = new.outside_deal_id and o.profile_id = new.profile_id
           for update;
        if not found then
            raise exception 'hours are logged by the deal''s creator'
                using errcode = 'check_violation';
        end if;
    end if;
    select coalesce(sum(minutes), 0) into total
      from time_entries t
     where t.worked_on = new.worked_on
       and (t.application_id = new.application_id or t.outside_deal_id = new.outside_deal_id);
    if total + new.minutes > 1440 then
        raise exception 'at most 24 hours a day on one deal'
            using errcode = 'check_violation';
    end if;
    return new;
end;
$$;

create trigger time_entries_check before insert on time_entries
    for each row execute function time_entries_check();
create trigger time_entries_immutable before update on time_entries
    for each row execute function refuse_record_change();

-- A monthly income goal and a weekly hours cap.
create table business_goals (
    profile_id uuid primary key references influencer_profiles (id) on delete cascade,
    currency text not null,
    monthly_income_minor bigint,
    weekly_hours_cap smallint,
    updated_at timestamptz not null default now(),
    constraint business_goals_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint business_goals_income_check check (monthly_income_minor between 1 and 100000000000),
    constraint business_goals_hours_check check (weekly_hours_cap between 1 and 100)
);

-- One row per Liaison deal (application), kept current by the triggers below
-- from its sources: where it stands, its money, hours, rounds, reviews,
-- releases and scope creep. The desk and the brand's partner pages read it.
create table desk_deals (
    application_id uuid primary key references applications (id) on delete cascade,
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    brand_id uuid not null references brands (id) on delete cascade,
    stage text not null,
    currency text not null,
    fee_minor bigint not null,
    released_gross_minor bigint not null,
    released_net_minor bigint not null,
    held_minor bigint not null,
    creating_minutes integer not null,
    revising_minutes integer not null,
    communicating_minutes integer not null,
    admin_minutes integer not null,
    scope_minutes integer not null,
    deliverables integer not null,
    rounds integer not null,
    reviews integer not null,
    reviews_on_time integer not null,
    review_minutes bigint not null,
    releases integer not null,
    releases_on_time integer not null,
    scope_requests integer not null,
    scope_accepted integer not null,
    scope_added_minor bigint not null,
    platform text,
    format text,
    applied_at timestamptz not null,
    agreed_at timestamptz,
    last_release_at timestamptz,
    next_due_on date,
    rating_given_tenths smallint,
    constraint desk_deals_stage_check check (stage in ('applied', 'shortlisted', 'agreed',
        'delivering', 'releasing', 'paid', 'lost'))
);

create index desk_deals_profile_idx on desk_deals (profile_id, stage);
create index desk_deals_brand_idx on desk_deals (brand_id, profile_id);

-- Recomputes the deals `ids` from their sources. Cheap per deal (its own
-- handful of rows); set-based for bulk loads.
create function desk_refresh(ids uuid[]) returns void
language sql as $$
insert into desk_deals as dd (
    application_id, profile_id, brand_id, stage, currency, fee_minor, released_gross_minor,
    released_net_minor, held_minor, creating_minutes, revising_minutes, communicating_minutes,
    admin_minutes, scope_minutes, deliverables, rounds, reviews, reviews_on_time, review_minutes,
    releases, releases_on_time, scope_requests, scope_accepted, scope_added_minor, platform,
    format, applied_at, agreed_at, last_release_at, next_due_on, rating_given_tenths)
select a.id, a.profile_id, c.brand_id,
       case
           when a.status = 'submitted' then 'applied'
           when a.status = 'shortlisted' then 'shortlisted'
           when a.status in ('declined', 'withdrawn') then 'lost'
           when a.status = 'cancelled' and coalesce(sh.released_gross, 0) = 0 then 'lost'
           when coalesce(sh.open_shares, 0) = 0 and coalesce(sh.shares, 0) > 0 then 'paid'
           when a.status = 'cancelled' then 'paid'
           when coalesce(d.open, 0) = 0 and coalesce(d.deliverables, 0) > 0 then 'releasing'
           when coalesce(r.rounds, 0) > 0 then 'delivering'
           else 'agreed'
       end,
       a.currency,
       coalesce(h.fee_minor + coalesce(am.price, 0), a.agreed_fee_minor, a.proposed_fee_minor),
       coalesce(sh.released_gross, 0), coalesce(sh.released_net, 0), coalesce(sh.held, 0),
       coalesce(t.creating, 0), coalesce(t.revising, 0), coalesce(t.communicating, 0),
       coalesce(t.admin, 0), coalesce(t.scope, 0),
       coalesce(d.deliverables, 0), coalesce(r.rounds, 0), coalesce(r.reviews, 0),
       coalesce(r.on_time, 0), coalesce(r.review_minutes, 0),
       coalesce(sh.releases, 0), coalesce(sh.releases_on_time, 0),
       coalesce(sc.requests, 0), coalesce(am.accepted, 0), coalesce(am.price, 0),
       d.platform, d.format, a.created_at,
       case when a.status in ('accepted', 'cancelled') then a.decided_at end,
       sh.last_release_at, d.next_due_on, br.tenths
  from applications a
  join campaigns c on c.id = a.campaign_id
  left join escrow_holds h on h.application_id = a.id
  left join lateral (
      select sum(m.price_minor)::int8 as price, count(*)::int4 as accepted
        from amendments m where m.application_id = a.id and m.status = 'accepted'
  ) am on true
  left join lateral (
      select count(*)::int4 as deliverables,
             count(*) filter (where x.status not in ('approved', 'published', 'cancelled'))::int4 as open,
             min(x.due_on) filter (where x.status not in ('approved', 'published', 'cancelled')) as next_due_on,
             (array_agg(x.platform order by coalesce(s.fee_minor, 0) desc, x.position))[1] as platform,
             (array_agg(x.format order by coalesce(s.fee_minor, 0) desc, x.position))[1] as format
        from deliverables x left join escrow_shares s on s.deliverable_id = x.id
       where x.application_id = a.id
  ) d on true
  left join lateral (
      select count(*)::int4 as shares,
             count(*) filter (where s.settled is null)::int4 as open_shares,
             sum(s.to_creator_minor)::int8 as released_gross,
             sum(s.to_creator_minor
                 - (s.to_creator_minor * h.creator_fee_basis_points + 5000) / 10000)::int8 as released_net,
             coalesce(sum(s.fee_minor) filter (where s.settled is null), 0)::int8 as held,
             count(*) filter (where s.settled = 'released')::int4 as releases,
             count(*) filter (where s.settled = 'released' and s.settled_at <= (
                 select max(u.review_due_at) from submissions u
                  where u.deliverable_id = s.deliverable_id))::int4 as releases_on_time,
             max(s.settled_at) filter (where s.to_creator_minor > 0) as last_release_at
        from escrow_shares s where s.application_id = a.id
  ) sh on true
  left join lateral (
      select count(*)::int4 as rounds, count(v.id)::int4 as reviews,
             count(*) filter (where v.on_time)::int4 as on_time,
             coalesce(sum(extract(epoch from v.created_at - u.submitted_at)::int8 / 60), 0)::int8
                 as review_minutes
        from deliverables x
        join submissions u on u.deliverable_id = x.id
        left join reviews v on v.submission_id = u.id
       where x.application_id = a.id
  ) r on true
  left join lateral (
      select count(*)::int4 as requests
        from deliverables x join action_items i on i.deliverable_id = x.id
       where x.application_id = a.id and i.out_of_scope
  ) sc on true
  left join lateral (
      select sum(e.minutes) filter (where e.kind = 'creating')::int4 as creating,
             sum(e.minutes) filter (where e.kind = 'revising')::int4 as revising,
             sum(e.minutes) filter (where e.kind = 'communicating')::int4 as communicating,
             sum(e.minutes) filter (where e.kind = 'admin')::int4 as admin,
             sum(e.minutes) filter (where x.amendment_id is not null)::int4 as scope
        from time_entries e left join deliverables x on x.id = e.deliverable_id
       where e.application_id = a.id
  ) t on true
  left join lateral (
      select ((g.brief_clarity + g.feedback_quality + g.communication + g.payment_timeliness
               + g.fairness) * 2)::int2 as tenths
        from brand_ratings g where g.application_id = a.id
  ) br on true
 where a.id = any(ids)
on conflict (application_id) do update set
    profile_id = excluded.profile_id, brand_id = excluded.brand_id, stage = excluded.stage,
    currency = excluded.currency, fee_minor = excluded.fee_minor,
    released_gross_minor = excluded.released_gross_minor,
    released_net_minor = excluded.released_net_minor, held_minor = excluded.held_minor,
    creating_minutes = excluded.creating_minutes, revising_minutes = excluded.revising_minutes,
    communicating_minutes = excluded.communicating_minutes,
    admin_minutes = excluded.admin_minutes, scope_minutes = excluded.scope_minutes,
    deliverables = excluded.deliverables, rounds = excluded.rounds, reviews = excluded.reviews,
    reviews_on_time = excluded.reviews_on_time, review_minutes = excluded.review_minutes,
    releases = excluded.releases, releases_on_time = excluded.releases_on_time,
    scope_requests = excluded.scope_requests, scope_accepted = excluded.scope_accepted,
    scope_added_minor = excluded.scope_added_minor, platform = excluded.platform,
    format = excluded.format, applied_at = excluded.applied_at, agreed_at = excluded.agreed_at,
    last_release_at = excluded.last_release_at, next_due_on = excluded.next_due_on,
    rating_given_tenths = excluded.rating_given_tenths;
$$;

-- Bulk loads (the benchmark's seed) set liaison.bulk_load = 'on' and call
-- desk_refresh once at the end instead of once per change.
create function desk_bulk_loading() returns boolean
language sql stable as $$
    select coalesce(current_setting('liaison.bulk_load', true), '') = 'on'
$$;

-- A deal's row is refreshed when its transaction commits (deferred triggers),
-- once everything else the transaction locked is locked: refreshing it in the
-- middle would take the roll-up's row lock in between, and two transactions
-- working on one collaboration in different orders (a brand approving in one
-- tab and cancelling in another) would deadlock on it.
create function desk_refresh_at_commit() returns trigger
language plpgsql as $$
declare
    deal uuid;
begin
    if desk_bulk_loading() then
        return null;
    end if;
    if tg_table_name = 'applications' then
        deal := new.id;
    elsif tg_table_name in ('submissions', 'action_items') then
        select d.application_id into deal from deliverables d where d.id = new.deliverable_id;
    elsif tg_table_name = 'reviews' then
        select d.application_id into deal
          from submissions u join deliverables d on d.id = u.deliverable_id
         where u.id = new.submission_id;
    elsif tg_op = 'DELETE' then
        deal := old.application_id;
    else
        deal := new.application_id;
    end if;
    if deal is not null then
        perform desk_refresh(array[deal]);
    end if;
    return null;
end;
$$;

create constraint trigger desk_applications after insert or update on applications
    deferrable initially deferred for each row execute function desk_refresh_at_commit();
create constraint trigger desk_deliverables after insert or update on deliverables
    deferrable initially deferred for each row execute function desk_refresh_at_commit();
create constraint trigger desk_shares after insert or update on escrow_shares
    deferrable initially deferred for each row execute function desk_refresh_at_commit();
create constraint trigger desk_amendments after insert or update on amendments
    deferrable initially deferred for each row execute function desk_refresh_at_commit();
create constraint trigger desk_time after insert or delete on time_entries
    deferrable initially deferred for each row execute function desk_refresh_at_commit();
create constraint trigger desk_submissions after insert on submissions
    deferrable initially deferred for each row execute function desk_refresh_at_commit();
create constraint trigger desk_items after insert on action_items
    deferrable initially deferred for each row execute function desk_refresh_at_commit();
create constraint trigger desk_reviews after insert on reviews
    deferrable initially deferred for each row execute function desk_refresh_at_commit();
create constraint trigger desk_brand_ratings after insert or update on brand_ratings
    deferrable initially deferred for each row execute function desk_refresh_at_commit();

-- Income by month, brand and format: what each settled share paid the
-- creator, added as it is settled (a share is settled once).
create table desk_income (
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    month date not null,
    currency text not null,
    brand_id uuid not null references brands (id) on delete cascade,
    platform text not null,
    format text not null,
    gross_minor bigint not null,
    fees_minor bigint not null,
    net_minor bigint not null,
    primary key (profile_id, month, currency, brand_id, platform, format),
    constraint desk_income_month_check check (month = date_trunc('month', month)::date)
);

create function desk_income_add() returns trigger
language plpgsql as $$
begin
    if desk_bulk_loading() then
        return null;
    end if;
    insert into desk_income as i (profile_id, month, currency, brand_id, platform, format,
                                  gross_minor, fees_minor, net_minor)
    select h.profile_id, date_trunc('month', n.settled_at at time zone 'UTC')::date, h.currency,
           h.brand_id, x.platform, x.format, sum(n.to_creator_minor),
           sum((n.to_creator_minor * h.creator_fee_basis_points + 5000) / 10000),
           sum(n.to_creator_minor - (n.to_creator_minor * h.creator_fee_basis_points + 5000) / 10000)
      from new_rows n
      join old_rows o on o.deliverable_id = n.deliverable_id
      join escrow_holds h on h.application_id = n.application_id
      join deliverables x on x.id = n.deliverable_id
     where o.settled is null and n.settled is not null and n.to_creator_minor > 0
     group by 1, 2, 3, 4, 5, 6
    on conflict (profile_id, month, currency, brand_id, platform, format) do update set
        gross_minor = i.gross_minor + excluded.gross_minor,
        fees_minor = i.fees_minor + excluded.fees_minor,
        net_minor = i.net_minor + excluded.net_minor;
    return null;
end;
$$;

create trigger desk_income_settled after update on escrow_shares
    referencing old table as old_rows new table as new_rows for each statement
    execute function desk_income_add();

-- Both roll-ups rebuilt from their sources: after a bulk load, and to check
-- that what the triggers kept is what the sources say.
create function desk_rebuild() returns void
language sql as $$
delete from desk_deals;
delete from desk_income;
select desk_refresh(array(select id from applications));
insert into desk_income (profile_id, month, currency, brand_id, platform, format, gross_minor,
                         fees_minor, net_minor)
select h.profile_id, date_trunc('month', s.settled_at at time zone 'UTC')::date, h.currency,
       h.brand_id, x.platform, x.format, sum(s.to_creator_minor),
       sum((s.to_creator_minor * h.creator_fee_basis_points + 5000) / 10000),
       sum(s.to_creator_minor - (s.to_creator_minor * h.creator_fee_basis_points + 5000) / 10000)
  from escrow_shares s
  join escrow_holds h on h.application_id = s.application_id
  join deliverables x on x.id = s.deliverable_id
 where s.settled is not null and s.to_creator_minor > 0
 group by 1, 2, 3, 4, 5, 6;
$$;

select desk_rebuild();
