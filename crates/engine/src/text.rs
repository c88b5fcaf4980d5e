//! How LinkedOut compares texts: label wordings differ in case and spacing from deploy to deploy, so every label
//! is folded the same way before it is compared.

/// Lower-cases and collapses whitespace so that "Use  my\nData" equals "use my data".
pub fn fold(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_whitespace_in_any_script() {
        assert_eq!(fold("  Use  my\n\tDATA\u{a0}now "), "use my data now");
        assert_eq!(fold("ΟΔΟΣ İstanbul"), "οδος i̇stanbul");
        assert_eq!(fold(""), "");
    }
}
