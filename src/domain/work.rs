//! The kinds of work a creator logs hours for.

keyed_enum! {
    /// The kind of work an hour went to.
    pub enum WorkKind {
        Creating => ("creating", "Creating"),
        Revising => ("revising", "Revising"),
        Communicating => ("communicating", "Communicating"),
        Admin => ("admin", "Admin"),
    }
    unknown: "Choose the kind of work."
}
