//! An append-only Merkle tree in the manner of Certificate Transparency (RFC 9162 §2.1, the same
//! hashing as RFC 6962): the tree head over any number of leaves, inclusion proofs that a leaf is
//! in a tree, consistency proofs that a tree extends an earlier one, and the verifiers an auditor
//! runs with nothing but the hashes. Pure functions; where the leaves come from is the caller's.

use sha2::{Digest, Sha256};

/// A SHA-256 digest.
pub type Hash = [u8; 32];

/// The hash of one leaf: SHA-256 of `0x00` and the data.
pub fn leaf_hash(data: &[u8]) -> Hash {
    tagged(0x00, &[data])
}

/// The hash of an interior node: SHA-256 of `0x01`, the left and the right child.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    tagged(0x01, &[left, right])
}

fn tagged(tag: u8, parts: &[&[u8]]) -> Hash {
    let mut hasher = Sha256::new();
    hasher.update([tag]);
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

/// The largest power of two smaller than `n` (`n` > 1): where the tree splits.
fn split(n: usize) -> usize {
    debug_assert!(n > 1);
    1 << (usize::BITS - 1 - (n - 1).leading_zeros())
}

/// The tree head (MTH) over leaf hashes; the hash of the empty string for no leaves.
pub fn root(leaves: &[Hash]) -> Hash {
    match leaves.len() {
        0 => Sha256::digest([]).into(),
        1 => leaves[0],
        n => {
            let k = split(n);
            node_hash(&root(&leaves[..k]), &root(&leaves[k..]))
        }
    }
}

/// The audit path (PATH) of leaf `index` in the tree over `leaves`; none when out of range.
pub fn inclusion_proof(leaves: &[Hash], index: usize) -> Option<Vec<Hash>> {
    (index < leaves.len()).then(|| {
        let mut proof = Vec::new();
        path(index, leaves, &mut proof);
        proof
    })
}

fn path(index: usize, leaves: &[Hash], proof: &mut Vec<Hash>) {
    let n = leaves.len();
    if n <= 1 {
        return;
    }
    let k = split(n);
    if index < k {
        path(index, &leaves[..k], proof);
        proof.push(root(&leaves[k..]));
    } else {
        path(index - k, &leaves[k..], proof);
        proof.push(root(&leaves[..k]));
    }
}

/// The consistency proof (PROOF) that the tree over `leaves` extends its first `old_size`
/// leaves; none unless 0 < `old_size` <= the number of leaves.
pub fn consistency_proof(leaves: &[Hash], old_size: usize) -> Option<Vec<Hash>> {
    (old_size > 0 && old_size <= leaves.len()).then(|| {
        let mut proof = Vec::new();
        subproof(old_size, leaves, true, &mut proof);
        proof
    })
}

fn subproof(m: usize, leaves: &[Hash], complete: bool, proof: &mut Vec<Hash>) {
    let n = leaves.len();
    if m == n {
        if !complete {
            proof.push(root(leaves));
        }
        return;
    }
    let k = split(n);
    if m <= k {
        subproof(m, &leaves[..k], complete, proof);
        proof.push(root(&leaves[k..]));
    } else {
        subproof(m - k, &leaves[k..], false, proof);
        proof.push(root(&leaves[..k]));
    }
}

/// Checks an inclusion proof (RFC 9162 §2.1.3.2): the leaf at `index` of a tree of `size`
/// leaves with this root. The size must come with the root from a signed tree head: two sizes
/// whose trees have the same shape along the leaf's path accept the same proof.
pub fn verify_inclusion(index: u64, size: u64, leaf: &Hash, proof: &[Hash], root: &Hash) -> bool {
    if index >= size {
        return false;
    }
    let (mut f, mut s, mut r) = (index, size - 1, *leaf);
    for p in proof {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            r = node_hash(p, &r);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            r = node_hash(&r, p);
        }
        f >>= 1;
        s >>= 1;
    }
    s == 0 && r == *root
}

/// Checks a consistency proof (RFC 9162 §2.1.4.2): the tree of `new_size` leaves with
/// `new_root` extends the one of `old_size` leaves with `old_root`.
pub fn verify_consistency(
    old_size: u64,
    new_size: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> bool {
    if old_size == 0 || old_size > new_size {
        return false;
    }
    if old_size == new_size {
        return proof.is_empty() && old_root == new_root;
    }
    let mut path: Vec<Hash> = Vec::with_capacity(proof.len() + 1);
    if old_size.is_power_of_two() {
        path.push(*old_root);
    }
    path.extend_from_slice(proof);
    let Some((first, rest)) = path.split_first() else {
        return false;
    };
    let (mut f, mut s) = (old_size - 1, new_size - 1);
    while f & 1 == 1 {
        f >>= 1;
        s >>= 1;
    }
    let (mut fr, mut sr) = (*first, *first);
    for c in rest {
        if s == 0 {
            return false;
        }
        if f & 1 == 1 || f == s {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            while f & 1 == 0 && f != 0 {
                f >>= 1;
                s >>= 1;
            }
        } else {
            sr = node_hash(&sr, c);
        }
        f >>= 1;
        s >>= 1;
    }
    fr == *old_root && sr == *new_root && s == 0
}

/// A perfect subtree of the log: the 2^`level` leaves from `index` << `level`. A store keeps
/// their hashes so that a proof reads a handful of them instead of every leaf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Subtree {
    pub level: u32,
    pub index: u64,
}

impl Subtree {
    pub fn new(level: u32, index: u64) -> Self {
        Self { level, index }
    }

    /// The first leaf it covers.
    pub fn start(&self) -> u64 {
        self.index << self.level
    }

    /// The leaf after the last one it covers.
    pub fn end(&self) -> u64 {
        (self.index + 1) << self.level
    }
}

/// The largest power of two smaller than `n` (`n` > 1), for sizes of a stored log.
fn split_u64(n: u64) -> u64 {
    debug_assert!(n > 1);
    1 << (u64::BITS - 1 - (n - 1).leading_zeros())
}

/// The perfect subtrees, largest first, whose hashes give the tree head of the leaves
/// `start..end`, a node of an RFC 9162 tree (so `start` is a multiple of the power of two at or
/// above its size, as every range [`inclusion_ranges`] and [`consistency_ranges`] give is).
pub fn perfect_subtrees(start: u64, end: u64) -> Vec<Subtree> {
    let mut subtrees = Vec::new();
    let mut at = start;
    while at < end {
        let len = end - at;
        let size = if len.is_power_of_two() {
            len
        } else {
            split_u64(len)
        };
        let level = size.trailing_zeros();
        subtrees.push(Subtree::new(level, at >> level));
        at += size;
    }
    subtrees
}

/// The tree head of a node from the hashes of its [`perfect_subtrees`], largest first; none for
/// no subtrees.
pub fn fold_subtrees(hashes: &[Hash]) -> Option<Hash> {
    let (last, rest) = hashes.split_last()?;
    Some(
        rest.iter()
            .rev()
            .fold(*last, |right, left| node_hash(left, &right)),
    )
}

/// The leaf ranges whose tree heads are the inclusion proof of leaf `index` in a tree of `size`
/// leaves, leaf side first (the same hashes as [`inclusion_proof`], named by their ranges);
/// none when the index is out of range.
pub fn inclusion_ranges(index: u64, size: u64) -> Option<Vec<(u64, u64)>> {
    if index >= size {
        return None;
    }
    let mut siblings = Vec::new();
    let (mut lo, mut hi) = (0, size);
    while hi - lo > 1 {
        let k = split_u64(hi - lo);
        if index < lo + k {
            siblings.push((lo + k, hi));
            hi = lo + k;
        } else {
            siblings.push((lo, lo + k));
            lo += k;
        }
    }
    siblings.reverse();
    Some(siblings)
}

/// The leaf ranges whose tree heads are the consistency proof from `old_size` to `new_size`
/// leaves (the same hashes as [`consistency_proof`]); none unless 0 < `old_size` <= `new_size`.
pub fn consistency_ranges(old_size: u64, new_size: u64) -> Option<Vec<(u64, u64)>> {
    if old_size == 0 || old_size > new_size {
        return None;
    }
    let mut siblings = Vec::new();
    let (mut m, mut lo, mut hi, mut complete) = (old_size, 0, new_size, true);
    while m != hi - lo {
        let k = split_u64(hi - lo);
        if m <= k {
            siblings.push((lo + k, hi));
            hi = lo + k;
        } else {
            siblings.push((lo, lo + k));
            m -= k;
            lo += k;
            complete = false;
        }
    }
    let mut ranges = Vec::with_capacity(siblings.len() + 1);
    if !complete {
        ranges.push((lo, hi));
    }
    ranges.extend(siblings.into_iter().rev());
    Some(ranges)
}

/// The hashes of every complete level of a run of leaves: `levels[0]` the leaves, `levels[l]`
/// the roots of their aligned runs of 2^l, up to `top` (or as high as the run allows).
pub fn subtree_levels(leaves: Vec<Hash>, top: u32) -> Vec<Vec<Hash>> {
    let mut levels = vec![leaves];
    for _ in 0..top {
        let below = levels.last().map_or(&[][..], Vec::as_slice);
        if below.len() < 2 {
            break;
        }
        let above: Vec<Hash> = below
            .chunks_exact(2)
            .map(|pair| node_hash(&pair[0], &pair[1]))
            .collect();
        levels.push(above);
    }
    levels
}

/// The tree head of the first `count` leaves of a run, from its [`subtree_levels`]; none when
/// the levels do not reach that far.
pub fn prefix_root(levels: &[Vec<Hash>], count: u64) -> Option<Hash> {
    let hashes: Vec<Hash> = perfect_subtrees(0, count)
        .into_iter()
        .map(|s| {
            let index = usize::try_from(s.index).ok()?;
            levels.get(s.level as usize)?.get(index).copied()
        })
        .collect::<Option<_>>()?;
    if hashes.is_empty() {
        return Some(Sha256::digest([]).into());
    }
    fold_subtrees(&hashes)
}

#[cfg(test)]
mod tests;
