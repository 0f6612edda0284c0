//! A payout batch as the bank takes it: a SEPA credit-transfer initiation
//! (ISO 20022 pain.001.001.03, the version every SEPA bank accepts) for euro
//! batches, and a CSV of the same payments for any currency.

use std::fmt::Write;

use time::{Date, OffsetDateTime, format_description::well_known::Rfc3339};

use crate::domain::Money;

/// Who pays: the agency's account.
#[derive(Debug, Clone)]
pub struct Debtor {
    pub name: String,
    pub iban: String,
    pub bic: String,
}

/// One payment to a creator.
#[derive(Debug, Clone)]
pub struct Credit {
    /// Unique per payment, at most 35 characters: the bank reports it back.
    pub end_to_end_id: String,
    pub name: String,
    pub iban: String,
    pub bic: String,
    pub amount: Money,
    /// What the creator's statement shows: "Liaison payout …".
    pub remittance: String,
}

/// The pain.001.001.03 document for `credits`, paid from `debtor` on
/// `execution`. `message_id` is unique per file (at most 35 characters).
pub fn pain_001(
    message_id: &str,
    created: OffsetDateTime,
    execution: Date,
    debtor: &Debtor,
    credits: &[Credit],
) -> String {
    let total: i64 = credits.iter().map(|c| c.amount.minor()).sum();
    let currency = credits
        .first()
        .map_or(crate::domain::Currency::Eur, |c| c.amount.currency());
    let sum = Money::from_minor(total, currency).to_decimal_string();
    let created = created
        .replace_nanosecond(0)
        .unwrap_or(created)
        .format(&Rfc3339)
        .unwrap_or_default();
    let mut x = String::with_capacity(1024 + credits.len() * 700);
    x.push_str(r#"<?xml version="1.0" encoding="UTF-8"?>"#);
    x.push('\n');
    x.push_str(r#"<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.03" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#);
    x.push_str("<CstmrCdtTrfInitn><GrpHdr>");
    let _ = write!(
        x,
        "<MsgId>{}</MsgId><CreDtTm>{}</CreDtTm><NbOfTxs>{}</NbOfTxs><CtrlSum>{sum}</CtrlSum>",
        text(message_id, 35),
        created,
        credits.len()
    );
    let _ = write!(
        x,
        "<InitgPty><Nm>{}</Nm></InitgPty></GrpHdr>",
        text(&debtor.name, 70)
    );
    let _ = write!(
        x,
        "<PmtInf><PmtInfId>{}</PmtInfId><PmtMtd>TRF</PmtMtd><BtchBookg>true</BtchBookg>\
         <NbOfTxs>{}</NbOfTxs><CtrlSum>{sum}</CtrlSum>\
         <PmtTpInf><SvcLvl><Cd>SEPA</Cd></SvcLvl></PmtTpInf>\
         <ReqdExctnDt>{execution}</ReqdExctnDt>\
         <Dbtr><Nm>{}</Nm></Dbtr>\
         <DbtrAcct><Id><IBAN>{}</IBAN></Id></DbtrAcct>\
         <DbtrAgt><FinInstnId>{}</FinInstnId></DbtrAgt>\
         <ChrgBr>SLEV</ChrgBr>",
        text(message_id, 35),
        credits.len(),
        text(&debtor.name, 70),
        text(&debtor.iban, 34),
        agent(&debtor.bic),
    );
    for c in credits {
        let _ = write!(
            x,
            "<CdtTrfTxInf><PmtId><EndToEndId>{}</EndToEndId></PmtId>\
             <Amt><InstdAmt Ccy=\"{}\">{}</InstdAmt></Amt>",
            text(&c.end_to_end_id, 35),
            c.amount.currency().code(),
            c.amount.to_decimal_string(),
        );
        if !c.bic.is_empty() {
            let _ = write!(
                x,
                "<CdtrAgt><FinInstnId><BIC>{}</BIC></FinInstnId></CdtrAgt>",
                text(&c.bic, 11)
            );
        }
        let _ = write!(
            x,
            "<Cdtr><Nm>{}</Nm></Cdtr><CdtrAcct><Id><IBAN>{}</IBAN></Id></CdtrAcct>\
             <RmtInf><Ustrd>{}</Ustrd></RmtInf></CdtTrfTxInf>",
            text(&c.name, 70),
            text(&c.iban, 34),
            text(&c.remittance, 140),
        );
    }
    x.push_str("</PmtInf></CstmrCdtTrfInitn></Document>\n");
    x
}

/// The debtor's bank: its BIC, or "not provided" (allowed within SEPA since
/// 2016, the IBAN identifies the bank).
fn agent(bic: &str) -> String {
    if bic.is_empty() {
        "<Othr><Id>NOTPROVIDED</Id></Othr>".to_owned()
    } else {
        format!("<BIC>{}</BIC>", text(bic, 11))
    }
}

/// Text as SEPA carries it: the Latin characters banks accept (letters
/// without their accents, digits, `/ - ? : ( ) . , ' +` and space), cut to
/// `max` characters. None of them needs escaping in XML but the apostrophe,
/// escaped for attribute-safe output.
pub fn text(s: &str, max: usize) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(latin).take(max) {
        if c == '\'' {
            out.push_str("&apos;");
        } else {
            out.push(c);
        }
    }
    out
}

/// One character as the SEPA set has it: itself, its letter without an
/// accent, or a full stop for anything else.
fn latin(c: char) -> Vec<char> {
    let plain = match c {
        'a'..='z'
        | 'A'..='Z'
        | '0'..='9'
        | '/'
        | '-'
        | '?'
        | ':'
        | '('
        | ')'
        | '.'
        | ','
        | '\''
        | '+'
        | ' ' => return vec![c],
        '\n' | '\t' | '\r' => return vec![' '],
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' => 'a',
        'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'Ā' => 'A',
        'ç' | 'ć' | 'č' => 'c',
        'Ç' | 'Ć' | 'Č' => 'C',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => 'e',
        'È' | 'É' | 'Ê' | 'Ë' | 'Ē' | 'Ę' | 'Ě' => 'E',
        'ì' | 'í' | 'î' | 'ï' | 'ī' => 'i',
        'Ì' | 'Í' | 'Î' | 'Ï' | 'Ī' => 'I',
        'ñ' | 'ń' | 'ň' => 'n',
        'Ñ' | 'Ń' | 'Ň' => 'N',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'Ō' | 'Ő' => 'O',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'Ù' | 'Ú' | 'Û' | 'Ü' | 'Ū' | 'Ů' | 'Ű' => 'U',
        'ý' | 'ÿ' => 'y',
        'Ý' | 'Ÿ' => 'Y',
        'š' | 'ś' => 's',
        'Š' | 'Ś' => 'S',
        'ž' | 'ź' | 'ż' => 'z',
        'Ž' | 'Ź' | 'Ż' => 'Z',
        'ł' => 'l',
        'Ł' => 'L',
        'ß' => return vec!['s', 's'],
        'æ' => return vec!['a', 'e'],
        'Æ' => return vec!['A', 'E'],
        '&' => return vec!['+'],
        _ => '.',
    };
    vec![plain]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_carried_in_the_characters_banks_accept() {
        assert_eq!(text("Zoë Müller & Søn", 70), "Zoe Muller + Son");
        assert_eq!(text("Straße 5", 70), "Strasse 5");
        assert_eq!(text("O'Brien <Ltd>", 70), "O&apos;Brien .Ltd.");
        assert_eq!(text("李小龙", 70), "...");
        assert_eq!(text("abcdef", 3), "abc");
    }
}
