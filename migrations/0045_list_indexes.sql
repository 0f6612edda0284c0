-- What the lists and dashboards walk in their order, or count on their own.
-- The creator's dashboard counts declined applications of the last 30 days.
create index applications_profile_declined_idx on applications (profile_id, decided_at)
    where status = 'declined';
-- A campaign's list by fee.
create index applications_campaign_fee_idx on applications (campaign_id, proposed_fee_minor, id);
-- Drafts waiting for review, by creator and by brand (the dashboards).
create index deliverables_profile_submitted_idx on deliverables (profile_id)
    where status = 'submitted';
create index deliverables_brand_submitted_idx on deliverables (brand_id)
    where status = 'submitted';
