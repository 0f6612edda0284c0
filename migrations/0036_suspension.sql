-- Agency admins suspend accounts and brands. A suspended account cannot sign
-- in and its sessions end; a suspended creator disappears from search and the
-- media kit; a suspended brand's members are all kept out and its open
-- campaigns stop taking applications. The reason is shown to whoever is
-- kept out.

alter table users
    add column suspended_at timestamptz,
    add column suspension_reason text,
    add constraint users_suspension_whole check ((suspended_at is null) = (suspension_reason is null)),
    add constraint users_suspension_reason_length
        check (char_length(btrim(suspension_reason)) between 1 and 1000);

alter table brands
    add column suspended_at timestamptz,
    add column suspension_reason text,
    add constraint brands_suspension_whole check ((suspended_at is null) = (suspension_reason is null)),
    add constraint brands_suspension_reason_length
        check (char_length(btrim(suspension_reason)) between 1 and 1000);

-- Kept beside the profile so that creator search and the media kit, which
-- read only profiles, leave suspended creators out without a join; set in the
-- transaction that suspends or reactivates the account.
alter table influencer_profiles add column suspended boolean not null default false;

-- The campaign board leaves out suspended brands' campaigns: an anti-join
-- against this (nearly always empty) index.
create index brands_suspended_idx on brands (id) where suspended_at is not null;

-- The console lists accounts newest first, 50 at a time.
create index users_created_at_idx on users (created_at desc, id desc);

-- A session copy holds whether its user may be signed in at all.
create trigger users_notify_suspension after update of suspended_at on users
    for each row execute function users_notify_change();

create function brands_notify_members() returns trigger
language plpgsql as $$
begin
    perform notify_session_user(m.user_id) from brand_members m where m.brand_id = new.id;
    return null;
end;
$$;

create trigger brands_notify_suspension after update of suspended_at on brands
    for each row execute function brands_notify_members();

insert into audit_actions (action, description) values
    ('admin.account_suspended', 'Suspended an account'),
    ('admin.account_reactivated', 'Reactivated an account'),
    ('admin.brand_owner_changed', 'Changed a brand''s owner');
