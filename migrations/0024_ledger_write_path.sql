-- The ledger's write path, made cheaper where the write load found it slow.
--
-- 1. Finding an account by its owner compared nullable owner columns with
--    `is not distinct from`, which no index serves: every transfer scanned
--    every account. Each account now carries its owner as one never-null key
--    (the agency's and the outside world's accounts have the nil UUID), and
--    the lookup is an equality on a unique index.
--
-- 2. A transfer is checked for balance once, at commit, by its own row's
--    trigger, rather than once more for each of its entries. An entry added
--    to a transfer written in an earlier transaction is still checked
--    itself: that is the case the entries' trigger is there for.

alter table ledger_accounts
    add column owner_key uuid not null generated always as (
        coalesce(brand_id, application_id, profile_id, '00000000-0000-0000-0000-000000000000'::uuid)
    ) stored;

create unique index ledger_accounts_owner_idx on ledger_accounts (kind, owner_key, currency);
-- It replaces the unique index on the nullable owner columns.
drop index ledger_accounts_owner_key;

create or replace function ledger_check_balanced() returns trigger
language plpgsql as $$
declare
    transfer uuid;
    currencies bigint;
    unbalanced boolean;
begin
    if tg_table_name = 'ledger_entries' then
        -- The transfer row of this same transaction checks it.
        if exists (select 1 from ledger_transfers t
                    where t.id = new.transfer_id and t.xmin = pg_current_xact_id()::xid) then
            return null;
        end if;
        transfer := new.transfer_id;
    else
        transfer := new.id;
    end if;
    -- One pass over the transfer's entries: how many currencies they move,
    -- and whether any does not sum to zero.
    select count(*), coalesce(bool_or(t.total <> 0), false)
      into currencies, unbalanced
      from (select sum(amount_minor) as total from ledger_entries
             where transfer_id = transfer group by currency) t;
    if currencies = 0 then
        raise exception 'ledger transfer % has no entries', transfer;
    end if;
    if unbalanced then
        raise exception 'ledger transfer % does not balance', transfer;
    end if;
    return null;
end;
$$;
