-- The admin console lists the largest channels whose newest figures nobody has
-- verified yet: the audiences brands are most likely to pay for first.
create index channels_unverified_idx on channels (followers desc, id) where not latest_verified;
