-- Paying creators out: their business and bank details, and the agency's
-- payout batches.
--
-- Bank details are encrypted by the application (AES-256-GCM, with the key
-- from LIAISON_DATA_KEY, bound to the profile they belong to) before they
-- reach the database: a copy of the database alone does not reveal them. Only
-- the last four characters are kept in clear, to show them masked.
--
-- A payout batch gathers every payable balance above the agency's minimum
-- from creators whose details are complete, as they stand when it is
-- prepared; marking it sent moves each item's money from the creator's
-- payable balance to cash paid out, one transfer per item.

create table payout_details (
    profile_id uuid primary key references influencer_profiles (id),
    legal_name text not null,
    address text not null,
    country text not null,
    tax_id text not null default '',
    account_holder text not null,
    method text not null,
    -- The account number (an IBAN, or a US account and routing number),
    -- encrypted; its last four characters; a BIC where one was given.
    account_ciphertext bytea not null,
    account_last4 text not null,
    bic text not null default '',
    updated_at timestamptz not null default now(),
    updated_by uuid references users (id),
    constraint payout_details_legal_name_check check (char_length(btrim(legal_name)) between 1 and 140),
    constraint payout_details_address_check check (char_length(btrim(address)) between 1 and 500),
    constraint payout_details_country_check check (country ~ '^[A-Z]{2}$'),
    constraint payout_details_tax_id_check check (char_length(tax_id) <= 40),
    constraint payout_details_holder_check check (char_length(btrim(account_holder)) between 1 and 70),
    constraint payout_details_method_check check (method in ('iban', 'us_account')),
    constraint payout_details_last4_check check (account_last4 ~ '^[0-9A-Z]{4}$'),
    constraint payout_details_bic_check check (bic = '' or bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$'),
    -- Nonce, ciphertext and tag: never empty, never the clear number.
    constraint payout_details_ciphertext_check check (octet_length(account_ciphertext) > 28)
);

-- Where the agency pays from: the debtor of its SEPA files.
alter table agency_terms
    add column payer_name text not null default '',
    add column payer_iban text not null default '',
    add column payer_bic text not null default '',
    add constraint agency_terms_payer_name_check check (char_length(payer_name) <= 70),
    add constraint agency_terms_payer_iban_check check (payer_iban = '' or payer_iban ~ '^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$'),
    add constraint agency_terms_payer_bic_check check (payer_bic = '' or payer_bic ~ '^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$');

create table payout_batches (
    id uuid primary key,
    currency text not null,
    status text not null default 'prepared',
    total_minor bigint not null,
    item_count integer not null,
    created_at timestamptz not null default now(),
    created_by uuid not null references users (id),
    -- The request that prepared it, so a double click prepares one batch.
    idempotency_key text not null,
    sent_at timestamptz,
    sent_by uuid references users (id),
    discarded_at timestamptz,
    discarded_by uuid references users (id),
    constraint payout_batches_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint payout_batches_status_check check (status in ('prepared', 'sent', 'discarded')),
    constraint payout_batches_total_check check (total_minor > 0),
    constraint payout_batches_count_check check (item_count > 0),
    constraint payout_batches_sent_check check ((status = 'sent') = (sent_at is not null and sent_by is not null)),
    constraint payout_batches_discarded_check check (
        (status = 'discarded') = (discarded_at is not null and discarded_by is not null)
    ),
    constraint payout_batches_key unique (idempotency_key)
);

-- One batch waits to be sent per currency at a time: a creator's balance is
-- never put in two.
create unique index payout_batches_one_prepared_idx on payout_batches (currency)
    where status = 'prepared';
create index payout_batches_created_idx on payout_batches (created_at desc, id desc);

create table payout_items (
    id uuid primary key,
    batch_id uuid not null references payout_batches (id),
    profile_id uuid not null references influencer_profiles (id),
    amount_minor bigint not null,
    currency text not null,
    -- The details as they were when the batch was prepared: the file sent to
    -- the bank and the statement say where the money went.
    legal_name text not null,
    account_holder text not null,
    method text not null,
    account_ciphertext bytea not null,
    account_last4 text not null,
    bic text not null default '',
    transfer_id uuid references ledger_transfers (id),
    constraint payout_items_amount_check check (amount_minor > 0),
    constraint payout_items_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint payout_items_method_check check (method in ('iban', 'us_account')),
    constraint payout_items_one_per_creator unique (batch_id, profile_id)
);

create index payout_items_profile_idx on payout_items (profile_id);

-- A batch's rows stay as prepared; only its status moves, once, and an item
-- only gains the transfer that paid it.
create function payout_batches_guard() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'payout batches are never removed';
    end if;
    if old.status <> 'prepared' then
        raise exception 'this payout batch was already %', old.status;
    end if;
    if (new.id, new.currency, new.total_minor, new.item_count, new.created_at, new.created_by,
        new.idempotency_key)
       is distinct from
       (old.id, old.currency, old.total_minor, old.item_count, old.created_at, old.created_by,
        old.idempotency_key) then
        raise exception 'a payout batch''s contents never change';
    end if;
    return new;
end;
$$;

create trigger payout_batches_guard before update or delete on payout_batches
    for each row execute function payout_batches_guard();

create function payout_items_guard() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        raise exception 'payout items are never removed';
    end if;
    if old.transfer_id is not null
       or (new.id, new.batch_id, new.profile_id, new.amount_minor, new.currency, new.legal_name,
           new.account_holder, new.method, new.account_ciphertext, new.account_last4, new.bic)
          is distinct from
          (old.id, old.batch_id, old.profile_id, old.amount_minor, old.currency, old.legal_name,
           old.account_holder, old.method, old.account_ciphertext, old.account_last4, old.bic) then
        raise exception 'a payout item never changes once prepared, but for the transfer that paid it';
    end if;
    return new;
end;
$$;

create trigger payout_items_guard before update or delete on payout_items
    for each row execute function payout_items_guard();

alter table notifications drop constraint notifications_kind_check;
alter table notifications add constraint notifications_kind_check check (
    kind in ('application_received', 'application_withdrawn', 'application_decided',
             'brief_updated', 'submission_received', 'feedback_received',
             'deliverable_published', 'rating_received', 'message_received',
             'deadline_soon', 'review_overdue', 'auto_approved',
             'collaboration_cancelled', 'dispute_opened', 'dispute_resolved', 'payout_sent')
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
               'collaboration.cancelled', 'dispute.opened', 'admin.dispute_resolved',
               'influencer.payout_details_updated', 'admin.payout_batch_prepared',
               'admin.payout_batch_sent', 'admin.payout_batch_discarded')
);
