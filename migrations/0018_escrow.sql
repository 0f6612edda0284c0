-- Escrow: the agreed fee and the agency's brand-side fee are held from the
-- brand's funds when it accepts a creator, and shared across the
-- collaboration's deliverables. Each share is settled once, released to the
-- creator or refunded to the brand, by a ledger transfer; the money itself
-- lives in the ledger, these rows say whose part of it is whose.

create table escrow_holds (
    application_id uuid primary key references applications (id),
    brand_id uuid not null references brands (id),
    profile_id uuid not null references influencer_profiles (id),
    currency text not null,
    fee_minor bigint not null,
    brand_fee_minor bigint not null,
    -- The creator-side fee in force at acceptance: later changes to the
    -- agency's terms do not touch a collaboration already agreed.
    creator_fee_basis_points integer not null,
    hold_transfer_id uuid not null references ledger_transfers (id),
    created_at timestamptz not null default now(),
    constraint escrow_holds_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint escrow_holds_fee_check check (fee_minor > 0),
    constraint escrow_holds_brand_fee_check check (brand_fee_minor >= 0),
    constraint escrow_holds_creator_fee_check check (creator_fee_basis_points between 0 and 5000)
);

create table escrow_shares (
    deliverable_id uuid primary key references deliverables (id),
    application_id uuid not null references escrow_holds (application_id),
    fee_minor bigint not null,
    brand_fee_minor bigint not null,
    settled text,
    settled_transfer_id uuid references ledger_transfers (id),
    settled_at timestamptz,
    constraint escrow_shares_fee_check check (fee_minor >= 0 and brand_fee_minor >= 0),
    constraint escrow_shares_settled_check check (settled in ('released', 'refunded')),
    constraint escrow_shares_settled_together check (
        (settled is null) = (settled_transfer_id is null)
        and (settled is null) = (settled_at is null)
    )
);

create index escrow_shares_application_idx on escrow_shares (application_id);

-- A share is settled once and stays settled.
create function escrow_shares_settle_once() returns trigger
language plpgsql as $$
begin
    if old.settled is not null then
        raise exception 'this part of the escrow was already %', old.settled;
    end if;
    if (new.deliverable_id, new.application_id, new.fee_minor, new.brand_fee_minor)
       is distinct from (old.deliverable_id, old.application_id, old.fee_minor, old.brand_fee_minor) then
        raise exception 'an escrow share''s amounts never change';
    end if;
    return new;
end;
$$;

create trigger escrow_shares_settle_once before update on escrow_shares
    for each row execute function escrow_shares_settle_once();

create trigger escrow_holds_append_only before update or delete on escrow_holds
    for each row execute function ledger_refuse_change();

-- The shares of a hold add up to it, checked at commit.
create function escrow_shares_add_up() returns trigger
language plpgsql as $$
begin
    if exists (
        select 1
          from escrow_holds h
          cross join lateral (
                select coalesce(sum(s.fee_minor), 0) as fee, coalesce(sum(s.brand_fee_minor), 0) as brand_fee
                  from escrow_shares s where s.application_id = h.application_id) t
         where h.application_id = new.application_id
           and (h.fee_minor <> t.fee or h.brand_fee_minor <> t.brand_fee)
    ) then
        raise exception 'the escrow shares of % do not add up to its hold', new.application_id;
    end if;
    return null;
end;
$$;

create constraint trigger escrow_shares_add_up after insert on escrow_shares
    deferrable initially deferred
    for each row execute function escrow_shares_add_up();

-- A draft the brand left unreviewed past its promise and the agency's grace is
-- approved automatically, and both sides are told.
alter table notifications drop constraint notifications_kind_check;
alter table notifications add constraint notifications_kind_check check (
    kind in ('application_received', 'application_withdrawn', 'application_decided',
             'brief_updated', 'submission_received', 'feedback_received',
             'deliverable_published', 'rating_received', 'message_received',
             'deadline_soon', 'review_overdue', 'auto_approved')
);
