//! The platforms creators publish on.

keyed_enum! {
    pub enum Platform {
        Instagram => ("instagram", "Instagram"),
        Tiktok => ("tiktok", "TikTok"),
        Youtube => ("youtube", "YouTube"),
        X => ("x", "X"),
        Twitch => ("twitch", "Twitch"),
        Pinterest => ("pinterest", "Pinterest"),
        Linkedin => ("linkedin", "LinkedIn"),
        Blog => ("blog", "Blog"),
        Podcast => ("podcast", "Podcast"),
    }
    unknown: "Choose a platform Liaison knows."
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_platform_parses_from_its_own_key() {
        for p in Platform::ALL {
            assert_eq!(Platform::parse(p.key()), Ok(p));
        }
        assert_eq!(Platform::parse(" TikTok "), Ok(Platform::Tiktok));
        assert!(Platform::parse("myspace").is_err());
    }
}
