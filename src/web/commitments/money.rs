//! Money, FTE and commitment states as the resource pages show them: "EUR 18,000.00", "1.5 FTE",
//! and the one status vocabulary of badges.

use super::super::views::Badge;
use crate::domain::resource::{Amount, CommitmentStatus, ResourceCommitment};

/// "EUR 18,000.00": the code, then the amount with thousands grouped.
pub fn money_text(currency: &str, amount: Amount) -> String {
    let plain = amount.to_string();
    let (units, cents) = plain.split_once('.').unwrap_or((&plain, "00"));
    let digits: Vec<char> = units.chars().collect();
    let mut grouped = String::new();
    for (i, digit) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(*digit);
    }
    format!("{currency} {grouped}.{cents}")
}

/// "1.5 FTE", without trailing zeros.
pub fn fte_text(fte: f64) -> String {
    let text = format!("{fte:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} FTE")
}

/// What a commitment asks for, in words: "EUR 18,000.00 and 1.5 FTE", or "none needed".
pub fn quantity_text(record: &ResourceCommitment) -> String {
    if record.none_needed {
        return "no additional resources needed".to_owned();
    }
    let mut parts = Vec::new();
    if let (Some(amount), Some(currency)) = (record.amount, record.currency.as_deref()) {
        parts.push(money_text(currency, amount));
    }
    if let Some(fte) = record.fte {
        parts.push(fte_text(fte));
    }
    parts.join(" and ")
}

/// Awaiting is amber, approved green, rejected red, withdrawn grey; "none needed" is a decision.
pub fn commitment_badge(record: &ResourceCommitment) -> Badge {
    match record.status {
        CommitmentStatus::Approved if record.none_needed => Badge::new("green", "None needed"),
        CommitmentStatus::Requested => Badge::new("amber", "Awaiting decision"),
        CommitmentStatus::Approved => Badge::new("green", "Approved"),
        CommitmentStatus::Rejected => Badge::new("red", "Rejected"),
        CommitmentStatus::Withdrawn => Badge::new("grey", "Withdrawn"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_reads_with_grouped_thousands() {
        let amount = |text| Amount::parse(text).expect("amount");
        assert_eq!(money_text("EUR", amount("1234567.5")), "EUR 1,234,567.50");
        assert_eq!(money_text("USD", amount("999")), "USD 999.00");
        assert_eq!(fte_text(1.5), "1.5 FTE");
        assert_eq!(fte_text(2.0), "2 FTE");
    }
}
