//! Collaborations: an accepted application and its deliverables, copied from
//! the brief, each with a due date and a status on its way to publication.

pub mod db;
