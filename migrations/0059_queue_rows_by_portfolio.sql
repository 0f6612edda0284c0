-- A manager's queue found by their portfolio and the queue together.
--
-- A manager's rows of one queue are those of their brands or their creators,
-- up to the page's 200. With an index on the brand and one on the creator
-- alone, PostgreSQL combined them with the queue's key, which reads every
-- row of that queue (6,937 overdue deliverables at the bench's sizes), or,
-- under a generic plan, walked the queue in order of urgency filtering each
-- row: 4,300 blocks and 4.7 ms a view. With the queue in these indexes, the
-- portfolio's rows of that queue are the only ones read (76 rows, 0.5 ms).
drop index agency_queue_rows_brand_idx;
create index agency_queue_rows_brand_idx
    on agency_queue_rows (brand_id, queue) where brand_id is not null;
drop index agency_queue_rows_profile_idx;
create index agency_queue_rows_profile_idx
    on agency_queue_rows (profile_id, queue) where profile_id is not null;
