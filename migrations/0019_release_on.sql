-- When a deliverable's pay is released, as the brief says: when the brand
-- approves it, or when the creator publishes it. Each collaboration keeps the
-- rule of the brief it was accepted under.

alter table brief_versions
    add column release_on text not null default 'approval',
    add constraint brief_versions_release_on_check check (release_on in ('approval', 'publication'));

alter table escrow_holds
    add column release_on text not null default 'approval',
    add constraint escrow_holds_release_on_check check (release_on in ('approval', 'publication'));
