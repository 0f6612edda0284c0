//! Creator tiers by audience size. The cut-offs follow the industry's common
//! ones (IAB UK creator tiers, Mediakix); they are defined here and only here.

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
    /// The tiers a campaign can target (an audience under 1,000 is still emerging).
    pub const TARGETABLE: [Tier; 5] = [Tier::Nano, Tier::Micro, Tier::Mid, Tier::Macro, Tier::Mega];

    /// The tier of an audience of `followers`.
    pub fn for_followers(followers: i64) -> Tier {
        match followers {
            ..1_000 => Tier::Emerging,
            1_000..10_000 => Tier::Nano,
            10_000..50_000 => Tier::Micro,
            50_000..500_000 => Tier::Mid,
            500_000..1_000_000 => Tier::Macro,
            _ => Tier::Mega,
        }
    }

    /// The audience range, for people: "10,000–49,999 followers".
    pub fn range(self) -> &'static str {
        match self {
            Tier::Emerging => "under 1,000 followers",
            Tier::Nano => "1,000–9,999 followers",
            Tier::Micro => "10,000–49,999 followers",
            Tier::Mid => "50,000–499,999 followers",
            Tier::Macro => "500,000–999,999 followers",
            Tier::Mega => "1,000,000 followers or more",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
            assert_eq!(Tier::for_followers(followers), tier, "{followers}");
        }
    }

    #[test]
    fn tiers_parse_from_their_keys() {
        for t in Tier::ALL {
            assert_eq!(Tier::parse(t.key()), Ok(t));
        }
        assert!(Tier::parse("giga").is_err());
    }
}
