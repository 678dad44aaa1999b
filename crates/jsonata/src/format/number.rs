//! `$formatNumber`, `$formatInteger`, `$parseInteger`, `$formatBase`.
//!
//! The picture-string rules follow XPath and XQuery Functions and Operators 3.1
//! (`fn:format-number`, `fn:format-integer`) as JSONata applies them; `$parseInteger` is the
//! inverse of `$formatInteger`, and `$formatBase` writes an integer in radix 2 to 36.

use super::FormatError;

// ---------------------------------------------------------------------------------------------
// Decimal digit families
// ---------------------------------------------------------------------------------------------

/// The zero of every Unicode decimal digit family (general category `Nd`, ten consecutive code
/// points each) that a picture may use.
const DIGIT_ZEROS: &[u32] = &[
    0x0030, 0x0660, 0x06F0, 0x07C0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6,
    0x0D66, 0x0DE6, 0x0E50, 0x0ED0, 0x0F20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80,
    0x1A90, 0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0,
    0xFF10, 0x104A0, 0x10D30, 0x11066, 0x110F0, 0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0,
    0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950, 0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16B50,
    0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC, 0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0,
];

/// The zero of the decimal digit family `c` belongs to, if it is a decimal digit.
fn digit_family(c: char) -> Option<u32> {
    let code = c as u32;
    DIGIT_ZEROS.iter().copied().find(|&zero| code >= zero && code < zero + 10)
}

/// The digit `d` (0..=9) of the family starting at `zero`.
fn family_digit(zero: u32, d: u32) -> char {
    char::from_u32(zero + d).unwrap_or('?')
}

/// Re-writes the ASCII digits of `ascii` in the family starting at `zero`; other characters
/// are kept.
fn to_family(ascii: &str, zero: u32) -> String {
    ascii
        .chars()
        .map(|c| match c.to_digit(10) {
            Some(d) if c.is_ascii_digit() => family_digit(zero, d),
            _ => c,
        })
        .collect()
}

/// The exact decimal digits of a non-negative integral `f64` (no exponent notation).
fn integer_digits(value: f64) -> String {
    let text = format!("{:.0}", value.abs().floor());
    if text.bytes().all(|b| b.is_ascii_digit()) { text } else { String::from("0") }
}

// ---------------------------------------------------------------------------------------------
// $formatInteger picture analysis
// ---------------------------------------------------------------------------------------------

/// How grouping separators are placed in a decimal-digit pattern.
#[derive(Debug, Clone, PartialEq)]
enum Grouping {
    /// A separator every `interval` digits, counting from the right.
    Regular { interval: usize, separator: char },
    /// Separators at explicit positions (digits to their right), as written in the picture.
    Explicit(Vec<(usize, char)>),
}

/// A decimal-digit-pattern primary format token.
#[derive(Debug, Clone, PartialEq)]
struct DecimalPattern {
    /// The zero of the digit family the pattern uses.
    zero: u32,
    /// The number of mandatory digits (minimum width).
    mandatory: usize,
    /// Where separators go.
    grouping: Grouping,
    /// Every separator character of the pattern (accepted when parsing).
    separators: Vec<char>,
}

/// Letter case of numbers written in words.
#[derive(Debug, Clone, Copy, PartialEq)]
enum WordCase {
    Lower,
    Upper,
    Title,
}

/// The numbering sequence of a `$formatInteger` picture.
#[derive(Debug, Clone, PartialEq)]
enum IntegerStyle {
    Decimal(DecimalPattern),
    Roman { upper: bool },
    Letters { upper: bool },
    Words(WordCase),
}

/// An analysed `$formatInteger` picture.
#[derive(Debug, Clone, PartialEq)]
struct IntegerPicture {
    style: IntegerStyle,
    ordinal: bool,
}

/// Splits off the format modifier (after the last `;`) and classifies the primary token.
fn analyse_integer_picture(picture: &str) -> Result<IntegerPicture, FormatError> {
    let (primary, ordinal) = match picture.rfind(';') {
        Some(at) => (&picture[..at], picture[at + 1..].starts_with('o')),
        None => (picture, false),
    };
    let style = match primary {
        "A" => IntegerStyle::Letters { upper: true },
        "a" => IntegerStyle::Letters { upper: false },
        "I" => IntegerStyle::Roman { upper: true },
        "i" => IntegerStyle::Roman { upper: false },
        "W" => IntegerStyle::Words(WordCase::Upper),
        "w" => IntegerStyle::Words(WordCase::Lower),
        "Ww" => IntegerStyle::Words(WordCase::Title),
        _ => IntegerStyle::Decimal(analyse_decimal_pattern(primary)?),
    };
    Ok(IntegerPicture { style, ordinal })
}

/// Analyses a decimal-digit pattern such as `#,##0` or `0001`.
fn analyse_decimal_pattern(primary: &str) -> Result<DecimalPattern, FormatError> {
    let mut zero: Option<u32> = None;
    let mut mandatory = 0usize;
    let mut digits = 0usize;
    // Separators with the number of digit signs to their left.
    let mut raw_separators: Vec<(usize, char)> = Vec::new();
    for c in primary.chars() {
        if c == '#' {
            digits += 1;
        } else if let Some(family) = digit_family(c) {
            match zero {
                Some(z) if z != family => {
                    return Err(FormatError::new(
                        "D3131",
                        format!(
                            "The digits in the picture string '{primary}' must all belong to the \
                             same decimal digit family"
                        ),
                    ));
                }
                _ => zero = Some(family),
            }
            mandatory += 1;
            digits += 1;
        } else {
            raw_separators.push((digits, c));
        }
    }
    let Some(zero) = zero else {
        return Err(FormatError::new(
            "D3130",
            format!(
                "Formatting or parsing an integer as a sequence starting with '{primary}' is not \
                 supported"
            ),
        ));
    };
    let separators: Vec<char> = raw_separators.iter().map(|&(_, c)| c).collect();
    // Positions counted as digits to the right, ignoring leading and trailing separators.
    let mut positions: Vec<(usize, char)> = raw_separators
        .iter()
        .map(|&(left, c)| (digits - left, c))
        .filter(|&(right, _)| right > 0 && right < digits)
        .collect();
    positions.sort_by_key(|&(right, _)| right);
    let grouping = match positions.first() {
        Some(&(first, separator))
            if positions
                .iter()
                .enumerate()
                .all(|(i, &(right, c))| c == separator && right == (i + 1) * first) =>
        {
            Grouping::Regular { interval: first, separator }
        }
        _ => Grouping::Explicit(positions),
    };
    Ok(DecimalPattern { zero, mandatory, grouping, separators })
}

/// Inserts separators into a run of digits (ASCII or not) counted from the right.
fn group_digits(digits: &str, grouping: &Grouping) -> String {
    let chars: Vec<char> = digits.chars().collect();
    let len = chars.len();
    let mut out = String::with_capacity(len * 2);
    for (i, &c) in chars.iter().enumerate() {
        let right = len - i;
        if i > 0 {
            match grouping {
                Grouping::Regular { interval, separator } => {
                    if *interval > 0 && right % interval == 0 {
                        out.push(*separator);
                    }
                }
                Grouping::Explicit(positions) => {
                    if let Some(&(_, sep)) = positions.iter().find(|&&(p, _)| p == right) {
                        out.push(sep);
                    }
                }
            }
        }
        out.push(c);
    }
    out
}

/// The English ordinal suffix (`st`, `nd`, `rd`, `th`) for a run of ASCII digits.
fn ordinal_suffix(digits: &str) -> &'static str {
    let bytes = digits.as_bytes();
    let last = bytes.last().map_or(0, |b| b - b'0');
    let tens = if bytes.len() >= 2 { bytes[bytes.len() - 2] - b'0' } else { 0 };
    if tens == 1 {
        return "th";
    }
    match last {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    }
}

// ---------------------------------------------------------------------------------------------
// Words
// ---------------------------------------------------------------------------------------------

const SMALL: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const SMALL_ORDINAL: [&str; 20] = [
    "zeroth",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
];
const TENS: [&str; 10] =
    ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const TENS_ORDINAL: [&str; 10] = [
    "",
    "",
    "twentieth",
    "thirtieth",
    "fortieth",
    "fiftieth",
    "sixtieth",
    "seventieth",
    "eightieth",
    "ninetieth",
];
/// Thousand, million, billion, trillion: powers 1000^1 ..= 1000^4.
const SCALES: [&str; 5] = ["", "thousand", "million", "billion", "trillion"];

/// English words for the non-negative integer `num`. `follows` is set when the words continue
/// a larger number (so they are joined with `and` or a comma); `ordinal` makes the last word an
/// ordinal.
fn words(num: f64, follows: bool, ordinal: bool, out: &mut String) {
    if num < 100.0 {
        // num is integral and in 0..100.
        let n = num as usize;
        if follows {
            out.push_str(" and ");
        }
        if n < 20 {
            out.push_str(if ordinal { SMALL_ORDINAL[n] } else { SMALL[n] });
        } else {
            let (tens, units) = (n / 10, n % 10);
            if units == 0 {
                out.push_str(if ordinal { TENS_ORDINAL[tens] } else { TENS[tens] });
            } else {
                out.push_str(TENS[tens]);
                out.push('-');
                out.push_str(if ordinal { SMALL_ORDINAL[units] } else { SMALL[units] });
            }
        }
        return;
    }
    if follows {
        out.push_str(", ");
    }
    let (mantissa, remainder, scale) = if num < 1000.0 {
        let hundreds = (num / 100.0).floor();
        (hundreds, num - hundreds * 100.0, "hundred")
    } else {
        let mut index = 1;
        while index < 4 && num >= 1000f64.powi(index as i32 + 1) {
            index += 1;
        }
        let factor = 1000f64.powi(index as i32);
        let mantissa = (num / factor).floor();
        (mantissa, num - mantissa * factor, SCALES[index])
    };
    words(mantissa, false, false, out);
    out.push(' ');
    out.push_str(scale);
    if remainder >= 1.0 {
        words(remainder, true, ordinal, out);
    } else if ordinal {
        out.push_str("th");
    }
}

/// Applies the letter case of a `w`, `W` or `Ww` picture to lower-case words.
fn apply_case(text: String, case: WordCase) -> String {
    match case {
        WordCase::Lower => text,
        WordCase::Upper => text.to_uppercase(),
        WordCase::Title => {
            let mut out = String::with_capacity(text.len());
            for (i, word) in text.split(' ').enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                if word == "and" {
                    out.push_str(word);
                    continue;
                }
                for (j, part) in word.split('-').enumerate() {
                    if j > 0 {
                        out.push('-');
                    }
                    let mut chars = part.chars();
                    if let Some(first) = chars.next() {
                        out.extend(first.to_uppercase());
                        out.push_str(chars.as_str());
                    }
                }
            }
            out
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Roman numerals and letters
// ---------------------------------------------------------------------------------------------

const ROMAN: [(u64, &str); 13] = [
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
];

/// The largest value written in Roman numerals; larger ones fall back to decimal digits (the
/// specification's fallback to the `1` sequence) rather than thousands of `M`s.
const ROMAN_LIMIT: f64 = 1_000_000.0;

/// Lower-case Roman numerals for a non-negative integer below [`ROMAN_LIMIT`].
fn roman(mut n: u64) -> String {
    let mut out = String::new();
    for &(value, letters) in &ROMAN {
        while n >= value {
            out.push_str(letters);
            n -= value;
        }
    }
    out
}

/// Spreadsheet-column letters (`a`..`z`, `aa`, …) for a non-negative integer; zero gives "".
fn letters(mut n: u128, upper: bool) -> String {
    let base = if upper { b'A' } else { b'a' };
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(base + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// $formatInteger
// ---------------------------------------------------------------------------------------------

/// `$formatInteger(value, picture)`: writes `value` (rounded down to an integer) as the
/// picture asks, per XPath F&O 3.1 `fn:format-integer` as JSONata implements it.
///
/// The picture's primary token is a decimal-digit pattern (`0`, `0001`, `#,##0`, digits of any
/// Unicode decimal family, with optional `#` and grouping separators), `w` / `W` / `Ww` (words,
/// in lower, upper or title case), `i` / `I` (Roman numerals) or `a` / `A` (spreadsheet-style
/// letters). It may be followed by `;o` (ordinal: `1st`, `first`) or `;c` (cardinal).
///
/// Errors: `D3130` for a picture that is no supported sequence (e.g. `#` alone, `α`), `D3131`
/// for digits of different families in one pattern, `D1001` for a non-finite value.
pub fn format_integer(value: f64, picture: &str) -> Result<String, FormatError> {
    let analysed = analyse_integer_picture(picture)?;
    if !value.is_finite() {
        return Err(FormatError::new("D1001", "Number out of range"));
    }
    let value = value.floor();
    let negative = value < 0.0;
    let magnitude = value.abs();
    let sign = if negative { "-" } else { "" };
    let text = match &analysed.style {
        IntegerStyle::Decimal(pattern) => format_decimal(magnitude, pattern, analysed.ordinal),
        IntegerStyle::Roman { upper } => {
            if magnitude >= ROMAN_LIMIT {
                integer_digits(magnitude)
            } else {
                let text = roman(magnitude as u64);
                if *upper { text.to_uppercase() } else { text }
            }
        }
        IntegerStyle::Letters { upper } => {
            if magnitude >= 1e30 {
                integer_digits(magnitude)
            } else {
                letters(magnitude as u128, *upper)
            }
        }
        IntegerStyle::Words(case) => {
            let mut text = String::new();
            words(magnitude, false, analysed.ordinal, &mut text);
            let text = apply_case(text, *case);
            let minus = match case {
                WordCase::Lower => "minus ",
                WordCase::Upper => "MINUS ",
                WordCase::Title => "Minus ",
            };
            return Ok(if negative { format!("{minus}{text}") } else { text });
        }
    };
    Ok(format!("{sign}{text}"))
}

/// Writes a non-negative integer with a decimal-digit pattern.
fn format_decimal(magnitude: f64, pattern: &DecimalPattern, ordinal: bool) -> String {
    let digits = integer_digits(magnitude);
    let padded = if digits.len() < pattern.mandatory {
        format!("{}{digits}", "0".repeat(pattern.mandatory - digits.len()))
    } else {
        digits.clone()
    };
    let mut text = group_digits(&to_family(&padded, pattern.zero), &pattern.grouping);
    if ordinal {
        text.push_str(ordinal_suffix(&digits));
    }
    text
}

// ---------------------------------------------------------------------------------------------
// $parseInteger
// ---------------------------------------------------------------------------------------------

/// `$parseInteger(text, picture)`: the inverse of [`format_integer`] — reads `text` written as
/// the picture describes (grouped digits of any decimal family, words, Roman numerals, letters,
/// with or without ordinal suffixes) and returns its value.
///
/// Returns `Ok(None)` when `text` does not match the picture (JSONata's undefined), and the
/// same picture errors as [`format_integer`] (`D3130`, `D3131`). Very large numbers in words
/// (`ten billion trillion trillion trillion`) give the nearest `f64`.
pub fn parse_integer(text: &str, picture: &str) -> Result<Option<f64>, FormatError> {
    let analysed = analyse_integer_picture(picture)?;
    Ok(match &analysed.style {
        IntegerStyle::Decimal(pattern) => parse_decimal(text, pattern, analysed.ordinal),
        IntegerStyle::Roman { .. } => parse_signed(text, parse_roman),
        IntegerStyle::Letters { .. } => parse_signed(text, parse_letters),
        IntegerStyle::Words(_) => parse_words(text),
    })
}

/// Applies a leading `-` to an unsigned parser.
fn parse_signed(text: &str, parse: fn(&str) -> Option<f64>) -> Option<f64> {
    let text = text.trim();
    match text.strip_prefix('-') {
        Some(rest) if !rest.is_empty() => parse(rest).map(|v| -v),
        _ => parse(text),
    }
}

/// Reads grouped digits of the pattern's family, with an optional `-` and ordinal suffix.
fn parse_decimal(text: &str, pattern: &DecimalPattern, ordinal: bool) -> Option<f64> {
    let mut text = text.trim();
    let negative = match text.strip_prefix('-') {
        Some(rest) => {
            text = rest;
            true
        }
        None => false,
    };
    if ordinal {
        let lower = text.to_ascii_lowercase();
        if ["st", "nd", "rd", "th"].iter().any(|s| lower.ends_with(s)) {
            text = &text[..text.len() - 2];
        }
    }
    let mut ascii = String::new();
    for c in text.chars() {
        let code = c as u32;
        if code >= pattern.zero && code < pattern.zero + 10 {
            ascii.push(char::from(b'0' + (code - pattern.zero) as u8));
        } else if !ascii.is_empty() && pattern.separators.contains(&c) {
            continue;
        } else {
            return None;
        }
    }
    if ascii.is_empty() {
        return None;
    }
    let value: f64 = ascii.parse().ok()?;
    Some(if negative { -value } else { value })
}

/// Reads Roman numerals (either case); the empty string is zero.
fn parse_roman(text: &str) -> Option<f64> {
    let values: Vec<u64> = text
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            'i' => Some(1),
            'v' => Some(5),
            'x' => Some(10),
            'l' => Some(50),
            'c' => Some(100),
            'd' => Some(500),
            'm' => Some(1000),
            _ => None,
        })
        .collect::<Option<_>>()?;
    let mut total: f64 = 0.0;
    for (i, &v) in values.iter().enumerate() {
        if values.get(i + 1).is_some_and(|&next| next > v) {
            total -= v as f64;
        } else {
            total += v as f64;
        }
    }
    Some(total)
}

/// Reads spreadsheet-column letters (either case); the empty string is zero.
fn parse_letters(text: &str) -> Option<f64> {
    let mut total: f64 = 0.0;
    for c in text.chars() {
        if !c.is_ascii_alphabetic() {
            return None;
        }
        let digit = (c.to_ascii_lowercase() as u8 - b'a' + 1) as f64;
        total = total * 26.0 + digit;
    }
    Some(total)
}

/// The value of one English number word (cardinal or ordinal), and whether it is a multiplier
/// (`hundred`, `thousand`, …) rather than a quantity.
fn word_value(word: &str) -> Option<(f64, bool)> {
    if let Some(n) = SMALL.iter().position(|&w| w == word) {
        return Some((n as f64, false));
    }
    if let Some(n) = SMALL_ORDINAL.iter().position(|&w| w == word) {
        return Some((n as f64, false));
    }
    if let Some(n) = TENS.iter().skip(2).position(|&w| w == word) {
        return Some((((n + 2) * 10) as f64, false));
    }
    if let Some(n) = TENS_ORDINAL.iter().skip(2).position(|&w| w == word) {
        return Some((((n + 2) * 10) as f64, false));
    }
    let base = word.strip_suffix("th").unwrap_or(word);
    if base == "hundred" {
        return Some((100.0, true));
    }
    SCALES.iter().skip(1).position(|&w| w == base).map(|i| (1000f64.powi(i as i32 + 1), true))
}

/// Reads an English number in words (`three thousand, seven hundred and thirty-first`).
fn parse_words(text: &str) -> Option<f64> {
    let lower = text.to_lowercase();
    let mut negative = false;
    // Each term is (value, largest multiplier applied to it).
    let mut terms: Vec<(f64, f64)> = Vec::new();
    let mut seen_any = false;
    for (i, word) in lower.split([' ', ',', '-', '\t', '\n']).filter(|w| !w.is_empty()).enumerate()
    {
        if word == "and" {
            continue;
        }
        if i == 0 && word == "minus" {
            negative = true;
            continue;
        }
        let (value, multiplier) = word_value(word)?;
        seen_any = true;
        if multiplier {
            let mut sum = 0.0;
            let mut found = false;
            while let Some(&(term, applied)) = terms.last() {
                if applied > value {
                    break;
                }
                sum += term;
                found = true;
                terms.pop();
            }
            if !found {
                return None;
            }
            terms.push((sum * value, value));
        } else {
            terms.push((value, 0.0));
        }
    }
    if !seen_any {
        return None;
    }
    let total: f64 = terms.iter().map(|&(v, _)| v).sum();
    Some(if negative { -total } else { total })
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;

    /// The `function-formatInteger` cases of the JSONata test suite (less the undefined-input
    /// case, which the evaluator handles): (value, picture, expected result or error code).
    const FORMAT_INTEGER_CASES: &[(f64, &str, Result<&str, &str>)] = &[
        (123.0, "000", Ok("123")),
        (123.0, "0000", Ok("0123")),
        (-3.0, "0000", Ok("-0003")),
        (1234.0, "0;c", Ok("1234")),
        (1234.0, "###0", Ok("1234")),
        (12.0, "###0", Ok("12")),
        (12.6, "###0", Ok("12")),
        (123.0, "000;o", Ok("123rd")),
        (1.0, "0;o", Ok("1st")),
        (28.0, "#0;o", Ok("28th")),
        (1234.0, "###0;o", Ok("1234th")),
        (12.0, "###0;o", Ok("12th")),
        (12340.0, "###\u{661}", Ok("\u{661}\u{662}\u{663}\u{664}\u{660}")),
        (12340.0, "###\u{ff10}", Ok("\u{ff11}\u{ff12}\u{ff13}\u{ff14}\u{ff10}")),
        (12340.0, "##0\u{ff10}", Err("D3131")),
        (12.0, "#,##0", Ok("12")),
        (1200.0, "#,##0", Ok("1,200")),
        (120000.0, "#,##0", Ok("120,000")),
        (12345678.0, "#,##0", Ok("12,345,678")),
        (1234567890.0, "#,##0", Ok("1,234,567,890")),
        (1234567890.0, "#,###,##0", Ok("1,234,567,890")),
        (1234567890.0, "#:###,##0", Ok("1234:567,890")),
        (1234567890.0, "##,##,##0", Ok("12345,67,890")),
        (0.0, "I", Ok("")),
        (1984.0, "I", Ok("MCMLXXXIV")),
        (99.0, "i", Ok("xcix")),
        (12.0, "w", Ok("twelve")),
        (20.0, "w", Ok("twenty")),
        (34.0, "w", Ok("thirty-four")),
        (99.0, "W", Ok("NINETY-NINE")),
        (100.0, "w", Ok("one hundred")),
        (555.0, "W", Ok("FIVE HUNDRED AND FIFTY-FIVE")),
        (555.0, "Ww", Ok("Five Hundred and Fifty-Five")),
        (919.0, "w", Ok("nine hundred and nineteen")),
        (730.0, "w", Ok("seven hundred and thirty")),
        (1000.0, "w", Ok("one thousand")),
        (3730.0, "w", Ok("three thousand, seven hundred and thirty")),
        (327730.0, "w", Ok("three hundred and twenty-seven thousand, seven hundred and thirty")),
        (
            4327730.0,
            "w",
            Ok("four million, three hundred and twenty-seven thousand, seven hundred and thirty"),
        ),
        (1000000000001.0, "w", Ok("one trillion and one")),
        (
            1234567890123.0,
            "w",
            Ok("one trillion, two hundred and thirty-four billion, five hundred and sixty-seven \
                million, eight hundred and ninety thousand, one hundred and twenty-three"),
        ),
        (1000000000000000.0, "w", Ok("one thousand trillion")),
        (1e46, "w", Ok("ten billion trillion trillion trillion")),
        (
            1234567890123456.0,
            "w",
            Ok("one thousand, two hundred and thirty-four trillion, five hundred and sixty-seven \
                billion, eight hundred and ninety million, one hundred and twenty-three \
                thousand, four hundred and fifty-six"),
        ),
        (12.0, "w;o", Ok("twelfth")),
        (20.0, "w;o", Ok("twentieth")),
        (34.0, "w;o", Ok("thirty-fourth")),
        (99.0, "W;o", Ok("NINETY-NINTH")),
        (100.0, "w;o", Ok("one hundredth")),
        (555.0, "W;o", Ok("FIVE HUNDRED AND FIFTY-FIFTH")),
        (919.0, "w;o", Ok("nine hundred and nineteenth")),
        (730.0, "w;o", Ok("seven hundred and thirtieth")),
        (1000.0, "w;o", Ok("one thousandth")),
        (3731.0, "w;o", Ok("three thousand, seven hundred and thirty-first")),
        (
            327713.0,
            "w;o",
            Ok("three hundred and twenty-seven thousand, seven hundred and thirteenth"),
        ),
        (
            4327732.0,
            "w;o",
            Ok("four million, three hundred and twenty-seven thousand, seven hundred and \
                thirty-second"),
        ),
        (1000000000001.0, "w;o", Ok("one trillion and first")),
        (1.0, "A", Ok("A")),
        (12.0, "a", Ok("l")),
        (26.0, "a", Ok("z")),
        (27.0, "a", Ok("aa")),
        (300.0, "A", Ok("KN")),
        (123456.0, "A", Ok("FZPH")),
        (123456.0, "\u{3b1}", Err("D3130")),
    ];

    /// The `function-parseInteger` cases of the JSONata test suite (less the undefined-input
    /// case): (text, picture, expected value or error code).
    const PARSE_INTEGER_CASES: &[(&str, &str, Result<f64, &str>)] = &[
        ("123", "000", Ok(123.0)),
        ("0123", "0000", Ok(123.0)),
        ("1234", "0", Ok(1234.0)),
        ("1234", "###0", Ok(1234.0)),
        ("12", "###0", Ok(12.0)),
        ("123rd", "000;o", Ok(123.0)),
        ("1st", "0;o", Ok(1.0)),
        ("28th", "#0;o", Ok(28.0)),
        ("1234th", "###0;o", Ok(1234.0)),
        ("12th", "###0;o", Ok(12.0)),
        ("\u{661}\u{662}\u{663}\u{664}\u{660}", "###\u{661}", Ok(12340.0)),
        ("\u{ff11}\u{ff12}\u{ff13}\u{ff14}\u{ff10}", "###\u{ff10}", Ok(12340.0)),
        ("12", "#,##0", Ok(12.0)),
        ("1,200", "#,##0", Ok(1200.0)),
        ("12,345,678", "#,##0", Ok(12345678.0)),
        ("1,234,567,890", "#,##0", Ok(1234567890.0)),
        ("1,234,567,890", "#,###,##0", Ok(1234567890.0)),
        ("1234:567,890", "#:###,##0", Ok(1234567890.0)),
        ("12345,67,890", "##,##,##0", Ok(1234567890.0)),
        ("", "I", Ok(0.0)),
        ("MCMLXXXIV", "I", Ok(1984.0)),
        ("xcix", "i", Ok(99.0)),
        ("twelve", "w", Ok(12.0)),
        ("twenty", "w", Ok(20.0)),
        ("thirty-four", "w", Ok(34.0)),
        ("NINETY-NINE", "W", Ok(99.0)),
        ("one hundred", "w", Ok(100.0)),
        ("FIVE HUNDRED AND FIFTY-FIVE", "W", Ok(555.0)),
        ("Five Hundred and Fifty-Five", "Ww", Ok(555.0)),
        ("nine hundred and nineteen", "w", Ok(919.0)),
        ("seven hundred and thirty", "w", Ok(730.0)),
        ("one thousand", "w", Ok(1000.0)),
        ("three thousand, seven hundred and thirty", "w", Ok(3730.0)),
        ("three hundred and twenty-seven thousand, seven hundred and thirty", "w", Ok(327730.0)),
        (
            "four million, three hundred and twenty-seven thousand, seven hundred and thirty",
            "w",
            Ok(4327730.0),
        ),
        ("one trillion and one", "w", Ok(1000000000001.0)),
        (
            "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven \
             million, eight hundred and ninety thousand, one hundred and twenty-three",
            "w",
            Ok(1234567890123.0),
        ),
        ("one thousand trillion", "w", Ok(1000000000000000.0)),
        ("ten billion trillion trillion trillion", "w", Ok(1e46)),
        ("twelfth", "w;o", Ok(12.0)),
        ("twentieth", "w;o", Ok(20.0)),
        ("thirty-fourth", "w;o", Ok(34.0)),
        ("NINETY-NINTH", "W;o", Ok(99.0)),
        ("one hundredth", "w;o", Ok(100.0)),
        ("FIVE HUNDRED AND FIFTY-FIFTH", "W;o", Ok(555.0)),
        ("nine hundred and nineteenth", "w;o", Ok(919.0)),
        ("seven hundred and thirtieth", "w;o", Ok(730.0)),
        ("Seven Hundred and Thirty-Third", "Ww;o", Ok(733.0)),
        ("one thousandth", "w;o", Ok(1000.0)),
        ("three thousand, seven hundred and thirty-first", "w;o", Ok(3731.0)),
        (
            "three hundred and twenty-seven thousand, seven hundred and thirteenth",
            "w;o",
            Ok(327713.0),
        ),
        (
            "four million, three hundred and twenty-seven thousand, seven hundred and \
             thirty-second",
            "w;o",
            Ok(4327732.0),
        ),
        ("one trillion and first", "w;o", Ok(1000000000001.0)),
        ("A", "A", Ok(1.0)),
        ("l", "a", Ok(12.0)),
        ("z", "a", Ok(26.0)),
        ("aa", "a", Ok(27.0)),
        ("KN", "A", Ok(300.0)),
        ("FZPH", "A", Ok(123456.0)),
        ("50", "#", Err("D3130")),
    ];

    #[test]
    fn format_integer_suite() {
        for &(value, picture, expected) in FORMAT_INTEGER_CASES {
            let got = format_integer(value, picture);
            match expected {
                Ok(text) => assert_eq!(got.as_deref(), Ok(text), "{value} / {picture:?}"),
                Err(code) => {
                    assert_eq!(got.map_err(|e| e.code), Err(code), "{value} / {picture:?}")
                }
            }
        }
    }

    #[test]
    fn parse_integer_suite() {
        for &(text, picture, expected) in PARSE_INTEGER_CASES {
            let got = parse_integer(text, picture);
            match expected {
                Ok(value) => assert_eq!(got, Ok(Some(value)), "{text:?} / {picture:?}"),
                Err(code) => {
                    assert_eq!(got.map_err(|e| e.code), Err(code), "{text:?} / {picture:?}")
                }
            }
        }
    }

    #[test]
    fn format_integer_round_trips_through_parse_integer() {
        let pictures = ["0", "0001", "#,##0", "#,##0;o", "w", "W;o", "Ww", "i", "I", "a", "A;o"];
        for picture in pictures {
            for value in [0.0, 1.0, 9.0, 11.0, 12.0, 13.0, 21.0, 99.0, 100.0, 101.0, 999.0, 1001.0]
                .into_iter()
                .chain([12345.0, 1_000_000.0, 7_654_321.0, 1e12 + 17.0, 987_654_321_012.0])
            {
                if value == 0.0 && picture.to_ascii_lowercase().starts_with('a') {
                    continue;
                }
                if value > 100_000.0 && picture.to_ascii_lowercase().starts_with('i') {
                    continue;
                }
                let text = format_integer(value, picture).unwrap();
                assert_eq!(
                    parse_integer(&text, picture),
                    Ok(Some(value)),
                    "{value} / {picture:?} / {text:?}"
                );
            }
        }
    }

    #[test]
    fn format_integer_extras() {
        assert_eq!(format_integer(0.0, "w").unwrap(), "zero");
        assert_eq!(format_integer(0.0, "w;o").unwrap(), "zeroth");
        assert_eq!(format_integer(-21.0, "w").unwrap(), "minus twenty-one");
        assert_eq!(format_integer(2.0, "0;o").unwrap(), "2nd");
        assert_eq!(format_integer(11.0, "0;o").unwrap(), "11th");
        assert_eq!(format_integer(111.0, "0;o").unwrap(), "111th");
        assert_eq!(format_integer(-1.5, "0").unwrap(), "-2");
        assert_eq!(format_integer(1e20, "#,##0").unwrap(), "100,000,000,000,000,000,000");
        assert_eq!(format_integer(1_000_000.0, "w;o").unwrap(), "one millionth");
        assert_eq!(format_integer(5.0, "01").unwrap(), "05");
        assert_eq!(format_integer(3999.0, "I").unwrap(), "MMMCMXCIX");
        assert_eq!(format_integer(2e6, "I").unwrap(), "2000000");
        assert_eq!(format_integer(f64::NAN, "0").unwrap_err().code, "D1001");
    }

    #[test]
    fn parse_integer_rejects_mismatches() {
        assert_eq!(parse_integer("12a", "0"), Ok(None));
        assert_eq!(parse_integer("", "0"), Ok(None));
        assert_eq!(parse_integer(",12", "#,##0"), Ok(None));
        assert_eq!(parse_integer("twelvety", "w"), Ok(None));
        assert_eq!(parse_integer("hundred", "w"), Ok(None));
        assert_eq!(parse_integer("", "w"), Ok(None));
        assert_eq!(parse_integer("MCQ", "I"), Ok(None));
        assert_eq!(parse_integer("a1", "a"), Ok(None));
        assert_eq!(parse_integer("-12", "0"), Ok(Some(-12.0)));
        assert_eq!(parse_integer("minus twelve", "w"), Ok(Some(-12.0)));
    }

    /// Odd pictures and values must give a result or an error, never a panic.
    #[test]
    fn integer_functions_never_panic() {
        let pictures = [
            "",
            ";",
            ";o",
            "o;",
            "#",
            "##",
            "0#",
            "#0#",
            ",",
            "0,",
            ",0",
            "0,,0",
            "\u{ff10}0",
            "\u{1D7CE}",
            "Ww;",
            "W;c(x)",
            "ww",
            "iI",
            "aa",
            "αβ",
            "🎉0",
            "0🎉0",
            "\u{0}",
            "0;o;o",
            "#,#;o",
            ";;;",
            "0\u{301}",
        ];
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            -0.5,
            1e15,
            -1e15,
            1e21,
            1e100,
            1e308,
            -1e308,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            1e29,
            1e31,
        ];
        let texts = ["", "-", "--1", "1,", ",", "st", "-st", "and", "minus", "hundred thousand"];
        for picture in pictures {
            for value in values {
                let _ = format_integer(value, picture);
            }
            for text in texts {
                let _ = parse_integer(text, picture);
            }
        }
        for picture in ["w", "I", "A", "0"] {
            for value in values {
                let _ = format_integer(value, picture);
            }
        }
    }
}
