-- Accounts, brands, influencer profiles, sessions, login throttling and the audit trail.
-- Ids are UUIDv7 made by the application; times are timestamptz.

create function set_updated_at() returns trigger
language plpgsql as $$
begin
    new.updated_at := now();
    return new;
end;
$$;

create table users (
    id uuid primary key,
    -- Stored trimmed and lower-cased so the unique constraint is case-insensitive
    -- without the citext extension.
    email text not null,
    password_hash text not null,
    display_name text not null,
    role text not null,
    password_changed_at timestamptz not null default now(),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint users_email_key unique (email),
    constraint users_email_normalized check (
        email = lower(btrim(email)) and char_length(email) between 3 and 254 and position('@' in email) > 1
    ),
    constraint users_display_name_length check (char_length(btrim(display_name)) between 1 and 100),
    constraint users_role_check check (role in ('brand', 'influencer', 'admin')),
    constraint users_password_hash_argon2id check (password_hash like '$argon2id$%')
);

create trigger users_set_updated_at before update on users
    for each row execute function set_updated_at();

create table brands (
    id uuid primary key,
    name text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint brands_name_length check (char_length(btrim(name)) between 1 and 120)
);

create trigger brands_set_updated_at before update on brands
    for each row execute function set_updated_at();

create table brand_members (
    brand_id uuid not null references brands (id) on delete cascade,
    user_id uuid not null references users (id) on delete cascade,
    role text not null,
    created_at timestamptz not null default now(),
    primary key (brand_id, user_id),
    -- A brand account acts for exactly one brand.
    constraint brand_members_user_key unique (user_id),
    constraint brand_members_role_check check (role in ('owner', 'member'))
);

create unique index brand_members_one_owner_idx on brand_members (brand_id) where role = 'owner';

create table influencer_profiles (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint influencer_profiles_user_key unique (user_id)
);

create trigger influencer_profiles_set_updated_at before update on influencer_profiles
    for each row execute function set_updated_at();

-- The cookie carries a random token; only its SHA-256 is stored, so a copy of
-- this table cannot be replayed as cookies.
create table sessions (
    token_hash bytea primary key,
    user_id uuid not null references users (id) on delete cascade,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null,
    constraint sessions_token_hash_length check (octet_length(token_hash) = 32),
    constraint sessions_expiry_after_creation check (expires_at > created_at)
);

create index sessions_user_id_idx on sessions (user_id);
create index sessions_expires_at_idx on sessions (expires_at);

-- Failed sign-in attempts, keyed by the email as typed (normalized), known or not,
-- so throttling never reveals whether an account exists.
create table login_failures (
    id uuid primary key,
    email text not null,
    ip inet not null,
    attempted_at timestamptz not null default now()
);

create index login_failures_email_attempted_at_idx on login_failures (email, attempted_at);
create index login_failures_ip_attempted_at_idx on login_failures (ip, attempted_at);

create table audit_events (
    id uuid primary key,
    actor_user_id uuid references users (id) on delete set null,
    action text not null,
    detail text not null default '',
    ip inet,
    occurred_at timestamptz not null default now(),
    constraint audit_events_action_check check (
        action in ('account.signed_up', 'account.logged_in', 'account.logged_out',
                   'account.password_changed', 'account.admin_created')
    )
);

create index audit_events_occurred_at_idx on audit_events (occurred_at desc);
