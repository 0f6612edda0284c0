//! Keyset pages of lists read newest first by id: the reader asks for one
//! row more than a page, and the link to the older page continues after the
//! last row shown, so a page costs the same however deep it is.

use uuid::Uuid;

/// Cuts `rows` (read with one extra) to `page` and answers the query string
/// of the older page, `link` (the filter's own query string) with `before=`
/// the last id shown, if there are older rows.
pub fn older<T>(
    rows: &mut Vec<T>,
    page: i64,
    link: &str,
    id: impl Fn(&T) -> Uuid,
) -> Option<String> {
    let page = usize::try_from(page).unwrap_or(0);
    let more = rows.len() > page;
    rows.truncate(page);
    let last = rows.last().filter(|_| more)?;
    Some(if link.is_empty() {
        format!("before={}", id(last))
    } else {
        format!("{link}&before={}", id(last))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_older_page_starts_after_the_last_row_shown() {
        let ids: Vec<Uuid> = (0..4).map(|_| Uuid::now_v7()).collect();
        let mut rows = ids.clone();
        assert_eq!(
            older(&mut rows, 3, "to=a", |r| *r),
            Some(format!("to=a&before={}", ids[2]))
        );
        assert_eq!(rows.len(), 3);
        let mut rows = ids[..3].to_vec();
        assert_eq!(older(&mut rows, 3, "", |r| *r), None);
        let mut rows = ids.clone();
        assert_eq!(
            older(&mut rows, 3, "", |r| *r),
            Some(format!("before={}", ids[2]))
        );
    }
}
