-- Each collaboration's totals, kept with the daily roll-up in the same
-- statements, so a report over every brand's collaborations reads one row per
-- collaboration instead of summing its days.

create table collaboration_results (
    application_id uuid primary key references applications (id) on delete cascade,
    brand_id uuid not null references brands (id) on delete cascade,
    campaign_id uuid not null references campaigns (id) on delete cascade,
    clicks bigint not null default 0,
    unique_clicks bigint not null default 0,
    bot_clicks bigint not null default 0,
    conversions bigint not null default 0,
    revenue_minor bigint not null default 0,
    constraint collaboration_results_counts_check check (
        clicks >= 0 and bot_clicks >= 0 and unique_clicks between 0 and clicks
        and conversions >= 0 and revenue_minor >= 0
    )
);

create index collaboration_results_brand_idx on collaboration_results (brand_id);

insert into collaboration_results (application_id, brand_id, campaign_id, clicks, unique_clicks,
                                   bot_clicks, conversions, revenue_minor)
select application_id, (array_agg(brand_id))[1], (array_agg(campaign_id))[1], sum(clicks),
       sum(unique_clicks), sum(bot_clicks), sum(conversions), sum(revenue_minor)
  from results_daily
 group by application_id;
