-- Credit notes: when money an invoice charged goes back to the brand (a
-- collaboration ended early, a dispute settled for the brand in whole or in
-- part), the invoice stays as issued and a credit note says what was
-- returned, numbered without gaps per year like the invoices.

alter table document_counters drop constraint document_counters_series_check;
alter table document_counters add constraint document_counters_series_check check (
    series in ('invoice', 'statement', 'credit_note')
);

create table credit_notes (
    id uuid primary key,
    number text not null unique,
    year integer not null,
    sequence integer not null,
    invoice_id uuid not null references invoices (id),
    -- The refund it documents: one credit note per money movement back.
    transfer_id uuid not null unique references ledger_transfers (id),
    brand_id uuid not null references brands (id),
    issued_at timestamptz not null default now(),
    reason text not null,
    currency text not null,
    -- What went back: of the creator's fee, and of the agency's fee (its tax
    -- included, at the invoice's rate).
    fee_minor bigint not null,
    brand_fee_minor bigint not null,
    tax_minor bigint not null,
    constraint credit_notes_sequence_key unique (year, sequence),
    constraint credit_notes_number_check check (number = 'CN-' || year || '-' || lpad(sequence::text, 6, '0')),
    constraint credit_notes_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint credit_notes_reason_check check (char_length(btrim(reason)) between 1 and 2000),
    constraint credit_notes_amounts_check check (
        fee_minor >= 0 and brand_fee_minor >= 0 and fee_minor + brand_fee_minor > 0
        and tax_minor between 0 and brand_fee_minor
    )
);

create index credit_notes_brand_idx on credit_notes (brand_id, issued_at desc);
create index credit_notes_invoice_idx on credit_notes (invoice_id);

create trigger credit_notes_append_only before update or delete on credit_notes
    for each row execute function ledger_refuse_change();
