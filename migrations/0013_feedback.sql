-- Delivering work in rounds, and structured, directed feedback on each round.
--
-- A submission is one round of a deliverable: the draft (a link, the caption
-- or script, notes to the brand). Its review is due within the brief's review
-- turnaround, fixed when it is submitted so a later brief edit can't move it.
-- A review scores the rubric the brief enabled, says what to keep and why the
-- changes matter, and turns each requested change into an action item that
-- may cite the brief clause it enforces or be marked as outside the brief.
-- The next round answers every open item (done, or a reply).

create table submissions (
    id uuid primary key,
    deliverable_id uuid not null references deliverables (id) on delete cascade,
    round smallint not null,
    content_url text not null,
    caption text not null default '',
    notes text not null default '',
    submitted_by uuid references users (id) on delete set null,
    submitted_at timestamptz not null default now(),
    review_due_at timestamptz not null,
    constraint submissions_round_key unique (deliverable_id, round),
    constraint submissions_round_check check (round between 1 and 11),
    constraint submissions_content_url_check check (
        content_url ~ '^https?://[^\s/]+' and char_length(content_url) <= 2000
    ),
    constraint submissions_caption_length check (char_length(caption) <= 5000),
    constraint submissions_notes_length check (char_length(notes) <= 2000),
    constraint submissions_review_due_check check (review_due_at > submitted_at)
);

-- Drafts waiting for a review (dashboards, reminders): few at any time.
create index deliverables_submitted_idx on deliverables (application_id) where status = 'submitted';

create table reviews (
    id uuid primary key,
    submission_id uuid not null references submissions (id) on delete cascade,
    reviewer_id uuid references users (id) on delete set null,
    decision text not null,
    keep text not null default '',
    why text not null default '',
    -- Copied from the submission when written, so response-time figures need no join.
    on_time boolean not null,
    created_at timestamptz not null default now(),
    constraint reviews_submission_key unique (submission_id),
    constraint reviews_decision_check check (decision in ('approve', 'request_changes')),
    constraint reviews_keep_length check (char_length(keep) <= 3000),
    constraint reviews_why_length check (char_length(why) <= 3000)
);

create table review_scores (
    review_id uuid not null references reviews (id) on delete cascade,
    criterion text not null,
    score smallint not null,
    comment text not null default '',
    primary key (review_id, criterion),
    constraint review_scores_criterion_check check (
        criterion in ('brief_alignment', 'brand_voice', 'creative_quality', 'call_to_action', 'disclosure')
    ),
    constraint review_scores_score_check check (score between 1 and 5),
    constraint review_scores_comment_length check (char_length(comment) <= 1000)
);

create table action_items (
    id uuid primary key,
    review_id uuid not null references reviews (id) on delete cascade,
    deliverable_id uuid not null references deliverables (id) on delete cascade,
    -- Numbered across the deliverable's rounds: the answer form's item_{n}_* fields.
    number smallint not null,
    body text not null,
    -- The brief clause it enforces: a deliverable, a do or a don't (by its
    -- number in the brief), or the disclosure rule; the clause text is copied.
    cite_kind text,
    cite_number smallint,
    cite_text text,
    out_of_scope boolean not null default false,
    answered_in uuid references submissions (id) on delete cascade,
    answer text,
    reply text,
    constraint action_items_number_key unique (deliverable_id, number),
    constraint action_items_number_check check (number >= 1),
    constraint action_items_body_length check (char_length(btrim(body)) between 1 and 1000),
    constraint action_items_cite_kind_check check (cite_kind in ('deliverable', 'do', 'dont', 'disclosure')),
    constraint action_items_cite_complete check (
        (cite_kind is null and cite_number is null and cite_text is null)
        or (cite_kind = 'disclosure' and cite_number is null and cite_text is not null)
        or (cite_kind in ('deliverable', 'do', 'dont') and cite_number >= 1 and cite_text is not null)
    ),
    constraint action_items_scope_check check (not (out_of_scope and cite_kind is not null)),
    constraint action_items_answer_check check (
        (answered_in is null and answer is null and reply is null)
        or (answered_in is not null and answer = 'done' and char_length(coalesce(reply, '')) <= 2000)
        or (answered_in is not null and answer = 'replied' and char_length(btrim(reply)) between 1 and 2000)
    )
);

create index action_items_review_idx on action_items (review_id, number);
create index action_items_open_idx on action_items (deliverable_id, number) where answered_in is null;

-- "Request changes" without a single change asked is not directed feedback.
-- Checked at commit, once the review's items are written.
create function reviews_check_items() returns trigger
language plpgsql as $$
begin
    if new.decision = 'request_changes'
       and not exists (select 1 from action_items i where i.review_id = new.id) then
        raise exception 'a review requesting changes needs at least one action item'
            using errcode = 'check_violation';
    end if;
    return null;
end;
$$;

create constraint trigger reviews_request_changes_has_items after insert on reviews
    deferrable initially deferred
    for each row execute function reviews_check_items();

-- What was submitted and said is a record both sides rely on.
create function refuse_record_change() returns trigger
language plpgsql as $$
begin
    raise exception '% rows are a record and cannot be changed', tg_table_name
        using errcode = 'restrict_violation';
end;
$$;

create trigger submissions_immutable before update on submissions
    for each row execute function refuse_record_change();
create trigger reviews_immutable before update on reviews
    for each row execute function refuse_record_change();
create trigger review_scores_immutable before update on review_scores
    for each row execute function refuse_record_change();

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
               'application.rated')
);
