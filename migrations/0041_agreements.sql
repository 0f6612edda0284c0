-- Partnership agreements. Accepting an application draws up an agreement
-- from the brief version in force and the decision; work starts when both
-- parties have signed it. An agreement is never edited: every later change is
-- an amendment, itself an agreement that both sign. Work made out of scope in
-- a review becomes a paid amendment when the creator quotes it and the brand
-- accepts the quote (its price is held in escrow like the fee).

-- Number 1 is the agreement; 2, 3 … its amendments. The body is the text both
-- parties read and sign, and its SHA-256 is stored with each signature.
create table agreements (
    id uuid primary key,
    application_id uuid not null references escrow_holds (application_id),
    number smallint not null,
    brief_version integer not null,
    title text not null,
    body text not null,
    body_sha256 bytea not null,
    created_at timestamptz not null default now(),
    constraint agreements_number_key unique (application_id, number),
    constraint agreements_number_check check (number >= 1),
    constraint agreements_title_length check (char_length(btrim(title)) between 1 and 300),
    constraint agreements_body_length check (char_length(btrim(body)) between 1 and 100000),
    constraint agreements_hash_length check (octet_length(body_sha256) = 32),
    -- The stored hash is the text's: nothing can sign one text and show another.
    constraint agreements_hash_matches check (body_sha256 = sha256(convert_to(body, 'UTF8')))
);

create trigger agreements_immutable before update or delete on agreements
    for each row execute function refuse_record_change();

-- Who signed for each side, when, from which session and address, and the
-- hash of the text they were shown (which must be the agreement's).
create table agreement_signatures (
    agreement_id uuid not null references agreements (id),
    party text not null,
    user_id uuid not null references users (id),
    -- For a manager signing while working for an agency-managed brand.
    for_brand_by_agency boolean not null default false,
    -- A reference to the session, not its token: the first 16 hex digits of
    -- the SHA-256 of the session's stored token hash, and when it started.
    session_ref text not null,
    session_started_at timestamptz not null,
    ip inet,
    user_agent text not null default '',
    body_sha256 bytea not null,
    signed_at timestamptz not null default now(),
    primary key (agreement_id, party),
    constraint agreement_signatures_party_check check (party in ('brand', 'creator')),
    constraint agreement_signatures_session_ref_check check (session_ref ~ '^[0-9a-f]{16}$'),
    constraint agreement_signatures_user_agent_length check (char_length(user_agent) <= 500)
);

create function agreement_signatures_check_hash() returns trigger
language plpgsql as $$
begin
    if not exists (select 1 from agreements a
                    where a.id = new.agreement_id and a.body_sha256 = new.body_sha256) then
        raise exception 'the signed text is not the agreement''s text'
            using errcode = 'check_violation';
    end if;
    return new;
end;
$$;

create trigger agreement_signatures_check_hash before insert on agreement_signatures
    for each row execute function agreement_signatures_check_hash();
create trigger agreement_signatures_immutable before update or delete on agreement_signatures
    for each row execute function refuse_record_change();

-- Quotes for work a review asked for outside the brief. Quoting writes the
-- amendment's text and the creator's signature; the brand accepts it (the
-- price and the agency's fee on it are held, a deliverable is added, the
-- brand signs) or declines it (the request is withdrawn from the review);
-- the creator may withdraw a quote still waiting.
create table amendments (
    id uuid primary key,
    application_id uuid not null references escrow_holds (application_id),
    action_item_id uuid not null references action_items (id),
    agreement_id uuid not null unique references agreements (id),
    what text not null,
    currency text not null,
    price_minor bigint not null,
    extra_days integer not null,
    status text not null default 'quoted',
    created_by uuid not null references users (id),
    created_at timestamptz not null default now(),
    decided_by uuid references users (id),
    decided_at timestamptz,
    decline_reason text,
    -- What accepting it held and added.
    brand_fee_minor bigint,
    hold_transfer_id uuid unique references ledger_transfers (id),
    deliverable_id uuid unique references deliverables (id),
    constraint amendments_what_length check (char_length(btrim(what)) between 1 and 1000),
    constraint amendments_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint amendments_price_check check (price_minor between 1 and 100000000000),
    constraint amendments_extra_days_check check (extra_days between 0 and 365),
    constraint amendments_status_check
        check (status in ('quoted', 'accepted', 'declined', 'withdrawn')),
    constraint amendments_decided check ((status = 'quoted') = (decided_at is null)),
    constraint amendments_accepted_holds check (
        (status = 'accepted') = (hold_transfer_id is not null)
        and (status = 'accepted') = (deliverable_id is not null)
        and (status = 'accepted') = (brand_fee_minor is not null)
        and (brand_fee_minor is null or brand_fee_minor >= 0)
    ),
    constraint amendments_reason_when_declined
        check (status = 'declined' or decline_reason is null),
    constraint amendments_decline_reason_length
        check (char_length(coalesce(decline_reason, '')) <= 2000)
);

-- One live quote per requested change: quoted, or accepted (then it is done).
create unique index amendments_one_per_item_idx on amendments (action_item_id)
    where status in ('quoted', 'accepted');
create index amendments_application_idx on amendments (application_id, created_at);

-- A quote is decided once.
create function amendments_decide_once() returns trigger
language plpgsql as $$
begin
    if old.status <> 'quoted' then
        raise exception 'amendment % was already %', old.id, old.status
            using errcode = 'restrict_violation';
    end if;
    if (new.id, new.application_id, new.action_item_id, new.agreement_id, new.what, new.currency,
        new.price_minor, new.extra_days, new.created_by, new.created_at)
       is distinct from
       (old.id, old.application_id, old.action_item_id, old.agreement_id, old.what, old.currency,
        old.price_minor, old.extra_days, old.created_by, old.created_at) then
        raise exception 'a quote''s terms cannot be changed' using errcode = 'restrict_violation';
    end if;
    return new;
end;
$$;

create trigger amendments_decide_once before update on amendments
    for each row execute function amendments_decide_once();
create trigger amendments_no_delete before delete on amendments
    for each row execute function refuse_record_change();

-- A deliverable added by an amendment says which.
alter table deliverables add column amendment_id uuid references amendments (id);

-- An accepted amendment's price is held in the collaboration's escrow: its
-- shares add up to the hold and the accepted amendments together.
create or replace function escrow_shares_add_up() returns trigger
language plpgsql as $$
begin
    if exists (
        select 1
          from escrow_holds h
          cross join lateral (
                select coalesce(sum(s.fee_minor), 0) as fee, coalesce(sum(s.brand_fee_minor), 0) as brand_fee
                  from escrow_shares s where s.application_id = h.application_id) t
          cross join lateral (
                select coalesce(sum(m.price_minor), 0) as fee,
                       coalesce(sum(m.brand_fee_minor), 0) as brand_fee
                  from amendments m
                 where m.application_id = h.application_id and m.status = 'accepted') m
         where h.application_id = new.application_id
           and (h.fee_minor + m.fee <> t.fee or h.brand_fee_minor + m.brand_fee <> t.brand_fee)
    ) then
        raise exception 'the escrow shares of % do not add up to its hold', new.application_id;
    end if;
    return null;
end;
$$;

-- An accepted amendment is invoiced on its own; the collaboration's first
-- invoice stays the one without an amendment.
alter table invoices add column amendment_id uuid unique references amendments (id);
alter table invoices drop constraint invoices_application_id_key;
create unique index invoices_application_key on invoices (application_id)
    where amendment_id is null;
create index invoices_application_idx on invoices (application_id);

alter table notifications drop constraint notifications_kind_check;
alter table notifications add constraint notifications_kind_check check (
    kind in ('application_received', 'application_withdrawn', 'application_decided',
             'brief_updated', 'submission_received', 'feedback_received',
             'deliverable_published', 'rating_received', 'message_received',
             'deadline_soon', 'review_overdue', 'auto_approved',
             'collaboration_cancelled', 'dispute_opened', 'dispute_resolved', 'payout_sent',
             'agreement_to_sign', 'agreement_signed', 'amendment_quoted', 'amendment_decided')
);

insert into audit_actions (action, description) values
    ('agreement.drawn_up', 'Drew up a partnership agreement at acceptance'),
    ('agreement.signed', 'Signed a partnership agreement or amendment'),
    ('amendment.quoted', 'Quoted work asked for outside the brief'),
    ('amendment.accepted', 'Accepted a quote: a paid amendment'),
    ('amendment.declined', 'Declined a quote: the request was withdrawn'),
    ('amendment.withdrawn', 'Withdrew a quote');
