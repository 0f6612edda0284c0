-- Rate limits shared by every instance: one row per bucket (a limit and who
-- it counts: an account, a network address, a brand's API token), holding
-- the generic cell rate algorithm's "theoretical arrival time". A request is
-- let through when moving it one step later still leaves it within the
-- limit's window of now; a bucket whose time has passed is empty and may be
-- deleted. Unlogged: after a crash the counts start again from zero, which
-- only forgives, and they need no replication to a standby.
create unlogged table rate_limits (
    bucket text primary key,
    tat timestamptz not null,
    constraint rate_limits_bucket_length check (char_length(bucket) between 1 and 200)
);

-- Maintenance deletes the empty buckets.
create index rate_limits_tat_idx on rate_limits (tat);
