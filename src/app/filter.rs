//! The row filter typed after `/`.

use regex::{Regex, RegexBuilder};

/// A case-insensitive regex (or plain text if it is not a valid regex); a
/// leading `!` keeps what does not match.
#[derive(Debug, Clone)]
pub struct Filter {
    pub text: String,
    negate: bool,
    regex: Option<Regex>,
}

impl Filter {
    pub fn new(text: &str) -> Filter {
        let (negate, pattern) = match text.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let regex = RegexBuilder::new(pattern)
            .case_insensitive(true)
            .size_limit(1 << 20)
            .build()
            .or_else(|_| {
                RegexBuilder::new(&regex::escape(pattern))
                    .case_insensitive(true)
                    .build()
            })
            .ok();
        Filter {
            text: text.to_string(),
            negate,
            regex,
        }
    }

    pub fn matches(&self, haystack: &str) -> bool {
        let hit = self.regex.as_ref().is_none_or(|r| r.is_match(haystack));
        hit != self.negate
    }
}

#[cfg(test)]
mod tests {
    use super::Filter;

    #[test]
    fn regex_negation_and_fallback_to_text() {
        assert!(Filter::new("^kust.*apps").matches("Kustomization flux-system/apps"));
        assert!(!Filter::new("!trouble").matches("GitRepository trouble/auth"));
        assert!(Filter::new("!trouble").matches("GitRepository prod/app"));
        let broken_regex = Filter::new("a[b");
        assert!(!broken_regex.matches("xyz") && broken_regex.matches("a[b"));
    }
}
