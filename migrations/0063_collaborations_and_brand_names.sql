-- Two lookups that read far more than they keep.
--
-- A brand's results (`/results`, `/campaigns/{id}/results`) start from its
-- collaborations: its campaigns' applications that were accepted, or ended
-- after acceptance. The index on (campaign_id, status) served them only as
-- a filter under the statement's generic plan, reading every application of
-- each campaign (5,458 for the bench's Northwind, 0.6-1.0 ms) to keep 39.
-- This one holds the collaborations alone.
create index applications_collaborations_idx
    on applications (campaign_id) include (id)
    where status in ('accepted', 'cancelled');

-- The agency's finance page lists every brand by name for recording money
-- received: 1,004 brands in the bench, sorted on each view by `lower(name)`
-- (1.0 ms). Read in that order from this index instead (0.3 ms).
create index brands_name_order_idx on brands (lower(name), id) include (name);
