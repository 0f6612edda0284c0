//! Invoices and statements as PDF files, laid out like their pages.

use super::{
    invoices::Invoice,
    pdf::{Font, Writer},
    statements::Statement,
};
use crate::domain::display;

/// Where the amount column ends, and where a second one does.
fn amount_edge() -> f32 {
    Writer::width()
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

pub fn invoice(i: &Invoice) -> Vec<u8> {
    let mut w = Writer::new();
    w.line(Font::Bold, 20.0, 0.0, &format!("Invoice {}", i.number));
    w.line(
        Font::Regular,
        10.0,
        0.0,
        &format!("Issued {}", display::date(i.issued_at)),
    );
    w.gap(12.0);
    party(
        &mut w,
        "FROM",
        &i.issuer_name,
        &i.issuer_address,
        &i.issuer_tax_id,
    );
    w.gap(8.0);
    party(
        &mut w,
        "TO",
        &i.brand_name,
        &i.brand_address,
        &i.brand_tax_id,
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
    w.gap(8.0);
    w.row(
        Font::Bold,
        10.0,
        &[(0.0, "Item")],
        &[(amount_edge(), "Amount")],
    );
    w.rule();
    let fee = i.fee.to_string();
    w.row(
        Font::Regular,
        10.0,
        &[(0.0, "Creator's fee (paid on to the creator)")],
        &[(amount_edge(), &fee)],
    );
    let brand_fee = i.brand_fee.to_string();
    let label = if i.has_tax() {
        format!("Agency fee, including {} {}%", i.tax_label, i.tax_text())
    } else {
        "Agency fee".to_owned()
    };
    w.row(
        Font::Regular,
        10.0,
        &[(0.0, &label)],
        &[(amount_edge(), &brand_fee)],
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
    w.line(
        Font::Bold,
        20.0,
        0.0,
        &format!("Payout statement {}", s.number),
    );
    w.line(
        Font::Regular,
        10.0,
        0.0,
        &format!("Paid {}", display::date(s.issued_at)),
    );
    w.gap(12.0);
    party(
        &mut w,
        "FROM",
        &s.issuer_name,
        &s.issuer_address,
        &s.issuer_tax_id,
    );
    w.gap(8.0);
    let address = format!("{}\n{}", s.creator_address, s.creator_country);
    party(
        &mut w,
        "TO",
        &s.creator_legal_name,
        &address,
        &s.creator_tax_id,
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
