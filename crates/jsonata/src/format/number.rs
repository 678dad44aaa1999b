//! `$formatNumber`, `$formatInteger`, `$parseInteger`, `$formatBase`.
//!
//! The picture-string rules follow XPath and XQuery Functions and Operators 3.1
//! (`fn:format-number`, `fn:format-integer`) as JSONata applies them; `$parseInteger` is the
//! inverse of `$formatInteger`, and `$formatBase` writes an integer in radix 2 to 36.
//!
//! Where JSONata's own output is undefined or accidental, these functions choose something
//! sensible instead: negative numbers in words read `minus …`, Roman numerals and letters of
//! negative numbers get a `-`, Roman numerals from one million and letters from 10³⁰ fall back
//! to decimal digits (the specification's fallback), and numbers are never written in
//! exponent notation by `$formatInteger` / `$formatNumber`. Numbers are rounded on their
//! shortest round-trip decimal digits (as `$round` does), half to even.

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

/// The decimal digits of the integer part of `|value|`, without exponent notation: the shortest
/// digits that identify the `f64`, padded with zeros (`1e23` gives `1` and 23 zeros, as
/// JavaScript writes it, rather than the binary value's exact expansion).
fn integer_digits(value: f64) -> String {
    let text = format!("{}", value.abs().floor());
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
    if ascii.is_empty() || text.chars().last().is_some_and(|c| pattern.separators.contains(&c)) {
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
// Exact decimal digits of f64 values
// ---------------------------------------------------------------------------------------------

/// A non-negative decimal number: `0.d₁d₂…dₙ × 10^point`, i.e. `digits` with the decimal point
/// after the first `point` of them (`point` may be negative or beyond the digits). `digits`
/// has no leading or trailing zeros; zero has no digits.
#[derive(Debug, Clone, PartialEq)]
struct Decimal {
    digits: Vec<u8>,
    point: i32,
}

impl Decimal {
    /// The shortest decimal digits that round-trip `value` (its magnitude; finite values only).
    fn from_f64(value: f64) -> Decimal {
        let text = format!("{:e}", value.abs());
        let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
        let exponent: i32 = exponent.parse().unwrap_or(0);
        let digits: Vec<u8> =
            mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
        let mut decimal = Decimal { digits, point: exponent + 1 };
        decimal.normalise();
        decimal
    }

    /// Drops leading zeros (moving the point) and trailing zeros.
    fn normalise(&mut self) {
        let leading = self.digits.iter().take_while(|&&d| d == 0).count();
        if leading == self.digits.len() {
            self.digits.clear();
            self.point = 0;
            return;
        }
        self.digits.drain(..leading);
        self.point -= leading as i32;
        while self.digits.last() == Some(&0) {
            self.digits.pop();
        }
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// Rounds to `places` fractional digits, half to even.
    fn round(&mut self, places: i32) {
        let keep = i64::from(self.point) + i64::from(places);
        if keep >= self.digits.len() as i64 {
            return;
        }
        if keep < 0 {
            self.digits.clear();
            self.point = 0;
            return;
        }
        let keep = keep as usize;
        let first = self.digits[keep];
        let rest_nonzero = self.digits[keep + 1..].iter().any(|&d| d != 0);
        let last_kept_odd = keep > 0 && self.digits[keep - 1] % 2 == 1;
        let up = first > 5 || (first == 5 && (rest_nonzero || last_kept_odd));
        self.digits.truncate(keep);
        if up {
            let mut i = keep;
            loop {
                if i == 0 {
                    self.digits.insert(0, 1);
                    self.point += 1;
                    break;
                }
                i -= 1;
                if self.digits[i] == 9 {
                    self.digits[i] = 0;
                } else {
                    self.digits[i] += 1;
                    break;
                }
            }
        }
        self.normalise();
    }

    /// The ASCII digits before the point (empty for values below one).
    fn integer_digits(&self) -> String {
        let mut out = String::new();
        for i in 0..self.point.max(0) {
            let d = self.digits.get(i as usize).copied().unwrap_or(0);
            out.push(char::from(b'0' + d));
        }
        out
    }

    /// The ASCII digits after the point, without trailing zeros.
    fn fraction_digits(&self) -> String {
        let mut out = String::new();
        for _ in self.point..0 {
            out.push('0');
        }
        let start = self.point.max(0) as usize;
        for &d in self.digits.iter().skip(start) {
            out.push(char::from(b'0' + d));
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// $formatNumber
// ---------------------------------------------------------------------------------------------

/// The decimal format properties of `$formatNumber` (its third argument), with JSONata's
/// defaults from [`DecimalFormat::default`].
///
/// `decimal_separator`, `grouping_separator`, `exponent_separator`, `zero_digit`, `digit` and
/// `pattern_separator` are matched as single characters in the picture (a value of another
/// length never matches); `percent` and `per_mille` are found as substrings; `infinity`,
/// `nan` and `minus_sign` are only written.
#[derive(Debug, Clone, PartialEq)]
pub struct DecimalFormat {
    /// `decimal-separator`, default `.`.
    pub decimal_separator: String,
    /// `grouping-separator`, default `,`.
    pub grouping_separator: String,
    /// `exponent-separator`, default `e`.
    pub exponent_separator: String,
    /// `infinity`, default `Infinity`.
    pub infinity: String,
    /// `minus-sign`, default `-`.
    pub minus_sign: String,
    /// `NaN`, default `NaN`.
    pub nan: String,
    /// `percent`, default `%`.
    pub percent: String,
    /// `per-mille`, default `‰`.
    pub per_mille: String,
    /// `zero-digit`, default `0`: its first character starts the digit family (it and the nine
    /// following code points).
    pub zero_digit: String,
    /// `digit` (the optional-digit sign), default `#`.
    pub digit: String,
    /// `pattern-separator`, default `;`.
    pub pattern_separator: String,
}

impl Default for DecimalFormat {
    fn default() -> DecimalFormat {
        DecimalFormat {
            decimal_separator: ".".into(),
            grouping_separator: ",".into(),
            exponent_separator: "e".into(),
            infinity: "Infinity".into(),
            minus_sign: "-".into(),
            nan: "NaN".into(),
            percent: "%".into(),
            per_mille: "\u{2030}".into(),
            zero_digit: "0".into(),
            digit: "#".into(),
            pattern_separator: ";".into(),
        }
    }
}

impl DecimalFormat {
    /// Sets one `$formatNumber` option by its JSONata name (`decimal-separator`,
    /// `grouping-separator`, `exponent-separator`, `infinity`, `minus-sign`, `NaN`, `percent`,
    /// `per-mille`, `zero-digit`, `digit`, `pattern-separator`).
    ///
    /// Like JSONata, unknown names are ignored and values are not checked, so this never
    /// fails today; the `Result` leaves room for validation.
    pub fn with_option(&mut self, name: &str, value: &str) -> Result<(), FormatError> {
        let field = match name {
            "decimal-separator" => &mut self.decimal_separator,
            "grouping-separator" => &mut self.grouping_separator,
            "exponent-separator" => &mut self.exponent_separator,
            "infinity" => &mut self.infinity,
            "minus-sign" => &mut self.minus_sign,
            "NaN" => &mut self.nan,
            "percent" => &mut self.percent,
            "per-mille" => &mut self.per_mille,
            "zero-digit" => &mut self.zero_digit,
            "digit" => &mut self.digit,
            "pattern-separator" => &mut self.pattern_separator,
            _ => return Ok(()),
        };
        *field = value.to_string();
        Ok(())
    }
}

/// The only character of `s`, if it has exactly one.
fn single_char(s: &str) -> Option<char> {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => Some(c),
        _ => None,
    }
}

/// Non-overlapping occurrences of `needle` in `haystack` (none for an empty needle).
fn occurrences(haystack: &str, needle: &str) -> usize {
    if needle.is_empty() { 0 } else { haystack.matches(needle).count() }
}

/// What a picture character means.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Sign {
    /// A member of the decimal digit family (a mandatory digit).
    Digit,
    /// The optional-digit sign (`#`).
    Optional,
    /// The decimal separator.
    Decimal,
    /// The grouping separator.
    Grouping,
    /// The exponent separator, when it sits between active characters.
    Exponent,
    /// Anything else (prefix and suffix text, `%`, `‰`).
    Passive,
}

impl Sign {
    fn is_active(self) -> bool {
        self != Sign::Passive
    }
}

/// An analysed `$formatNumber` sub-picture (XPath F&O 3.1, 4.7.4).
#[derive(Debug, Clone, PartialEq)]
struct SubPicture {
    prefix: String,
    suffix: String,
    /// Grouping positions in the integer part (digits to their right), ascending.
    integer_grouping: Vec<usize>,
    /// Whether the integer grouping repeats every `integer_grouping[0]` digits.
    regular_grouping: bool,
    /// Grouping positions in the fractional part (digits to their left), ascending.
    fraction_grouping: Vec<usize>,
    min_integer: usize,
    min_fraction: usize,
    max_fraction: usize,
    /// The scaling factor and minimum exponent size, when there is an exponent.
    exponent: Option<(usize, usize)>,
    percent: bool,
    per_mille: bool,
}

/// A `$formatNumber` picture error.
fn picture_error(code: &'static str, message: &str) -> FormatError {
    FormatError::new(code, message)
}

/// Checks and analyses one sub-picture.
fn analyse_sub_picture(text: &str, format: &DecimalFormat) -> Result<SubPicture, FormatError> {
    let chars: Vec<char> = text.chars().collect();
    let zero = single_char(&format.zero_digit).map(|c| c as u32);
    let decimal = single_char(&format.decimal_separator);
    let grouping = single_char(&format.grouping_separator);
    let optional = single_char(&format.digit);
    let exponent = single_char(&format.exponent_separator);

    let mut signs: Vec<Sign> = chars
        .iter()
        .map(|&c| {
            let code = c as u32;
            if zero.is_some_and(|z| code >= z && code - z < 10) {
                Sign::Digit
            } else if Some(c) == optional {
                Sign::Optional
            } else if Some(c) == decimal {
                Sign::Decimal
            } else if Some(c) == grouping {
                Sign::Grouping
            } else {
                Sign::Passive
            }
        })
        .collect();
    // The exponent separator counts only between active characters.
    let first_active = signs.iter().position(|s| s.is_active());
    let last_active = signs.iter().rposition(|s| s.is_active());
    if let (Some(first), Some(last)) = (first_active, last_active) {
        for i in first + 1..last {
            if Some(chars[i]) == exponent && signs[i] == Sign::Passive {
                signs[i] = Sign::Exponent;
            }
        }
    }

    let decimals = signs.iter().filter(|&&s| s == Sign::Decimal).count();
    if decimals > 1 {
        return Err(picture_error(
            "D3081",
            "The sub-picture must not contain more than one decimal separator",
        ));
    }
    let percents = occurrences(text, &format.percent);
    let per_milles = occurrences(text, &format.per_mille);
    if percents > 1 {
        return Err(picture_error(
            "D3082",
            "The sub-picture must not contain more than one percent",
        ));
    }
    if per_milles > 1 {
        return Err(picture_error(
            "D3083",
            "The sub-picture must not contain more than one per-mille",
        ));
    }
    if percents > 0 && per_milles > 0 {
        return Err(picture_error(
            "D3084",
            "The sub-picture must not contain both a percent and a per-mille",
        ));
    }

    let (first, last) = match (first_active, last_active) {
        (Some(first), Some(last)) => (first, last),
        _ => {
            return Err(picture_error(
                "D3085",
                "The mantissa part of a sub-picture must contain at least one digit",
            ));
        }
    };
    let exponent_at = (first..=last).find(|&i| signs[i] == Sign::Exponent);
    let mantissa_end = exponent_at.unwrap_or(last + 1);
    let mantissa = &signs[first..mantissa_end];
    if !mantissa.iter().any(|&s| s == Sign::Digit || s == Sign::Optional) {
        return Err(picture_error(
            "D3085",
            "The mantissa part of a sub-picture must contain at least one digit",
        ));
    }
    if signs[first..=last].contains(&Sign::Passive) {
        return Err(picture_error(
            "D3086",
            "A sub-picture must not contain a passive character between active characters",
        ));
    }
    let active = &signs[first..=last];
    if active.windows(2).any(|w| {
        matches!((w[0], w[1]), (Sign::Grouping, Sign::Decimal) | (Sign::Decimal, Sign::Grouping))
    }) {
        return Err(picture_error(
            "D3087",
            "A grouping separator must not be adjacent to the decimal separator",
        ));
    }
    let decimal_at = mantissa.iter().position(|&s| s == Sign::Decimal);
    let integer = &mantissa[..decimal_at.unwrap_or(mantissa.len())];
    let fraction = match decimal_at {
        Some(at) => &mantissa[at + 1..],
        None => &[][..],
    };
    if integer.last() == Some(&Sign::Grouping) {
        return Err(picture_error(
            "D3088",
            "The integer part of a sub-picture must not end with a grouping separator",
        ));
    }
    if active.windows(2).any(|w| w[0] == Sign::Grouping && w[1] == Sign::Grouping) {
        return Err(picture_error(
            "D3089",
            "A sub-picture must not contain two adjacent grouping separators",
        ));
    }
    if let Some(d) = integer.iter().position(|&s| s == Sign::Digit) {
        if integer[d..].contains(&Sign::Optional) {
            return Err(picture_error(
                "D3090",
                "The integer part must not contain an optional digit after a decimal digit",
            ));
        }
    }
    if let Some(o) = fraction.iter().position(|&s| s == Sign::Optional) {
        if fraction[o..].contains(&Sign::Digit) {
            return Err(picture_error(
                "D3091",
                "The fractional part must not contain a decimal digit after an optional digit",
            ));
        }
    }
    if exponent_at.is_some() && (percents > 0 || per_milles > 0) {
        return Err(picture_error(
            "D3092",
            "A sub-picture with a percent or per-mille must not have an exponent",
        ));
    }
    let exponent_part = match exponent_at {
        Some(at) => &signs[at + 1..=last],
        None => &[][..],
    };
    if exponent_at.is_some()
        && (exponent_part.is_empty() || exponent_part.iter().any(|&s| s != Sign::Digit))
    {
        return Err(picture_error(
            "D3093",
            "The exponent part of a sub-picture must contain only decimal digits",
        ));
    }

    let is_digit = |s: &Sign| matches!(s, Sign::Digit | Sign::Optional);
    let mut integer_grouping = Vec::new();
    let mut digits_right = 0usize;
    for s in integer.iter().rev() {
        if is_digit(s) {
            digits_right += 1;
        } else if *s == Sign::Grouping {
            integer_grouping.push(digits_right);
        }
    }
    let regular_grouping = match integer_grouping.first() {
        Some(&step) if step > 0 => {
            integer_grouping.iter().enumerate().all(|(i, &p)| p == (i + 1) * step)
        }
        _ => false,
    };
    let mut fraction_grouping = Vec::new();
    let mut digits_left = 0usize;
    for s in fraction {
        if is_digit(s) {
            digits_left += 1;
        } else if *s == Sign::Grouping {
            fraction_grouping.push(digits_left);
        }
    }

    let mut min_integer = integer.iter().filter(|&&s| s == Sign::Digit).count();
    let scaling = min_integer;
    let mut min_fraction = fraction.iter().filter(|&&s| s == Sign::Digit).count();
    let mut max_fraction = fraction.iter().filter(|s| is_digit(s)).count();
    if min_integer == 0 && max_fraction == 0 {
        if exponent_at.is_some() {
            min_fraction = 1;
            max_fraction = 1;
        } else {
            min_integer = 1;
        }
    }
    if exponent_at.is_some() && min_integer == 0 && integer.contains(&Sign::Optional) {
        min_integer = 1;
    }
    if min_integer == 0 && min_fraction == 0 {
        min_fraction = 1;
    }
    Ok(SubPicture {
        prefix: chars[..first].iter().collect(),
        suffix: chars[last + 1..].iter().collect(),
        integer_grouping,
        regular_grouping,
        fraction_grouping,
        min_integer,
        min_fraction,
        max_fraction,
        exponent: exponent_at.map(|_| (scaling, exponent_part.len())),
        percent: percents > 0,
        per_mille: per_milles > 0,
    })
}

/// `$formatNumber(value, picture, options)`: writes `value` as the picture asks, per XPath
/// F&O 3.1 `fn:format-number` as JSONata implements it.
///
/// The picture has a positive and optionally a negative sub-picture (split by the pattern
/// separator); each has passive prefix and suffix text around mandatory digits (the
/// `zero-digit` family), optional digits (`#`), grouping and decimal separators and an
/// optional exponent (`e` then digits). `%` and `‰` scale by 100 and 1000. Rounding is half
/// to even on the decimal value.
///
/// Errors: `D3080` to `D3093` for malformed pictures (too many sub-pictures, repeated decimal
/// separators, percents or per-milles, no digits, misplaced passive characters or grouping
/// separators, optional digits out of place, exponents with percents, non-digit exponents).
pub fn format_number(
    value: f64,
    picture: &str,
    format: &DecimalFormat,
) -> Result<String, FormatError> {
    let sub_pictures: Vec<&str> = match single_char(&format.pattern_separator) {
        Some(separator) => picture.split(separator).collect(),
        None => vec![picture],
    };
    if sub_pictures.len() > 2 {
        return Err(picture_error(
            "D3080",
            "The picture string must not contain more than one pattern separator",
        ));
    }
    let positive = analyse_sub_picture(sub_pictures[0], format)?;
    let negative = match sub_pictures.get(1) {
        Some(text) => Some(analyse_sub_picture(text, format)?),
        None => None,
    };
    if value.is_nan() {
        return Ok(format.nan.clone());
    }
    let (sub, prefix) = if value < 0.0 {
        match &negative {
            Some(sub) => (sub, sub.prefix.clone()),
            None => (&positive, format!("{}{}", format.minus_sign, positive.prefix)),
        }
    } else {
        (&positive, positive.prefix.clone())
    };
    let mut magnitude = value.abs();
    if sub.percent {
        magnitude *= 100.0;
    } else if sub.per_mille {
        magnitude *= 1000.0;
    }
    if magnitude.is_infinite() {
        return Ok(format!("{prefix}{}{}", format.infinity, sub.suffix));
    }
    let zero = format.zero_digit.chars().next().map_or(0x30, |c| c as u32);
    let mut number = Decimal::from_f64(magnitude);
    let mut exponent = 0i64;
    if let Some((scaling, _)) = sub.exponent {
        if !number.is_zero() {
            let scaling = scaling.min(400) as i32;
            exponent = i64::from(number.point) - i64::from(scaling);
            number.point = scaling;
            number.round(sub.max_fraction.min(1000) as i32);
            if number.point > scaling {
                number.point = scaling;
                exponent += 1;
            }
        }
    } else {
        number.round(sub.max_fraction.min(1000) as i32);
    }

    let mut integer = number.integer_digits();
    if integer.len() < sub.min_integer {
        integer = format!("{}{integer}", "0".repeat(sub.min_integer - integer.len()));
    }
    let mut fraction = number.fraction_digits();
    if fraction.len() < sub.min_fraction {
        fraction.push_str(&"0".repeat(sub.min_fraction - fraction.len()));
    }
    if integer.is_empty() && fraction.is_empty() {
        integer.push('0');
    }

    let mut out = prefix;
    let grouping = &format.grouping_separator;
    let len = integer.len();
    for (i, c) in integer.chars().enumerate() {
        let right = len - i;
        if i > 0 {
            let step = sub.integer_grouping.first().copied().unwrap_or(0);
            let group = if sub.regular_grouping {
                right % step == 0
            } else {
                sub.integer_grouping.contains(&right)
            };
            if group {
                out.push_str(grouping);
            }
        }
        out.push(family_char(c, zero));
    }
    if !fraction.is_empty() {
        out.push_str(&format.decimal_separator);
        for (i, c) in fraction.chars().enumerate() {
            if i > 0 && sub.fraction_grouping.contains(&i) {
                out.push_str(grouping);
            }
            out.push(family_char(c, zero));
        }
    }
    if let Some((_, min_exponent)) = sub.exponent {
        out.push_str(&format.exponent_separator);
        if exponent < 0 {
            out.push_str(&format.minus_sign);
        }
        let digits = exponent.unsigned_abs().to_string();
        for _ in digits.len()..min_exponent {
            out.push(family_char('0', zero));
        }
        for c in digits.chars() {
            out.push(family_char(c, zero));
        }
    }
    out.push_str(&sub.suffix);
    Ok(out)
}

/// The ASCII digit `c` written in the family starting at `zero`.
fn family_char(c: char, zero: u32) -> char {
    family_digit(zero, c.to_digit(10).unwrap_or(0))
}

// ---------------------------------------------------------------------------------------------
// $formatBase
// ---------------------------------------------------------------------------------------------

/// `$formatBase(value, radix)`: `value` rounded to an integer (half to even, like `$round`)
/// and written in `radix` (default 10, itself rounded), with lower-case digits `0-9a-z` and a
/// leading `-` for negatives — what JavaScript's `Number.prototype.toString(radix)` gives for
/// integers (radix 10 switches to `1e+21` notation from 10²¹ on, as JavaScript does).
///
/// Errors: `D3100` when the rounded radix is outside 2..=36. Non-finite values give
/// `NaN`, `Infinity` or `-Infinity`.
pub fn format_base(value: f64, radix: Option<f64>) -> Result<String, FormatError> {
    let radix = match radix {
        None => 10.0,
        Some(r) => round_half_even(r),
    };
    if !(2.0..=36.0).contains(&radix) {
        return Err(FormatError::new(
            "D3100",
            format!(
                "The radix of the formatBase function must be between 2 and 36. It was given \
                 {radix}"
            ),
        ));
    }
    let radix = radix as u32;
    if value.is_nan() {
        return Ok("NaN".into());
    }
    if value.is_infinite() {
        return Ok(if value < 0.0 { "-Infinity" } else { "Infinity" }.into());
    }
    let value = round_half_even(value);
    let sign = if value < 0.0 { "-" } else { "" };
    let magnitude = value.abs();
    let digits = if radix == 10 && magnitude >= 1e21 {
        let text = format!("{magnitude:e}");
        match text.split_once('e') {
            Some((mantissa, exponent)) => format!("{mantissa}e+{exponent}"),
            None => text,
        }
    } else if radix == 10 {
        integer_digits(magnitude)
    } else {
        integer_in_radix(magnitude, radix)
    };
    Ok(format!("{sign}{digits}"))
}

/// Rounds half to even, as JSONata's `$round` does without a precision; never gives `-0`.
fn round_half_even(value: f64) -> f64 {
    let rounded = value.round_ties_even();
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// The exact digits of a non-negative integral finite `f64` in `radix` (2..=36).
fn integer_in_radix(value: f64, radix: u32) -> String {
    if value < 1.0 {
        return "0".into();
    }
    // value = mantissa × 2^shift exactly.
    let bits = value.to_bits();
    let exponent = ((bits >> 52) & 0x7ff) as i32;
    let (mantissa, shift) = if exponent == 0 {
        (bits & ((1 << 52) - 1), -1074)
    } else {
        ((bits & ((1 << 52) - 1)) | (1 << 52), exponent - 1075)
    };
    // Little-endian base-2^32 limbs.
    let mut limbs: Vec<u32> = vec![mantissa as u32, (mantissa >> 32) as u32];
    if shift >= 0 {
        let words = (shift / 32) as usize;
        let bits_shift = shift % 32;
        let mut shifted = vec![0u32; words];
        let mut carry = 0u32;
        for &limb in &limbs {
            let wide = (u64::from(limb) << bits_shift) | u64::from(carry);
            shifted.push(wide as u32);
            carry = (wide >> 32) as u32;
        }
        shifted.push(carry);
        limbs = shifted;
    } else {
        // An integral value with a negative shift: drop the fractional (zero) bits.
        let whole = mantissa >> (-shift).min(63);
        limbs = vec![whole as u32, (whole >> 32) as u32];
    }
    let mut digits = Vec::new();
    while limbs.iter().any(|&l| l != 0) {
        let mut remainder = 0u64;
        for limb in limbs.iter_mut().rev() {
            let wide = (remainder << 32) | u64::from(*limb);
            *limb = (wide / u64::from(radix)) as u32;
            remainder = wide % u64::from(radix);
        }
        digits.push(char::from_digit(remainder as u32, radix).unwrap_or('?'));
        while limbs.last() == Some(&0) {
            limbs.pop();
        }
    }
    if digits.is_empty() {
        return "0".into();
    }
    digits.iter().rev().collect()
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

    /// The `function-formatNumber` cases of the JSONata test suite (less the undefined-input
    /// case): (value, picture, options, expected result or error code).
    #[allow(clippy::type_complexity)]
    const FORMAT_NUMBER_CASES: &[(f64, &str, &[(&str, &str)], Result<&str, &str>)] = &[
        (12345.6, "#,###.00", &[], Ok("12,345.60")),
        (12345678.9, "9,999.99", &[], Ok("12,345,678.90")),
        (123412345678.9, "9,9,99.99", &[], Ok("123412345,6,78.90")),
        (1234.56789, "9,999.999,999", &[], Ok("1,234.567,890")),
        (123.9, "9999", &[], Ok("0124")),
        (0.14, "01%", &[], Ok("14%")),
        (0.4857, "###.###\u{2030}", &[], Ok("485.7\u{2030}")),
        (0.14, "###pm", &[("per-mille", "pm")], Ok("140pm")),
        (-6.0, "000", &[], Ok("-006")),
        (1234.5678, "00.000e0", &[], Ok("12.346e2")),
        (1234.5678, "00.000e000", &[], Ok("12.346e002")),
        (
            1234.5678,
            "\u{2460}\u{2460}.\u{2460}\u{2460}\u{2460}e\u{2460}",
            &[("zero-digit", "\u{245f}")],
            Ok("\u{2460}\u{2461}.\u{2462}\u{2463}\u{2465}e\u{2461}"),
        ),
        (0.234, "0.0e0", &[], Ok("2.3e-1")),
        (0.234, "#.00e0", &[], Ok("0.23e0")),
        (0.123, "#.e9", &[], Ok("0.1e0")),
        (0.234, ".00e0", &[], Ok(".23e0")),
        (2392.14 * (-36.58), "000,000.000###;###,###.000###", &[], Ok("87,504.4812")),
        (2.14 * 86.58, "PREFIX##00.000###SUFFIX", &[], Ok("PREFIX185.2812SUFFIX")),
        (1E20, "#,######", &[], Ok("100,000000,000000,000000")),
        (20.0, "#;#;#", &[], Err("D3080")),
        (20.0, "#.0.0", &[], Err("D3081")),
        (20.0, "#0%%", &[], Err("D3082")),
        (20.0, "#0\u{2030}\u{2030}", &[], Err("D3083")),
        (20.0, "#0%\u{2030}", &[], Err("D3084")),
        (20.0, ".e0", &[], Err("D3085")),
        (20.0, "0+.e0", &[], Err("D3086")),
        (20.0, "0,.e0", &[], Err("D3087")),
        (20.0, "0,", &[], Err("D3088")),
        (20.0, "0,,0", &[], Err("D3089")),
        (20.0, "0#.e0", &[], Err("D3090")),
        (20.0, "#0.#0e0", &[], Err("D3091")),
        (20.0, "#0.0e0%", &[], Err("D3092")),
        (20.0, "#0.0e0,0", &[], Err("D3093")),
        (2.0, "000.000", &[], Ok("002.000")),
        (2.0, "AAA.AAA", &[("zero-digit", "A")], Ok("AAC.AAA")),
        (0.1, "AeAAA", &[("zero-digit", "A")], Ok("Be-AAB")),
    ];

    /// The `function-formatBase` cases of the JSONata test suite (less the undefined-input
    /// case): (value, radix, expected result or error code).
    const FORMAT_BASE_CASES: &[(f64, Option<f64>, Result<&str, &str>)] = &[
        (100.0, None, Ok("100")),
        (100.0, Some(2.0), Ok("1100100")),
        (-100.0, Some(2.0), Ok("-1100100")),
        (100.0, Some(36.0), Ok("2s")),
        (99.5, Some(2.5), Ok("1100100")),
        (100.0, Some(1.0), Err("D3100")),
        (100.0, Some(37.0), Err("D3100")),
    ];

    #[test]
    fn format_number_suite() {
        for &(value, picture, options, expected) in FORMAT_NUMBER_CASES {
            let mut format = DecimalFormat::default();
            for &(name, option) in options {
                format.with_option(name, option).unwrap();
            }
            let got = format_number(value, picture, &format);
            match expected {
                Ok(text) => assert_eq!(got.as_deref(), Ok(text), "{value} / {picture:?}"),
                Err(code) => {
                    assert_eq!(got.map_err(|e| e.code), Err(code), "{value} / {picture:?}")
                }
            }
        }
    }

    #[test]
    fn format_base_suite() {
        for &(value, radix, expected) in FORMAT_BASE_CASES {
            let got = format_base(value, radix);
            match expected {
                Ok(text) => assert_eq!(got.as_deref(), Ok(text), "{value} / {radix:?}"),
                Err(code) => assert_eq!(got.map_err(|e| e.code), Err(code), "{value} / {radix:?}"),
            }
        }
    }

    #[test]
    fn format_number_extras() {
        let f = DecimalFormat::default();
        let fmt = |v: f64, p: &str| format_number(v, p, &f).unwrap();
        assert_eq!(fmt(f64::NAN, "#0.00"), "NaN");
        assert_eq!(fmt(f64::INFINITY, "#0.00%"), "Infinity%");
        assert_eq!(fmt(-f64::INFINITY, "#0"), "-Infinity");
        assert_eq!(fmt(0.0, "#"), "0");
        assert_eq!(fmt(0.23, "#"), "0");
        assert_eq!(fmt(0.0, "0.0e0"), "0.0e0");
        assert_eq!(fmt(0.96, "#.0e0"), "0.1e1");
        assert_eq!(fmt(9.96, "0.0e0"), "1.0e1");
        assert_eq!(fmt(0.96, ".0e0"), ".1e1");
        assert_eq!(fmt(2.5, "0"), "2");
        assert_eq!(fmt(3.5, "0"), "4");
        assert_eq!(fmt(0.125, "0.00"), "0.12");
        assert_eq!(fmt(0.135, "0.00"), "0.14");
        assert_eq!(fmt(-1.5, "0;(0)"), "(2)");
        assert_eq!(fmt(1234567.891, "#,##0.##"), "1,234,567.89");
        assert_eq!(fmt(1e-7, "0.000000000"), "0.000000100");
        assert_eq!(fmt(1e300, "0.0e0"), "1.0e300");
        assert_eq!(fmt(123.0, "$#,##0.00 each"), "$123.00 each");
        assert_eq!(fmt(5.0, "0 e"), "5 e");
        assert_eq!(fmt(0.0, ".##"), ".0");
        assert_eq!(fmt(12.0, "###.###"), "12.0");
        assert_eq!(fmt(0.5, "#.##"), ".5");

        let mut european = DecimalFormat::default();
        european.with_option("decimal-separator", ",").unwrap();
        european.with_option("grouping-separator", ".").unwrap();
        european.with_option("unknown", "x").unwrap();
        assert_eq!(format_number(1234.5, "#.##0,00", &european).unwrap(), "1.234,50");
    }

    #[test]
    fn format_base_extras() {
        assert_eq!(format_base(0.0, Some(2.0)).unwrap(), "0");
        assert_eq!(format_base(-0.4, None).unwrap(), "0");
        assert_eq!(format_base(255.0, Some(16.0)).unwrap(), "ff");
        assert_eq!(format_base(2.5, None).unwrap(), "2");
        assert_eq!(format_base(9007199254740993.0, Some(16.0)).unwrap(), "20000000000000");
        assert_eq!(format_base(2f64.powi(70), Some(2.0)).unwrap(), format!("1{}", "0".repeat(70)));
        assert_eq!(format_base(1e20, None).unwrap(), "100000000000000000000");
        assert_eq!(format_base(1e21, None).unwrap(), "1e+21");
        let big = format_base(1.5e300, Some(36.0)).unwrap();
        assert_eq!(big.len(), 193);
        assert!(big.starts_with("n87ft250o9t0rejy9oyz") && big.ends_with("shdkr6dge2rkalyq1hc0"));
        assert_eq!(format_base(100.0, Some(0.0)).unwrap_err().code, "D3100");
        assert_eq!(format_base(100.0, Some(f64::NAN)).unwrap_err().code, "D3100");
        assert_eq!(format_base(f64::INFINITY, None).unwrap(), "Infinity");
    }

    /// Random pictures over the characters that mean something: never a panic.
    #[test]
    fn random_pictures_never_panic() {
        let alphabet: Vec<char> = "0#9.,;e%\u{2030}-+ aAiIwWo()\u{661}\u{ff10}".chars().collect();
        let values = [0.0, -0.0, 7.0, -12.5, 0.000123, 98765.4321, 1e25, -3e-5, 1e300];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let format = DecimalFormat::default();
        for _ in 0..3000 {
            let len = (next() % 9) as usize;
            let picture: String =
                (0..len).map(|_| alphabet[(next() % alphabet.len() as u64) as usize]).collect();
            for value in values {
                let _ = format_number(value, &picture, &format);
                let _ = format_integer(value, &picture);
                if let Ok(text) = format_integer(value, &picture) {
                    let _ = parse_integer(&text, &picture);
                }
            }
        }
    }

    /// Odd number pictures and values must give a result or an error, never a panic.
    #[test]
    fn number_functions_never_panic() {
        let pictures = [
            "",
            ";",
            "#;",
            ";#",
            "e",
            "0e",
            "e0",
            "0e0e0",
            "0ee0",
            "#.",
            ".",
            ".#",
            ",",
            "#,#.#,#",
            "%",
            "0%",
            "%0%",
            "\u{2030}0",
            "0.0e00000",
            "0\u{301}",
            "🎉0🎉",
            "00.00e0;(0)",
            "#,###,###,##0.0##e0",
            "0.#",
            "0,0,,",
            "##0,##0.###,###",
        ];
        let values = [
            0.0,
            -0.0,
            1.0,
            -1.0,
            0.5,
            1e-300,
            5e-324,
            1e21,
            1e300,
            f64::MAX,
            f64::MIN,
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            123.456,
            -987654.321,
        ];
        let mut odd = DecimalFormat::default();
        for (name, value) in [
            ("zero-digit", "\u{10FFFF}"),
            ("digit", ""),
            ("decimal-separator", "ab"),
            ("percent", ""),
            ("exponent-separator", "0"),
        ] {
            odd.with_option(name, value).unwrap();
        }
        for picture in pictures {
            for value in values {
                let _ = format_number(value, picture, &DecimalFormat::default());
                let _ = format_number(value, picture, &odd);
            }
        }
        for value in values {
            for radix in [None, Some(2.0), Some(7.0), Some(36.0), Some(-1.0), Some(1e300)] {
                let _ = format_base(value, radix);
            }
        }
    }

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
        assert_eq!(format_integer(1e23, "0").unwrap(), format!("1{}", "0".repeat(23)));
        assert_eq!(format_integer(-0.0, "0").unwrap(), "0");
        assert_eq!(format_integer(3999.0, "I").unwrap(), "MMMCMXCIX");
        assert_eq!(format_integer(2e6, "I").unwrap(), "2000000");
        assert_eq!(format_integer(f64::NAN, "0").unwrap_err().code, "D1001");
    }

    #[test]
    fn parse_integer_rejects_mismatches() {
        assert_eq!(parse_integer("12a", "0"), Ok(None));
        assert_eq!(parse_integer("", "0"), Ok(None));
        assert_eq!(parse_integer(",12", "#,##0"), Ok(None));
        assert_eq!(parse_integer("12,", "#,##0"), Ok(None));
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
