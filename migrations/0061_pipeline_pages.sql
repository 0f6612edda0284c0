-- The pipeline a page at a time, newest first.
--
-- `/business/deals` listed the 200 newest deals of a stage and no more: the
-- bench's busiest creator has 243 paid, the oldest out of reach, and each
-- view joined 200 campaigns (2,146 blocks, 1.4 ms). It now lists 50 a page,
-- continuing after the last deal shown. This index holds a creator's deals
-- in that order, so a page, and the desk's 25 open deals, stop after their
-- rows instead of sorting every deal the creator ever applied for (1,019).
create index desk_deals_newest_idx
    on desk_deals (profile_id, applied_at desc, application_id desc);
