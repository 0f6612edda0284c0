-- The audit trail becomes one list of actions kept in a table, events about
-- an object and done for a brand, and a tamper-evident chain.
--
-- Actions: every migration so far restated the whole list in a CHECK; from
-- here on a migration that adds an action inserts one row.
--
-- The chain: an event is written without its place in the chain, so that
-- recording it never waits on another transaction's event. A sealer (one at a
-- time, under an advisory lock) then gives committed events the next numbers
-- in the order it finds them, and stores with each the hash of the one before
-- and its own (SHA-256 over the previous hash and the event's content, see
-- src/audit/chain.rs). `liaison audit verify` walks the chain and names the
-- first event that no longer matches. A trigger keeps the table append-only:
-- no delete, no truncate, and an update only seals an unsealed event.

create table audit_actions (
    action text primary key,
    -- How the console words it.
    description text not null,
    constraint audit_actions_action_format check (action ~ '^[a-z_]+\.[a-z_]+$'),
    constraint audit_actions_description_length check (char_length(description) between 1 and 120)
);

insert into audit_actions (action, description) values
    ('account.signed_up', 'Signed up'),
    ('account.logged_in', 'Logged in'),
    ('account.logged_out', 'Logged out'),
    ('account.password_changed', 'Changed password'),
    ('account.admin_created', 'Admin account created'),
    ('brand.profile_updated', 'Updated the brand profile'),
    ('brand.member_added', 'Added a team member'),
    ('brand.member_removed', 'Removed a team member'),
    ('brand.member_invited', 'Invited a team member'),
    ('brand.invitation_revoked', 'Revoked an invitation'),
    ('brand.invitation_accepted', 'Joined a brand by invitation'),
    ('brand.influencer_invited', 'Invited a creator to a campaign'),
    ('influencer.profile_updated', 'Updated their creator profile'),
    ('influencer.channel_added', 'Added a channel'),
    ('influencer.snapshot_added', 'Updated a channel''s figures'),
    ('admin.channel_verified', 'Verified a channel''s figures'),
    ('admin.tier_cutoffs_changed', 'Changed the tier cut-offs'),
    ('application.submitted', 'Applied to a campaign'),
    ('application.withdrawn', 'Withdrew an application'),
    ('application.shortlisted', 'Shortlisted an application'),
    ('application.accepted', 'Accepted an application'),
    ('application.declined', 'Declined an application'),
    ('application.brief_acknowledged', 'Confirmed a new brief version'),
    ('deliverable.submitted', 'Submitted a draft'),
    ('deliverable.reviewed', 'Reviewed a draft'),
    ('deliverable.published', 'Published a deliverable'),
    ('application.rated', 'Rated a collaboration'),
    ('admin.funds_recorded', 'Recorded money received for a brand'),
    ('admin.terms_changed', 'Changed the agency''s fees and terms'),
    ('collaboration.cancelled', 'Ended a collaboration'),
    ('dispute.opened', 'Opened a dispute'),
    ('admin.dispute_resolved', 'Settled a dispute'),
    ('influencer.payout_details_updated', 'Updated payout details'),
    ('admin.payout_batch_prepared', 'Prepared a payout batch'),
    ('admin.payout_batch_sent', 'Marked a payout batch sent'),
    ('admin.payout_batch_discarded', 'Discarded a payout batch'),
    ('deliverable.auto_approved', 'A draft was approved automatically'),
    ('collaboration.promo_code_set', 'Set a collaboration''s promo code'),
    ('collaboration.promo_code_removed', 'Removed a collaboration''s promo code'),
    ('brand.api_token_created', 'Created an API token'),
    ('brand.api_token_revoked', 'Revoked an API token'),
    ('brand.conversions_imported', 'Imported orders from a CSV file'),
    ('deliverable.figures_recorded', 'Recorded a post''s figures'),
    ('deliverable.figures_checked', 'Checked a post''s figures'),
    -- New with this migration: every movement of money, recorded by the
    -- ledger's own statement.
    ('ledger.transfer_posted', 'Moved money');

alter table audit_events drop constraint audit_events_action_check;
alter table audit_events
    add constraint audit_events_action_fkey foreign key (action) references audit_actions (action);

-- An audit event outlives its actor's account: accounts are suspended, never
-- deleted, and clearing the actor would change a sealed event.
alter table audit_events drop constraint audit_events_actor_user_id_fkey;
alter table audit_events
    add constraint audit_events_actor_user_id_fkey foreign key (actor_user_id) references users (id);

alter table audit_events
    -- What the event is about (an application, a deliverable, an account...),
    -- for finding every event about one thing.
    add column object_id uuid,
    -- Set when agency staff acted for a brand: the brand they acted for.
    add column for_brand_id uuid references brands (id),
    add column seq bigint,
    add column prev_hash bytea,
    add column hash bytea,
    add constraint audit_events_seq_key unique (seq),
    add constraint audit_events_sealed_whole check (
        (seq is null and prev_hash is null and hash is null)
        or (seq >= 1 and octet_length(prev_hash) = 32 and octet_length(hash) = 32)
    );

create index audit_events_unsealed_idx on audit_events (occurred_at, id) where seq is null;
create index audit_events_actor_idx on audit_events (actor_user_id, occurred_at desc);
create index audit_events_object_idx on audit_events (object_id, occurred_at desc) where object_id is not null;
create index audit_events_for_brand_idx on audit_events (for_brand_id, occurred_at desc)
    where for_brand_id is not null;
create index audit_events_action_idx on audit_events (action, occurred_at desc);

create function audit_events_append_only() returns trigger
language plpgsql as $$
begin
    if tg_op <> 'UPDATE' then
        raise exception 'audit events are never removed' using errcode = 'restrict_violation';
    end if;
    if old.seq is not null
       or new.seq is null
       or (new.id, new.actor_user_id, new.for_brand_id, new.action, new.object_id, new.detail,
           new.ip, new.occurred_at)
          is distinct from
          (old.id, old.actor_user_id, old.for_brand_id, old.action, old.object_id, old.detail,
           old.ip, old.occurred_at) then
        raise exception 'an audit event is never changed, only sealed once'
            using errcode = 'restrict_violation';
    end if;
    return new;
end;
$$;

create trigger audit_events_append_only before update or delete on audit_events
    for each row execute function audit_events_append_only();
create trigger audit_events_no_truncate before truncate on audit_events
    for each statement execute function audit_events_append_only();
