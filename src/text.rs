//! Which characters of outside text (a pack, a session log, a file name) may not reach a
//! terminal as they are. A leaf: `pack` refuses them when it loads a pack and `ui` shows them
//! escaped, so both read the one list here. Nothing else belongs in this module.

/// A control character other than newline and tab: the start of an escape sequence that can
/// move the cursor, clear the screen, retitle the window or write the clipboard. C1 controls
/// (U+0080–U+009F) count: some terminals obey them too.
pub fn is_control(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

/// A character that changes how the text around it is shown without being seen itself
/// ("Trojan source"): the text-direction embeddings, overrides and isolates and the Arabic
/// letter mark, which can show a line in an order other than the one it is read in; the
/// zero-width space, joiners and direction marks, which can hide or join words unseen; the
/// line and paragraph separators, which some terminals take as line breaks; and the
/// zero-width no-break space (a byte-order mark is only that at the start of a file).
pub fn is_hidden(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200B}'..='\u{200F}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{FEFF}'
            | '\u{061C}'
    )
}

/// A character that [`is_control`] or [`is_hidden`]: never shown raw.
pub fn is_unsafe(c: char) -> bool {
    is_control(c) || is_hidden(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn direction_and_zero_width_characters_are_hidden_and_text_is_not() {
        let hidden = [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{200E}', '\u{200F}',
            '\u{2028}', '\u{2029}', '\u{FEFF}', '\u{061C}',
        ];
        for c in hidden {
            assert!(is_hidden(c) && is_unsafe(c), "U+{:04X}", u32::from(c));
        }
        for c in [
            'a', 'é', '—', '…', '↑', '●', 'ש', 'ع', '\u{2010}', '\u{2030}', '\u{FEFE}',
        ] {
            assert!(!is_unsafe(c), "U+{:04X}", u32::from(c));
        }
        for c in ['\u{1b}', '\u{7}', '\r', '\u{9b}', '\u{7f}'] {
            assert!(is_control(c) && is_unsafe(c), "U+{:04X}", u32::from(c));
        }
        assert!(!is_unsafe('\n') && !is_unsafe('\t'));
    }
}
