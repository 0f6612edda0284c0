-- The money pages at scale (the benchmark's 54,000 funded collaborations)
-- read escrow by brand and by creator, creators' payable balances by size,
-- and the newest receipts: each gets the index it reads by.

-- A brand's holds (its billing page, how soon it pays) and a creator's (their
-- earnings).
create index escrow_holds_brand_idx on escrow_holds (brand_id, created_at desc);
create index escrow_holds_profile_idx on escrow_holds (profile_id);

-- What is due to creators, largest first, per currency (the payouts page).
create index ledger_accounts_payable_idx on ledger_accounts (currency, balance_minor desc)
    include (owner_key) where kind = 'creator_payable' and balance_minor > 0;

-- The newest receipts first (the finance page).
create index funding_receipts_created_idx on funding_receipts (created_at desc, id desc);
