//! When a deliverable's pay is released to the creator, as a brief sets it.

keyed_enum! {
    pub enum ReleaseOn {
        Approval => ("approval", "when the brand approves each deliverable"),
        Publication => ("publication", "when the creator publishes each deliverable"),
    }
    unknown: "Choose when the pay is released."
}
