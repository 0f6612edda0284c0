-- Ending a collaboration early, and disputes over a deliverable's money.
--
-- A collaboration is cancelled by its brand (before any of the work is
-- approved) or by its creator withdrawing after acceptance; either way the
-- reason is kept, the open deliverables are cancelled, and every part of the
-- escrow not yet settled returns to the brand. A dispute on a deliverable
-- freezes its part of the escrow until an agency admin settles it: all to the
-- creator, all back to the brand, or split by amounts.

alter table applications drop constraint applications_status_check;
alter table applications add constraint applications_status_check check (
    status in ('submitted', 'shortlisted', 'accepted', 'declined', 'withdrawn', 'cancelled')
);

-- A cancelled collaboration keeps the fee it was agreed at: its invoice and
-- its history still name it.
alter table applications drop constraint applications_accepted_has_fee;
alter table applications add constraint applications_agreed_has_fee check (
    (status in ('accepted', 'cancelled')) = (agreed_fee_minor is not null)
);

alter table applications
    add column cancelled_by_side text,
    add column cancelled_at timestamptz,
    add constraint applications_cancelled_side_check check (cancelled_by_side in ('brand', 'creator')),
    add constraint applications_cancelled_check check (
        (status = 'cancelled') = (cancelled_by_side is not null)
        and (cancelled_by_side is null) = (cancelled_at is null)
        and (status <> 'cancelled'
             or char_length(btrim(coalesce(decision_reason, ''))) between 1 and 2000)
    );

alter table deliverables drop constraint deliverables_status_check;
alter table deliverables add constraint deliverables_status_check check (
    status in ('todo', 'submitted', 'changes_requested', 'approved', 'published', 'cancelled')
);

-- Open work leaves out cancelled deliverables as it leaves out finished ones.
drop index deliverables_due_idx;
drop index deliverables_brand_open_idx;
drop index deliverables_profile_open_idx;
create index deliverables_due_idx on deliverables (due_on)
    where status not in ('approved', 'published', 'cancelled');
create index deliverables_brand_open_idx on deliverables (brand_id, due_on)
    where status not in ('approved', 'published', 'cancelled');
create index deliverables_profile_open_idx on deliverables (profile_id, due_on)
    where status not in ('approved', 'published', 'cancelled');

alter table ledger_transfers drop constraint ledger_transfers_kind_check;
alter table ledger_transfers add constraint ledger_transfers_kind_check check (
    kind in ('funding', 'hold', 'release', 'refund', 'split', 'payout', 'correction')
);

alter table escrow_shares drop constraint escrow_shares_settled_check;
alter table escrow_shares add constraint escrow_shares_settled_check check (
    settled in ('released', 'refunded', 'split')
);

create table disputes (
    id uuid primary key,
    -- One dispute per deliverable: once settled, its money has nowhere left
    -- to go.
    deliverable_id uuid not null unique references escrow_shares (deliverable_id),
    application_id uuid not null references escrow_holds (application_id),
    opened_by uuid not null references users (id),
    opened_by_side text not null,
    reason text not null,
    opened_at timestamptz not null default now(),
    resolution text,
    -- Of the deliverable's fee: what the creator is paid (before any
    -- creator-side fee) and what returns to the brand. They add up to the fee.
    creator_minor bigint,
    brand_minor bigint,
    note text,
    resolved_by uuid references users (id),
    resolved_at timestamptz,
    transfer_id uuid references ledger_transfers (id),
    constraint disputes_side_check check (opened_by_side in ('brand', 'creator')),
    constraint disputes_reason_check check (char_length(btrim(reason)) between 1 and 2000),
    constraint disputes_resolution_check check (resolution in ('release', 'refund', 'split')),
    constraint disputes_resolved_together check (
        (resolution is null) = (resolved_at is null)
        and (resolution is null) = (resolved_by is null)
        and (resolution is null) = (transfer_id is null)
        and (resolution is null) = (note is null)
        and (resolution is null) = (creator_minor is null)
        and (resolution is null) = (brand_minor is null)
    ),
    constraint disputes_note_check check (char_length(btrim(note)) between 1 and 2000),
    constraint disputes_amounts_check check (creator_minor >= 0 and brand_minor >= 0)
);

create index disputes_open_idx on disputes (opened_at) where resolved_at is null;
create index disputes_application_idx on disputes (application_id);

-- A dispute is settled once, and what was said never changes.
create function disputes_settle_once() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'disputes are never removed';
    end if;
    if old.resolved_at is not null then
        raise exception 'this dispute was already settled';
    end if;
    if (new.id, new.deliverable_id, new.application_id, new.opened_by, new.opened_by_side,
        new.reason, new.opened_at)
       is distinct from
       (old.id, old.deliverable_id, old.application_id, old.opened_by, old.opened_by_side,
        old.reason, old.opened_at) then
        raise exception 'a dispute''s opening never changes';
    end if;
    return new;
end;
$$;

create trigger disputes_settle_once before update or delete on disputes
    for each row execute function disputes_settle_once();

alter table notifications drop constraint notifications_kind_check;
alter table notifications add constraint notifications_kind_check check (
    kind in ('application_received', 'application_withdrawn', 'application_decided',
             'brief_updated', 'submission_received', 'feedback_received',
             'deliverable_published', 'rating_received', 'message_received',
             'deadline_soon', 'review_overdue', 'auto_approved',
             'collaboration_cancelled', 'dispute_opened', 'dispute_resolved')
);

alter table audit_events drop constraint audit_events_action_check;
alter table audit_events add constraint audit_events_action_check check (
    action in ('account.signed_up', 'account.logged_in', 'account.logged_out',
               'account.password_changed', 'account.admin_created',
               'brand.profile_updated', 'brand.member_added', 'brand.member_removed',
               'brand.member_invited', 'brand.invitation_revoked', 'brand.invitation_accepted',
               'brand.influencer_invited',
               'influencer.profile_updated', 'influencer.channel_added', 'influencer.snapshot_added',
               'admin.channel_verified', 'admin.tier_cutoffs_changed',
               'application.submitted', 'application.withdrawn', 'application.shortlisted',
               'application.accepted', 'application.declined', 'application.brief_acknowledged',
               'deliverable.submitted', 'deliverable.reviewed', 'deliverable.published',
               'application.rated',
               'admin.funds_recorded', 'admin.terms_changed',
               'collaboration.cancelled', 'dispute.opened', 'admin.dispute_resolved')
);
