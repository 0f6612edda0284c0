-- Campaigns: a brand's goals, expectations and who the campaign is for.
-- Briefs (versioned) hang off campaigns in a later migration.

create table campaigns (
    id uuid primary key,
    brand_id uuid not null references brands (id) on delete cascade,
    created_by uuid references users (id) on delete set null,
    title text not null,
    -- Goals
    business_goal text not null,
    objective text not null,
    -- Expectations
    budget_minor bigint not null,
    currency text not null,
    compensation text not null,
    commission_basis_points integer,
    creators_wanted integer not null,
    application_deadline date not null,
    starts_on date not null,
    ends_on date not null,
    -- Who it is for
    eligible_tiers text[] not null,
    platforms text[] not null,
    niches text[] not null default '{}',
    countries text[] not null default '{}',
    target_audience text not null default '',
    -- Lifecycle
    status text not null default 'draft',
    published_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint campaigns_title_length check (char_length(btrim(title)) between 3 and 140),
    constraint campaigns_business_goal_length check (char_length(btrim(business_goal)) between 1 and 3000),
    constraint campaigns_objective_check check (objective in ('awareness', 'consideration', 'conversion', 'loyalty')),
    constraint campaigns_budget_positive check (budget_minor > 0),
    constraint campaigns_currency_check check (currency in ('USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'SEK', 'NOK', 'DKK', 'JPY')),
    constraint campaigns_compensation_check check (
        compensation in ('flat_fee', 'per_deliverable', 'affiliate', 'product_gifting', 'hybrid')
    ),
    -- Affiliate pay is a commission; hybrid may include one; the rest have none.
    constraint campaigns_commission_check check (
        (compensation = 'affiliate' and commission_basis_points is not null)
        or (compensation = 'hybrid')
        or (compensation not in ('affiliate', 'hybrid') and commission_basis_points is null)
    ),
    constraint campaigns_commission_range check (commission_basis_points between 1 and 10000),
    constraint campaigns_creators_wanted_range check (creators_wanted between 1 and 1000),
    constraint campaigns_dates_order check (starts_on <= ends_on and application_deadline <= starts_on),
    constraint campaigns_tiers_check check (
        cardinality(eligible_tiers) >= 1 and eligible_tiers <@ array['nano', 'micro', 'mid', 'macro', 'mega']
    ),
    constraint campaigns_platforms_check check (
        cardinality(platforms) >= 1
        and platforms <@ array['instagram', 'tiktok', 'youtube', 'x', 'twitch', 'pinterest', 'linkedin', 'blog', 'podcast']
    ),
    constraint campaigns_niches_count check (cardinality(niches) <= 10),
    constraint campaigns_countries_count check (cardinality(countries) <= 30),
    constraint campaigns_target_audience_length check (char_length(target_audience) <= 2000),
    constraint campaigns_status_check check (status in ('draft', 'open', 'closed', 'completed', 'archived'))
);

create trigger campaigns_set_updated_at before update on campaigns
    for each row execute function set_updated_at();

-- A brand's own list, newest first.
create index campaigns_brand_id_created_at_idx on campaigns (brand_id, created_at desc);

-- What the brand will measure. The target's unit depends on the metric: a count,
-- hundredths of a percent, or minor units of the campaign's currency.
create table campaign_kpis (
    campaign_id uuid not null references campaigns (id) on delete cascade,
    position smallint not null,
    metric text not null,
    target bigint not null,
    primary key (campaign_id, position),
    constraint campaign_kpis_metric_check check (
        metric in ('reach', 'impressions', 'video_views', 'engagements', 'engagement_rate', 'clicks',
                   'click_through_rate', 'conversions', 'conversion_rate', 'sales', 'cost_per_acquisition',
                   'new_followers')
    ),
    constraint campaign_kpis_target_positive check (target > 0),
    constraint campaign_kpis_position_range check (position between 0 and 9)
);
