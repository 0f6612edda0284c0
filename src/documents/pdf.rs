//! A small PDF writer for invoices and statements: A4 pages of text lines and
//! rules in the standard Helvetica and Courier fonts (every PDF reader has
//! them, so nothing is embedded), laid out top to bottom with new pages as
//! needed. Amounts are set in Courier, whose fixed width lets them line up on
//! the right without font metrics.

use std::fmt::Write;

const WIDTH: f32 = 595.0;
const HEIGHT: f32 = 842.0;
const MARGIN: f32 = 56.0;
/// Courier's glyphs are all 600 units of 1,000 wide.
const COURIER_ADVANCE: f32 = 0.6;
/// Helvetica's average glyph width, for wrapping text.
const HELVETICA_AVERAGE: f32 = 0.5;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
    Mono,
}

impl Font {
    fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
            Font::Mono => "F3",
        }
    }
}

/// A document being written, page by page.
pub struct Writer {
    pages: Vec<String>,
    page: String,
    y: f32,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new()
    }
}

impl Writer {
    pub fn new() -> Writer {
        Writer {
            pages: Vec::new(),
            page: String::new(),
            y: HEIGHT - MARGIN,
        }
    }

    /// The width between the margins.
    pub fn width() -> f32 {
        WIDTH - 2.0 * MARGIN
    }

    /// Moves down by `height`, starting a new page when the bottom is reached.
    fn advance(&mut self, height: f32) {
        if self.y - height < MARGIN {
            self.pages.push(std::mem::take(&mut self.page));
            self.y = HEIGHT - MARGIN;
        }
        self.y -= height;
    }

    fn put(&mut self, font: Font, size: f32, x: f32, text: &str) {
        let _ = writeln!(
            self.page,
            "BT /{} {size} Tf {:.2} {:.2} Td ({}) Tj ET",
            font.resource(),
            MARGIN + x,
            self.y,
            escape(text)
        );
    }

    /// One line of text at `x` from the left margin.
    pub fn line(&mut self, font: Font, size: f32, x: f32, text: &str) {
        self.advance(size * 1.45);
        self.put(font, size, x, text);
    }

    /// Text wrapped to the page's width, one line per break in it.
    pub fn paragraph(&mut self, font: Font, size: f32, text: &str) {
        let per_line = (Writer::width() / (size * HELVETICA_AVERAGE)) as usize;
        for given in text.lines() {
            for wrapped in wrap(given, per_line.max(10)) {
                self.line(font, size, 0.0, &wrapped);
            }
        }
    }

    /// A row: `cells` of text at their offsets, then `amounts` in Courier,
    /// each ending at its right edge.
    pub fn row(&mut self, font: Font, size: f32, cells: &[(f32, &str)], amounts: &[(f32, &str)]) {
        self.advance(size * 1.5);
        for (x, text) in cells {
            self.put(font, size, *x, text);
        }
        for (right, text) in amounts {
            let width = text.chars().count() as f32 * size * COURIER_ADVANCE;
            self.put(Font::Mono, size, right - width, text);
        }
    }

    /// A thin rule across the page.
    pub fn rule(&mut self) {
        self.advance(6.0);
        let _ = writeln!(
            self.page,
            "0.6 G 0.5 w {MARGIN:.2} {:.2} m {:.2} {:.2} l S 0 G",
            self.y + 2.0,
            WIDTH - MARGIN,
            self.y + 2.0
        );
    }

    pub fn gap(&mut self, height: f32) {
        self.advance(height);
    }

    /// The finished file.
    pub fn finish(mut self, title: &str) -> Vec<u8> {
        self.pages.push(std::mem::take(&mut self.page));
        let pages = self.pages;
        // Objects: 1 catalog, 2 page tree, 3–5 fonts, 6 info, then a page and
        // its content stream for each page.
        let mut objects: Vec<String> = Vec::new();
        let kids: Vec<String> = (0..pages.len())
            .map(|i| format!("{} 0 R", 7 + 2 * i))
            .collect();
        objects.push("<< /Type /Catalog /Pages 2 0 R >>".to_owned());
        objects.push(format!(
            "<< /Type /Pages /Kids [{}] /Count {} >>",
            kids.join(" "),
            pages.len()
        ));
        for base in ["Helvetica", "Helvetica-Bold", "Courier"] {
            objects.push(format!(
                "<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"
            ));
        }
        objects.push(format!(
            "<< /Title ({}) /Producer (Liaison) >>",
            escape(title)
        ));
        for (i, content) in pages.iter().enumerate() {
            objects.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {WIDTH} {HEIGHT}] \
                 /Resources << /Font << /F1 3 0 R /F2 4 0 R /F3 5 0 R >> >> /Contents {} 0 R >>",
                8 + 2 * i
            ));
            objects.push(format!(
                "<< /Length {} >>\nstream\n{content}endstream",
                content.len()
            ));
        }
        let mut out = String::from("%PDF-1.4\n");
        let mut offsets = Vec::with_capacity(objects.len());
        for (i, body) in objects.iter().enumerate() {
            offsets.push(out.len());
            let _ = write!(out, "{} 0 obj\n{body}\nendobj\n", i + 1);
        }
        let xref = out.len();
        let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
        for offset in offsets {
            let _ = writeln!(out, "{offset:010} 00000 n ");
        }
        let _ = write!(
            out,
            "trailer\n<< /Size {} /Root 1 0 R /Info 6 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        );
        out.into_bytes()
    }
}

/// Text for a PDF string in WinAnsiEncoding: ASCII as it is, the Latin-1
/// letters and the euro sign as octal escapes, anything else as "?". The file
/// stays 7-bit, so the offsets counted in `finish` are byte offsets.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            ' '..='~' => out.push(c),
            _ => match win_ansi(c) {
                Some(byte) => {
                    let _ = write!(out, "\\{byte:03o}");
                }
                None => out.push('?'),
            },
        }
    }
    out
}

fn win_ansi(c: char) -> Option<u8> {
    let code = u32::from(c);
    match c {
        '€' => Some(0x80),
        '…' => Some(0x85),
        '‘' => Some(0x91),
        '’' => Some(0x92),
        '“' => Some(0x93),
        '”' => Some(0x94),
        '•' => Some(0x95),
        '–' => Some(0x96),
        '—' => Some(0x97),
        _ if (0xA0..=0xFF).contains(&code) => u8::try_from(code).ok(),
        _ => None,
    }
}

/// `text` in lines of at most `width` characters, broken at spaces where
/// there are any.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let fits = current.chars().count() + 1 + word.chars().count() <= width;
        if !current.is_empty() && !fits {
            lines.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(word);
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every object the cross-reference table names starts where it says.
    fn assert_well_formed(pdf: &[u8]) {
        let text = std::str::from_utf8(pdf).expect("7-bit");
        assert!(text.starts_with("%PDF-1.4\n") && text.ends_with("%%EOF\n"));
        let start: usize = text
            .rsplit("startxref\n")
            .next()
            .and_then(|t| t.lines().next())
            .and_then(|n| n.parse().ok())
            .expect("startxref");
        let xref = &text[start..];
        assert!(xref.starts_with("xref\n0 "));
        for (n, entry) in xref
            .lines()
            .skip(3)
            .take_while(|l| l.ends_with(" n "))
            .enumerate()
        {
            let offset: usize = entry[..10].parse().expect("offset");
            assert!(
                text[offset..].starts_with(&format!("{} 0 obj\n", n + 1)),
                "object {}",
                n + 1
            );
        }
    }

    #[test]
    fn a_long_document_spills_onto_pages_and_stays_well_formed() {
        let mut w = Writer::new();
        w.line(
            Font::Bold,
            18.0,
            0.0,
            "Invoice INV-2026-000001 (draft) \\ test",
        );
        for i in 0..80 {
            w.row(
                Font::Regular,
                10.0,
                &[(0.0, &format!("Line {i}"))],
                &[(Writer::width(), "€1,234.50")],
            );
        }
        w.rule();
        w.paragraph(Font::Regular, 10.0, "Zoë’s café — a long line that goes on and on and on and on and on and on and on and on and on and on and on and on.");
        let pdf = w.finish("Invoice");
        assert_well_formed(&pdf);
        let text = String::from_utf8(pdf).expect("ascii");
        assert!(text.contains("/Count 2"), "two pages");
        assert!(
            text.contains("(\\200") || text.contains("\\2001,234.50"),
            "the euro sign in WinAnsi"
        );
        assert!(text.contains("Invoice INV-2026-000001 \\(draft\\) \\\\ test"));
        assert!(text.contains("Zo\\353\\222s caf\\351 \\227 a long line"));
    }

    #[test]
    fn words_wrap_at_spaces() {
        assert_eq!(wrap("one two three four", 9), ["one two", "three", "four"]);
        assert_eq!(wrap("", 9), [""]);
        assert_eq!(wrap("unbreakableword", 5), ["unbreakableword"]);
    }
}
