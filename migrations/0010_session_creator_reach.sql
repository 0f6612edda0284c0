-- The session copy also carries an influencer's tier and platforms, so the
-- campaign board can say which campaigns fit them without reading their
-- profile on every page. Tell the instances when those change.

create function influencer_profiles_notify_reach() returns trigger
language plpgsql as $$
begin
    perform notify_session_user(new.user_id);
    return null;
end;
$$;

create trigger influencer_profiles_notify_reach after update of tier, platforms on influencer_profiles
    for each row when (old.tier is distinct from new.tier or old.platforms is distinct from new.platforms)
    execute function influencer_profiles_notify_reach();
