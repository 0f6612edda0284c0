-- The campaign board: open campaigns, filtered and sorted for influencers.

-- Niches are compared case-insensitively; store them lower-cased.
update campaigns set niches = array(select lower(n) from unnest(niches) as n)
 where niches::text <> lower(niches::text);
alter table campaigns add constraint campaigns_niches_lower check (niches::text = lower(niches::text));

-- Sort by deadline (soonest first) or newest, within open campaigns only.
create index campaigns_open_deadline_idx on campaigns (application_deadline, id) where status = 'open';
create index campaigns_open_published_idx on campaigns (published_at desc, id desc) where status = 'open';
-- Filters on array columns.
create index campaigns_platforms_idx on campaigns using gin (platforms);
create index campaigns_niches_idx on campaigns using gin (niches);
