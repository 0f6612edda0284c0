//! Scores on a 1–5 scale, as reviews and ratings give them.

/// The points of every 1–5 scale, as the forms offer them.
pub const POINTS: [i16; 5] = [1, 2, 3, 4, 5];

/// Whether the typed value of a 1–5 field is `n`: the form shown again keeps
/// that choice checked.
pub fn is_point(typed: &str, n: i16) -> bool {
    typed.trim() == n.to_string()
}

/// A whole score from 1 to 5.
pub fn parse_score(input: &str, what: &str) -> Result<i16, String> {
    match input.trim().parse::<i16>() {
        Ok(n @ 1..=5) => Ok(n),
        _ if input.trim().is_empty() => Err(format!("Score {what} from 1 to 5.")),
        _ => Err(format!("Score {what} with a whole number from 1 to 5.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_whole_points_from_one_to_five() {
        assert_eq!(parse_score(" 4 ", "clarity"), Ok(4));
        assert_eq!(
            parse_score("", "clarity"),
            Err("Score clarity from 1 to 5.".to_owned())
        );
        assert!(parse_score("6", "clarity").is_err());
        assert!(is_point("3", 3) && !is_point("", 3));
    }
}
