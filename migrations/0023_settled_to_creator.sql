-- What of each settled share's fee went to the creator (before any
-- creator-side fee): all of it when released, none when refunded, the
-- agency's part when a dispute was split. Statements read it from the share
-- itself rather than piecing it together from disputes.

alter table escrow_shares add column to_creator_minor bigint;

-- The shares settled before this column: the trigger that keeps a settled
-- share as it is steps aside for this one backfill.
alter table escrow_shares disable trigger escrow_shares_settle_once;
update escrow_shares s
   set to_creator_minor = case s.settled
                              when 'released' then s.fee_minor
                              when 'refunded' then 0
                              else (select x.creator_minor from disputes x
                                     where x.deliverable_id = s.deliverable_id)
                          end
 where s.settled is not null;
alter table escrow_shares enable trigger escrow_shares_settle_once;

alter table escrow_shares
    add constraint escrow_shares_to_creator_check check (
        (settled is null) = (to_creator_minor is null)
        and to_creator_minor between 0 and fee_minor
        and (settled <> 'released' or to_creator_minor = fee_minor)
        and (settled <> 'refunded' or to_creator_minor = 0)
    );
