-- An accepted application is a collaboration; its deliverables are copied from
-- the brief version in force when it was accepted (platform, format, quantity,
-- due date, notes), so a later brief edit never changes work already agreed.

create table deliverables (
    id uuid primary key,
    application_id uuid not null references applications (id) on delete cascade,
    position smallint not null,
    brief_version integer not null,
    platform text not null,
    format text not null,
    quantity integer not null,
    due_on date not null,
    notes text not null default '',
    status text not null default 'todo',
    live_url text,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint deliverables_position_key unique (application_id, position),
    constraint deliverables_platform_check check (
        platform in ('instagram', 'tiktok', 'youtube', 'x', 'twitch', 'pinterest', 'linkedin', 'blog', 'podcast')
    ),
    constraint deliverables_format_check check (
        format in ('post', 'story', 'short_video', 'long_video', 'live', 'blog', 'podcast')
    ),
    constraint deliverables_quantity_check check (quantity between 1 and 100),
    constraint deliverables_status_check check (
        status in ('todo', 'submitted', 'changes_requested', 'approved', 'published')
    ),
    constraint deliverables_live_url_check check (
        (status = 'published') = (live_url is not null) and (live_url is null or live_url ~ '^https?://')
    )
);

-- Dashboards list what is due next.
create index deliverables_due_idx on deliverables (due_on) where status not in ('approved', 'published');

create trigger deliverables_set_updated_at before update on deliverables
    for each row execute function set_updated_at();
