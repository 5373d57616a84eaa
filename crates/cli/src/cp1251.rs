//! Windows-1251 decoding, by a hand-written table (no new dependency).
//!
//! Plans pasted from old Word documents are often saved by Notepad as «ANSI», which on a Russian
//! Windows is Windows-1251. Bytes below 0x80 are ASCII, 0xC0–0xFF are А..я, and the 64 bytes
//! 0x80–0xBF map through [`HIGH`]. 0x98 is unassigned: a text containing it is not 1251.

/// The characters of bytes 0x80..=0xBF; `None` for the unassigned 0x98.
const HIGH: [Option<char>; 64] = {
    let chars = [
        'Ђ', 'Ѓ', '‚', 'ѓ', '„', '…', '†', '‡', '€', '‰', 'Љ', '‹', 'Њ', 'Ќ', 'Ћ', 'Џ', //
        'ђ', '‘', '’', '“', '”', '•', '–', '—', '\0', '™', 'љ', '›', 'њ', 'ќ', 'ћ', 'џ', //
        '\u{a0}', 'Ў', 'ў', 'Ј', '¤', 'Ґ', '¦', '§', 'Ё', '©', 'Є', '«', '¬', '\u{ad}', '®', 'Ї',
        '°', '±', 'І', 'і', 'ґ', 'µ', '¶', '·', 'ё', '№', 'є', '»', 'ј', 'Ѕ', 'ѕ', 'ї',
    ];
    let mut out = [None; 64];
    let mut i = 0;
    while i < 64 {
        if chars[i] != '\0' {
            out[i] = Some(chars[i]);
        }
        i += 1;
    }
    out
};

/// The character of one byte, or `None` for the unassigned 0x98.
pub fn char_of(byte: u8) -> Option<char> {
    match byte {
        0x00..=0x7f => Some(char::from(byte)),
        0x80..=0xbf => HIGH[usize::from(byte - 0x80)],
        // 0xC0..=0xFF → U+0410..=U+044F (А..я).
        _ => char::from_u32(0x0410 + u32::from(byte - 0xc0)),
    }
}

/// Decodes `bytes` as Windows-1251 when that is plausible: every byte is assigned and most bytes
/// above 0x7F are Cyrillic letters (a Russian text). `None` otherwise.
pub fn decode(bytes: &[u8]) -> Option<String> {
    let mut out = String::with_capacity(bytes.len() * 2);
    let (mut high, mut cyrillic) = (0usize, 0usize);
    for &b in bytes {
        let c = char_of(b)?;
        if b >= 0x80 {
            high += 1;
            if ('\u{400}'..='\u{4ff}').contains(&c) {
                cyrillic += 1;
            }
        }
        out.push(c);
    }
    // At least 70 % of the non-ASCII bytes must be letters of the Russian alphabet.
    (high > 0 && cyrillic * 10 >= high * 7).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(bytes: &[u8], expected: Option<&str>) {
        assert_eq!(decode(bytes).as_deref(), expected, "{bytes:x?}");
    }

    #[test]
    fn decodes_russian_text() {
        let cases: [(&[u8], Option<&str>); 5] = [
            // «Сентябрь»
            (&[0xd1, 0xe5, 0xed, 0xf2, 0xff, 0xe1, 0xf0, 0xfc], Some("Сентябрь")),
            // «Ёлка №1»
            (&[0xa8, 0xeb, 0xea, 0xe0, b' ', 0xb9, b'1'], Some("Ёлка №1")),
            // «—» alone is not a Russian text.
            (&[0x97], None),
            // the unassigned byte
            (&[0xd1, 0x98], None),
            // plain ASCII needs no guessing
            (b"abc", None),
        ];
        for (bytes, expected) in cases {
            check(bytes, expected);
        }
    }

    #[test]
    fn every_letter_maps_to_the_alphabet() {
        assert_eq!(char_of(0xc0), Some('А'));
        assert_eq!(char_of(0xff), Some('я'));
        assert_eq!(char_of(0x98), None);
        let assigned = (0x80u8..=0xbf).filter(|b| char_of(*b).is_some()).count();
        assert_eq!(assigned, 63);
    }
}
