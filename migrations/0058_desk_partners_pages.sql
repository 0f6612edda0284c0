-- The creator's partners a page at a time, and the ten they logged most
-- hours for.
--
-- `/business/partners` listed every brand a creator reached agreement with:
-- 583 rows and 185 kB for the bench's busiest creator, 656 requests a second.
-- It now shows 50 a page, most earned first. A page continues after the last
-- row shown, by what was earned, then brand and currency (the kept row's key),
-- which this index holds in that order; it replaces the one on what was
-- earned alone, which the desk's five best partners read the same way.
create index desk_partners_page_idx
    on desk_partners (profile_id, earned_minor desc, brand_id desc, currency desc)
    where deals > 0;
drop index desk_partners_earned_idx;

-- The time page's hourly rates by brand listed every brand with hours (583
-- rows for the bench's busiest creator); it now lists the ten with the most
-- hours logged, and the partners page has every brand's hours.
create index desk_partners_worked_idx
    on desk_partners (profile_id, worked_minutes desc, brand_id, currency)
    where worked > 0;
