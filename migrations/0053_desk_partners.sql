-- The business desk's totals per brand partner, kept beside the deals they
-- add up. The desk's best partners, `/business/partners` and the time report
-- by brand summed every deal of the creator on every view: five years in, 583
-- brands and 1,900 deals, 2.7-5.9 ms of the database's time. Here the desk
-- reads its five best partners from an index and the other pages one row per
-- brand.
--
-- One row per creator, brand and currency, kept by statement triggers on
-- `desk_deals` that add what each changed deal now counts for and take away
-- what it counted for before. Adding and taking away, rather than summing
-- the group again, stays right when two transactions change deals of the same
-- group at once: each applies its own change to the row it has locked. (No
-- check that counts stay positive: PostgreSQL checks the row an upsert would
-- insert, which for a change is the change itself, before it finds the row.)
create table desk_partners (
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    brand_id uuid not null references brands (id) on delete cascade,
    currency text not null check (currency ~ '^[A-Z]{3}$'),
    -- Deals the two agreed on.
    deals bigint not null,
    earned_minor bigint not null,
    fee_minor bigint not null,
    minutes bigint not null,
    releases bigint not null,
    releases_on_time bigint not null,
    reviews bigint not null,
    review_minutes bigint not null,
    rounds bigint not null,
    deliverables bigint not null,
    scope_requests bigint not null,
    scope_added_minor bigint not null,
    ratings bigint not null,
    rating_tenths bigint not null,
    last_agreed_at timestamptz,
    -- Deals under way or paid with hours logged: the time report's brands.
    worked bigint not null,
    worked_fee_minor bigint not null,
    worked_minutes bigint not null,
    worked_revising_minutes bigint not null,
    worked_scope_minutes bigint not null,
    primary key (profile_id, brand_id, currency)
);

create index desk_partners_earned_idx on desk_partners (profile_id, earned_minor desc)
    where deals > 0;

-- What one deal counts for in its partner row, signed: +1 as it is now, -1 as
-- it was.
create function desk_partner_part(d desk_deals, sign int)
returns desk_partners
language sql immutable parallel safe
as $$
    select d.profile_id, d.brand_id, d.currency,
           sign * a, sign * a * d.released_net_minor, sign * a * d.fee_minor, sign * a * m,
           sign * a * d.releases, sign * a * d.releases_on_time, sign * a * d.reviews,
           sign * a * d.review_minutes, sign * a * d.rounds, sign * a * d.deliverables,
           sign * a * d.scope_requests, sign * a * d.scope_added_minor,
           sign * a * (d.rating_given_tenths is not null)::int,
           sign * a * coalesce(d.rating_given_tenths, 0),
           d.agreed_at,
           sign * w, sign * w * d.fee_minor, sign * w * m, sign * w * d.revising_minutes,
           sign * w * d.scope_minutes
      from (select (d.agreed_at is not null)::int::int8 as a,
                   (d.creating_minutes + d.revising_minutes + d.communicating_minutes
                    + d.admin_minutes)::int8 as m) x,
           lateral (select (d.stage in ('agreed', 'delivering', 'releasing', 'paid')
                            and x.m > 0)::int::int8 as w) y
$$;

-- The table computed from the deals: used to fill it, and by the test that
-- proves the triggers keep it true.
create view desk_partners_source as
select (p).profile_id, (p).brand_id, (p).currency,
       sum((p).deals)::int8 as deals, sum((p).earned_minor)::int8 as earned_minor,
       sum((p).fee_minor)::int8 as fee_minor, sum((p).minutes)::int8 as minutes,
       sum((p).releases)::int8 as releases, sum((p).releases_on_time)::int8 as releases_on_time,
       sum((p).reviews)::int8 as reviews, sum((p).review_minutes)::int8 as review_minutes,
       sum((p).rounds)::int8 as rounds, sum((p).deliverables)::int8 as deliverables,
       sum((p).scope_requests)::int8 as scope_requests,
       sum((p).scope_added_minor)::int8 as scope_added_minor,
       sum((p).ratings)::int8 as ratings, sum((p).rating_tenths)::int8 as rating_tenths,
       max((p).last_agreed_at) as last_agreed_at,
       sum((p).worked)::int8 as worked, sum((p).worked_fee_minor)::int8 as worked_fee_minor,
       sum((p).worked_minutes)::int8 as worked_minutes,
       sum((p).worked_revising_minutes)::int8 as worked_revising_minutes,
       sum((p).worked_scope_minutes)::int8 as worked_scope_minutes
  from (select desk_partner_part(d, 1) as p from desk_deals d) parts
 group by 1, 2, 3
having sum((p).deals) > 0 or sum((p).worked) > 0;

-- Applies the deals' changes: `parts` holds each changed deal as it is now
-- (+1) and as it was (-1).
create function desk_partners_apply(parts desk_partners[]) returns void
language sql as $$
    insert into desk_partners as k
    select profile_id, brand_id, currency,
           sum(deals), sum(earned_minor), sum(fee_minor), sum(minutes), sum(releases),
           sum(releases_on_time), sum(reviews), sum(review_minutes), sum(rounds),
           sum(deliverables), sum(scope_requests), sum(scope_added_minor), sum(ratings),
           sum(rating_tenths), max(last_agreed_at) filter (where deals > 0), sum(worked),
           sum(worked_fee_minor), sum(worked_minutes), sum(worked_revising_minutes),
           sum(worked_scope_minutes)
      from unnest(parts) u
     group by 1, 2, 3
    -- A change that only takes away applies to a row that is there: when the
    -- creator or the brand is being deleted, the row has gone before the deals.
    having sum(deals) > 0 or sum(worked) > 0
        or exists (select 1 from desk_partners k
                    where (k.profile_id, k.brand_id, k.currency)
                          = (u.profile_id, u.brand_id, u.currency))
     order by 1, 2, 3
    on conflict (profile_id, brand_id, currency) do update set
        deals = k.deals + excluded.deals,
        earned_minor = k.earned_minor + excluded.earned_minor,
        fee_minor = k.fee_minor + excluded.fee_minor,
        minutes = k.minutes + excluded.minutes,
        releases = k.releases + excluded.releases,
        releases_on_time = k.releases_on_time + excluded.releases_on_time,
        reviews = k.reviews + excluded.reviews,
        review_minutes = k.review_minutes + excluded.review_minutes,
        rounds = k.rounds + excluded.rounds,
        deliverables = k.deliverables + excluded.deliverables,
        scope_requests = k.scope_requests + excluded.scope_requests,
        scope_added_minor = k.scope_added_minor + excluded.scope_added_minor,
        ratings = k.ratings + excluded.ratings,
        rating_tenths = k.rating_tenths + excluded.rating_tenths,
        last_agreed_at = greatest(k.last_agreed_at, excluded.last_agreed_at),
        worked = k.worked + excluded.worked,
        worked_fee_minor = k.worked_fee_minor + excluded.worked_fee_minor,
        worked_minutes = k.worked_minutes + excluded.worked_minutes,
        worked_revising_minutes = k.worked_revising_minutes + excluded.worked_revising_minutes,
        worked_scope_minutes = k.worked_scope_minutes + excluded.worked_scope_minutes;

    -- A deal that no longer counts may have been the latest agreed: that
    -- group's latest is found again from its deals (a handful of rows).
    update desk_partners k
       set last_agreed_at = (select max(d.agreed_at) from desk_deals d
                              where d.brand_id = k.brand_id and d.profile_id = k.profile_id
                                and d.currency = k.currency)
      from unnest(parts) p
     where p.deals < 0 and p.last_agreed_at = k.last_agreed_at
       and (k.profile_id, k.brand_id, k.currency) = (p.profile_id, p.brand_id, p.currency);

    delete from desk_partners k
     using unnest(parts) p
     where (k.profile_id, k.brand_id, k.currency) = (p.profile_id, p.brand_id, p.currency)
       and k.deals = 0 and k.worked = 0;
$$;

create function desk_partners_inserted() returns trigger
language plpgsql as $$
begin
    perform desk_partners_apply(array(select desk_partner_part(n, 1) from new_rows n));
    return null;
end;
$$;

create function desk_partners_updated() returns trigger
language plpgsql as $$
begin
    perform desk_partners_apply(array(
        select desk_partner_part(n, 1) from new_rows n
        union all
        select desk_partner_part(o, -1) from old_rows o));
    return null;
end;
$$;

create function desk_partners_deleted() returns trigger
language plpgsql as $$
begin
    perform desk_partners_apply(array(select desk_partner_part(o, -1) from old_rows o));
    return null;
end;
$$;

create trigger desk_partners_inserted after insert on desk_deals
    referencing new table as new_rows for each statement
    execute function desk_partners_inserted();
create trigger desk_partners_updated after update on desk_deals
    referencing old table as old_rows new table as new_rows for each statement
    execute function desk_partners_updated();
create trigger desk_partners_deleted after delete on desk_deals
    referencing old table as old_rows for each statement
    execute function desk_partners_deleted();

-- In the creator's order, so that a creator's partners share a few pages (the
-- triggers add them in that order too).
insert into desk_partners select * from desk_partners_source order by 1, 2, 3;
