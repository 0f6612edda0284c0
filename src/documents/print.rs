//! Invoices and statements as PDF files, laid out like their pages.

use super::{
    credit_notes::CreditNote,
    invoices::Invoice,
    pdf::{Font, Writer},
    statements::Statement,
};
use crate::domain::{Money, display};

/// Where the amount column ends, and where a second one does.
fn amount_edge() -> f32 {
    Writer::width()
}

/// Who a document is from or to.
struct Party<'a> {
    name: &'a str,
    address: &'a str,
    tax_id: &'a str,
}

/// A document's head: its title, when it was issued, and who it is from and to.
fn letterhead(w: &mut Writer, title: &str, issued: &str, from: Party<'_>, to: Party<'_>) {
    w.line(Font::Bold, 20.0, 0.0, title);
    w.line(Font::Regular, 10.0, 0.0, issued);
    w.gap(12.0);
    party(w, "FROM", from.name, from.address, from.tax_id);
    w.gap(8.0);
    party(w, "TO", to.name, to.address, to.tax_id);
}

fn party(w: &mut Writer, label: &str, name: &str, address: &str, tax_id: &str) {
    w.line(Font::Bold, 9.0, 0.0, label);
    w.line(Font::Regular, 10.0, 0.0, name);
    for line in address.lines().filter(|l| !l.trim().is_empty()) {
        w.line(Font::Regular, 10.0, 0.0, line.trim());
    }
    if !tax_id.is_empty() {
        w.line(Font::Regular, 10.0, 0.0, &format!("Tax id: {tax_id}"));
    }
}

/// The two lines both invoices and credit notes carry under their heading:
/// the creator's fee, and the agency's fee with the tax it includes.
fn fee_lines(
    w: &mut Writer,
    heading: &str,
    fee_label: &str,
    (fee, brand_fee): (Money, Money),
    tax: Option<(&str, String)>,
) {
    w.gap(8.0);
    w.row(
        Font::Bold,
        10.0,
        &[(0.0, heading)],
        &[(amount_edge(), "Amount")],
    );
    w.rule();
    let fee = fee.to_string();
    w.row(
        Font::Regular,
        10.0,
        &[(0.0, fee_label)],
        &[(amount_edge(), &fee)],
    );
    let label = match tax {
        Some((name, rate)) => format!("Agency fee, including {name} {rate}%"),
        None => "Agency fee".to_owned(),
    };
    let brand_fee = brand_fee.to_string();
    w.row(
        Font::Regular,
        10.0,
        &[(0.0, &label)],
        &[(amount_edge(), &brand_fee)],
    );
}

pub fn invoice(i: &Invoice) -> Vec<u8> {
    let mut w = Writer::new();
    letterhead(
        &mut w,
        &format!("Invoice {}", i.number),
        &format!("Issued {}", display::date(i.issued_at)),
        Party {
            name: &i.issuer_name,
            address: &i.issuer_address,
            tax_id: &i.issuer_tax_id,
        },
        Party {
            name: &i.brand_name,
            address: &i.brand_address,
            tax_id: &i.brand_tax_id,
        },
    );
    w.gap(12.0);
    w.paragraph(
        Font::Regular,
        10.0,
        &format!(
            "Collaboration with {} on “{}”. The fee was held from your funds with the agency when \
             you accepted and is released to the creator as each deliverable is approved.",
            i.creator_name, i.campaign_title
        ),
    );
    let tax = i.has_tax().then(|| (i.tax_label.as_str(), i.tax_text()));
    fee_lines(
        &mut w,
        "Item",
        "Creator's fee (paid on to the creator)",
        (i.fee, i.brand_fee),
        tax,
    );
    if i.has_tax() {
        let net = i.brand_fee_net().to_string();
        let tax = i.tax.to_string();
        w.row(
            Font::Regular,
            9.0,
            &[(16.0, "of which the agency's fee before tax")],
            &[(amount_edge(), &net)],
        );
        w.row(
            Font::Regular,
            9.0,
            &[(16.0, &format!("of which {} {}%", i.tax_label, i.tax_text()))],
            &[(amount_edge(), &tax)],
        );
    }
    w.rule();
    let total = i.total().to_string();
    w.row(
        Font::Bold,
        11.0,
        &[(0.0, "Total")],
        &[(amount_edge(), &total)],
    );
    w.gap(16.0);
    w.paragraph(
        Font::Regular,
        9.0,
        "Paid from your funds with the agency: nothing further is due on this invoice.",
    );
    w.finish(&format!("Invoice {}", i.number))
}

pub fn statement(s: &Statement) -> Vec<u8> {
    let mut w = Writer::new();
    let address = format!("{}\n{}", s.creator_address, s.creator_country);
    letterhead(
        &mut w,
        &format!("Payout statement {}", s.number),
        &format!("Paid {}", display::date(s.issued_at)),
        Party {
            name: &s.issuer_name,
            address: &s.issuer_address,
            tax_id: &s.issuer_tax_id,
        },
        Party {
            name: &s.creator_legal_name,
            address: &address,
            tax_id: &s.creator_tax_id,
        },
    );
    w.gap(8.0);
    w.line(Font::Regular, 10.0, 0.0, &format!("Paid to {}", s.paid_to));
    w.gap(12.0);
    let (gross_edge, fee_edge) = (amount_edge() - 180.0, amount_edge() - 90.0);
    w.row(
        Font::Bold,
        9.0,
        &[(0.0, "Released"), (70.0, "For")],
        &[
            (gross_edge, "Gross"),
            (fee_edge, "Fee"),
            (amount_edge(), "Net"),
        ],
    );
    w.rule();
    for l in &s.lines {
        let (gross, fee, net) = (l.gross.to_string(), l.fee.to_string(), l.net.to_string());
        let day = display::day(l.released_on);
        let description: String = l.description.chars().take(44).collect();
        w.row(
            Font::Regular,
            9.0,
            &[(0.0, &day), (70.0, &description)],
            &[
                (gross_edge, &gross),
                (fee_edge, &fee),
                (amount_edge(), &net),
            ],
        );
    }
    w.rule();
    let (gross, fees, net) = (
        s.gross().to_string(),
        s.fees().to_string(),
        s.net().to_string(),
    );
    w.row(
        Font::Bold,
        10.0,
        &[(0.0, "Total paid")],
        &[
            (gross_edge, &gross),
            (fee_edge, &fees),
            (amount_edge(), &net),
        ],
    );
    w.finish(&format!("Payout statement {}", s.number))
}

pub fn credit_note(n: &CreditNote) -> Vec<u8> {
    let mut w = Writer::new();
    letterhead(
        &mut w,
        &format!("Credit note {}", n.number),
        &format!(
            "Issued {}, against invoice {}",
            display::date(n.issued_at),
            n.invoice_number
        ),
        Party {
            name: &n.issuer_name,
            address: &n.issuer_address,
            tax_id: &n.issuer_tax_id,
        },
        Party {
            name: &n.brand_name,
            address: &n.brand_address,
            tax_id: &n.brand_tax_id,
        },
    );
    w.gap(12.0);
    w.paragraph(
        Font::Regular,
        10.0,
        &format!(
            "Collaboration with {} on “{}”. {}",
            n.creator_name, n.campaign_title, n.reason
        ),
    );
    let tax = n.has_tax().then(|| (n.tax_label.as_str(), n.tax_text()));
    fee_lines(
        &mut w,
        "Returned to your funds",
        "Creator's fee",
        (n.fee, n.brand_fee),
        tax,
    );
    if n.has_tax() {
        let tax = n.tax.to_string();
        w.row(
            Font::Regular,
            9.0,
            &[(16.0, &format!("of which {} {}%", n.tax_label, n.tax_text()))],
            &[(amount_edge(), &tax)],
        );
    }
    w.rule();
    let total = n.total().to_string();
    w.row(
        Font::Bold,
        11.0,
        &[(0.0, "Total credited")],
        &[(amount_edge(), &total)],
    );
    w.finish(&format!("Credit note {}", n.number))
}
