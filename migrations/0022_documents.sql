-- Invoices to brands and payout statements to creators: numbered without
-- gaps per year, written once and never changed.
--
-- Each funded collaboration gets an invoice when its fee is held: the fee
-- (passed through to the creator) and the agency's fee, whose tax, when the
-- agency sets a rate, is shown as included in it. Each payout gets a
-- statement listing what was released to the creator since the last one,
-- gross, fee and net. A number is taken from its series' counter in the same
-- transaction as the document, so a rolled-back document frees its number
-- and the next one takes it: numbers have no gaps.

alter table brands
    add column billing_address text not null default '',
    add column tax_id text not null default '',
    add constraint brands_billing_address_length check (char_length(billing_address) <= 500),
    add constraint brands_tax_id_length check (char_length(tax_id) <= 40);

-- Who issues the documents, and the tax included in the agency's fee.
alter table agency_terms
    add column issuer_name text not null default 'Liaison',
    add column issuer_address text not null default '',
    add column issuer_tax_id text not null default '',
    add column tax_label text not null default 'VAT',
    add column tax_basis_points integer not null default 0,
    add constraint agency_terms_issuer_name_check check (char_length(btrim(issuer_name)) between 1 and 140),
    add constraint agency_terms_issuer_address_check check (char_length(issuer_address) <= 500),
    add constraint agency_terms_issuer_tax_id_check check (char_length(issuer_tax_id) <= 40),
    add constraint agency_terms_tax_label_check check (char_length(btrim(tax_label)) between 1 and 20),
    add constraint agency_terms_tax_check check (tax_basis_points between 0 and 5000);

create table document_counters (
    series text not null,
    year integer not null,
    last_number integer not null,
    primary key (series, year),
    constraint document_counters_series_check check (series in ('invoice', 'statement')),
    constraint document_counters_number_check check (last_number >= 1)
);

create table invoices (
    id uuid primary key,
    number text not null unique,
    year integer not null,
    sequence integer not null,
    application_id uuid not null unique references escrow_holds (application_id),
    brand_id uuid not null references brands (id),
    issued_at timestamptz not null default now(),
    -- As they were when it was issued: a later change of name or address
    -- does not rewrite an issued invoice.
    issuer_name text not null,
    issuer_address text not null,
    issuer_tax_id text not null,
    brand_name text not null,
    brand_address text not null,
    brand_tax_id text not null,
    campaign_title text not null,
    creator_name text not null,
    currency text not null,
    fee_minor bigint not null,
    brand_fee_minor bigint not null,
    tax_label text not null,
    tax_basis_points integer not null,
    -- The tax included in the agency's fee.
    tax_minor bigint not null,
    constraint invoices_sequence_key unique (year, sequence),
    constraint invoices_number_check check (number = 'INV-' || year || '-' || lpad(sequence::text, 6, '0')),
    constraint invoices_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint invoices_amounts_check check (fee_minor > 0 and brand_fee_minor >= 0 and tax_minor >= 0
                                             and tax_minor <= brand_fee_minor)
);

create index invoices_brand_idx on invoices (brand_id, issued_at desc);

create trigger invoices_append_only before update or delete on invoices
    for each row execute function ledger_refuse_change();

create table payout_statements (
    id uuid primary key,
    number text not null unique,
    year integer not null,
    sequence integer not null,
    payout_item_id uuid not null unique references payout_items (id),
    profile_id uuid not null references influencer_profiles (id),
    issued_at timestamptz not null default now(),
    issuer_name text not null,
    issuer_address text not null,
    issuer_tax_id text not null,
    creator_legal_name text not null,
    creator_address text not null,
    creator_country text not null,
    creator_tax_id text not null,
    paid_to text not null,
    currency text not null,
    amount_minor bigint not null,
    constraint payout_statements_sequence_key unique (year, sequence),
    constraint payout_statements_number_check check (number = 'PS-' || year || '-' || lpad(sequence::text, 6, '0')),
    constraint payout_statements_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint payout_statements_amount_check check (amount_minor > 0)
);

create index payout_statements_profile_idx on payout_statements (profile_id, issued_at desc);

-- What the payout paid for: each release to the creator since their last
-- statement, gross, the agency's creator-side fee and net; and a line for
-- anything else that moved their payable balance (a correction).
create table payout_statement_lines (
    statement_id uuid not null references payout_statements (id),
    position integer not null,
    -- The deliverable whose release it was; none for another movement.
    deliverable_id uuid unique references deliverables (id),
    description text not null,
    released_on date not null,
    gross_minor bigint not null,
    fee_minor bigint not null,
    net_minor bigint not null,
    primary key (statement_id, position),
    constraint payout_statement_lines_sum_check check (gross_minor - fee_minor = net_minor)
);

create trigger payout_statements_append_only before update or delete on payout_statements
    for each row execute function ledger_refuse_change();
create trigger payout_statement_lines_append_only before update or delete on payout_statement_lines
    for each row execute function ledger_refuse_change();
