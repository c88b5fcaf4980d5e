//! `str::to_lowercase`, exactly, without std's Unicode tables (about 18 KB of the Wasm; these are about 4 KB).
//!
//! `build.rs` reads the tables off this toolchain's own `to_lowercase` (so they follow the same Unicode
//! version), and the tests below compare the two for every character and every sigma context:
//! - `MULTI`: the characters whose lowercase is several characters (only `İ` → `i̇` today);
//! - `RUNS`: every other changed character, as runs `(first | (stride - 1) << 21 | (count - 1) << 22, offset)`:
//!   `count` characters from `first`, every `stride`-th code point, each lower-cased by adding `offset`;
//! - `CASE_IGNORABLE`, `CASED`: the characters a capital sigma looks past (case-ignorable) and looks for
//!   (cased) to decide whether it ends a word (`ς`) or not (`σ`), as ranges in order, each as two LEB128
//!   numbers: its distance from the end of the one before, and its length less one. Read from the start on
//!   every look-up, which is only ever needed next to a capital sigma.

include!(concat!(env!("OUT_DIR"), "/lowercase_tables.rs"));

/// Appends `text` lower-cased, as `text.to_lowercase()` would be.
pub fn push_lowercase(text: &str, out: &mut String) {
    // Most labels are ASCII: copied whole and lower-cased in place.
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
        return;
    }
    for (i, c) in text.char_indices() {
        if c.is_ascii() {
            out.push(c.to_ascii_lowercase());
        } else if c == 'Σ' {
            // `get` cannot fail at a `char_indices` position; unlike `[]` it has no panic path to link in.
            let before = text.get(..i).unwrap_or_default().chars().rev();
            let after = text.get(i + 'Σ'.len_utf8()..).unwrap_or_default().chars();
            let word_final = ignorable_then_cased(before) && !ignorable_then_cased(after);
            out.push(if word_final { 'ς' } else { 'σ' });
        } else if let Some((_, lower)) = MULTI.iter().find(|(m, _)| *m == c) {
            out.push_str(lower);
        } else {
            out.push(lower_char(c));
        }
    }
}

/// The one-character lowercase of a character that has no `MULTI` lowercase.
fn lower_char(c: char) -> char {
    let code = u32::from(c);
    let i = RUNS.partition_point(|&(packed, _)| packed & 0x1F_FFFF <= code);
    let Some(&(packed, offset)) = i.checked_sub(1).and_then(|i| RUNS.get(i)) else {
        return c;
    };
    let first = packed & 0x1F_FFFF;
    let stride = (packed >> 21 & 1) + 1;
    let count = (packed >> 22) + 1;
    let step = code - first;
    if step % stride != 0 || step / stride >= count {
        return c;
    }
    char::from_u32(code.wrapping_add_signed(offset)).unwrap_or(c)
}

/// Whether `c` is in one of the `ranges` (see the module's description of their encoding).
fn in_ranges(ranges: &[u8], c: char) -> bool {
    let code = u32::from(c);
    let mut bytes = ranges.iter();
    let mut end = 0u32;
    while let (Some(gap), Some(len)) = (leb128(&mut bytes), leb128(&mut bytes)) {
        let first = end + gap;
        end = first + len + 1;
        if code < first {
            return false;
        }
        if code < end {
            return true;
        }
    }
    false
}

/// The next LEB128 number, if any.
fn leb128(bytes: &mut core::slice::Iter<u8>) -> Option<u32> {
    let mut n = 0;
    let mut shift = 0;
    loop {
        let b = *bytes.next()?;
        n |= u32::from(b & 0x7F) << shift;
        if b < 0x80 {
            return Some(n);
        }
        shift += 7;
    }
}

/// std's `case_ignorable_then_cased`: past case-ignorable characters, is the next one cased?
fn ignorable_then_cased(mut chars: impl Iterator<Item = char>) -> bool {
    chars
        .find(|&c| !in_ranges(CASE_IGNORABLE, c))
        .is_some_and(|c| in_ranges(CASED, c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lower(text: &str) -> String {
        let mut out = String::new();
        push_lowercase(text, &mut out);
        out
    }

    fn every_char() -> impl Iterator<Item = char> {
        (0..=0x10FFFFu32).filter_map(char::from_u32)
    }

    #[test]
    fn every_character_lower_cases_as_std_does() {
        let mut buf = [0u8; 4];
        for c in every_char() {
            let text = c.encode_utf8(&mut buf);
            assert_eq!(
                lower(text),
                text.to_lowercase(),
                "{c:?} (U+{:04X})",
                c as u32
            );
        }
    }

    /// The ranges of a table, decoded.
    fn decoded(table: &[u8]) -> Vec<(u32, u32)> {
        let mut bytes = table.iter();
        let mut out = Vec::new();
        let mut end = 0;
        while let (Some(gap), Some(len)) = (leb128(&mut bytes), leb128(&mut bytes)) {
            out.push((end + gap, end + gap + len + 1));
            end += gap + len + 1;
        }
        out
    }

    #[test]
    fn the_sigma_tables_hold_what_std_looks_past_and_for() {
        let (ignorable, cased) = (decoded(CASE_IGNORABLE), decoded(CASED));
        let sigma_of = |text: String| text.to_lowercase().chars().nth(1) == Some('σ');
        let (mut i, mut k) = (ignorable.iter().peekable(), cased.iter().peekable());
        for c in every_char() {
            let code = c as u32;
            // The ranges are in order: step past those that end before `c`.
            while i.next_if(|r| r.1 <= code).is_some() {}
            while k.next_if(|r| r.1 <= code).is_some() {}
            let in_i = i.peek().is_some_and(|r| r.0 <= code);
            let in_k = k.peek().is_some_and(|r| r.0 <= code);
            let before = sigma_of(format!("AΣ{c}"));
            let between = sigma_of(format!("AΣ{c}A"));
            assert_eq!((in_k, in_i), (before, between && !before), "{c:?}");
        }
    }

    #[test]
    fn a_capital_sigma_lower_cases_as_std_does_next_to_any_kind_of_character() {
        // Every character at either edge of a range of either table, and a sample of all the others.
        let mut chars: Vec<u32> = (0..=0x10FFFF).step_by(61).collect();
        for (first, end) in decoded(CASE_IGNORABLE).into_iter().chain(decoded(CASED)) {
            chars.extend([first.saturating_sub(1), first, end - 1, end]);
        }
        for c in chars.into_iter().filter_map(char::from_u32) {
            for text in [
                format!("AΣ{c}"),
                format!("AΣ{c}A"),
                format!("{c}Σ"),
                format!("{c}ΣA"),
                format!("Σ{c}"),
                format!("A{c}Σ{c}"),
            ] {
                assert_eq!(lower(&text), text.to_lowercase(), "{text:?}");
            }
        }
    }

    #[test]
    fn words_in_the_shipped_languages() {
        for text in [
            "ΟΔΟΣ ΣΟΦΟΣ Σ ΑΣ. Α'Σ",
            "İSTANBUL ISPARTA Işık İyi",
            "STRASSE Straße ÄÖÜ",
            "ŁÓDŹ ŻÓŁW",
            "إعلانات",
            "ＡＢＣ ᏣᎳᎩ 𐐀𐐁",
        ] {
            assert_eq!(lower(text), text.to_lowercase(), "{text:?}");
        }
    }

    proptest! {
        #[test]
        fn any_text_lower_cases_as_std_does(text in "\\PC{0,24}", greek in "[ΣσςΑα'.\\u{300} ]{0,8}") {
            for t in [&text, &greek, &format!("{greek}{text}{greek}")] {
                prop_assert_eq!(lower(t), t.to_lowercase());
            }
        }
    }
}
