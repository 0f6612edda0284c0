-- The parts of a creator's fees still held in escrow, one row per share not
-- yet settled, carrying what the creator's money pages need: whose it is, when
-- it is due and what the creator receives of it.
--
-- Found through deliverables, escrow shares and holds, a busy creator's 250
-- held parts cost about 3,000 buffer reads on every view of /earnings, the
-- business desk and the income page (3.5 ms of the database's time). Here they
-- are one index range.
--
-- Kept by triggers on the sources: a share appears when it is held, leaves when
-- it is settled (released, refunded or split), and follows its deliverable's
-- due date. Shares and holds are append-only, so the net never changes.
create table held_shares (
    deliverable_id uuid primary key references escrow_shares (deliverable_id) on delete cascade,
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    due_on date not null,
    currency text not null check (currency ~ '^[A-Z]{3}$'),
    -- The share less the creator-side fee fixed at acceptance, rounded half up
    -- (as the earnings page has always shown it).
    net_minor bigint not null check (net_minor >= 0)
);

create index held_shares_profile_idx on held_shares (profile_id, due_on, deliverable_id)
    include (net_minor, currency);

-- What the table holds, computed from its sources: used to fill it, and by the
-- test that proves the triggers keep it true.
create view held_shares_source as
select s.deliverable_id, d.profile_id, d.due_on, h.currency,
       s.fee_minor - (s.fee_minor * h.creator_fee_basis_points + 5000) / 10000 as net_minor
  from escrow_shares s
  join escrow_holds h on h.application_id = s.application_id
  join deliverables d on d.id = s.deliverable_id
 where s.settled is null;

create function held_shares_added() returns trigger
language plpgsql as $$
begin
    insert into held_shares (deliverable_id, profile_id, due_on, currency, net_minor)
    select v.deliverable_id, v.profile_id, v.due_on, v.currency, v.net_minor
      from new_rows n
      join held_shares_source v on v.deliverable_id = n.deliverable_id;
    return null;
end;
$$;

create trigger held_shares_added after insert on escrow_shares
    referencing new table as new_rows for each statement
    execute function held_shares_added();

create function held_shares_settled() returns trigger
language plpgsql as $$
begin
    delete from held_shares k
     using new_rows n
     where k.deliverable_id = n.deliverable_id and n.settled is not null;
    return null;
end;
$$;

create trigger held_shares_settled after update on escrow_shares
    referencing new table as new_rows for each statement
    execute function held_shares_settled();

-- No code moves a due date today (an amendment adds deliverables instead); the
-- trigger keeps the copy true if one ever does.
create function held_shares_due_moved() returns trigger
language plpgsql as $$
begin
    update held_shares set due_on = new.due_on where deliverable_id = new.id;
    return null;
end;
$$;

create trigger held_shares_due_moved after update of due_on on deliverables
    for each row when (old.due_on is distinct from new.due_on)
    execute function held_shares_due_moved();

insert into held_shares (deliverable_id, profile_id, due_on, currency, net_minor)
select deliverable_id, profile_id, due_on, currency, net_minor from held_shares_source;
