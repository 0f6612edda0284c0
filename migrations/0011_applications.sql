-- Applications: an influencer applies to an open campaign with a pitch and a
-- fee, acknowledging the brief version they read; the brand shortlists,
-- accepts (with the agreed fee) or declines (with a reason the influencer
-- sees); the influencer may withdraw. Accepting is checked against the
-- campaign's budget and creators wanted under a lock on the campaign row.

create table applications (
    id uuid primary key,
    campaign_id uuid not null references campaigns (id) on delete cascade,
    profile_id uuid not null references influencer_profiles (id) on delete cascade,
    pitch text not null,
    proposed_fee_minor bigint not null,
    agreed_fee_minor bigint,
    -- Always the campaign's currency: fees and budget add up.
    currency text not null,
    status text not null default 'submitted',
    decision_reason text,
    decided_by uuid references users (id) on delete set null,
    decided_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    constraint applications_pitch_length check (char_length(btrim(pitch)) between 1 and 5000),
    constraint applications_proposed_fee_check check (proposed_fee_minor between 1 and 100000000000),
    constraint applications_agreed_fee_check check (agreed_fee_minor between 1 and 100000000000),
    constraint applications_currency_check check (currency ~ '^[A-Z]{3}$'),
    constraint applications_status_check check (status in ('submitted', 'shortlisted', 'accepted', 'declined', 'withdrawn')),
    constraint applications_accepted_has_fee check ((status = 'accepted') = (agreed_fee_minor is not null)),
    constraint applications_declined_has_reason check (
        status <> 'declined' or char_length(btrim(coalesce(decision_reason, ''))) between 1 and 2000
    )
);

-- One active application per creator and campaign; after a withdrawal or a
-- decline they may apply again.
create unique index applications_one_active_idx on applications (campaign_id, profile_id)
    where status in ('submitted', 'shortlisted', 'accepted');
create index applications_campaign_idx on applications (campaign_id, created_at desc, id desc);
create index applications_profile_idx on applications (profile_id, created_at desc, id desc);

create trigger applications_set_updated_at before update on applications
    for each row execute function set_updated_at();

-- Which brief versions an applicant has read and acknowledged: the version
-- they applied under, and each later one they confirmed.
create table brief_acknowledgements (
    application_id uuid not null references applications (id) on delete cascade,
    version integer not null,
    acknowledged_at timestamptz not null default now(),
    primary key (application_id, version),
    constraint brief_acknowledgements_version_check check (version >= 1)
);

alter table audit_events drop constraint audit_events_action_check;
alter table audit_events add constraint audit_events_action_check check (
    action in ('account.signed_up', 'account.logged_in', 'account.logged_out',
               'account.password_changed', 'account.admin_created',
               'brand.profile_updated', 'brand.member_added', 'brand.member_removed',
               'brand.member_invited', 'brand.invitation_revoked', 'brand.invitation_accepted',
               'brand.influencer_invited',
               'influencer.profile_updated', 'influencer.channel_added', 'influencer.snapshot_added',
               'admin.channel_verified', 'admin.tier_cutoffs_changed',
               'application.submitted', 'application.withdrawn', 'application.shortlisted',
               'application.accepted', 'application.declined', 'application.brief_acknowledged')
);
