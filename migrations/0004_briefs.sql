-- Briefs, versioned: every save is a new immutable version, so what creators
-- agreed to can always be shown and compared.

create table brief_versions (
    campaign_id uuid not null references campaigns (id) on delete cascade,
    version integer not null,
    key_message text not null,
    story text not null default '',
    dos text[] not null default '{}',
    donts text[] not null default '{}',
    hashtags text[] not null default '{}',
    mentions text[] not null default '{}',
    disclosure text not null,
    -- null: organic use only; otherwise paid amplification for this many days.
    paid_usage_days integer,
    exclusivity_categories text[] not null default '{}',
    exclusivity_days integer not null default 0,
    review_days integer not null,
    max_revision_rounds integer not null,
    rubric text[] not null,
    change_summary text not null default '',
    created_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    primary key (campaign_id, version),
    constraint brief_versions_version_positive check (version >= 1),
    constraint brief_versions_key_message_length check (char_length(btrim(key_message)) between 1 and 3000),
    constraint brief_versions_story_length check (char_length(story) <= 5000),
    constraint brief_versions_disclosure_length check (char_length(btrim(disclosure)) between 1 and 500),
    constraint brief_versions_paid_usage_days_range check (paid_usage_days between 1 and 3650),
    constraint brief_versions_exclusivity_days_range check (exclusivity_days between 0 and 3650),
    constraint brief_versions_review_days_range check (review_days between 1 and 30),
    constraint brief_versions_revision_rounds_range check (max_revision_rounds between 0 and 10),
    constraint brief_versions_rubric_check check (
        cardinality(rubric) >= 1
        and rubric <@ array['brief_alignment', 'brand_voice', 'creative_quality', 'call_to_action', 'disclosure']
    ),
    constraint brief_versions_change_summary_length check (char_length(change_summary) <= 1000)
);

create table brief_deliverables (
    campaign_id uuid not null,
    version integer not null,
    position smallint not null,
    platform text not null,
    format text not null,
    quantity integer not null,
    due_on date not null,
    notes text not null default '',
    primary key (campaign_id, version, position),
    foreign key (campaign_id, version) references brief_versions (campaign_id, version) on delete cascade,
    constraint brief_deliverables_platform_check check (
        platform in ('instagram', 'tiktok', 'youtube', 'x', 'twitch', 'pinterest', 'linkedin', 'blog', 'podcast')
    ),
    constraint brief_deliverables_format_check check (
        format in ('post', 'story', 'short_video', 'long_video', 'live', 'blog', 'podcast')
    ),
    constraint brief_deliverables_quantity_range check (quantity between 1 and 100),
    constraint brief_deliverables_notes_length check (char_length(notes) <= 1000),
    constraint brief_deliverables_position_range check (position between 0 and 49)
);

-- A version is a record of what was asked: it never changes once written.
create function refuse_brief_change() returns trigger
language plpgsql as $$
begin
    raise exception 'brief versions are immutable; save a new version instead'
        using errcode = 'restrict_violation';
end;
$$;

create trigger brief_versions_immutable before update on brief_versions
    for each row execute function refuse_brief_change();
create trigger brief_deliverables_immutable before update on brief_deliverables
    for each row execute function refuse_brief_change();
