//! Creator tiers by audience size, and the scale that assigns them.

keyed_enum! {
    #[derive(PartialOrd, Ord)]
    pub enum Tier {
        Emerging => ("emerging", "Emerging"),
        Nano => ("nano", "Nano"),
        Micro => ("micro", "Micro"),
        Mid => ("mid", "Mid-tier"),
        Macro => ("macro", "Macro"),
        Mega => ("mega", "Mega"),
    }
    unknown: "Choose one of the tiers: nano, micro, mid, macro or mega."
}

impl Tier {
    /// The tiers a campaign can target (an audience under the nano cut-off is
    /// still emerging).
    pub const TARGETABLE: [Tier; 5] = [Tier::Nano, Tier::Micro, Tier::Mid, Tier::Macro, Tier::Mega];
}

/// Where each tier starts. The values live in the `tier_cutoffs` table (the
/// industry's common cut-offs by default, see the README) so the agency can
/// change them; this type is the one rule that applies them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierScale {
    /// The smallest audience of nano, micro, mid, macro and mega, rising.
    starts: [i64; 5],
}

impl TierScale {
    /// Refuses cut-offs that do not rise from one tier to the next, or that
    /// leave no room for emerging creators.
    pub fn new(starts: [i64; 5]) -> Result<Self, String> {
        if starts[0] < 1 {
            return Err("Nano has to start at 1 follower or more.".into());
        }
        for (pair, tiers) in starts.windows(2).zip(Tier::TARGETABLE.windows(2)) {
            if pair[1] <= pair[0] {
                return Err(format!(
                    "{} has to start above {} ({} followers).",
                    tiers[1].label(),
                    tiers[0].label(),
                    super::display::count(pair[0])
                ));
            }
        }
        Ok(TierScale { starts })
    }

    /// The tier of an audience of `followers`.
    pub fn tier_for(&self, followers: i64) -> Tier {
        Tier::TARGETABLE
            .into_iter()
            .zip(self.starts)
            .rev()
            .find(|&(_, start)| followers >= start)
            .map_or(Tier::Emerging, |(tier, _)| tier)
    }

    /// The fewest followers in `tier`.
    pub fn start(&self, tier: Tier) -> i64 {
        match Tier::TARGETABLE.iter().position(|&t| t == tier) {
            Some(i) => self.starts[i],
            None => 0,
        }
    }

    /// The most followers in `tier`; `None` for the top one.
    pub fn end(&self, tier: Tier) -> Option<i64> {
        let next = Tier::ALL.iter().position(|&t| t == tier)? + 1;
        Tier::ALL.get(next).map(|&t| self.start(t) - 1)
    }

    /// The audience range, for people: "10,000–49,999 followers".
    pub fn range(&self, tier: Tier) -> String {
        use super::display::count;
        match (tier, self.end(tier)) {
            (Tier::Emerging, Some(end)) => format!("under {} followers", count(end + 1)),
            (_, Some(end)) => format!("{}–{} followers", count(self.start(tier)), count(end)),
            (_, None) => format!("{} followers or more", count(self.start(tier))),
        }
    }

    pub fn starts(&self) -> [i64; 5] {
        self.starts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn industry() -> TierScale {
        TierScale::new([1_000, 10_000, 50_000, 500_000, 1_000_000]).expect("valid")
    }

    #[test]
    fn tiers_change_exactly_at_their_boundaries() {
        let cases = [
            (0, Tier::Emerging),
            (999, Tier::Emerging),
            (1_000, Tier::Nano),
            (9_999, Tier::Nano),
            (10_000, Tier::Micro),
            (49_999, Tier::Micro),
            (50_000, Tier::Mid),
            (499_999, Tier::Mid),
            (500_000, Tier::Macro),
            (999_999, Tier::Macro),
            (1_000_000, Tier::Mega),
            (i64::MAX, Tier::Mega),
            (-1, Tier::Emerging),
        ];
        for (followers, tier) in cases {
            assert_eq!(industry().tier_for(followers), tier, "{followers}");
        }
    }

    #[test]
    fn ranges_read_like_the_industry_tables() {
        let s = industry();
        assert_eq!(s.range(Tier::Emerging), "under 1,000 followers");
        assert_eq!(s.range(Tier::Micro), "10,000–49,999 followers");
        assert_eq!(s.range(Tier::Mega), "1,000,000 followers or more");
        assert_eq!(
            (s.start(Tier::Mid), s.end(Tier::Mid)),
            (50_000, Some(499_999))
        );
    }

    #[test]
    fn cut_offs_must_rise() {
        assert!(TierScale::new([0, 10, 20, 30, 40]).is_err());
        let e = TierScale::new([1_000, 10_000, 10_000, 500_000, 1_000_000]).expect_err("flat");
        assert_eq!(e, "Mid-tier has to start above Micro (10,000 followers).");
        let custom = TierScale::new([500, 5_000, 100_000, 400_000, 2_000_000]).expect("valid");
        assert_eq!(custom.tier_for(499), Tier::Emerging);
        assert_eq!(custom.tier_for(1_999_999), Tier::Macro);
    }

    #[test]
    fn tiers_parse_from_their_keys() {
        for t in Tier::ALL {
            assert_eq!(Tier::parse(t.key()), Ok(t));
        }
        assert!(Tier::parse("giga").is_err());
    }
}
