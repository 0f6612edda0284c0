-- Each application with its applicant's authenticity score, for a campaign's
-- list of applications in score order (a brand's most used order after the
-- newest). The score lives on the profile, so that order read the profile of
-- every application of the campaign before it could cut a page: 5,000
-- profiles, 15 ms, for each page of a popular campaign. Here the page is a
-- walk of an index, at any depth.
--
-- A creator not yet scored sorts last, as -1. Kept by triggers: applications
-- arriving, moving between statuses or campaigns, changing applicant; and a
-- creator's score changing (rescoring runs one profile at a time).
create table applicant_scores (
    application_id uuid primary key references applications (id) on delete cascade,
    campaign_id uuid not null references campaigns (id) on delete cascade,
    status text not null,
    score smallint not null check (score between -1 and 100)
);

create index applicant_scores_campaign_idx on applicant_scores (campaign_id, score desc, application_id desc);
create index applicant_scores_status_idx on applicant_scores (campaign_id, status, score desc, application_id desc);

-- What the table holds, from its sources: fills it, and the test that proves
-- the triggers keep it true compares against it.
create view applicant_scores_source as
select a.id as application_id, a.campaign_id, a.status, coalesce(p.score, -1)::smallint as score
  from applications a
  join influencer_profiles p on p.id = a.profile_id;

create function applicant_scores_added() returns trigger
language plpgsql as $$
begin
    insert into applicant_scores (application_id, campaign_id, status, score)
    select n.id, n.campaign_id, n.status, coalesce(p.score, -1)
      from inserted_rows n
      join influencer_profiles p on p.id = n.profile_id;
    return null;
end;
$$;

create trigger applicant_scores_added after insert on applications
    referencing new table as inserted_rows for each statement
    execute function applicant_scores_added();

create function applicant_scores_moved() returns trigger
language plpgsql as $$
begin
    update applicant_scores k
       set campaign_id = n.campaign_id, status = n.status, score = coalesce(p.score, -1)
      from new_rows n
      join influencer_profiles p on p.id = n.profile_id
     where k.application_id = n.id
       and (k.campaign_id, k.status, k.score)
           is distinct from (n.campaign_id, n.status, coalesce(p.score, -1));
    return null;
end;
$$;

create trigger applicant_scores_moved after update on applications
    referencing new table as new_rows for each statement
    execute function applicant_scores_moved();

create function applicant_scores_rescored() returns trigger
language plpgsql as $$
begin
    update applicant_scores k set score = coalesce(new.score, -1)
      from applications a
     where a.profile_id = new.id and k.application_id = a.id;
    return null;
end;
$$;

create trigger applicant_scores_rescored after update of score on influencer_profiles
    for each row when (old.score is distinct from new.score)
    execute function applicant_scores_rescored();

insert into applicant_scores (application_id, campaign_id, status, score)
select application_id, campaign_id, status, score from applicant_scores_source;
