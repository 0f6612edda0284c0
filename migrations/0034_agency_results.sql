-- The agency's report across every brand reads one narrow row per
-- collaboration from this snapshot instead of joining every application, every
-- post's figures and every release in the ledger on each view (0.8 s at 54,072
-- collaborations). It is refreshed in the background every ten minutes and
-- when an admin asks; the page says how old it is.
create materialized view agency_results as
with posts as (
    select x.application_id, sum(x.impressions)::int8 as impressions,
           sum(x.engagements)::int8 as engagements,
           sum(x.interactions)::int8 as interactions,
           sum(x.engagement_base)::int8 as engagement_base
      from deliverable_results x
     group by x.application_id
),
released as (
    select e.account_id, -sum(e.amount_minor)::int8 as released
      from ledger_entries e
      join ledger_transfers t on t.id = e.transfer_id
     where t.kind = 'release'
     group by e.account_id
)
select a.id as application_id, c.brand_id, a.creator_tier as tier, c.currency,
       coalesce(r.clicks, 0) as clicks, coalesce(r.unique_clicks, 0) as unique_clicks,
       coalesce(r.conversions, 0) as conversions, coalesce(r.revenue_minor, 0) as revenue_minor,
       coalesce(f.impressions, 0) as impressions, coalesce(f.engagements, 0) as engagements,
       coalesce(f.interactions, 0) as interactions,
       coalesce(f.engagement_base, 0) as engagement_base,
       (coalesce(acct.balance_minor, 0) + coalesce(rel.released, 0))::int8 as spend_minor
  from applications a
  join campaigns c on c.id = a.campaign_id
  left join collaboration_results r on r.application_id = a.id
  left join posts f on f.application_id = a.id
  left join ledger_accounts acct
         on acct.kind = 'escrow' and acct.owner_key = a.id and acct.currency = c.currency
  left join released rel on rel.account_id = acct.id
 where a.status in ('accepted', 'cancelled');

-- A concurrent refresh (reads go on meanwhile) needs a unique index.
create unique index agency_results_key on agency_results (application_id);
create index agency_results_currency_idx on agency_results (currency, brand_id);

-- When each snapshot was last taken, in the refresh's own transaction.
create table report_snapshots (
    name text primary key check (name in ('agency_results')),
    refreshed_at timestamptz not null
);

insert into report_snapshots (name, refreshed_at) values ('agency_results', now());
