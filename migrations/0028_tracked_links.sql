-- Results, part one: where a campaign's links lead, one tracked link per
-- deliverable of an accepted collaboration, the clicks on them, promo codes,
-- and the daily roll-up the reports read instead of raw clicks.

alter table campaigns
    add column landing_url text,
    -- Days after a click in which an order still counts for it (last click wins).
    add column attribution_window_days smallint not null default 30,
    add constraint campaigns_landing_url_check check (
        landing_url ~ '^https?://[^\s/?#]+[^\s]*$' and char_length(landing_url) <= 2000
    ),
    add constraint campaigns_attribution_window_check check (attribution_window_days in (7, 30));

-- The creator's tier when the brand accepted them: results are compared by the
-- tier a brand paid for, not the tier the creator has grown into since.
alter table applications
    add column creator_tier text,
    add constraint applications_creator_tier_check check (
        creator_tier in ('emerging', 'nano', 'micro', 'mid', 'macro', 'mega')
    );

create function applications_snapshot_tier() returns trigger
language plpgsql as $$
begin
    if new.status = 'accepted' and new.creator_tier is null then
        select p.tier into new.creator_tier from influencer_profiles p where p.id = new.profile_id;
    end if;
    return new;
end;
$$;

create trigger applications_snapshot_tier
    before insert or update of status on applications
    for each row execute function applications_snapshot_tier();

update applications a
   set creator_tier = p.tier
  from influencer_profiles p
 where p.id = a.profile_id and a.status = 'accepted';

-- Eight characters from an alphabet without look-alikes (no 0/o, 1/l/i): short
-- enough to type from a video, 31^8 codes so guessing one is hopeless. Bytes
-- 0-5 and 10-11 of a random UUID are the ones its version and variant leave
-- alone.
create function new_link_code() returns text
language sql volatile as $$
    select string_agg(substr('23456789abcdefghjkmnpqrstuvwxyz', get_byte(r.b, i) % 31 + 1, 1), '' order by n)
      from (select uuid_send(gen_random_uuid()) as b) r,
           unnest(array[0, 1, 2, 3, 4, 5, 10, 11]) with ordinality as t(i, n)
$$;

create table tracked_links (
    id uuid primary key,
    code text not null,
    deliverable_id uuid not null references deliverables (id) on delete cascade,
    -- Copied from the deliverable by a trigger: reports group by them.
    application_id uuid not null references applications (id) on delete cascade,
    campaign_id uuid not null references campaigns (id) on delete cascade,
    brand_id uuid not null references brands (id) on delete cascade,
    -- All-time counts, kept by the click writer with each batch.
    clicks bigint not null default 0,
    unique_visitors bigint not null default 0,
    bot_clicks bigint not null default 0,
    last_click_at timestamptz,
    created_at timestamptz not null default now(),
    constraint tracked_links_code_key unique (code),
    constraint tracked_links_deliverable_key unique (deliverable_id),
    constraint tracked_links_code_check check (code ~ '^[2-9a-hjkmnp-z]{8}$'),
    constraint tracked_links_counts_check check (
        clicks >= 0 and bot_clicks >= 0 and unique_visitors between 0 and clicks
    )
);

create index tracked_links_application_idx on tracked_links (application_id);

create function tracked_links_set_owners() returns trigger
language plpgsql as $$
begin
    select d.application_id, a.campaign_id, d.brand_id
      into new.application_id, new.campaign_id, new.brand_id
      from deliverables d
      join applications a on a.id = d.application_id
     where d.id = new.deliverable_id;
    return new;
end;
$$;

create trigger tracked_links_set_owners
    before insert or update of deliverable_id, application_id, campaign_id, brand_id on tracked_links
    for each row execute function tracked_links_set_owners();

-- Every deliverable of a collaboration accepted before links existed gets one.
-- A code that happens to be taken is drawn again by the application; here the
-- odds over the existing rows are negligible, and a clash fails loudly.
insert into tracked_links (id, code, deliverable_id)
select uuidv7(), new_link_code(), d.id
  from deliverables d
  join applications a on a.id = d.application_id
 where a.status = 'accepted';

-- One row per click. The id is the click id handed to the landing page, which a
-- brand sends back with an order. No address is kept: `visitor` is a keyed
-- hash of address and browser, enough to count people once and no more.
create table clicks (
    id uuid primary key,
    link_id uuid not null references tracked_links (id) on delete cascade,
    clicked_at timestamptz not null,
    visitor bytea not null,
    referrer_host text,
    is_bot boolean not null,
    constraint clicks_visitor_check check (octet_length(visitor) = 16),
    constraint clicks_referrer_host_check check (char_length(referrer_host) between 1 and 253)
);

-- Who has clicked a link before: a click from a visitor not yet here is unique.
create table link_visitors (
    link_id uuid not null references tracked_links (id) on delete cascade,
    visitor bytea not null,
    first_seen date not null,
    primary key (link_id, visitor)
);

-- Clicks the redirect could not queue because the queue was full, per day
-- (UTC): the reports say how many clicks they may be missing.
create table click_losses (
    day date primary key,
    lost bigint not null,
    constraint click_losses_lost_check check (lost > 0)
);

-- What the reports read: per collaboration and day (UTC), kept current by each
-- batch of clicks (and, later, each conversion) in the same transaction.
create table results_daily (
    application_id uuid not null references applications (id) on delete cascade,
    day date not null,
    brand_id uuid not null references brands (id) on delete cascade,
    campaign_id uuid not null references campaigns (id) on delete cascade,
    clicks bigint not null default 0,
    unique_clicks bigint not null default 0,
    bot_clicks bigint not null default 0,
    primary key (application_id, day),
    constraint results_daily_clicks_check check (
        clicks >= 0 and bot_clicks >= 0 and unique_clicks between 0 and clicks
    )
);

create index results_daily_brand_idx on results_daily (brand_id, day);
create index results_daily_campaign_idx on results_daily (campaign_id, day);

-- A code the creator's audience types at checkout, unique within the brand
-- whatever the case it is typed in (stored upper case).
create table promo_codes (
    application_id uuid primary key references applications (id) on delete cascade,
    brand_id uuid not null references brands (id) on delete cascade,
    code text not null,
    set_by uuid references users (id) on delete set null,
    updated_at timestamptz not null default now(),
    constraint promo_codes_brand_code_key unique (brand_id, code),
    constraint promo_codes_code_check check (code ~ '^[A-Z0-9]{3,20}$')
);

create function promo_codes_set_brand() returns trigger
language plpgsql as $$
begin
    select c.brand_id into new.brand_id
      from applications a
      join campaigns c on c.id = a.campaign_id
     where a.id = new.application_id;
    return new;
end;
$$;

create trigger promo_codes_set_brand
    before insert or update of application_id, brand_id on promo_codes
    for each row execute function promo_codes_set_brand();

alter table audit_events drop constraint audit_events_action_check;
alter table audit_events add constraint audit_events_action_check check (
    action in ('account.signed_up', 'account.logged_in', 'account.logged_out',
               'account.password_changed', 'account.admin_created',
               'brand.profile_updated', 'brand.member_added', 'brand.member_removed',
               'brand.member_invited', 'brand.invitation_revoked', 'brand.invitation_accepted',
               'brand.influencer_invited',
               'influencer.profile_updated', 'influencer.channel_added', 'influencer.snapshot_added',
               'admin.channel_verified', 'admin.tier_cutoffs_changed',
               'application.submitted', 'application.withdrawn', 'application.shortlisted',
               'application.accepted', 'application.declined', 'application.brief_acknowledged',
               'deliverable.submitted', 'deliverable.reviewed', 'deliverable.published',
               'application.rated',
               'admin.funds_recorded', 'admin.terms_changed',
               'collaboration.cancelled', 'dispute.opened', 'admin.dispute_resolved',
               'influencer.payout_details_updated', 'admin.payout_batch_prepared',
               'admin.payout_batch_sent', 'admin.payout_batch_discarded',
               'deliverable.auto_approved',
               'collaboration.promo_code_set', 'collaboration.promo_code_removed')
);
