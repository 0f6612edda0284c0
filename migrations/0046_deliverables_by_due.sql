-- A creator's deliverables in due order, whatever their state: the parts of
-- their fees still held are listed soonest due first (/earnings), found by
-- walking this index until a page is full instead of joining every part.
create index deliverables_profile_due_idx on deliverables (profile_id, due_on, id);
