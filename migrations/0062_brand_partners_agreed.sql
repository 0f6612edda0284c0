-- A brand's partners are the creators it reached agreement with: of the
-- bench's Northwind's 5,516 deals, 39. `/partners` found them through the
-- index of every deal of the brand and dropped the rest after reading them
-- (156 blocks, 1.5 ms a view); this index holds the agreed deals alone, in
-- the creator order the page groups by.
create index desk_deals_brand_agreed_idx
    on desk_deals (brand_id, profile_id)
    where agreed_at is not null;
