//! Money at scale for benchmarks: every accepted collaboration the scale seed
//! made is funded, held and invoiced, and the parts of its fee for approved or
//! published work released, as the app would have done over time: one funding
//! per brand and currency (half again what its holds need), one hold per
//! collaboration, one release per finished deliverable.
//!
//! Set-based SQL in the caller's transaction. The entries' running balances
//! and versions are computed per account in order; the deferred checks that
//! every transfer balances and every escrow's shares add up run at commit as
//! they do for the app's own writes, and `liaison ledger verify` checks the
//! result. The one guard stepped around is the accounts' "one entry at a
//! time" trigger, since each account here takes all its entries in one update.

use sqlx::PgConnection;

pub async fn fund_hold_and_release(tx: &mut PgConnection) -> anyhow::Result<(i64, i64)> {
    sqlx::raw_sql(
        "create temp table sm_holds on commit drop as
             select a.id as application_id, c.brand_id, a.profile_id, a.currency,
                    a.agreed_fee_minor as fee,
                    (a.agreed_fee_minor * t.brand_fee_basis_points + 5000) / 10000 as brand_fee,
                    t.creator_fee_basis_points as creator_bp,
                    least(coalesce(a.decided_at, a.created_at), now() - interval '30 days') as held_at,
                    uuidv7() as transfer_id
               from applications a
               join campaigns c on c.id = a.campaign_id
              cross join agency_terms t
              where a.status = 'accepted' and a.agreed_fee_minor is not null
                and not exists (select 1 from escrow_holds h where h.application_id = a.id)
                and exists (select 1 from deliverables d where d.application_id = a.id);

         create temp table sm_shares on commit drop as
             select d.id as deliverable_id, h.application_id, h.profile_id, h.brand_id,
                    h.currency, h.creator_bp, h.held_at,
                    h.fee / k.n + (k.pos <= h.fee % k.n)::int as fee,
                    h.brand_fee / k.n + (k.pos <= h.brand_fee % k.n)::int as brand_fee,
                    d.status in ('approved', 'published') as released
               from sm_holds h
               join lateral (select x.id, row_number() over (order by x.position) as pos,
                                    count(*) over () as n
                               from deliverables x where x.application_id = h.application_id) k
                 on true
               join deliverables d on d.id = k.id;
         alter table sm_shares add column transfer_id uuid;
         update sm_shares set transfer_id = uuidv7() where released;

         create temp table sm_fundings on commit drop as
             select brand_id, currency, uuidv7() as transfer_id,
                    min(held_at) - interval '3 days' as at,
                    (sum(fee + brand_fee) * 3 / 2 / 100000 + 1) * 100000 as amount
               from sm_holds group by brand_id, currency;

         -- Every leg: which account (by kind and owner), how much, when.
         create temp table sm_legs (transfer_id uuid, kind text, owner uuid, currency text,
                                    amount int8, at timestamptz) on commit drop;
         insert into sm_legs
         select transfer_id, 'cash_received', '00000000-0000-0000-0000-000000000000', currency,
                -amount, at from sm_fundings
         union all
         select transfer_id, 'brand_funds', brand_id, currency, amount, at from sm_fundings
         union all
         select transfer_id, 'brand_funds', brand_id, currency, -(fee + brand_fee), held_at
           from sm_holds
         union all
         select transfer_id, 'escrow', application_id, currency, fee + brand_fee, held_at
           from sm_holds
         union all
         select transfer_id, 'escrow', application_id, currency, -(fee + brand_fee),
                held_at + interval '14 days'
           from sm_shares where released
         union all
         select transfer_id, 'creator_payable', profile_id, currency,
                fee - (fee * creator_bp + 5000) / 10000, held_at + interval '14 days'
           from sm_shares where released
         union all
         select transfer_id, 'agency_revenue', '00000000-0000-0000-0000-000000000000', currency,
                brand_fee + (fee * creator_bp + 5000) / 10000, held_at + interval '14 days'
           from sm_shares where released and brand_fee + (fee * creator_bp + 5000) / 10000 > 0;

         insert into ledger_accounts (id, kind, brand_id, application_id, profile_id, currency)
         select uuidv7(), kind,
                case when kind = 'brand_funds' then owner end,
                case when kind = 'escrow' then owner end,
                case when kind = 'creator_payable' then owner end,
                currency
           from (select distinct kind, owner, currency from sm_legs) l
         on conflict (kind, owner_key, currency) do nothing;

         create temp table sm_entries on commit drop as
             select uuidv7() as id, l.transfer_id, a.id as account_id, l.currency, l.amount,
                    a.balance_minor + sum(l.amount) over w as balance_after,
                    a.version + row_number() over w as version, l.at as recorded_at
               from sm_legs l
               join ledger_accounts a on a.kind = l.kind and a.owner_key = l.owner
                                     and a.currency = l.currency
             window w as (partition by a.id order by l.at, l.transfer_id
                          rows between unbounded preceding and current row);

         insert into ledger_transfers (id, kind, idempotency_key, request_digest, effective_at,
                                       recorded_at, memo)
         select transfer_id, 'funding', 'scale:funding:' || transfer_id,
                decode(md5(transfer_id::text) || md5(transfer_id::text), 'hex'), at, at,
                'Bank transfer: first instalment'
           from sm_fundings
         union all
         select transfer_id, 'hold', 'scale:hold:' || application_id,
                decode(md5(application_id::text) || md5(application_id::text), 'hex'), held_at,
                held_at, 'Fee and agency fee held'
           from sm_holds
         union all
         select transfer_id, 'release', 'release:' || deliverable_id,
                decode(md5(deliverable_id::text) || md5(deliverable_id::text), 'hex'),
                held_at + interval '14 days', held_at + interval '14 days',
                'Released to the creator'
           from sm_shares where released;

         insert into ledger_entries (id, transfer_id, account_id, currency, amount_minor,
                                     balance_after_minor, account_version, recorded_at)
         select id, transfer_id, account_id, currency, amount, balance_after, version, recorded_at
           from sm_entries;

         alter table ledger_accounts disable trigger ledger_accounts_guard;
         update ledger_accounts a set balance_minor = e.balance_after, version = e.version
           from (select distinct on (account_id) account_id, balance_after, version
                   from sm_entries order by account_id, version desc) e
          where a.id = e.account_id;
         alter table ledger_accounts enable trigger ledger_accounts_guard;

         insert into escrow_holds (application_id, brand_id, profile_id, currency, fee_minor,
                                   brand_fee_minor, creator_fee_basis_points, hold_transfer_id,
                                   created_at)
         select application_id, brand_id, profile_id, currency, fee, brand_fee, creator_bp,
                transfer_id, held_at
           from sm_holds;
         insert into escrow_shares (deliverable_id, application_id, fee_minor, brand_fee_minor,
                                    settled, settled_transfer_id, settled_at, to_creator_minor)
         select deliverable_id, application_id, fee, brand_fee,
                case when released then 'released' end, transfer_id,
                case when released then held_at + interval '14 days' end,
                case when released then fee end
           from sm_shares;

         -- Invoices, numbered on from the year's counter.
         create temp table sm_invoices on commit drop as
             select h.*, extract(year from now() at time zone 'utc')::int as year,
                    coalesce((select d.last_number from document_counters d
                               where d.series = 'invoice'
                                 and d.year = extract(year from now() at time zone 'utc')::int), 0)
                      + row_number() over (order by h.held_at, h.application_id) as sequence
               from sm_holds h;
         insert into invoices (id, number, year, sequence, application_id, brand_id, issued_at,
                               issuer_name, issuer_address, issuer_tax_id, brand_name,
                               brand_address, brand_tax_id, campaign_title, creator_name,
                               currency, fee_minor, brand_fee_minor, tax_label, tax_basis_points,
                               tax_minor)
         select uuidv7(), 'INV-' || i.year || '-' || lpad(i.sequence::text, 6, '0'), i.year,
                i.sequence, i.application_id, i.brand_id, i.held_at, t.issuer_name,
                t.issuer_address, t.issuer_tax_id, b.name, b.billing_address, b.tax_id, c.title,
                u.display_name, i.currency, i.fee, i.brand_fee, t.tax_label, t.tax_basis_points,
                (2 * i.brand_fee * t.tax_basis_points + 10000 + t.tax_basis_points)
                    / (2 * (10000 + t.tax_basis_points))
           from sm_invoices i
           cross join agency_terms t
           join brands b on b.id = i.brand_id
           join applications a on a.id = i.application_id
           join campaigns c on c.id = a.campaign_id
           join influencer_profiles p on p.id = i.profile_id
           join users u on u.id = p.user_id;
         insert into document_counters (series, year, last_number)
         select 'invoice', year, max(sequence) from sm_invoices group by year
         on conflict (series, year) do update set last_number = excluded.last_number;",
    )
    .execute(&mut *tx)
    .await?;
    let (holds, releases): (i64, i64) = sqlx::query_as(
        "select (select count(*) from sm_holds), (select count(*) from sm_shares where released)",
    )
    .fetch_one(&mut *tx)
    .await?;
    Ok((holds, releases))
}
