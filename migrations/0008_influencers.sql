-- Influencer-entrepreneurs: business profiles, channels with dated snapshots of
-- their figures, verification by the agency, tiers, engagement benchmarks, the
-- authenticity assessment, rate cards, discovery, and invitations to campaigns.

-- Tiers: the cut-offs are data, so the agency can change them. These defaults
-- are the industry's common ones (IAB UK creator tiers, Mediakix). The
-- application checks that they rise from one tier to the next.
create table tier_cutoffs (
    tier text primary key,
    min_followers bigint not null,
    updated_by uuid references users (id) on delete set null,
    updated_at timestamptz not null default now(),
    constraint tier_cutoffs_tier_check check (tier in ('nano', 'micro', 'mid', 'macro', 'mega')),
    constraint tier_cutoffs_min_check check (min_followers between 1 and 10000000000)
);

insert into tier_cutoffs (tier, min_followers) values
    ('nano', 1000),
    ('micro', 10000),
    ('mid', 50000),
    ('macro', 500000),
    ('mega', 1000000);

-- What engagement is normal for a platform and tier, as parts per million of the
-- base (followers; views on video platforms). A rate under `low_ppm` or over
-- `high_ppm` is a signal. Platforms without a row (blogs, podcasts) have no
-- engagement benchmark.
create table engagement_benchmarks (
    platform text not null,
    tier text not null,
    low_ppm integer not null,
    typical_ppm integer not null,
    high_ppm integer not null,
    source text not null,
    primary key (platform, tier),
    constraint engagement_benchmarks_platform_check check (platform in ('instagram', 'tiktok', 'youtube', 'x', 'twitch', 'pinterest', 'linkedin', 'blog', 'podcast')),
    constraint engagement_benchmarks_tier_check check (tier in ('emerging', 'nano', 'micro', 'mid', 'macro', 'mega')),
    constraint engagement_benchmarks_order_check check (0 < low_ppm and low_ppm < typical_ppm and typical_ppm < high_ppm and high_ppm <= 1000000)
);

-- Typical rates: rounded medians by platform and follower tier from HypeAuditor,
-- "State of Influencer Marketing 2024", and Influencer Marketing Hub,
-- "Influencer Marketing Benchmark Report 2024" (engagement per post; TikTok,
-- YouTube and Twitch per view). Low is a quarter of typical and high five times
-- typical: far enough from the median that an honest audience rarely lands there.
insert into engagement_benchmarks (platform, tier, low_ppm, typical_ppm, high_ppm, source)
select platform, tier, typical / 4, typical, typical * 5,
       'HypeAuditor State of Influencer Marketing 2024; Influencer Marketing Hub Benchmark Report 2024 (rounded medians; low = typical / 4, high = typical × 5)'
  from (values
    ('instagram', 'emerging', 40000), ('instagram', 'nano', 24000), ('instagram', 'micro', 16000),
    ('instagram', 'mid', 12000), ('instagram', 'macro', 10000), ('instagram', 'mega', 9000),
    ('tiktok', 'emerging', 100000), ('tiktok', 'nano', 90000), ('tiktok', 'micro', 80000),
    ('tiktok', 'mid', 70000), ('tiktok', 'macro', 65000), ('tiktok', 'mega', 60000),
    ('youtube', 'emerging', 60000), ('youtube', 'nano', 50000), ('youtube', 'micro', 40000),
    ('youtube', 'mid', 35000), ('youtube', 'macro', 30000), ('youtube', 'mega', 25000),
    ('x', 'emerging', 8000), ('x', 'nano', 5000), ('x', 'micro', 3000),
    ('x', 'mid', 2000), ('x', 'macro', 1500), ('x', 'mega', 1000),
    ('twitch', 'emerging', 50000), ('twitch', 'nano', 40000), ('twitch', 'micro', 30000),
    ('twitch', 'mid', 25000), ('twitch', 'macro', 20000), ('twitch', 'mega', 15000),
    ('pinterest', 'emerging', 6000), ('pinterest', 'nano', 5000), ('pinterest', 'micro', 4000),
    ('pinterest', 'mid', 3000), ('pinterest', 'macro', 2500), ('pinterest', 'mega', 2000),
    ('linkedin', 'emerging', 40000), ('linkedin', 'nano', 30000), ('linkedin', 'micro', 25000),
    ('linkedin', 'mid', 20000), ('linkedin', 'macro', 15000), ('linkedin', 'mega', 12000)
  ) as b (platform, tier, typical);

-- The business profile. The columns after `media_kit_public` summarize the
-- profile's channels for discovery (kept by the application whenever a channel's
-- figures or assessment change): the tier, followers and engagement of the
-- largest channel, every platform, the follower-weighted authenticity score, and
-- the first signal to show in a result.
alter table influencer_profiles
    add column headline text not null default '',
    add column bio text not null default '',
    add column country text,
    add column city text not null default '',
    add column languages text[] not null default '{}',
    add column niches text[] not null default '{}',
    add column business_name text not null default '',
    add column website text,
    add column hours_per_week smallint,
    add column open_to_offers boolean not null default true,
    add column media_kit_public boolean not null default false,
    add column handle text,
    add column tier text,
    add column followers bigint not null default 0,
    add column engagement_ppm integer,
    add column platforms text[] not null default '{}',
    add column score smallint,
    add column verified boolean not null default false,
    add column first_signal text,
    add column search tsvector not null default ''::tsvector,
    add constraint influencer_profiles_headline_length check (char_length(headline) <= 140),
    add constraint influencer_profiles_bio_length check (char_length(bio) <= 5000),
    add constraint influencer_profiles_country_check check (country ~ '^[A-Z]{2}$'),
    add constraint influencer_profiles_city_length check (char_length(city) <= 100),
    add constraint influencer_profiles_business_name_length check (char_length(business_name) <= 120),
    add constraint influencer_profiles_website_check check (website ~ '^https?://' and char_length(website) <= 500),
    add constraint influencer_profiles_hours_check check (hours_per_week between 0 and 168),
    add constraint influencer_profiles_niches_lowercase check (niches = lower(niches::text)::text[]),
    add constraint influencer_profiles_handle_check check (handle ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
    add constraint influencer_profiles_handle_key unique (handle),
    add constraint influencer_profiles_tier_check check (tier in ('emerging', 'nano', 'micro', 'mid', 'macro', 'mega')),
    add constraint influencer_profiles_followers_check check (followers >= 0),
    add constraint influencer_profiles_score_check check (score between 0 and 100);

-- Discovery: full text, array filters, and one index per sort (each ends with
-- the id, which breaks ties and is the second half of the page cursor). Only
-- profiles with a channel (a tier) are listed.
create index influencer_profiles_search_idx on influencer_profiles using gin (search);
create index influencer_profiles_niches_idx on influencer_profiles using gin (niches);
create index influencer_profiles_platforms_idx on influencer_profiles using gin (platforms);
create index influencer_profiles_followers_idx on influencer_profiles (followers desc, id desc) where tier is not null;
create index influencer_profiles_score_idx on influencer_profiles (score desc, id desc) where tier is not null;
create index influencer_profiles_engagement_idx on influencer_profiles ((coalesce(engagement_ppm, -1)) desc, id desc) where tier is not null;

create table channels (
    id uuid primary key,
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    platform text not null,
    handle text not null,
    url text,
    -- The newest snapshot's figures, copied here so pages read one row.
    followers bigint not null,
    avg_views bigint not null,
    avg_likes bigint not null,
    avg_comments bigint not null,
    captured_on date not null,
    tier text not null,
    -- Null when there is nothing to divide by (no followers, or no views on a
    -- video platform).
    engagement_ppm integer,
    -- The authenticity assessment: 0-100 and the signals behind it, recomputed
    -- whenever the figures, their verification or the tier cut-offs change,
    -- and on `rescore_on` (a signal that depends on the date, such as figures
    -- growing old, changes then).
    score smallint not null,
    signals jsonb not null default '[]',
    rescore_on date,
    latest_verified boolean not null default false,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint channels_platform_check check (platform in ('instagram', 'tiktok', 'youtube', 'x', 'twitch', 'pinterest', 'linkedin', 'blog', 'podcast')),
    constraint channels_handle_check check (char_length(btrim(handle)) between 1 and 100),
    constraint channels_url_check check (url ~ '^https?://' and char_length(url) <= 500),
    constraint channels_figures_check check (
        followers between 0 and 10000000000 and avg_views between 0 and 100000000000
        and avg_likes between 0 and 10000000000 and avg_comments between 0 and 10000000000
    ),
    constraint channels_tier_check check (tier in ('emerging', 'nano', 'micro', 'mid', 'macro', 'mega')),
    constraint channels_score_check check (score between 0 and 100),
    constraint channels_handle_key unique (profile_id, platform, handle)
);

create index channels_profile_idx on channels (profile_id);
create index channels_rescore_idx on channels (rescore_on) where rescore_on is not null;

create trigger channels_set_updated_at before update on channels
    for each row execute function set_updated_at();

-- Figures are never overwritten: every update is a new dated snapshot.
create table channel_snapshots (
    id uuid primary key,
    channel_id uuid not null references channels (id) on delete cascade,
    captured_on date not null,
    followers bigint not null,
    avg_views bigint not null,
    avg_likes bigint not null,
    avg_comments bigint not null,
    -- The creator's explanation of what this snapshot shows (a giveaway, a
    -- viral post), shown beside any signal it raises.
    note text,
    created_at timestamptz not null default now(),
    constraint channel_snapshots_figures_check check (
        followers between 0 and 10000000000 and avg_views between 0 and 100000000000
        and avg_likes between 0 and 10000000000 and avg_comments between 0 and 10000000000
    ),
    constraint channel_snapshots_note_length check (char_length(note) between 1 and 500)
);

create index channel_snapshots_history_idx on channel_snapshots (channel_id, captured_on, created_at);

create function channel_snapshots_immutable() returns trigger
language plpgsql as $$
begin
    if (new.channel_id, new.captured_on, new.followers, new.avg_views, new.avg_likes, new.avg_comments, new.created_at)
       is distinct from
       (old.channel_id, old.captured_on, old.followers, old.avg_views, old.avg_likes, old.avg_comments, old.created_at) then
        raise exception 'snapshot figures are never changed; add a new snapshot';
    end if;
    return new;
end;
$$;

create trigger channel_snapshots_immutable before update on channel_snapshots
    for each row execute function channel_snapshots_immutable();

-- An agency admin vouches for one snapshot's figures.
create table channel_verifications (
    id uuid primary key,
    snapshot_id uuid not null references channel_snapshots (id) on delete cascade,
    verified_by uuid references users (id) on delete set null,
    note text not null default '',
    verified_at timestamptz not null default now(),
    constraint channel_verifications_note_length check (char_length(note) <= 1000),
    constraint channel_verifications_snapshot_key unique (snapshot_id)
);

create table rates (
    id uuid primary key,
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    platform text not null,
    format text not null,
    price_minor bigint not null,
    currency text not null,
    includes text not null default '',
    revision_rounds smallint not null default 1,
    usage_rights_days smallint not null default 0,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint rates_platform_check check (platform in ('instagram', 'tiktok', 'youtube', 'x', 'twitch', 'pinterest', 'linkedin', 'blog', 'podcast')),
    constraint rates_format_check check (format in ('post', 'story', 'short_video', 'long_video', 'live', 'blog', 'podcast')),
    constraint rates_price_check check (price_minor > 0 and price_minor <= 100000000000),
    constraint rates_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint rates_includes_length check (char_length(includes) <= 500),
    constraint rates_revision_rounds_check check (revision_rounds between 0 and 10),
    constraint rates_usage_rights_check check (usage_rights_days between 0 and 3650),
    constraint rates_offer_key unique (profile_id, platform, format)
);

-- The price-ceiling filter and sort look up a format's price per profile.
create index rates_format_price_idx on rates (format, currency, price_minor, profile_id);

create trigger rates_set_updated_at before update on rates
    for each row execute function set_updated_at();

-- A brand asks a creator to apply to one of its open campaigns.
create table campaign_invitations (
    id uuid primary key,
    campaign_id uuid not null references campaigns (id) on delete cascade,
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    invited_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    constraint campaign_invitations_once unique (campaign_id, profile_id)
);

create index campaign_invitations_profile_idx on campaign_invitations (profile_id, created_at desc);

alter table audit_events drop constraint audit_events_action_check;
alter table audit_events add constraint audit_events_action_check check (
    action in ('account.signed_up', 'account.logged_in', 'account.logged_out',
               'account.password_changed', 'account.admin_created',
               'brand.profile_updated', 'brand.member_added', 'brand.member_removed',
               'brand.member_invited', 'brand.invitation_revoked', 'brand.invitation_accepted',
               'brand.influencer_invited',
               'influencer.profile_updated', 'influencer.channel_added', 'influencer.snapshot_added',
               'admin.channel_verified', 'admin.tier_cutoffs_changed')
);
