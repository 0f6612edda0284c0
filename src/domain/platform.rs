//! The platforms creators publish on.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Platform {
    Instagram,
    Tiktok,
    Youtube,
    X,
    Twitch,
    Pinterest,
    Linkedin,
    Blog,
    Podcast,
}

impl Platform {
    pub const ALL: [Platform; 9] = [
        Platform::Instagram,
        Platform::Tiktok,
        Platform::Youtube,
        Platform::X,
        Platform::Twitch,
        Platform::Pinterest,
        Platform::Linkedin,
        Platform::Blog,
        Platform::Podcast,
    ];

    /// The value stored and sent in forms.
    pub fn key(self) -> &'static str {
        match self {
            Platform::Instagram => "instagram",
            Platform::Tiktok => "tiktok",
            Platform::Youtube => "youtube",
            Platform::X => "x",
            Platform::Twitch => "twitch",
            Platform::Pinterest => "pinterest",
            Platform::Linkedin => "linkedin",
            Platform::Blog => "blog",
            Platform::Podcast => "podcast",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Platform::Instagram => "Instagram",
            Platform::Tiktok => "TikTok",
            Platform::Youtube => "YouTube",
            Platform::X => "X",
            Platform::Twitch => "Twitch",
            Platform::Pinterest => "Pinterest",
            Platform::Linkedin => "LinkedIn",
            Platform::Blog => "Blog",
            Platform::Podcast => "Podcast",
        }
    }

    pub fn parse(key: &str) -> Result<Platform, String> {
        let key = key.trim().to_ascii_lowercase();
        Platform::ALL
            .into_iter()
            .find(|p| p.key() == key)
            .ok_or_else(|| format!("{key:?} is not a platform Liaison knows."))
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
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
