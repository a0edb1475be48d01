//! The follow-up code: 140 random bits from the operating system's generator (the source of
//! session ids and API tokens), written as 28 characters of Crockford's base32 in groups of
//! four so it can be copied by hand. Only its SHA-256 is ever stored.

use rand::Rng;
use sha2::{Digest, Sha256};

/// Crockford's base32: no I, L, O or U, so nothing reads as another character.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters in a code (5 random bits each: 140 bits).
const LENGTH: usize = 28;
const GROUP: usize = 4;

/// A code as shown to the reporter once, grouped: `K7QM-3XPA-…`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FollowUpCode(String);

impl FollowUpCode {
    /// A new random code.
    pub fn generate() -> Self {
        let mut bytes = [0_u8; LENGTH];
        rand::rng().fill_bytes(&mut bytes);
        // 256 is a multiple of 32, so each character is uniform.
        let plain: String = bytes
            .iter()
            .map(|b| char::from(ALPHABET[usize::from(b % 32)]))
            .collect();
        Self(group(&plain))
    }

    /// The code as shown, in groups of four.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What is stored for it.
    pub fn hash(&self) -> String {
        code_hash(&self.0)
    }
}

fn group(plain: &str) -> String {
    plain
        .as_bytes()
        .chunks(GROUP)
        .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// The code as typed, without spaces or dashes, in capitals, with the look-alikes read as
/// Crockford reads them (O as 0, I and L as 1).
fn normalize(typed: &str) -> String {
    typed
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect()
}

/// The hash a typed code is looked up by. Anything that is not a well-formed code still gets a
/// hash (of its normalized text), so a malformed code and a wrong one take the same path and
/// get the same answer.
pub fn code_hash(typed: &str) -> String {
    let normalized = normalize(typed);
    hex::encode(Sha256::digest(normalized.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_grouped_random_and_hashed() {
        let (a, b) = (FollowUpCode::generate(), FollowUpCode::generate());
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), LENGTH + LENGTH / GROUP - 1);
        assert!(a.as_str().split('-').all(|g| g.len() == GROUP));
        const { assert!(LENGTH * 5 >= 128, "at least 128 bits") };
        assert_eq!(a.hash().len(), 64);
    }

    #[test]
    fn a_code_typed_loosely_finds_the_same_hash() {
        let code = FollowUpCode::generate();
        let loose = code.as_str().to_lowercase().replace('-', " ");
        assert_eq!(code_hash(&loose), code.hash());
        assert_eq!(code_hash("0O-1IL"), code_hash("00111"));
        assert_ne!(code_hash("nonsense"), code.hash());
    }
}
