//! An agreement as a PDF file: its text as signed, then its signatures.

use super::{db::Agreement, domain::blocks};
use crate::{
    documents::pdf::{Font, Writer},
    domain::{Party, display},
};

/// A partnership agreement or amendment: its text as signed, then who signed
/// it, when, and the hash of the text.
pub fn agreement(a: &Agreement) -> Vec<u8> {
    let mut w = Writer::new();
    for (n, block) in blocks(&a.body).into_iter().enumerate() {
        if let Some(heading) = block.heading {
            w.paragraph(Font::Bold, if n == 0 { 13.0 } else { 10.0 }, heading);
        }
        if !block.text.is_empty() {
            w.paragraph(Font::Regular, 10.0, block.text);
        }
        w.gap(6.0);
    }
    w.rule();
    w.line(Font::Bold, 10.0, 0.0, "SIGNED ON LIAISON");
    for party in [Party::Brand, Party::Creator] {
        let who = match party {
            Party::Brand => &a.brand_name,
            Party::Creator => &a.creator_name,
        };
        match a.signature(party) {
            Some(s) => w.paragraph(
                Font::Regular,
                9.0,
                &format!(
                    "For {who}: {}{}, {} (session {} started {}{})",
                    s.name,
                    if s.by_agency {
                        ", the agency working for the brand"
                    } else {
                        ""
                    },
                    display::when(s.signed_at),
                    s.session_ref,
                    display::when(s.session_started_at),
                    s.ip.as_deref()
                        .map(|ip| format!(", from {ip}"))
                        .unwrap_or_default(),
                ),
            ),
            None => w.paragraph(Font::Regular, 9.0, &format!("For {who}: not signed yet.")),
        }
    }
    w.paragraph(
        Font::Mono,
        7.0,
        &format!("SHA-256 of the text: {}", a.hash_hex),
    );
    w.finish(&a.title)
}
