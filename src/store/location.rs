//! Where the data lives: a file path or `sqlite://` URL, or a `postgres://` URL.

use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// A parsed `--database` value.
#[derive(Clone, PartialEq, Eq)]
pub enum DatabaseLocation {
    Sqlite(PathBuf),
    Postgres(String),
}

impl FromStr for DatabaseLocation {
    type Err = String;

    fn from_str(raw: &str) -> Result<Self, Self::Err> {
        let value = raw.trim();
        if value.is_empty() {
            return Err("the database location is empty".into());
        }
        if value.starts_with("postgres://") || value.starts_with("postgresql://") {
            return Ok(Self::Postgres(value.to_owned()));
        }
        if let Some(rest) = value
            .strip_prefix("sqlite://")
            .or_else(|| value.strip_prefix("sqlite:"))
        {
            let path = rest.split('?').next().unwrap_or_default();
            if path.is_empty() {
                return Err(format!("'{value}' names no database file"));
            }
            return Ok(Self::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = value.split_once("://") {
            return Err(format!(
                "'{scheme}://' is not a supported database; use a file path, sqlite:// or postgres://"
            ));
        }
        Ok(Self::Sqlite(PathBuf::from(value)))
    }
}

impl fmt::Display for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(path) => write!(f, "sqlite://{}", path.display()),
            Self::Postgres(url) => f.write_str(&redact_password(url)),
        }
    }
}

impl fmt::Debug for DatabaseLocation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// Hides the password of a URL so it never reaches a log line.
fn redact_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let Some((userinfo, host)) = rest.split_once('@') else {
        return url.to_owned();
    };
    match userinfo.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_accepted_form() {
        assert_eq!(
            "data/c.db".parse(),
            Ok(DatabaseLocation::Sqlite("data/c.db".into()))
        );
        assert_eq!(
            "sqlite:///tmp/c.db".parse(),
            Ok(DatabaseLocation::Sqlite("/tmp/c.db".into()))
        );
        assert_eq!(
            "sqlite://c.db?mode=rwc".parse(),
            Ok(DatabaseLocation::Sqlite("c.db".into()))
        );
        assert!(matches!(
            "postgres://u@h/db".parse(),
            Ok(DatabaseLocation::Postgres(_))
        ));
        assert!("mysql://u@h/db".parse::<DatabaseLocation>().is_err());
        assert!("sqlite://".parse::<DatabaseLocation>().is_err());
    }

    #[test]
    fn display_never_shows_a_password() {
        let location: DatabaseLocation = "postgres://app:s3cret@db:5432/charter"
            .parse()
            .expect("url");
        assert_eq!(location.to_string(), "postgres://app:***@db:5432/charter");
    }
}
