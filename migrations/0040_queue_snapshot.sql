-- The console's queues, snapshotted: counting them from their sources took
-- 0.66 s a view at the bench's scale (500,000 applications, 234,000
-- channels), so the console reads a snapshot taken every minute by one
-- instance at a time, and on a member of staff's request.

create materialized view agency_queue_snapshot as select * from agency_queue;

create unique index agency_queue_snapshot_key on agency_queue_snapshot (queue, id);
-- A queue's page: its most urgent rows first.
create index agency_queue_snapshot_urgency_idx on agency_queue_snapshot (queue, urgency, id);
-- A manager's portfolio.
create index agency_queue_snapshot_brand_idx on agency_queue_snapshot (brand_id) where brand_id is not null;
create index agency_queue_snapshot_profile_idx on agency_queue_snapshot (profile_id) where profile_id is not null;

alter table report_snapshots drop constraint report_snapshots_name_check;
alter table report_snapshots add constraint report_snapshots_name_check
    check (name in ('agency_results', 'agency_queue'));
insert into report_snapshots (name, refreshed_at) values ('agency_queue', now());

-- The staff list (and the choice of manager on every account page) without
-- reading every account.
create index users_staff_idx on users (role, display_name, id) where role in ('admin', 'manager');

-- Taken with the queues, in the same refresh: how many rows each queue holds
-- and how many accounts of each kind there are, so the console's figures
-- are eight and four rows to read, not 190,000 and 100,000 to count.
create materialized view agency_queue_totals as
    select queue, count(*) as n from agency_queue_snapshot group by queue;
create unique index agency_queue_totals_key on agency_queue_totals (queue);

create materialized view agency_account_totals as
    select role, count(*) as n from users group by role;
create unique index agency_account_totals_key on agency_account_totals (role);
