-- The channel figures waiting for verification leave the console's queue
-- snapshot and are listed from their own index as they stand.
--
-- They were 140,409 of the snapshot's 184,200 rows at the bench's scale.
-- Taking the snapshot again every minute computed all of them and compared
-- each with its previous copy: 2.5 s on an idle server and 5.5 s under load,
-- once a minute, sharing two cores with every page. They need no snapshot:
-- the queue's page is the largest audiences first, which
-- `channels_unverified_idx` (followers descending, id) already holds, so its
-- first 200 rows cost what 200 rows cost however many wait.
--
-- Expand only: the release before this one keeps reading and refreshing
-- `agency_queue_snapshot` and `agency_queue_totals`, and they stay until a
-- contract migration drops them. This release reads two new snapshots of the
-- same view.

-- Every queue but the figures to verify. The filter folds the view's branch
-- for them away before it runs.
create materialized view agency_queue_rows as
    select * from agency_queue where queue <> 'figures-to-verify';

create unique index agency_queue_rows_key on agency_queue_rows (queue, id);
-- A queue's page: its most urgent rows first.
create index agency_queue_rows_urgency_idx on agency_queue_rows (queue, urgency, id);
-- A manager's portfolio.
create index agency_queue_rows_brand_idx on agency_queue_rows (brand_id) where brand_id is not null;
create index agency_queue_rows_profile_idx on agency_queue_rows (profile_id) where profile_id is not null;

-- Each queue's count for the console, taken with the rows: the figures to
-- verify are counted from their index (28 ms at 140,000, too much for every
-- view of the console, nothing once a minute).
create materialized view agency_queue_counts as
    select queue, count(*) as n from agency_queue_rows group by queue
    union all
    select 'figures-to-verify', count(*) from channels where not latest_verified;
create unique index agency_queue_counts_key on agency_queue_counts (queue);
