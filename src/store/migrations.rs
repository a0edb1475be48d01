//! Migrations embedded in the binary, one list per backend with the same version numbers.

use sha2::{Digest, Sha256};

/// One schema change.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    pub version: i64,
    pub name: &'static str,
    pub sql: &'static str,
}

impl Migration {
    pub fn checksum(&self) -> String {
        hex::encode(Sha256::digest(self.sql.as_bytes()))
    }
}

macro_rules! migrations {
    ($dir:literal: $($version:literal $file:literal $name:literal),+ $(,)?) => {
        &[$(Migration {
            version: $version,
            name: $name,
            sql: include_str!(concat!("../../migrations/", $dir, "/", $file, "_", $name, ".sql")),
        }),+]
    };
}

pub const SQLITE: &[Migration] = migrations!(
    "sqlite": 1 "0001" "foundation", 2 "0002" "identity", 3 "0003" "policies", 4 "0004" "campaigns",
    5 "0005" "roles", 6 "0006" "objectives", 7 "0007" "reviews", 8 "0008" "commitments",
    9 "0009" "reports", 10 "0010" "concerns", 11 "0011" "conformance", 12 "0012" "audit_log",
    13 "0013" "account_expiry"
);
pub const POSTGRES: &[Migration] = migrations!(
    "postgres": 1 "0001" "foundation", 2 "0002" "identity", 3 "0003" "policies", 4 "0004" "campaigns",
    5 "0005" "roles", 6 "0006" "objectives", 7 "0007" "reviews", 8 "0008" "commitments",
    9 "0009" "reports", 10 "0010" "concerns", 11 "0011" "conformance", 12 "0012" "audit_log",
    13 "0013" "account_expiry"
);

pub const CREATE_LEDGER: &str = "CREATE TABLE IF NOT EXISTS charter_migrations (
    version BIGINT PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_have_the_same_versions_and_names() {
        let sqlite: Vec<_> = SQLITE.iter().map(|m| (m.version, m.name)).collect();
        let postgres: Vec<_> = POSTGRES.iter().map(|m| (m.version, m.name)).collect();
        assert_eq!(sqlite, postgres);
        assert!(
            sqlite.windows(2).all(|w| w[0].0 < w[1].0),
            "versions ascend"
        );
    }
}
