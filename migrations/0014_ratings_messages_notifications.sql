-- Feedback both ways once a collaboration completes, one message thread per
-- application, and in-app notifications.

-- UUIDv7 made in the database, for rows inserted from a select (one
-- notification per brand member): the millisecond clock in the first 48 bits,
-- version 7, random bits from gen_random_uuid.
create function uuidv7() returns uuid
language sql volatile as $$
    select encode(
        set_bit(set_bit(
            overlay(uuid_send(gen_random_uuid())
                    placing substring(int8send((extract(epoch from clock_timestamp()) * 1000)::bigint) from 3)
                    from 1 for 6),
            52, 1), 53, 1),
        'hex')::uuid;
$$;

-- The creator rates the brand. Creators see a brand's averages once it has at
-- least three ratings, never who gave them.
create table brand_ratings (
    application_id uuid primary key references applications (id) on delete cascade,
    brand_id uuid not null references brands (id) on delete cascade,
    rater_id uuid references users (id) on delete set null,
    brief_clarity smallint not null,
    feedback_quality smallint not null,
    communication smallint not null,
    payment_timeliness smallint not null,
    fairness smallint not null,
    comment text not null default '',
    created_at timestamptz not null default now(),
    constraint brand_ratings_scores_check check (
        brief_clarity between 1 and 5 and feedback_quality between 1 and 5
        and communication between 1 and 5 and payment_timeliness between 1 and 5
        and fairness between 1 and 5
    ),
    constraint brand_ratings_comment_length check (char_length(comment) <= 2000)
);

create index brand_ratings_brand_idx on brand_ratings (brand_id);

-- The brand rates the creator.
create table creator_ratings (
    application_id uuid primary key references applications (id) on delete cascade,
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    rater_id uuid references users (id) on delete set null,
    quality smallint not null,
    reliability smallint not null,
    communication smallint not null,
    results smallint not null,
    comment text not null default '',
    created_at timestamptz not null default now(),
    constraint creator_ratings_scores_check check (
        quality between 1 and 5 and reliability between 1 and 5
        and communication between 1 and 5 and results between 1 and 5
    ),
    constraint creator_ratings_comment_length check (char_length(comment) <= 2000)
);

create index creator_ratings_profile_idx on creator_ratings (profile_id);

create trigger brand_ratings_immutable before update on brand_ratings
    for each row execute function refuse_record_change();
create trigger creator_ratings_immutable before update on creator_ratings
    for each row execute function refuse_record_change();

create table messages (
    id uuid primary key,
    application_id uuid not null references applications (id) on delete cascade,
    author_id uuid references users (id) on delete set null,
    body text not null,
    created_at timestamptz not null default now(),
    constraint messages_body_length check (char_length(btrim(body)) between 1 and 5000)
);

create index messages_application_idx on messages (application_id, created_at, id);

create table notifications (
    id uuid primary key,
    user_id uuid not null references users (id) on delete cascade,
    kind text not null,
    -- What it is about (an application, deliverable or submission): reminders
    -- are sent once per subject.
    subject_id uuid not null,
    message text not null,
    link text not null,
    created_at timestamptz not null default now(),
    read_at timestamptz,
    constraint notifications_kind_check check (
        kind in ('application_received', 'application_withdrawn', 'application_decided',
                 'brief_updated', 'submission_received', 'feedback_received',
                 'deliverable_published', 'rating_received', 'message_received',
                 'deadline_soon', 'review_overdue')
    ),
    constraint notifications_message_length check (char_length(message) between 1 and 500),
    constraint notifications_link_check check (link ~ '^/[^/]')
);

create index notifications_user_idx on notifications (user_id, created_at desc, id desc);
create index notifications_unread_idx on notifications (user_id) where read_at is null;
create unique index notifications_reminder_once on notifications (user_id, kind, subject_id)
    where kind in ('deadline_soon', 'review_overdue');

-- The unread count travels with the cached session: tell every instance.
create function notifications_notify_change() returns trigger
language plpgsql as $$
begin
    if tg_op = 'DELETE' then
        perform notify_session_user(old.user_id);
    else
        perform notify_session_user(new.user_id);
    end if;
    return null;
end;
$$;

create trigger notifications_notify_change after insert or delete or update of read_at on notifications
    for each row execute function notifications_notify_change();
