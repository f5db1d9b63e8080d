//! Rename rules with exactly serde's semantics, so that a command's argument keys
//! and (later) the generated bindings agree with what `serde_json` produces.
//! serde_derive does not publish its rule as a crate, and general case-conversion
//! crates segment words differently (digits, repeated underscores), so the rules
//! live here, tested against serde's documented outputs.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum RenameRule {
    Lower,
    Upper,
    Pascal,
    Camel,
    Snake,
    ScreamingSnake,
    Kebab,
    ScreamingKebab,
}

pub(crate) const RULE_NAMES: &[(&str, RenameRule)] = &[
    ("lowercase", RenameRule::Lower),
    ("UPPERCASE", RenameRule::Upper),
    ("PascalCase", RenameRule::Pascal),
    ("camelCase", RenameRule::Camel),
    ("snake_case", RenameRule::Snake),
    ("SCREAMING_SNAKE_CASE", RenameRule::ScreamingSnake),
    ("kebab-case", RenameRule::Kebab),
    ("SCREAMING-KEBAB-CASE", RenameRule::ScreamingKebab),
];

impl RenameRule {
    pub(crate) fn from_str(name: &str) -> Option<Self> {
        RULE_NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, rule)| *rule)
    }

    /// Applies the rule to a snake_case field or argument name, as serde does.
    pub(crate) fn apply_to_field(self, field: &str) -> String {
        match self {
            RenameRule::Lower | RenameRule::Snake => field.to_owned(),
            RenameRule::Upper | RenameRule::ScreamingSnake => field.to_ascii_uppercase(),
            RenameRule::Pascal => {
                let mut out = String::with_capacity(field.len());
                let mut capitalize = true;
                for ch in field.chars() {
                    if ch == '_' {
                        capitalize = true;
                    } else if capitalize {
                        out.push(ch.to_ascii_uppercase());
                        capitalize = false;
                    } else {
                        out.push(ch);
                    }
                }
                out
            }
            RenameRule::Camel => {
                let pascal = RenameRule::Pascal.apply_to_field(field);
                let mut chars = pascal.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => pascal,
                }
            }
            RenameRule::Kebab => field.replace('_', "-"),
            RenameRule::ScreamingKebab => field.to_ascii_uppercase().replace('_', "-"),
        }
    }

    /// Applies the rule to a PascalCase variant name, as serde does.
    pub(crate) fn apply_to_variant(self, variant: &str) -> String {
        match self {
            RenameRule::Pascal => variant.to_owned(),
            RenameRule::Lower => variant.to_ascii_lowercase(),
            RenameRule::Upper => variant.to_ascii_uppercase(),
            RenameRule::Camel => {
                let mut chars = variant.chars();
                match chars.next() {
                    Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
                    None => String::new(),
                }
            }
            RenameRule::Snake => {
                let mut out = String::with_capacity(variant.len() + 4);
                for (i, ch) in variant.char_indices() {
                    if i > 0 && ch.is_uppercase() {
                        out.push('_');
                    }
                    out.push(ch.to_ascii_lowercase());
                }
                out
            }
            RenameRule::ScreamingSnake => RenameRule::Snake
                .apply_to_variant(variant)
                .to_ascii_uppercase(),
            RenameRule::Kebab => RenameRule::Snake
                .apply_to_variant(variant)
                .replace('_', "-"),
            RenameRule::ScreamingKebab => RenameRule::ScreamingSnake
                .apply_to_variant(variant)
                .replace('_', "-"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{RULE_NAMES, RenameRule};

    /// Checks each input against its expected output under every rule, the
    /// columns in the order of RULE_NAMES: lower, UPPER, Pascal, camel, snake,
    /// SCREAMING, kebab, SCREAMING-KEBAB.
    fn check(cases: &[(&str, [&str; 8])], apply: fn(RenameRule, &str) -> String) {
        for (input, expected) in cases {
            for ((_, rule), expected) in RULE_NAMES.iter().zip(expected) {
                assert_eq!(apply(*rule, input), *expected, "{rule:?} of {input}");
            }
        }
    }

    #[test]
    fn field_rules_match_serde() {
        check(
            &[
                (
                    "outcome",
                    [
                        "outcome", "OUTCOME", "Outcome", "outcome", "outcome", "OUTCOME",
                        "outcome", "OUTCOME",
                    ],
                ),
                (
                    "very_tasty",
                    [
                        "very_tasty",
                        "VERY_TASTY",
                        "VeryTasty",
                        "veryTasty",
                        "very_tasty",
                        "VERY_TASTY",
                        "very-tasty",
                        "VERY-TASTY",
                    ],
                ),
                ("a", ["a", "A", "A", "a", "a", "A", "a", "A"]),
                (
                    "z42",
                    ["z42", "Z42", "Z42", "z42", "z42", "Z42", "z42", "Z42"],
                ),
                (
                    "due_date_2",
                    [
                        "due_date_2",
                        "DUE_DATE_2",
                        "DueDate2",
                        "dueDate2",
                        "due_date_2",
                        "DUE_DATE_2",
                        "due-date-2",
                        "DUE-DATE-2",
                    ],
                ),
            ],
            |rule, input| rule.apply_to_field(input),
        );
    }

    #[test]
    fn variant_rules_match_serde() {
        check(
            &[
                (
                    "Outcome",
                    [
                        "outcome", "OUTCOME", "Outcome", "outcome", "outcome", "OUTCOME",
                        "outcome", "OUTCOME",
                    ],
                ),
                (
                    "VeryTasty",
                    [
                        "verytasty",
                        "VERYTASTY",
                        "VeryTasty",
                        "veryTasty",
                        "very_tasty",
                        "VERY_TASTY",
                        "very-tasty",
                        "VERY-TASTY",
                    ],
                ),
                ("A", ["a", "A", "A", "a", "a", "A", "a", "A"]),
                (
                    "Z42",
                    ["z42", "Z42", "Z42", "z42", "z42", "Z42", "z42", "Z42"],
                ),
            ],
            |rule, input| rule.apply_to_variant(input),
        );
    }
}
