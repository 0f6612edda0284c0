-- Results, part three: what a published post did. The creator records dated
-- figures, like a channel's snapshots (never changed once recorded, one set
-- per day); the brand can mark a set checked. The latest set per deliverable
-- is kept apart for the reports.

create table post_figures (
    id uuid primary key,
    deliverable_id uuid not null references deliverables (id) on delete cascade,
    -- Copied from the deliverable by a trigger, for the brand's checks.
    brand_id uuid not null references brands (id) on delete cascade,
    recorded_on date not null,
    -- Null: the platform does not show it, or the creator did not say.
    impressions bigint,
    reach bigint,
    views bigint,
    likes bigint,
    comments bigint,
    shares bigint,
    saves bigint,
    recorded_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    checked_at timestamptz,
    checked_by uuid references users (id) on delete set null,
    constraint post_figures_day_key unique (deliverable_id, recorded_on),
    constraint post_figures_some_check check (
        coalesce(impressions, reach, views, likes, comments, shares, saves) is not null
    ),
    constraint post_figures_range_check check (
        coalesce(impressions, 0) between 0 and 100000000000 and coalesce(reach, 0) between 0 and 100000000000
        and coalesce(views, 0) between 0 and 100000000000 and coalesce(likes, 0) between 0 and 10000000000
        and coalesce(comments, 0) between 0 and 10000000000 and coalesce(shares, 0) between 0 and 10000000000
        and coalesce(saves, 0) between 0 and 10000000000
    ),
    constraint post_figures_reach_check check (reach is null or impressions is null or reach <= impressions),
    constraint post_figures_checked_check check (checked_by is null or checked_at is not null)
);

create index post_figures_brand_idx on post_figures (brand_id);

create function post_figures_set_brand() returns trigger
language plpgsql as $$
begin
    select d.brand_id into new.brand_id from deliverables d where d.id = new.deliverable_id;
    return new;
end;
$$;

create trigger post_figures_set_brand
    before insert or update of deliverable_id, brand_id on post_figures
    for each row execute function post_figures_set_brand();

-- Figures are what the creator saw on a day: only the brand's check changes.
create function post_figures_immutable() returns trigger
language plpgsql as $$
begin
    if (new.deliverable_id, new.recorded_on, new.impressions, new.reach, new.views, new.likes,
        new.comments, new.shares, new.saves, new.recorded_by, new.created_at)
       is distinct from
       (old.deliverable_id, old.recorded_on, old.impressions, old.reach, old.views, old.likes,
        old.comments, old.shares, old.saves, old.recorded_by, old.created_at) then
        raise exception 'post figures are never changed once recorded';
    end if;
    return new;
end;
$$;

create trigger post_figures_immutable
    before update on post_figures
    for each row execute function post_figures_immutable();

-- The newest figures of each published deliverable, with what the reports
-- need beside them; kept by the application with each new set.
create table deliverable_results (
    deliverable_id uuid primary key references deliverables (id) on delete cascade,
    application_id uuid not null references applications (id) on delete cascade,
    brand_id uuid not null references brands (id) on delete cascade,
    campaign_id uuid not null references campaigns (id) on delete cascade,
    recorded_on date not null,
    -- Impressions, else reach, else views: how many saw it.
    impressions bigint not null,
    views bigint not null,
    -- Likes, comments, shares and saves.
    engagements bigint not null,
    -- Likes and comments per million of the benchmark's base, when known.
    engagement_ppm integer,
    constraint deliverable_results_figures_check check (
        impressions >= 0 and views >= 0 and engagements >= 0 and engagement_ppm >= 0
    )
);

create index deliverable_results_brand_idx on deliverable_results (brand_id);
create index deliverable_results_application_idx on deliverable_results (application_id);

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
               'application.accepted', 'application.declined', 'application.brief_acknowledged',
               'deliverable.submitted', 'deliverable.reviewed', 'deliverable.published',
               'application.rated',
               'admin.funds_recorded', 'admin.terms_changed',
               'collaboration.cancelled', 'dispute.opened', 'admin.dispute_resolved',
               'influencer.payout_details_updated', 'admin.payout_batch_prepared',
               'admin.payout_batch_sent', 'admin.payout_batch_discarded',
               'deliverable.auto_approved',
               'collaboration.promo_code_set', 'collaboration.promo_code_removed',
               'brand.api_token_created', 'brand.api_token_revoked', 'brand.conversions_imported',
               'deliverable.figures_recorded', 'deliverable.figures_checked')
);
