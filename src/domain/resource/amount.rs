//! Sums of money kept exactly: hundredths of the currency unit in an integer, read from and
//! written as decimal text ("12500.00"), so no budget line is rounded by floating point.

use std::fmt;

use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The largest amount one commitment names (a trillion units of the currency).
const MAX_UNITS: i64 = 1_000_000_000_000;

/// An amount of money in hundredths of its currency's unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Amount(i64);

impl Amount {
    pub fn from_minor(minor: i64) -> Self {
        Self(minor)
    }

    /// Hundredths of the currency's unit.
    pub fn minor(self) -> i64 {
        self.0
    }

    /// Reads "12500", "12500.5" or "12 500.50" (at most two decimals, no sign).
    pub fn parse(text: &str) -> Result<Self, String> {
        let cleaned: String = text
            .trim()
            .chars()
            .filter(|c| !matches!(c, ' ' | '_' | '\u{a0}'))
            .collect();
        let invalid = || "is not an amount (write it like 12500.00)".to_owned();
        let (units, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        if !digits(units) || (!fraction.is_empty() && !digits(fraction)) {
            return Err(invalid());
        }
        if fraction.len() > 2 {
            return Err("must have at most two decimals".to_owned());
        }
        let units: i64 = units.parse().map_err(|_| invalid())?;
        if units > MAX_UNITS {
            return Err("is too large".to_owned());
        }
        let hundredths: i64 = format!("{fraction:0<2}").parse().map_err(|_| invalid())?;
        Ok(Self(units * 100 + hundredths))
    }

    /// The sum, or `None` past what an amount holds.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        self.0.checked_add(other.0).map(Self)
    }
}

impl fmt::Display for Amount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Amount {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// Accepts the decimal text or a JSON number (read through its shortest decimal form).
impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AmountVisitor;
        impl Visitor<'_> for AmountVisitor {
            type Value = Amount;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an amount such as \"12500.00\" or 12500")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Amount, E> {
                Amount::parse(v).map_err(|m| E::custom(format!("amount {m}")))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Amount, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Amount, E> {
                self.visit_str(&v.to_string())
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Amount, E> {
                self.visit_str(&v.to_string())
            }
        }
        deserializer.deserialize_any(AmountVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact_hundredths() {
        assert_eq!(Amount::parse("12500").expect("whole").minor(), 1_250_000);
        assert_eq!(
            Amount::parse("12 500.5").expect("spaced").minor(),
            1_250_050
        );
        assert_eq!(Amount::parse("0.07").expect("cents").to_string(), "0.07");
        assert!(Amount::parse("1.234").is_err());
        assert!(Amount::parse("-5").is_err());
        assert!(Amount::parse("ten").is_err());
        assert!(Amount::parse("").is_err());
    }

    #[test]
    fn json_numbers_and_texts_both_read() {
        let number: Amount = serde_json::from_str("18000.1").expect("number");
        let text: Amount = serde_json::from_str("\"18000.10\"").expect("text");
        assert_eq!(number, text);
        assert_eq!(
            serde_json::to_string(&number).expect("json"),
            "\"18000.10\""
        );
    }
}
