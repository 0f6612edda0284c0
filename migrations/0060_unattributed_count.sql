-- The orders page counts a brand's unattributed orders up to 1,001 on every
-- view. Through `conversions_unattributed_idx` (which holds every order
-- without a creator, whatever its status) that meant fetching each of the
-- 1,001 rows from the table to check its status: 1,014 blocks and 0.6 ms
-- for a shop that sends every order, and the page fell to 0.07 of the
-- anchor as the bench's shop grew past 80,000 unattributed orders. Counted
-- from this index, they are read from a few of its pages alone.
create index conversions_unattributed_completed_idx
    on conversions (brand_id)
    where application_id is null and status = 'completed';
