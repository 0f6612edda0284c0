-- Results, part four: each draft's disclosure, checked when it is sent and
-- kept with it, with the creator's statement of where a video's or an audio
-- piece's disclosure is (text cannot see or hear it).

alter table submissions
    add column video_disclosure text,
    add column disclosure_check jsonb,
    add constraint submissions_video_disclosure_check check (
        char_length(btrim(video_disclosure)) between 1 and 300
    ),
    add constraint submissions_disclosure_check_shape check (
        disclosure_check is null or jsonb_typeof(disclosure_check -> 'findings') = 'array'
    );
