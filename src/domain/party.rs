//! The two sides of a collaboration, as its records name who did something
//! (who cancelled it, who opened a dispute).

keyed_enum! {
    pub enum Party {
        Brand => ("brand", "the brand"),
        Creator => ("creator", "the creator"),
    }
    unknown: "Choose a side."
}

impl Party {
    pub fn other(self) -> Party {
        match self {
            Party::Brand => Party::Creator,
            Party::Creator => Party::Brand,
        }
    }
}
