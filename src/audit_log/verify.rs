//! Checking the whole log from what the database holds, range by range so that ranges are read
//! and hashed at the same time: each range's chain segment and subtree hashes on their own, then
//! joined in order into the chain, the roots at every checkpoint and the stored subtrees above.

use std::collections::HashMap;

use crate::domain::audit::{ChainBreak, ChainLink, ChainVerifier, EVENT_SEPARATOR};
use crate::domain::checkpoint::{Checkpoint, SigningKey, event_leaf};
use crate::domain::merkle::{Hash, Subtree, node_hash, prefix_root, root, subtree_levels};

/// The lowest level of the stored subtree hashes: subtrees of 256 events and up; a proof
/// recomputes what lies below from at most 256 events.
pub const STORED_LEVEL: u32 = 8;
/// The level of one range of the check: 16,384 events, read and hashed as one.
pub const RANGE_LEVEL: u32 = 14;
/// The number of events in one range of the check.
pub const RANGE_EVENTS: u64 = 1 << RANGE_LEVEL;

/// Stored subtree hashes by subtree.
pub type StoredNodes = HashMap<Subtree, Hash>;

/// A way the Merkle log does not match its events, at a position of the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogProblem {
    /// The leaf (event number - 1) or checkpoint size it concerns, to name the first.
    pub at: u64,
    pub message: String,
}

/// What the check needs besides the events, read once at its start.
#[derive(Debug, Default)]
pub struct LogFacts {
    /// Every checkpoint, by tree size.
    pub checkpoints: Vec<Checkpoint>,
    pub keys: Vec<SigningKey>,
    pub nodes: StoredNodes,
}

impl LogFacts {
    /// The size of the latest checkpoint: the stored subtrees cover it.
    pub fn latest_size(&self) -> u64 {
        self.checkpoints.last().map_or(0, |c| c.tree_size)
    }

    fn checkpoints_within(&self, start: u64, end: u64) -> &[Checkpoint] {
        let from = self.checkpoints.partition_point(|c| c.tree_size <= start);
        let to = self.checkpoints.partition_point(|c| c.tree_size <= end);
        &self.checkpoints[from..to.max(from)]
    }

    /// Compares a subtree hash computed from the events with the stored one.
    fn check_node(&self, subtree: Subtree, computed: &Hash) -> Result<bool, LogProblem> {
        let (first, last) = (subtree.start() + 1, subtree.end());
        match self.nodes.get(&subtree) {
            Some(stored) if stored == computed => Ok(true),
            Some(_) => Err(LogProblem {
                at: subtree.start(),
                message: format!(
                    "the stored hash of events {first} to {last} (a subtree of level {}) does not match the events (the stored tree was altered)",
                    subtree.level
                ),
            }),
            None if subtree.end() <= self.latest_size() => Err(LogProblem {
                at: subtree.start(),
                message: format!(
                    "the stored hash of events {first} to {last} (a subtree of level {}) is missing",
                    subtree.level
                ),
            }),
            None => Ok(false),
        }
    }
}

/// One range of events checked on its own.
#[derive(Debug)]
pub struct RangeResult {
    /// The first event's number and the hash it links to.
    first: Option<(i64, String)>,
    segment: ChainVerifier,
    broken: Option<ChainBreak>,
    tree: Option<RangeTree>,
}

/// The Merkle side of a range whose events are exactly the leaves from `start`.
#[derive(Debug)]
struct RangeTree {
    start: u64,
    /// The range's subtree hash when it is complete.
    root: Option<Hash>,
    /// The tree head of the range's leaves up to each checkpoint ending inside it.
    prefixes: Vec<(u64, Hash)>,
    matched: u64,
    problems: Vec<LogProblem>,
}

/// Checks the events after `after` packed as the database gives them (see
/// [`ChainLink::unpack`]); ranges that start at a leaf (`after` >= 0, a multiple of
/// [`RANGE_EVENTS`]) also get their subtree hashes computed and compared.
pub fn check_range(after: i64, packed: Option<&str>, facts: &LogFacts) -> RangeResult {
    let mut links = Vec::new();
    let mut unreadable = false;
    for text in packed.into_iter().flat_map(|p| p.split(EVENT_SEPARATOR)) {
        match ChainLink::unpack(text) {
            Some(link) => links.push(link),
            None => {
                unreadable = true;
                break;
            }
        }
    }
    links.sort_unstable_by_key(|link| link.seq);
    let first = links.first().map(|l| (l.seq, l.prev_hash.to_owned()));
    let mut segment = match &first {
        Some((seq, prev)) => ChainVerifier::after(*seq, prev),
        None => ChainVerifier::after(after + 1, ""),
    };
    let mut broken = segment.check_batch(&links).err();
    if broken.is_none() && unreadable {
        broken = Some(ChainBreak {
            seq: segment.next_seq(),
            reason: "cannot be read as an event (its fields were altered)".into(),
        });
    }
    let aligned = first.as_ref().is_some_and(|(seq, _)| *seq == after + 1);
    let tree = match (broken.is_none() && aligned, u64::try_from(after)) {
        (true, Ok(start)) => range_tree(start, &links, facts),
        _ => None,
    };
    RangeResult {
        first,
        segment,
        broken,
        tree,
    }
}

fn range_tree(start: u64, links: &[ChainLink<'_>], facts: &LogFacts) -> Option<RangeTree> {
    let leaves: Vec<Hash> = links
        .iter()
        .map(|l| event_leaf(l.hash))
        .collect::<Option<_>>()?;
    let count = leaves.len() as u64;
    let levels = subtree_levels(leaves, RANGE_LEVEL);
    let mut tree = RangeTree {
        start,
        root: None,
        prefixes: Vec::new(),
        matched: 0,
        problems: Vec::new(),
    };
    for (level, hashes) in levels.iter().enumerate().skip(STORED_LEVEL as usize) {
        let level = u32::try_from(level).ok()?;
        for (i, hash) in hashes.iter().enumerate() {
            let subtree = Subtree::new(level, (start >> level) + i as u64);
            match facts.check_node(subtree, hash) {
                Ok(matched) => tree.matched += u64::from(matched),
                Err(problem) => tree.problems.push(problem),
            }
        }
    }
    for checkpoint in facts.checkpoints_within(start, start + count) {
        let root = prefix_root(&levels, checkpoint.tree_size - start)?;
        tree.prefixes.push((checkpoint.tree_size, root));
    }
    if count == RANGE_EVENTS {
        tree.root = levels.get(RANGE_LEVEL as usize)?.first().copied();
    }
    Some(tree)
}

/// Joins checked ranges in order: the chain across them, the roots at every checkpoint, the
/// stored subtrees above a range.
#[derive(Debug)]
pub struct LogJoiner<'a> {
    facts: &'a LogFacts,
    chain: ChainVerifier,
    /// The hashes of the complete ranges so far, merged as in a binary counter.
    stack: Vec<(Subtree, Hash)>,
    roots_matched: Vec<u64>,
    nodes_matched: u64,
    problems: Vec<LogProblem>,
}

/// What a check of the log found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogFindings {
    pub events_checked: u64,
    pub broken: Option<ChainBreak>,
    /// Checkpoints whose root matches the events and whose signature is valid.
    pub checkpoints_verified: u64,
    /// The first way the Merkle log does not match (by position in the log).
    pub problem: Option<LogProblem>,
}

impl<'a> LogJoiner<'a> {
    pub fn new(facts: &'a LogFacts) -> Self {
        Self {
            facts,
            chain: ChainVerifier::default(),
            stack: Vec::new(),
            roots_matched: Vec::new(),
            nodes_matched: 0,
            problems: Vec::new(),
        }
    }

    pub fn events_checked(&self) -> u64 {
        self.chain.checked()
    }

    /// Adds the next range; the chain's first break stops the check.
    pub fn add(&mut self, range: RangeResult) -> Result<(), ChainBreak> {
        if let Some((seq, prev)) = &range.first {
            self.chain.join(*seq, prev, &range.segment)?;
        }
        if let Some(broken) = range.broken {
            return Err(match range.first {
                Some(_) => broken,
                None => ChainBreak {
                    seq: self.chain.next_seq(),
                    reason: broken.reason,
                },
            });
        }
        let Some(tree) = range.tree else {
            return Ok(());
        };
        self.nodes_matched += tree.matched;
        self.problems.extend(tree.problems);
        for (size, prefix) in tree.prefixes {
            let root = self
                .stack
                .iter()
                .rev()
                .fold(prefix, |right, (_, left)| node_hash(left, &right));
            self.check_root(size, &root);
        }
        if let Some(root) = tree.root {
            self.push(Subtree::new(RANGE_LEVEL, tree.start >> RANGE_LEVEL), root);
        }
        Ok(())
    }

    fn push(&mut self, subtree: Subtree, hash: Hash) {
        let mut node = (subtree, hash);
        while let Some(&(left, left_hash)) = self.stack.last()
            && left.level == node.0.level
        {
            self.stack.pop();
            let parent = Subtree::new(left.level + 1, left.index / 2);
            let hash = node_hash(&left_hash, &node.1);
            match self.facts.check_node(parent, &hash) {
                Ok(matched) => self.nodes_matched += u64::from(matched),
                Err(problem) => self.problems.push(problem),
            }
            node = (parent, hash);
        }
        self.stack.push(node);
    }

    fn check_root(&mut self, size: u64, root: &Hash) {
        let Ok(at) = self
            .facts
            .checkpoints
            .binary_search_by_key(&size, |c| c.tree_size)
        else {
            return;
        };
        if self.facts.checkpoints[at].root().as_ref() == Some(root) {
            self.roots_matched.push(size);
        } else {
            self.problems.push(LogProblem {
                at: size,
                message: format!(
                    "the checkpoint at size {size} has a root hash the events do not give (the checkpoint was forged or the log rewritten)"
                ),
            });
        }
    }

    /// Ends the check: the chain against its recorded head (`(seq, hash)`), checkpoints and
    /// stored subtrees beyond the events, and the signatures (checked apart, see
    /// [`check_signatures`]).
    pub fn finish(mut self, head: Option<(i64, &str)>, signatures: Signatures) -> LogFindings {
        let events = self.chain.checked();
        if let Err(broken) = self.chain.finish(head) {
            return LogFindings {
                events_checked: events,
                broken: Some(broken),
                checkpoints_verified: 0,
                problem: None,
            };
        }
        let empty_root = root(&[]);
        for checkpoint in &self.facts.checkpoints {
            if checkpoint.tree_size == 0 {
                self.check_root(0, &empty_root);
            } else if checkpoint.tree_size > events {
                self.problems.push(LogProblem {
                    at: checkpoint.tree_size,
                    message: format!(
                        "the checkpoint at size {} covers more events than the log holds ({events}): events were removed or the checkpoint was forged",
                        checkpoint.tree_size
                    ),
                });
            }
        }
        for subtree in self.facts.nodes.keys() {
            if subtree.level < STORED_LEVEL || subtree.end() > events {
                self.problems.push(LogProblem {
                    at: subtree.start(),
                    message: format!(
                        "a stored subtree hash (level {}, index {}) covers events the log does not hold",
                        subtree.level, subtree.index
                    ),
                });
            }
        }
        self.problems.extend(signatures.problems);
        self.roots_matched.sort_unstable();
        let verified = signatures
            .valid
            .iter()
            .filter(|size| self.roots_matched.binary_search(*size).is_ok())
            .count() as u64;
        let problem = self.problems.into_iter().min_by_key(|p| p.at);
        LogFindings {
            events_checked: events,
            broken: None,
            checkpoints_verified: verified,
            problem,
        }
    }
}

/// The signatures of the checkpoints checked with the registered keys.
#[derive(Debug, Default)]
pub struct Signatures {
    /// Sizes of the checkpoints with a valid signature.
    valid: Vec<u64>,
    problems: Vec<LogProblem>,
}

/// Checks every checkpoint's signature with the registered key it names, on all cores.
pub fn check_signatures(checkpoints: &[Checkpoint], keys: &[SigningKey]) -> Signatures {
    let keys: HashMap<&str, Option<Vec<u8>>> =
        keys.iter().map(|k| (k.key_id.as_str(), k.raw())).collect();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = checkpoints.len().div_ceil(threads).max(64);
    let keys = &keys;
    let parts: Vec<Vec<Result<u64, LogProblem>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = checkpoints
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    part.iter()
                        .map(|c| check_signature(c, keys))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_default())
            .collect()
    });
    let mut signatures = Signatures::default();
    for outcome in parts.into_iter().flatten() {
        match outcome {
            Ok(size) => signatures.valid.push(size),
            Err(problem) => signatures.problems.push(problem),
        }
    }
    signatures
}

fn check_signature(
    checkpoint: &Checkpoint,
    keys: &HashMap<&str, Option<Vec<u8>>>,
) -> Result<u64, LogProblem> {
    let size = checkpoint.tree_size;
    let problem = |message: String| LogProblem { at: size, message };
    match keys.get(checkpoint.key_id.as_str()) {
        None => Err(problem(format!(
            "the checkpoint at size {size} is signed with key {}, which is not registered (the checkpoint was forged)",
            checkpoint.key_id
        ))),
        Some(None) => Err(problem(format!(
            "the registered key {} is not an Ed25519 public key (the key was altered)",
            checkpoint.key_id
        ))),
        Some(Some(key)) if checkpoint.signature_valid(key) => Ok(size),
        Some(Some(_)) => Err(problem(format!(
            "the checkpoint at size {size} does not carry a valid signature of key {} (the checkpoint was forged or altered)",
            checkpoint.key_id
        ))),
    }
}
