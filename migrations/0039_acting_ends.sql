-- A manager stops working as a brand the moment it stops being theirs to work
-- for (taken off their portfolio, no longer agency-managed, suspended): the
-- session forgets the brand, so marking it managed again later does not put
-- an old session back to work as it without the manager choosing to.

create or replace function portfolio_brands_notify() returns trigger
language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        update sessions set acting_brand_id = null
         where acting_brand_id = old.brand_id and user_id = old.manager_id
           and (tg_op = 'DELETE' or new.manager_id <> old.manager_id);
        perform notify_session_user(old.manager_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform notify_session_user(new.manager_id);
    end if;
    return null;
end;
$$;

create or replace function brands_notify_manager() returns trigger
language plpgsql as $$
begin
    if not new.agency_managed or new.suspended_at is not null then
        update sessions set acting_brand_id = null where acting_brand_id = new.id;
    end if;
    perform notify_session_user(pb.manager_id) from portfolio_brands pb where pb.brand_id = new.id;
    return null;
end;
$$;
