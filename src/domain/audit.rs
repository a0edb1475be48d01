//! The audit chain: every change is an event whose hash covers its content and the previous hash.
//!
//! Hash input (version 1): the tag `charter-audit-v1`, then each field as its byte length, a colon
//! and its bytes: sequence number, time in Unix microseconds, actor, action, record type, record
//! id, record digest, previous hash. Length prefixes make the encoding unambiguous.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};

/// The hash that the first event links to.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who made a change: `system`, `cli`, `web`, `api`, or later a signed-in account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor(String);

impl Actor {
    pub fn system() -> Self {
        Self("system".into())
    }
    pub fn cli() -> Self {
        Self("cli".into())
    }
    pub fn web() -> Self {
        Self("web".into())
    }
    pub fn api() -> Self {
        Self("api".into())
    }
    pub fn named(label: impl Into<String>) -> Self {
        Self(label.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A change about to be recorded; the store gives it a sequence number, time and hashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAuditEvent {
    pub actor: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub record_digest: String,
}

impl NewAuditEvent {
    /// An event about `record` after the change, digested as its canonical JSON.
    pub fn for_record<T: Serialize>(
        actor: &Actor,
        action: &str,
        record_type: &str,
        record_id: impl ToString,
        record: &T,
    ) -> Self {
        Self {
            actor: actor.as_str().to_owned(),
            action: action.to_owned(),
            record_type: record_type.to_owned(),
            record_id: record_id.to_string(),
            record_digest: record_digest(record),
        }
    }

    /// Seals the event at position `seq` after the event whose hash is `prev_hash`.
    pub fn seal(self, seq: i64, occurred_at: OffsetDateTime, prev_hash: String) -> AuditEvent {
        let mut event = AuditEvent {
            seq,
            occurred_at: truncate_to_micros(occurred_at),
            actor: self.actor,
            action: self.action,
            record_type: self.record_type,
            record_id: self.record_id,
            record_digest: self.record_digest,
            prev_hash,
            hash: String::new(),
        };
        event.hash = event.computed_hash();
        event
    }
}

/// SHA-256 of the record's JSON, in hex.
pub fn record_digest<T: Serialize>(record: &T) -> String {
    let json = serde_json::to_vec(record).unwrap_or_default();
    hex::encode(Sha256::digest(&json))
}

/// Times are kept to the microsecond, the finest both databases store.
pub fn truncate_to_micros(at: OffsetDateTime) -> OffsetDateTime {
    let micros = at.nanosecond() / 1_000 * 1_000;
    at.to_offset(time::UtcOffset::UTC)
        .replace_nanosecond(micros)
        .unwrap_or(at)
}

/// A recorded event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuditEvent {
    pub seq: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub occurred_at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub record_type: String,
    pub record_id: String,
    pub record_digest: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    pub fn computed_hash(&self) -> String {
        self.link().computed_hash()
    }

    /// The fields the chain covers, borrowed.
    pub fn link(&self) -> ChainLink<'_> {
        ChainLink {
            seq: self.seq,
            micros: micros(self.occurred_at),
            actor: &self.actor,
            action: &self.action,
            record_type: &self.record_type,
            record_id: &self.record_id,
            record_digest: &self.record_digest,
            prev_hash: &self.prev_hash,
            hash: &self.hash,
        }
    }
}

fn micros(at: OffsetDateTime) -> i64 {
    i64::try_from(at.unix_timestamp_nanos() / 1_000).unwrap_or(i64::MAX)
}

/// One event as the chain sees it, borrowed from wherever it was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainLink<'a> {
    pub seq: i64,
    /// The time in Unix microseconds.
    pub micros: i64,
    pub actor: &'a str,
    pub action: &'a str,
    pub record_type: &'a str,
    pub record_id: &'a str,
    pub record_digest: &'a str,
    pub prev_hash: &'a str,
    pub hash: &'a str,
}

/// Separates the fields of a packed event (see [`ChainLink::unpack`]).
pub const FIELD_SEPARATOR: char = '\u{1f}';
/// Separates packed events.
pub const EVENT_SEPARATOR: char = '\u{1e}';

impl<'a> ChainLink<'a> {
    /// SHA-256 over the tag and the length-prefixed fields, in hex.
    pub fn computed_hash(&self) -> String {
        hex::encode(self.digest())
    }

    /// Whether the stored hash is the one the fields give.
    pub fn hash_matches(&self) -> bool {
        let mut computed = [0_u8; 64];
        hex::encode_to_slice(self.digest(), &mut computed).is_ok()
            && computed == self.hash.as_bytes()
    }

    fn digest(&self) -> [u8; 32] {
        let (mut seq, mut micros) = (itoa::Buffer::new(), itoa::Buffer::new());
        let mut hasher = Sha256::new();
        hasher.update(b"charter-audit-v1");
        for field in [
            seq.format(self.seq),
            micros.format(self.micros),
            self.actor,
            self.action,
            self.record_type,
            self.record_id,
            self.record_digest,
            self.prev_hash,
        ] {
            hasher.update(itoa::Buffer::new().format(field.len()).as_bytes());
            hasher.update(b":");
            hasher.update(field.as_bytes());
        }
        hasher.finalize().into()
    }

    /// Reads an event packed by the database as its nine fields joined by [`FIELD_SEPARATOR`]:
    /// seq, time (Unix microseconds or RFC 3339), actor, action, record type, record id, record
    /// digest, previous hash, hash. `None` when the text does not have that shape.
    pub fn unpack(text: &'a str) -> Option<Self> {
        let mut fields = text.split(FIELD_SEPARATOR);
        let mut next = || fields.next();
        let seq = next()?.parse().ok()?;
        let time = next()?;
        let micros = match time.parse::<i64>() {
            Ok(micros) => micros,
            Err(_) => match utc_micros(time) {
                Some(micros) => micros,
                None => self::micros(
                    OffsetDateTime::parse(time, &time::format_description::well_known::Rfc3339)
                        .ok()?,
                ),
            },
        };
        let link = Self {
            seq,
            micros,
            actor: next()?,
            action: next()?,
            record_type: next()?,
            record_id: next()?,
            record_digest: next()?,
            prev_hash: next()?,
            hash: next()?,
        };
        next().is_none().then_some(link)
    }
}

/// Unix microseconds of a UTC time as SQLite holds it (`2026-11-29T10:00:00.123456Z`: RFC 3339,
/// 0 to 9 digits of fraction, `Z` or `+00:00`), read without the general parser, which costs as
/// much as hashing the event; `None` for any other form (the caller falls back to the parser).
fn utc_micros(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    let digits = |from: usize, len: usize| -> Option<i64> {
        let part = bytes.get(from..from + len)?;
        part.iter().try_fold(0_i64, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + i64::from(b - b'0'))
        })
    };
    let fixed = [(4, b'-'), (7, b'-'), (10, b'T'), (13, b':'), (16, b':')];
    if bytes.len() < 20 || fixed.iter().any(|&(at, c)| bytes[at] != c) {
        return None;
    }
    let (year, month, day) = (digits(0, 4)?, digits(5, 2)?, digits(8, 2)?);
    let (hour, minute, second) = (digits(11, 2)?, digits(14, 2)?, digits(17, 2)?);
    let mut at = 19;
    let mut fraction = 0;
    if bytes[at] == b'.' {
        let count = bytes[at + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        if !(1..=9).contains(&count) {
            return None;
        }
        let kept = count.min(6);
        fraction = digits(at + 1, kept)? * 10_i64.pow(u32::try_from(6 - kept).ok()?);
        at += 1 + count;
    }
    let zone = &text[at..];
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    let valid = year >= 1970
        && (1..=12).contains(&month)
        && (1..=month_days).contains(&day)
        && hour < 24
        && minute < 60
        && second < 60
        && (zone == "Z" || zone == "+00:00");
    if !valid {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm), then seconds.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    let days = era * 146_097 + day_of_era - 719_468;
    let seconds = days * 86_400 + hour * 3_600 + minute * 60 + second;
    Some(seconds * 1_000_000 + fraction)
}

/// Filters for listing events.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    pub record_type: Option<String>,
    pub record_id: Option<String>,
    pub action: Option<String>,
    pub actor: Option<String>,
}

/// Why the chain is broken, at the first event where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ChainBreak {
    /// The position where the chain breaks.
    pub seq: i64,
    pub reason: String,
}

impl std::fmt::Display for ChainBreak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "event {}: {}", self.seq, self.reason)
    }
}

const UNLINKED: &str =
    "does not link to the event before it (an event was removed, inserted or reordered)";

/// Walks the chain in order, batch by batch; hashes of a batch are recomputed on all cores.
#[derive(Debug)]
pub struct ChainVerifier {
    expected_seq: i64,
    last_hash: String,
    checked: u64,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        Self {
            expected_seq: 1,
            last_hash: GENESIS_HASH.to_owned(),
            checked: 0,
        }
    }
}

impl ChainVerifier {
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// The sequence number the next event must have.
    pub fn next_seq(&self) -> i64 {
        self.expected_seq
    }

    /// A verifier for a segment of the chain checked on its own, starting at the event `seq`
    /// that links to `prev_hash`; [`ChainVerifier::join`] then checks that link.
    pub fn after(seq: i64, prev_hash: &str) -> Self {
        Self {
            expected_seq: seq,
            last_hash: prev_hash.to_owned(),
            checked: 0,
        }
    }

    /// Continues with a segment checked on its own (made by [`ChainVerifier::after`] with its
    /// first event's `first_seq` and `first_prev`): that event must be the next one and link
    /// to the last one checked here; then the segment's events count as checked.
    pub fn join(
        &mut self,
        first_seq: i64,
        first_prev: &str,
        segment: &ChainVerifier,
    ) -> Result<(), ChainBreak> {
        if first_seq != self.expected_seq {
            return Err(self.gap(first_seq));
        }
        if first_prev != self.last_hash {
            return Err(ChainBreak {
                seq: first_seq,
                reason: UNLINKED.into(),
            });
        }
        self.expected_seq = segment.expected_seq;
        self.last_hash.clone_from(&segment.last_hash);
        self.checked += segment.checked;
        Ok(())
    }

    /// Checks the next events, which must follow those already checked.
    pub fn check_batch(&mut self, events: &[ChainLink<'_>]) -> Result<(), ChainBreak> {
        let first_bad_hash = first_bad_hash(events);
        for (index, event) in events.iter().enumerate() {
            if event.seq != self.expected_seq {
                return Err(self.gap(event.seq));
            }
            if event.prev_hash != self.last_hash {
                return Err(ChainBreak {
                    seq: event.seq,
                    reason: UNLINKED.into(),
                });
            }
            if first_bad_hash == Some(index) {
                return Err(ChainBreak {
                    seq: event.seq,
                    reason: "its content no longer matches its hash (the event was edited)".into(),
                });
            }
            event.hash.clone_into(&mut self.last_hash);
            self.expected_seq += 1;
            self.checked += 1;
        }
        Ok(())
    }

    fn gap(&self, found: i64) -> ChainBreak {
        if found > self.expected_seq {
            ChainBreak {
                seq: self.expected_seq,
                reason: format!("is missing (the next event found is {found})"),
            }
        } else {
            ChainBreak {
                seq: found,
                reason: format!("is out of order (expected event {})", self.expected_seq),
            }
        }
    }

    /// Checks that the chain ends where the recorded head says it does.
    pub fn finish(&self, head: Option<(i64, &str)>) -> Result<(), ChainBreak> {
        let last_seq = self.expected_seq - 1;
        let Some((head_seq, head_hash)) = head else {
            return Err(ChainBreak {
                seq: 1,
                reason: "no chain head is recorded".into(),
            });
        };
        if last_seq < head_seq {
            return Err(ChainBreak {
                seq: last_seq + 1,
                reason: format!(
                    "is missing: the chain ends at {last_seq} but {head_seq} events were recorded"
                ),
            });
        }
        if last_seq > head_seq {
            return Err(ChainBreak {
                seq: head_seq + 1,
                reason: format!("was added after the last recorded event ({head_seq})"),
            });
        }
        if head_hash != self.last_hash {
            return Err(ChainBreak {
                seq: last_seq,
                reason: "differs from the recorded head of the chain".into(),
            });
        }
        Ok(())
    }
}

/// Index of the first event whose stored hash differs from its recomputed hash.
fn first_bad_hash(events: &[ChainLink<'_>]) -> Option<usize> {
    const PARALLEL_FROM: usize = 2_048;
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(8);
    if events.len() < PARALLEL_FROM || threads < 2 {
        return events.iter().position(|e| !e.hash_matches());
    }
    let chunk = events.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = events
            .chunks(chunk)
            .enumerate()
            .map(|(i, part)| {
                scope.spawn(move || {
                    part.iter()
                        .position(|e| !e.hash_matches())
                        .map(|p| p + i * chunk)
                })
            })
            .collect();
        handles
            .into_iter()
            .filter_map(|h| h.join().ok().flatten())
            .min()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEvent> {
        let mut prev = GENESIS_HASH.to_owned();
        let at = OffsetDateTime::from_unix_timestamp(1_800_000_000).expect("time");
        (1..=n)
            .map(|seq| {
                let event =
                    NewAuditEvent::for_record(&Actor::cli(), "person.created", "person", seq, &seq)
                        .seal(seq, at, prev.clone());
                prev.clone_from(&event.hash);
                event
            })
            .collect()
    }

    fn links(events: &[AuditEvent]) -> Vec<ChainLink<'_>> {
        events.iter().map(AuditEvent::link).collect()
    }

    #[test]
    fn a_packed_event_unpacks_to_the_same_link() {
        let events = chain(2);
        let e = &events[1];
        let sep = FIELD_SEPARATOR.to_string();
        let rfc3339 = e
            .occurred_at
            .format(&time::format_description::well_known::Rfc3339)
            .expect("time");
        let packed = [
            e.seq.to_string(),
            rfc3339,
            e.actor.clone(),
            e.action.clone(),
            e.record_type.clone(),
            e.record_id.clone(),
            e.record_digest.clone(),
            e.prev_hash.clone(),
            e.hash.clone(),
        ]
        .join(&sep);
        assert_eq!(ChainLink::unpack(&packed), Some(e.link()));
        let with_micros = packed.replacen(
            &packed
                .split(FIELD_SEPARATOR)
                .nth(1)
                .expect("time")
                .to_owned(),
            &e.link().micros.to_string(),
            1,
        );
        assert_eq!(ChainLink::unpack(&with_micros), Some(e.link()));
        assert_eq!(ChainLink::unpack(&format!("{packed}{sep}extra")), None);
        assert_eq!(ChainLink::unpack("1"), None);
    }

    #[test]
    fn an_intact_chain_verifies() {
        let events = chain(5_000);
        let mut verifier = ChainVerifier::default();
        verifier.check_batch(&links(&events)).expect("intact");
        let last = events.last().expect("events");
        verifier
            .finish(Some((last.seq, &last.hash)))
            .expect("head matches");
        assert_eq!(verifier.checked(), 5_000);
    }

    #[test]
    fn an_edited_event_is_named() {
        let mut events = chain(3_000);
        events[2_499].action = "person.deleted".into();
        let broken = ChainVerifier::default()
            .check_batch(&links(&events))
            .expect_err("edited");
        assert_eq!(broken.seq, 2_500);
    }

    #[test]
    fn a_removed_event_is_named() {
        let mut events = chain(10);
        events.remove(3);
        let broken = ChainVerifier::default()
            .check_batch(&links(&events))
            .expect_err("removed");
        assert_eq!(broken.seq, 4);
    }

    #[test]
    fn a_truncated_tail_is_caught_by_the_head() {
        let events = chain(10);
        let mut verifier = ChainVerifier::default();
        verifier
            .check_batch(&links(&events[..8]))
            .expect("prefix intact");
        let broken = verifier
            .finish(Some((10, &events[9].hash)))
            .expect_err("truncated");
        assert_eq!(broken.seq, 9);
    }
}
