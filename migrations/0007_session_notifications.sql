-- Each instance keeps a copy of recently used sessions for a few seconds, so most
-- signed-in pages cost one database round trip instead of two. These triggers
-- tell every instance (LISTEN liaison_sessions) when what such a copy holds stops
-- being true: a session ends, or its user's name, email, role, team or brand name
-- changes. The payload is the user's id. Notifications are sent on commit, so a
-- rolled-back change invalidates nothing.

create function notify_session_user(user_id uuid) returns void
language sql as $$
    select pg_notify('liaison_sessions', user_id::text);
$$;

create function sessions_notify_end() returns trigger
language plpgsql as $$
begin
    perform notify_session_user(old.user_id);
    return null;
end;
$$;

create trigger sessions_notify_end after delete on sessions
    for each row execute function sessions_notify_end();

create function users_notify_change() returns trigger
language plpgsql as $$
begin
    perform notify_session_user(old.id);
    return null;
end;
$$;

create trigger users_notify_change after update of email, display_name, role, password_hash on users
    for each row execute function users_notify_change();

create trigger users_notify_delete after delete on users
    for each row execute function users_notify_change();

create function brand_members_notify_change() returns trigger
language plpgsql as $$
begin
    if tg_op in ('UPDATE', 'DELETE') then
        perform notify_session_user(old.user_id);
    end if;
    if tg_op in ('INSERT', 'UPDATE') then
        perform notify_session_user(new.user_id);
    end if;
    return null;
end;
$$;

create trigger brand_members_notify_change after insert or update or delete on brand_members
    for each row execute function brand_members_notify_change();

create function brands_notify_rename() returns trigger
language plpgsql as $$
begin
    perform notify_session_user(m.user_id) from brand_members m where m.brand_id = new.id;
    return null;
end;
$$;

create trigger brands_notify_rename after update of name on brands
    for each row when (old.name is distinct from new.name)
    execute function brands_notify_rename();
