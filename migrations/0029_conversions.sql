-- Results, part two: orders a brand reports (by API or a CSV upload), each
-- attributed to a collaboration by its click id or promo code, or listed as
-- unattributed; the API tokens brands report them with; uploads waiting for
-- the brand to confirm them; and the roll-up's conversion columns.

create table api_tokens (
    id uuid primary key,
    brand_id uuid not null references brands (id) on delete cascade,
    name text not null,
    -- Only the SHA-256 of the token is kept; the token is shown once.
    token_hash bytea not null,
    -- The token's first characters, so a brand can tell its tokens apart.
    prefix text not null,
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz,
    revoked_by uuid references users (id) on delete set null,
    constraint api_tokens_hash_key unique (token_hash),
    constraint api_tokens_hash_check check (octet_length(token_hash) = 32),
    constraint api_tokens_name_check check (char_length(btrim(name)) between 1 and 80),
    constraint api_tokens_prefix_check check (prefix ~ '^lia_[A-Za-z0-9_-]{4}$'),
    constraint api_tokens_revoked_check check (revoked_by is null or revoked_at is not null)
);

create index api_tokens_brand_idx on api_tokens (brand_id, created_at desc);

create table conversions (
    id uuid primary key,
    brand_id uuid not null references brands (id) on delete cascade,
    -- The shop's order id: an order is reported once per brand.
    order_id text not null,
    amount_minor bigint not null,
    currency text not null,
    occurred_at timestamptz not null,
    -- As reported: the click id the shop kept, the discount code typed.
    click_id uuid,
    promo_code text,
    status text not null default 'completed',
    refunded_at timestamptz,
    -- The collaboration it is counted for, and how; none when neither the
    -- click nor the code matched (listed as unattributed, never dropped).
    application_id uuid references applications (id) on delete set null,
    campaign_id uuid references campaigns (id) on delete set null,
    attributed_by text,
    source text not null,
    received_at timestamptz not null default now(),
    constraint conversions_order_key unique (brand_id, order_id),
    constraint conversions_order_id_check check (char_length(btrim(order_id)) between 1 and 100),
    constraint conversions_amount_check check (amount_minor between 0 and 100000000000000),
    constraint conversions_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint conversions_promo_code_check check (char_length(promo_code) between 1 and 100),
    constraint conversions_status_check check (status in ('completed', 'refunded')),
    constraint conversions_refunded_check check ((status = 'refunded') = (refunded_at is not null)),
    constraint conversions_attributed_by_check check (attributed_by in ('click', 'promo_code')),
    constraint conversions_attribution_check check (
        (application_id is null) = (attributed_by is null) and (application_id is null) = (campaign_id is null)
    ),
    constraint conversions_source_check check (source in ('api', 'csv'))
);

create index conversions_brand_idx on conversions (brand_id, occurred_at desc, id desc);
create index conversions_unattributed_idx on conversions (brand_id, occurred_at desc, id desc)
    where application_id is null;
create index conversions_application_idx on conversions (application_id) where application_id is not null;

-- A CSV the brand uploaded, parsed and checked, waiting for the brand to
-- import it (or not). Each row is kept as parsed with its problem, if any.
create table conversion_uploads (
    id uuid primary key,
    brand_id uuid not null references brands (id) on delete cascade,
    uploaded_by uuid references users (id) on delete set null,
    file_name text not null,
    rows jsonb not null,
    row_count integer not null,
    error_count integer not null,
    status text not null default 'pending',
    imported_count integer,
    created_at timestamptz not null default now(),
    decided_at timestamptz,
    constraint conversion_uploads_file_name_check check (char_length(file_name) between 1 and 255),
    constraint conversion_uploads_counts_check check (
        row_count >= 0 and error_count between 0 and row_count
    ),
    constraint conversion_uploads_status_check check (status in ('pending', 'imported', 'discarded')),
    constraint conversion_uploads_decided_check check ((status = 'pending') = (decided_at is null))
);

create index conversion_uploads_brand_idx on conversion_uploads (brand_id, created_at desc);

alter table results_daily
    add column conversions bigint not null default 0,
    add column revenue_minor bigint not null default 0,
    add constraint results_daily_conversions_check check (conversions >= 0 and revenue_minor >= 0);

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
               'admin.payout_batch_sent', 'admin.payout_batch_discarded',
               'deliverable.auto_approved',
               'collaboration.promo_code_set', 'collaboration.promo_code_removed',
               'brand.api_token_created', 'brand.api_token_revoked', 'brand.conversions_imported')
);
