-- An account's history, newest first, read a page at a time.
--
-- The money pages (/earnings, /billing) show an owner's newest movements
-- across their accounts, one per currency, ordered by when each transfer was
-- recorded. Only the transfer knew that time, so every candidate entry of
-- every account was joined to its transfer before the newest were cut: for a
-- creator paid in three currencies, 267 transfer lookups and about 1,200
-- buffer reads to show 100 rows, and no way to read the next page from where
-- one ended.
--
-- Each entry now carries its transfer's `recorded_at`. A foreign key on
-- (transfer, recorded_at) makes the copy agree with the transfer by
-- construction, and the ledger is append-only, so neither side changes after.
-- The history index serves both the cut and the cursor of the next page, and
-- carries what the page shows, so the cut reads the index alone.

alter table ledger_transfers
    add constraint ledger_transfers_id_recorded_key unique (id, recorded_at);

alter table ledger_entries add column recorded_at timestamptz;

-- The one change made to posted entries: filling the new copy from the
-- transfers it copies, before any reader depends on it.
alter table ledger_entries disable trigger ledger_entries_append_only;
update ledger_entries e
   set recorded_at = t.recorded_at
  from ledger_transfers t
 where t.id = e.transfer_id;
alter table ledger_entries enable trigger ledger_entries_append_only;

alter table ledger_entries
    alter column recorded_at set not null,
    add constraint ledger_entries_transfer_recorded_fkey foreign key (transfer_id, recorded_at)
        references ledger_transfers (id, recorded_at),
    -- Implied by the key above.
    drop constraint ledger_entries_transfer_id_fkey;

-- The release before this one posts entries without the copy: during a
-- rolling deploy its entries take their transfer's time here. A trigger
-- function's statement sees the transfer its posting statement wrote first.
create function ledger_entries_fill_recorded_at() returns trigger
language plpgsql as $$
begin
    if new.recorded_at is null then
        select t.recorded_at into new.recorded_at
          from ledger_transfers t
         where t.id = new.transfer_id;
    end if;
    return new;
end
$$;

create trigger ledger_entries_fill_recorded_at before insert on ledger_entries
    for each row execute function ledger_entries_fill_recorded_at();

create index ledger_entries_history_idx on ledger_entries (account_id, recorded_at, account_version)
    include (transfer_id, currency, amount_minor, balance_after_minor);
