use super::*;

/// The leaves of the Certificate Transparency reference test vectors.
fn reference_leaves() -> Vec<Hash> {
    let data: [&[u8]; 8] = [
        b"",
        b"\x00",
        b"\x10",
        b"\x20\x21",
        b"\x30\x31",
        b"\x40\x41\x42\x43",
        b"\x50\x51\x52\x53\x54\x55\x56\x57",
        b"\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
    ];
    data.iter().map(|d| leaf_hash(d)).collect()
}

fn leaves(n: usize) -> Vec<Hash> {
    (0..n)
        .map(|i| leaf_hash(format!("event {i}").as_bytes()))
        .collect()
}

#[test]
fn tree_heads_match_the_reference_vectors() {
    let expected = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    let all = reference_leaves();
    for (size, hex_root) in (1..=8).zip(expected) {
        assert_eq!(hex::encode(root(&all[..size])), hex_root, "size {size}");
    }
    assert_eq!(
        hex::encode(root(&[])),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn every_leaf_of_every_small_tree_proves_its_inclusion_and_no_other() {
    for size in 1..=40 {
        let tree = leaves(size);
        let head = root(&tree);
        for index in 0..size {
            let proof = inclusion_proof(&tree, index).expect("in range");
            let (i, n) = (index as u64, size as u64);
            assert!(
                verify_inclusion(i, n, &tree[index], &proof, &head),
                "{index} of {size}"
            );
            let other = leaf_hash(b"not in the log");
            assert!(
                !verify_inclusion(i, n, &other, &proof, &head),
                "a foreign leaf"
            );
            if size > 1 {
                let wrong = (index + 1) % size;
                assert!(
                    !verify_inclusion(wrong as u64, n, &tree[index], &proof, &head),
                    "{index} of {size} claimed at {wrong}"
                );
            }
        }
        assert!(inclusion_proof(&tree, size).is_none());
    }
}

#[test]
fn every_earlier_tree_is_proved_consistent_and_a_rewritten_one_is_not() {
    for new_size in 1..=40 {
        let tree = leaves(new_size);
        let new_root = root(&tree);
        for old_size in 1..=new_size {
            let old_root = root(&tree[..old_size]);
            let proof = consistency_proof(&tree, old_size).expect("in range");
            let (m, n) = (old_size as u64, new_size as u64);
            assert!(
                verify_consistency(m, n, &old_root, &new_root, &proof),
                "{old_size} -> {new_size}"
            );
            let mut rewritten = tree[..old_size].to_vec();
            rewritten[old_size / 2] = leaf_hash(b"edited");
            let forged = root(&rewritten);
            assert!(
                !verify_consistency(m, n, &forged, &new_root, &proof),
                "an edited history {old_size} -> {new_size}"
            );
        }
        assert!(consistency_proof(&tree, 0).is_none());
        assert!(consistency_proof(&tree, new_size + 1).is_none());
    }
}

#[test]
fn a_proof_for_a_tree_of_another_shape_does_not_verify() {
    // The size is bound to the root by the signed tree head; a size whose tree has another
    // shape along the leaf's path is refused by the verifier itself.
    let tree = leaves(13);
    let proof = inclusion_proof(&tree, 5).expect("in range");
    assert!(!verify_inclusion(5, 6, &tree[5], &proof, &root(&tree)));
    assert!(!verify_inclusion(5, 40, &tree[5], &proof, &root(&tree)));
    let consistency = consistency_proof(&tree, 6).expect("in range");
    let old = root(&tree[..6]);
    assert!(!verify_consistency(7, 13, &old, &root(&tree), &consistency));
}
