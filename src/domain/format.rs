//! The content formats a creator delivers: in briefs' deliverables and on rate cards.

keyed_enum! {
    pub enum Format {
        Post => ("post", "Post"),
        Story => ("story", "Story"),
        ShortVideo => ("short_video", "Short video"),
        LongVideo => ("long_video", "Long video"),
        Live => ("live", "Live stream"),
        Blog => ("blog", "Blog post"),
        Podcast => ("podcast", "Podcast episode"),
    }
    unknown: "Choose a format."
}
