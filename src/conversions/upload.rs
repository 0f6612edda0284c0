//! Reading a store's order export: the columns found by their usual names
//! (Shopify, WooCommerce, a spreadsheet), one order per row (a line item's
//! extra rows merged into its order), and every problem with the file itself
//! named before any row is looked at.

use super::domain::RawOrder;

/// The largest file taken, and the most orders in one.
pub const MAX_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_ROWS: usize = 10_000;

/// Why a file cannot be read as orders at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    Empty,
    TooLarge,
    TooManyRows,
    NotText,
    NotUtf8,
    Utf16,
    NotCsv(String),
    MissingColumns(Vec<&'static str>),
}

impl FileProblem {
    pub fn message(&self) -> String {
        match self {
            FileProblem::Empty => "The file is empty: export your orders again.".into(),
            FileProblem::TooLarge => format!(
                "The file is larger than {} MiB: export a shorter period, or split it.",
                MAX_BYTES / 1024 / 1024
            ),
            FileProblem::TooManyRows => format!(
                "The file has more than {MAX_ROWS} orders: export a shorter period, or split it."
            ),
            FileProblem::NotText => {
                "This is not a CSV file (it holds binary data): export the orders as CSV.".into()
            }
            FileProblem::NotUtf8 => "The file is not in UTF-8 (it may be Windows-1252): save it \
                                     as \"CSV UTF-8\" and upload it again."
                .into(),
            FileProblem::Utf16 => "The file is in UTF-16: save it as \"CSV UTF-8\" and upload it \
                                   again."
                .into(),
            FileProblem::NotCsv(detail) => format!("The file cannot be read as CSV: {detail}."),
            FileProblem::MissingColumns(names) => format!(
                "The first line must name the columns; none was found for: {}. Liaison reads \
                 order id, date, total, currency and discount code (and click id, status).",
                names.join(", ")
            ),
        }
    }
}

/// One order from the file, with the line it started on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileRow {
    pub line: usize,
    pub raw: RawOrder,
    /// A problem the file itself shows (a repeated order id with another
    /// total); the fields are checked later, like the API's.
    pub problem: Option<(String, String)>,
}

#[derive(Clone, Copy)]
enum Column {
    OrderId,
    OccurredAt,
    Amount,
    Currency,
    PromoCode,
    ClickId,
    Status,
}

/// The names each column goes by in the exports brands have, compared
/// without case, spaces, underscores or `#`.
const NAMES: [(Column, &[&str]); 7] = [
    (
        Column::OrderId,
        &[
            "orderid",
            "order",
            "name",
            "ordernumber",
            "orderno",
            "id",
            "number",
        ],
    ),
    (
        Column::OccurredAt,
        &[
            "date",
            "orderdate",
            "createdat",
            "occurredat",
            "paidat",
            "datecreated",
            "placedat",
        ],
    ),
    (
        Column::Amount,
        &[
            "total",
            "amount",
            "ordertotal",
            "totalprice",
            "orderamount",
            "grandtotal",
        ],
    ),
    (Column::Currency, &["currency", "ordercurrency"]),
    (
        Column::PromoCode,
        &[
            "discountcode",
            "discountcodes",
            "coupon",
            "couponcode",
            "couponcodes",
            "couponsused",
            "promocode",
            "code",
        ],
    ),
    (Column::ClickId, &["clickid", "lclid"]),
    (
        Column::Status,
        &["status", "financialstatus", "orderstatus"],
    ),
];

fn normalise(header: &str) -> String {
    header
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// The orders in a file, or why it cannot be read.
pub fn read(bytes: &[u8]) -> Result<Vec<FileRow>, FileProblem> {
    if bytes.len() > MAX_BYTES {
        return Err(FileProblem::TooLarge);
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(FileProblem::Utf16);
    }
    if bytes.contains(&0) {
        return Err(FileProblem::NotText);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| FileProblem::NotUtf8)?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(FileProblem::Empty);
    }
    let first_line = text.lines().next().unwrap_or_default();
    // Spreadsheets in much of Europe write semicolons.
    let delimiter = if first_line.matches(';').count() > first_line.matches(',').count() {
        b';'
    } else {
        b','
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .flexible(true)
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| FileProblem::NotCsv(e.to_string()))?
        .clone();
    let mut index: [Option<usize>; 7] = [None; 7];
    for (slot, (_, names)) in index.iter_mut().zip(NAMES.iter()) {
        // The first name in the list a header matches wins: "Total" over "Subtotal".
        *slot = names
            .iter()
            .find_map(|name| headers.iter().position(|h| normalise(h) == *name));
    }
    let required = [
        (Column::OrderId, "order id"),
        (Column::OccurredAt, "date"),
        (Column::Amount, "total"),
        (Column::Currency, "currency"),
    ];
    let missing: Vec<&'static str> = required
        .iter()
        .filter(|(c, _)| index[*c as usize].is_none())
        .map(|(_, name)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(FileProblem::MissingColumns(missing));
    }
    let mut rows: Vec<FileRow> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| FileProblem::NotCsv(e.to_string()))?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let field = |c: Column| {
            index[c as usize]
                .and_then(|i| record.get(i))
                .unwrap_or_default()
                .trim()
                .to_owned()
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let raw = RawOrder {
            order_id: field(Column::OrderId),
            amount: field(Column::Amount),
            currency: field(Column::Currency),
            occurred_at: field(Column::OccurredAt),
            click_id: field(Column::ClickId),
            promo_code: field(Column::PromoCode),
            status: status(&field(Column::Status)),
        };
        // A line item's further rows repeat the order id and leave the total empty.
        if let Some(earlier) = rows
            .iter()
            .find(|r| !raw.order_id.is_empty() && r.raw.order_id == raw.order_id)
        {
            if raw.amount.is_empty() || raw.amount == earlier.raw.amount {
                continue;
            }
            let message = format!(
                "Order {} appears again on line {} with another total ({} here, {} there).",
                raw.order_id, earlier.line, raw.amount, earlier.raw.amount
            );
            rows.push(FileRow {
                line,
                raw,
                problem: Some(("order_id".into(), message)),
            });
            continue;
        }
        if rows.len() == MAX_ROWS {
            return Err(FileProblem::TooManyRows);
        }
        rows.push(FileRow {
            line,
            raw,
            problem: None,
        });
    }
    if rows.is_empty() {
        return Err(FileProblem::Empty);
    }
    Ok(rows)
}

/// A store's order status as Liaison's: refunded, voided and cancelled orders
/// reverse; anything else (paid, pending, completed) is an order.
fn status(text: &str) -> String {
    match normalise(text).as_str() {
        "refunded" | "voided" | "cancelled" | "canceled" => "refunded".into(),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SHOPIFY: &str = "Name,Email,Financial Status,Paid at,Currency,Subtotal,Total,Discount Code,Created at,Lineitem name\n\
        #1001,a@example.com,paid,2026-11-30 14:05:22 +0100,USD,40.00,45.99,AISHA15,2026-11-30 14:05:22 +0100,Trail jacket\n\
        #1001,a@example.com,,,,,,,,Socks\n\
        #1002,b@example.com,refunded,2026-11-30 15:00:00 +0100,USD,10.00,12.00,,2026-11-30 15:00:00 +0100,Cap\n";

    #[test]
    fn a_shopify_export_gives_one_row_per_order() {
        let rows = read(SHOPIFY.as_bytes()).expect("readable");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].raw.order_id, "#1001");
        assert_eq!(rows[0].raw.amount, "45.99", "Total, not Subtotal");
        assert_eq!(rows[0].raw.promo_code, "AISHA15");
        assert_eq!(rows[0].raw.occurred_at, "2026-11-30 14:05:22 +0100");
        assert_eq!(rows[1].raw.status, "refunded");
    }

    #[test]
    fn woocommerce_and_semicolon_spreadsheets_are_read() {
        let woo = "Order ID,Order Date,Order Total,Currency,Coupons Used\n2041,2026-11-29 09:12:00,129.50,EUR,LEO10\n";
        let rows = read(woo.as_bytes()).expect("woo");
        assert_eq!(rows[0].raw.order_id, "2041");
        assert_eq!(rows[0].raw.promo_code, "LEO10");
        let sheet = "\u{feff}order id;date;total;currency\nA-1;2026-11-29;\"1.250,00\";EUR\n";
        let rows = read(sheet.as_bytes()).expect("semicolons and a byte order mark");
        assert_eq!(rows[0].raw.order_id, "A-1");
    }

    #[test]
    fn files_that_are_not_readable_orders_say_why() {
        assert_eq!(read(b""), Err(FileProblem::Empty));
        assert_eq!(
            read(b"order id,date,total,currency\n"),
            Err(FileProblem::Empty)
        );
        assert_eq!(read(b"\xFF\xFEo\x00r\x00"), Err(FileProblem::Utf16));
        assert_eq!(read(b"%PDF-1.7\n\x00\x01\x02"), Err(FileProblem::NotText));
        assert_eq!(
            read(b"order id,date,total,currency\n1,2026-11-29,45\xE9,EUR\n"),
            Err(FileProblem::NotUtf8)
        );
        assert_eq!(
            read(b"order,when,price\n1,2026-11-29,4\n"),
            Err(FileProblem::MissingColumns(vec![
                "date", "total", "currency"
            ]))
        );
        let big = vec![b'a'; MAX_BYTES + 1];
        assert_eq!(read(&big), Err(FileProblem::TooLarge));
        let mut many = String::from("order id,date,total,currency\n");
        for n in 0..=MAX_ROWS {
            many.push_str(&format!("{n},2026-11-29,1.00,USD\n"));
        }
        assert_eq!(read(many.as_bytes()), Err(FileProblem::TooManyRows));
    }

    #[test]
    fn a_repeated_order_id_with_another_total_is_a_row_problem() {
        let rows =
            read(b"order id,date,total,currency\n7,2026-11-29,10.00,USD\n7,2026-11-29,12.00,USD\n")
                .expect("readable");
        assert_eq!(rows.len(), 2);
        assert!(
            rows[1]
                .problem
                .as_ref()
                .is_some_and(|(f, m)| f == "order_id" && m.contains("line 2"))
        );
    }
}
