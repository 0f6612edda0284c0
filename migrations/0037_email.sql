-- Email: an outbox that a background sender drains through SMTP, password
-- resets by emailed link, and each person's choice of notification email.
--
-- A message is written to the outbox in the transaction that caused it (an
-- invitation, a suspension, a reset), so a rolled-back action sends nothing
-- and a committed one is never forgotten. With no SMTP server configured,
-- messages stay in the outbox where agency admins read them.

create table outbox (
    id uuid primary key,
    -- Null for addresses without an account (a team invitation).
    user_id uuid references users (id),
    to_address text not null,
    kind text not null,
    subject text not null,
    body text not null,
    -- A message that carries a secret (a reset link) keeps this version once
    -- it is sent, so the console never shows a link that still works.
    body_after_sending text,
    created_at timestamptz not null default now(),
    attempts integer not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error text,
    sent_at timestamptz,
    failed_at timestamptz,
    constraint outbox_to_address_check
        check (char_length(to_address) between 3 and 254 and position('@' in to_address) > 1
               and to_address !~ '[\s<>,;]'),
    constraint outbox_kind_check check (kind in (
        'team_invitation', 'password_reset', 'account_suspended', 'account_reactivated',
        'notification', 'digest'
    )),
    constraint outbox_subject_length check (char_length(subject) between 1 and 200 and subject !~ '[\r\n]'),
    constraint outbox_body_length check (char_length(body) between 1 and 100000),
    constraint outbox_attempts_check check (attempts >= 0),
    constraint outbox_sent_or_failed check (sent_at is null or failed_at is null),
    constraint outbox_last_error_length check (char_length(last_error) <= 1000)
);

-- The sender's work: messages not yet sent or given up on, soonest first.
create index outbox_due_idx on outbox (next_attempt_at) where sent_at is null and failed_at is null;
-- The console counts the messages given up on and lists an account's mail
-- newest first (ids are UUIDv7, so in the order they were written).
create index outbox_failed_idx on outbox (id) where failed_at is not null;
create index outbox_user_idx on outbox (user_id, id desc) where user_id is not null;
-- Sent mail is deleted after 90 days: it holds people's names and business.
create index outbox_sent_idx on outbox (sent_at) where sent_at is not null;

-- One-time links to choose a new password: only the token's SHA-256 is kept.
-- A link lasts an hour and works once; asking again replaces any open link.
create table password_resets (
    id uuid primary key,
    user_id uuid not null references users (id),
    token_hash bytea not null,
    -- The agency admin who sent it from the console; null when the person
    -- asked on the sign-in page.
    requested_by uuid references users (id),
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    used_at timestamptz,
    -- Replaced by a newer link before it was used.
    superseded_at timestamptz,
    constraint password_resets_token_hash_key unique (token_hash),
    constraint password_resets_token_hash_length check (octet_length(token_hash) = 32),
    constraint password_resets_expiry check (expires_at > created_at),
    constraint password_resets_used_or_superseded check (used_at is null or superseded_at is null)
);

create index password_resets_user_idx on password_resets (user_id, created_at desc);

-- How each person wants notifications by email: each at once, a daily digest
-- (the default: enough to notice, not so much it is ignored), or never.
alter table users
    add column notification_email text not null default 'digest',
    add column digest_sent_at timestamptz,
    add constraint users_notification_email_check
        check (notification_email in ('immediate', 'digest', 'never'));

-- Notifications still to be emailed, queued by the insert itself so that no
-- path that notifies can forget the email. Rows are deleted when mailed (or
-- when the digest finds them already read), so this stays small.
create table notification_mail (
    notification_id uuid primary key references notifications (id) on delete cascade,
    user_id uuid not null references users (id),
    mode text not null,
    created_at timestamptz not null default now(),
    constraint notification_mail_mode_check check (mode in ('immediate', 'digest'))
);

create index notification_mail_immediate_idx on notification_mail (created_at) where mode = 'immediate';
create index notification_mail_user_idx on notification_mail (user_id, created_at);

create function notifications_queue_mail() returns trigger
language plpgsql as $$
begin
    insert into notification_mail (notification_id, user_id, mode)
    select new.id, u.id, u.notification_email
      from users u
     where u.id = new.user_id and u.notification_email <> 'never';
    return null;
end;
$$;

create trigger notifications_queue_mail after insert on notifications
    for each row execute function notifications_queue_mail();

insert into audit_actions (action, description) values
    ('account.password_reset_requested', 'Asked for a password reset link'),
    ('account.password_reset', 'Chose a new password from a reset link'),
    ('admin.password_reset_sent', 'Sent a password reset link'),
    ('account.notification_email_changed', 'Changed how notifications are emailed');
