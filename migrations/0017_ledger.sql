-- The money ledger: double entry and append-only.
--
-- Every movement of money is one transfer whose entries sum to zero per
-- currency. Each entry changes one account's balance: a positive amount adds to
-- it, a negative one takes from it. Accounts that hold money for someone (a
-- brand's funds, a collaboration's escrow, a creator's payable balance) never
-- go below zero; the outside world's accounts (cash received from brands, cash
-- paid out to creators) are the other side of those and carry the opposite
-- sign. Nothing posted is ever changed or deleted: a correction is another
-- transfer. The balance on each account is a cache of the sum of its entries,
-- kept in the same transaction with a version that counts them, and
-- `liaison ledger verify` recomputes it.

create table ledger_accounts (
    id uuid primary key,
    kind text not null,
    brand_id uuid references brands (id),
    application_id uuid references applications (id),
    profile_id uuid references influencer_profiles (id),
    currency text not null,
    balance_minor bigint not null default 0,
    version bigint not null default 0,
    created_at timestamptz not null default now(),
    constraint ledger_accounts_kind_check check (
        kind in ('brand_funds', 'escrow', 'creator_payable', 'agency_revenue',
                 'cash_received', 'cash_paid_out')
    ),
    constraint ledger_accounts_currency_check check (currency ~ '^[A-Z]{3}$'),
    -- Each kind has exactly the owner it names, and the agency's and the
    -- outside world's accounts have none.
    constraint ledger_accounts_owner_check check (
        case kind
            when 'brand_funds' then brand_id is not null and application_id is null and profile_id is null
            when 'escrow' then application_id is not null and brand_id is null and profile_id is null
            when 'creator_payable' then profile_id is not null and brand_id is null and application_id is null
            else brand_id is null and application_id is null and profile_id is null
        end
    ),
    -- Money held for someone never goes below zero: the database refuses it
    -- even if the code that posts forgot to check.
    constraint ledger_accounts_not_negative check (
        kind in ('cash_received', 'cash_paid_out') or balance_minor >= 0
    ),
    constraint ledger_accounts_version_check check (version >= 0),
    -- For the entries' (account, currency) reference.
    constraint ledger_accounts_id_currency_key unique (id, currency)
);

create unique index ledger_accounts_owner_key on ledger_accounts
    (kind, brand_id, application_id, profile_id, currency) nulls not distinct;

create table ledger_transfers (
    id uuid primary key,
    kind text not null,
    -- The same request sent again (a double click, a retried call) carries the
    -- same key and gets the first result; `request_digest` tells a true retry
    -- from a different request that reused the key.
    idempotency_key text not null,
    request_digest bytea not null,
    -- When the money moved in the world (a bank transfer's value date), apart
    -- from when it was recorded here.
    effective_at timestamptz not null,
    recorded_at timestamptz not null default now(),
    memo text not null default '',
    created_by uuid references users (id),
    constraint ledger_transfers_kind_check check (
        kind in ('funding', 'hold', 'release', 'refund', 'payout', 'correction')
    ),
    constraint ledger_transfers_key_check check (char_length(idempotency_key) between 8 and 200),
    constraint ledger_transfers_digest_check check (octet_length(request_digest) = 32),
    constraint ledger_transfers_memo_check check (char_length(memo) <= 500),
    constraint ledger_transfers_idempotency_key unique (idempotency_key)
);

create table ledger_entries (
    id uuid primary key,
    transfer_id uuid not null references ledger_transfers (id),
    account_id uuid not null,
    currency text not null,
    amount_minor bigint not null,
    -- The account's balance after this entry, and its version (1 for its first
    -- entry): the account's history reads without summing, and verify checks it.
    balance_after_minor bigint not null,
    account_version bigint not null,
    constraint ledger_entries_amount_check check (amount_minor <> 0),
    constraint ledger_entries_account_fkey foreign key (account_id, currency)
        references ledger_accounts (id, currency),
    constraint ledger_entries_version_key unique (account_id, account_version),
    -- One entry per account in a transfer, so each moves a balance once.
    constraint ledger_entries_account_key unique (transfer_id, account_id)
);

-- A transfer balances: its entries sum to zero in each currency, and it has
-- some. Checked at commit, when all of a transfer's entries are in.
create function ledger_check_balanced() returns trigger
language plpgsql as $$
declare
    transfer uuid;
begin
    if tg_table_name = 'ledger_entries' then
        transfer := new.transfer_id;
    else
        transfer := new.id;
    end if;
    if not exists (select 1 from ledger_entries where transfer_id = transfer) then
        raise exception 'ledger transfer % has no entries', transfer;
    end if;
    if exists (select 1 from ledger_entries where transfer_id = transfer
                group by currency having sum(amount_minor) <> 0) then
        raise exception 'ledger transfer % does not balance', transfer;
    end if;
    return null;
end;
$$;

create constraint trigger ledger_entries_balanced
    after insert on ledger_entries deferrable initially deferred
    for each row execute function ledger_check_balanced();

create constraint trigger ledger_transfers_have_entries
    after insert on ledger_transfers deferrable initially deferred
    for each row execute function ledger_check_balanced();

-- Append-only: posted transfers and entries are never changed or removed.
create function ledger_refuse_change() returns trigger
language plpgsql as $$
begin
    raise exception 'the ledger is append-only: post a correcting transfer instead';
end;
$$;

create trigger ledger_transfers_append_only before update or delete on ledger_transfers
    for each row execute function ledger_refuse_change();
create trigger ledger_entries_append_only before update or delete on ledger_entries
    for each row execute function ledger_refuse_change();
create trigger ledger_transfers_no_truncate before truncate on ledger_transfers
    for each statement execute function ledger_refuse_change();
create trigger ledger_entries_no_truncate before truncate on ledger_entries
    for each statement execute function ledger_refuse_change();

-- An account's owner and currency never change, and it is never removed; only
-- its cached balance and version move, with its entries.
create function ledger_accounts_guard() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'ledger accounts are never removed';
    end if;
    if (new.id, new.kind, new.brand_id, new.application_id, new.profile_id, new.currency, new.created_at)
       is distinct from
       (old.id, old.kind, old.brand_id, old.application_id, old.profile_id, old.currency, old.created_at) then
        raise exception 'a ledger account''s owner and currency never change';
    end if;
    if new.version <> old.version + 1 then
        raise exception 'a ledger account''s balance moves with one entry at a time';
    end if;
    return new;
end;
$$;

create trigger ledger_accounts_guard before update or delete on ledger_accounts
    for each row execute function ledger_accounts_guard();

-- Money received for a brand, as its source reported it: a bank transfer the
-- agency recorded, or later a card processor's webhook. Each event of a source
-- is recorded once (a retried webhook, a transfer typed twice); the event is a
-- record of what was reported, and the agency's recording of it is what moves
-- the money.
create table funding_receipts (
    id uuid primary key,
    source text not null,
    event_id text not null,
    brand_id uuid not null references brands (id),
    amount_minor bigint not null,
    currency text not null,
    received_on date not null,
    reference text not null,
    transfer_id uuid not null references ledger_transfers (id),
    recorded_by uuid references users (id),
    created_at timestamptz not null default now(),
    constraint funding_receipts_source_check check (source in ('bank_transfer')),
    constraint funding_receipts_event_check check (char_length(event_id) between 1 and 200),
    constraint funding_receipts_amount_check check (amount_minor between 1 and 100000000000),
    constraint funding_receipts_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint funding_receipts_reference_check check (char_length(reference) between 1 and 140),
    constraint funding_receipts_event_key unique (source, event_id)
);

create index funding_receipts_brand_idx on funding_receipts (brand_id, received_on desc);

create trigger funding_receipts_append_only before update or delete on funding_receipts
    for each row execute function ledger_refuse_change();

-- The agency's terms, one row: its fees on each side, in basis points (1,000 =
-- 10%), how long past a review promise a draft waits before it is approved
-- for the brand, and the smallest balance paid out.
create table agency_terms (
    id boolean primary key default true,
    brand_fee_basis_points integer not null default 1000,
    creator_fee_basis_points integer not null default 0,
    auto_approve_grace_days integer not null default 3,
    payout_minimum_minor bigint not null default 2000,
    updated_at timestamptz not null default now(),
    updated_by uuid references users (id),
    constraint agency_terms_one_row check (id),
    constraint agency_terms_brand_fee_check check (brand_fee_basis_points between 0 and 5000),
    constraint agency_terms_creator_fee_check check (creator_fee_basis_points between 0 and 5000),
    constraint agency_terms_grace_check check (auto_approve_grace_days between 0 and 30),
    constraint agency_terms_minimum_check check (payout_minimum_minor between 0 and 100000000)
);

insert into agency_terms default values;

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
               'admin.funds_recorded', 'admin.terms_changed')
);
