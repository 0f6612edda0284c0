-- Brand profiles (what the business is and wants) and team invitations.

alter table brands
    add column website text not null default '',
    add column industry text not null default '',
    add column description text not null default '',
    add column business_goals text not null default '',
    add column brand_voice text not null default '',
    add constraint brands_website_check check (
        website = '' or (website ~ '^https?://[^\s/$.?#][^\s]*$' and char_length(website) <= 300)
    ),
    add constraint brands_industry_length check (char_length(industry) <= 80),
    add constraint brands_description_length check (char_length(description) <= 5000),
    add constraint brands_business_goals_length check (char_length(business_goals) <= 5000),
    add constraint brands_brand_voice_length check (char_length(brand_voice) <= 3000);

-- An invitation for an address with no account yet. Only the SHA-256 of the
-- link's token is stored; the link is shown to the owner once.
create table brand_invitations (
    id uuid primary key,
    brand_id uuid not null references brands (id) on delete cascade,
    email text not null,
    token_hash bytea not null,
    invited_by uuid references users (id) on delete set null,
    created_at timestamptz not null default now(),
    expires_at timestamptz not null,
    accepted_at timestamptz,
    constraint brand_invitations_token_hash_key unique (token_hash),
    constraint brand_invitations_token_hash_length check (octet_length(token_hash) = 32),
    constraint brand_invitations_email_normalized check (email = lower(btrim(email)) and position('@' in email) > 1),
    constraint brand_invitations_expiry_after_creation check (expires_at > created_at)
);

-- One open invitation per brand and address; accepted ones are history.
create unique index brand_invitations_open_idx on brand_invitations (brand_id, email) where accepted_at is null;

alter table audit_events drop constraint audit_events_action_check;
alter table audit_events add constraint audit_events_action_check check (
    action in ('account.signed_up', 'account.logged_in', 'account.logged_out',
               'account.password_changed', 'account.admin_created',
               'brand.profile_updated', 'brand.member_added', 'brand.member_removed',
               'brand.member_invited', 'brand.invitation_revoked', 'brand.invitation_accepted')
);
