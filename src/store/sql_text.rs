//! SQL text built at run time: filter clauses with numbered placeholders, and multi-row VALUES.

use time::Date;
use uuid::Uuid;

/// A value bound to a numbered placeholder.
#[derive(Debug, Clone)]
pub enum Arg {
    Text(String),
    Uuid(Uuid),
    Date(Date),
}

/// WHERE clauses joined by AND, each holding `$N` placeholders numbered in the order added.
#[derive(Debug, Default)]
pub struct Conditions {
    clauses: Vec<String>,
    pub args: Vec<Arg>,
}

impl Conditions {
    /// Adds a clause; `{}` in `clause` becomes the next placeholder (every occurrence, same number).
    pub fn add(&mut self, clause: &str, arg: Arg) {
        self.args.push(arg);
        self.clauses
            .push(clause.replace("{}", &format!("${}", self.args.len())));
    }

    /// Adds a clause that binds nothing.
    pub fn add_fixed(&mut self, clause: &str) {
        self.clauses.push(clause.to_owned());
    }

    pub fn where_sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }

    /// The number the next placeholder after the conditions gets.
    pub fn next_placeholder(&self) -> usize {
        self.args.len() + 1
    }
}

/// `%text%` for a case-insensitive LIKE on `lower(column)`, with wildcards in the text escaped.
pub fn contains_pattern(text: &str) -> String {
    let escaped = text
        .trim()
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// How a backend numbers the placeholders of a multi-row VALUES list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholders {
    /// `$1, $2, ...`.
    Numbered,
    /// `?, ?, ...` in order: SQLite looks each `$N` up by name, which costs time quadratic in
    /// the number of parameters, so long VALUES lists use anonymous ones there.
    Positional,
}

/// `($1, $2), ($3, $4)` (or `(?, ?), (?, ?)`) for `rows` rows of `columns` values.
pub fn values_placeholders(style: Placeholders, rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let cells: Vec<String> = (1..=columns)
                .map(|col| match style {
                    Placeholders::Numbered => format!("${}", row * columns + col),
                    Placeholders::Positional => "?".to_owned(),
                })
                .collect();
            format!("({})", cells.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_number_across_rows() {
        assert_eq!(
            values_placeholders(Placeholders::Numbered, 2, 2),
            "($1, $2), ($3, $4)"
        );
        assert_eq!(
            values_placeholders(Placeholders::Positional, 1, 3),
            "(?, ?, ?)"
        );
    }

    #[test]
    fn conditions_number_in_order() {
        let mut conditions = Conditions::default();
        conditions.add(
            "(lower(name) LIKE {} ESCAPE '\\' OR lower(email) LIKE {} ESCAPE '\\')",
            Arg::Text("%a%".into()),
        );
        conditions.add("status = {}", Arg::Text("active".into()));
        assert_eq!(
            conditions.where_sql(),
            " WHERE (lower(name) LIKE $1 ESCAPE '\\' OR lower(email) LIKE $1 ESCAPE '\\') AND status = $2"
        );
        assert_eq!(conditions.next_placeholder(), 3);
    }

    #[test]
    fn wildcards_are_escaped() {
        assert_eq!(contains_pattern(" 50%_A "), "%50\\%\\_a%");
    }
}
