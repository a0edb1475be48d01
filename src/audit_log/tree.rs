//! The part of the log a proof or a checkpoint needs: stored subtree hashes (level 8 and up)
//! and the few blocks of 256 events below them, read once, from which the tree head of any node
//! of the tree is computed without reading the rest of the log.

use std::collections::{BTreeSet, HashMap};

use super::verify::{STORED_LEVEL, StoredNodes};
use crate::domain::merkle::{Hash, Subtree, fold_subtrees, perfect_subtrees, root};

/// The number of events in a block below the stored subtrees.
pub const BLOCK_EVENTS: u64 = 1 << STORED_LEVEL;

/// What to read for some node ranges of a tree: stored subtrees and blocks of events.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct TreeReads {
    pub subtrees: Vec<Subtree>,
    /// Blocks of [`BLOCK_EVENTS`] events by number (block `b` holds leaves from `b` * 256).
    pub blocks: Vec<u64>,
}

/// What [`StoredTree::range_root`] needs for these node ranges.
pub fn reads_for(ranges: &[(u64, u64)]) -> TreeReads {
    let mut subtrees = BTreeSet::new();
    let mut blocks = BTreeSet::new();
    for &(start, end) in ranges {
        for subtree in perfect_subtrees(start, end) {
            if subtree.level >= STORED_LEVEL {
                subtrees.insert(subtree);
            } else {
                blocks.insert(subtree.start() / BLOCK_EVENTS);
            }
        }
    }
    TreeReads {
        subtrees: subtrees.into_iter().collect(),
        blocks: blocks.into_iter().collect(),
    }
}

/// Stored subtree hashes and leaf hashes of some blocks.
#[derive(Debug, Default)]
pub struct StoredTree {
    pub nodes: StoredNodes,
    /// The leaf hashes of a block, from its first leaf (the last block of a tree may be short).
    pub blocks: HashMap<u64, Vec<Hash>>,
}

impl StoredTree {
    /// The hash of a perfect subtree: stored, or computed from its block's leaves.
    pub fn subtree_hash(&self, subtree: Subtree) -> Option<Hash> {
        if subtree.level >= STORED_LEVEL {
            return self.nodes.get(&subtree).copied();
        }
        let block = subtree.start() / BLOCK_EVENTS;
        let leaves = self.blocks.get(&block)?;
        let from = usize::try_from(subtree.start() - block * BLOCK_EVENTS).ok()?;
        let to = usize::try_from(subtree.end() - block * BLOCK_EVENTS).ok()?;
        leaves.get(from..to).map(root)
    }

    /// The tree head of the node covering leaves `start..end`; none when something it needs
    /// was not read (or is not stored).
    pub fn range_root(&self, start: u64, end: u64) -> Option<Hash> {
        let hashes: Vec<Hash> = perfect_subtrees(start, end)
            .into_iter()
            .map(|s| self.subtree_hash(s))
            .collect::<Option<_>>()?;
        fold_subtrees(&hashes)
    }

    /// The first subtree of these ranges that is neither stored nor computable.
    pub fn first_missing(&self, ranges: &[(u64, u64)]) -> Option<Subtree> {
        ranges
            .iter()
            .flat_map(|&(start, end)| perfect_subtrees(start, end))
            .find(|s| self.subtree_hash(*s).is_none())
    }
}
