//! `$fromMillis`, `$toMillis`: timestamps and XPath picture strings.
//!
//! Formatting follows the XPath and XQuery Functions and Operators 3.1 rules for
//! `fn:format-dateTime` picture strings (§9.8.4) as JSONata applies them: literal text,
//! `[[` / `]]` escapes, and variable markers `[<component><presentation>,<width>]` for the
//! components `Y M D d F W w X x H h P m s f Z z C E`. Parsing (`$toMillis` with a picture) is
//! JSONata's inverse of the same pictures.
//!
//! The calendar is the proleptic Gregorian one over JavaScript's time range (±8.64e15 ms around
//! the epoch). Integer presentations (digits, words, roman numerals, letters, ordinals) are
//! delegated to [`format_integer`] and [`parse_integer`], shared with `$formatInteger` and
//! `$parseInteger`.
//!
//! Error codes:
//! * `D3110`: `$toMillis` text that is not ISO 8601 (no picture given); also used for a `millis`
//!   outside JavaScript's date range (NaN, infinite, beyond ±8.64e15), where JavaScript itself
//!   would fail with "Invalid time value".
//! * `D3132`: unknown component specifier in the picture.
//! * `D3133`: a name presentation (`N`, `n`, `Nn`) on a component that has no names.
//! * `D3134`: a timezone format with more than four digits; also used for a `timezone`
//!   argument that is not an offset such as `+0100`, `-05:00` or `0000`.
//! * `D3135`: a variable marker without its closing `]`.
//! * `D3136`: a `$toMillis` picture that cannot determine an instant (gaps such as year and day
//!   without month, or week-based dates).
//! * `D3130`/`D3131`: integer presentations the integer formatter rejects, passed through.

use std::collections::HashSet;

use super::FormatError;
use super::number::{format_integer, parse_integer};

/// The picture `$fromMillis` uses when none is given: ISO 8601 with milliseconds.
const ISO_PICTURE: &str = "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]";

/// JavaScript's time range: ±100,000,000 days around the epoch, in milliseconds.
const MAX_MILLIS: i64 = 8_640_000_000_000_000;
const MS_PER_DAY: i64 = 86_400_000;
/// Widths above this are clamped (a picture cannot ask for gigabytes of padding).
const MAX_WIDTH: usize = 256;
/// A marker matches at most this many characters of a timestamp when parsing.
const MAX_TOKEN_CHARS: usize = 256;

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAY_NAMES: [&str; 7] =
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// `$fromMillis(millis, picture?, timezone?)`: formats the instant `millis` milliseconds after
/// 1970-01-01T00:00:00Z.
///
/// Without a picture the result is ISO 8601 with milliseconds (`2017-11-07T15:07:54.972Z`).
/// `timezone` is an offset such as `+0100`, `-0500`, `0000` or `-05:00`; the date and time
/// components are shown in that offset and `[Z]`/`[z]` show it (UTC when absent).
/// Fractional milliseconds are truncated toward zero, as JavaScript dates do.
///
/// # Errors
/// A [`FormatError`] with JSONata's code for a bad picture (`D3132`–`D3135`, or `D3130`/`D3131`
/// from integer presentations), a bad timezone (`D3134`) or a `millis` outside JavaScript's
/// date range (`D3110`).
pub fn from_millis(
    millis: f64,
    picture: Option<&str>,
    timezone: Option<&str>,
) -> Result<String, FormatError> {
    let instant = clip_millis(millis)?;
    let offset = match timezone {
        Some(tz) => parse_timezone_argument(tz)?,
        None => 0,
    };
    let parts = analyse_picture(picture.unwrap_or(ISO_PICTURE))?;
    let fields = Fields::at(instant + offset * 60_000, offset);
    let mut out = String::new();
    for part in &parts {
        match part {
            Part::Literal(text) => out.push_str(text),
            Part::Marker(marker) => out.push_str(&format_marker(marker, &fields)?),
        }
    }
    Ok(out)
}

/// `$toMillis(timestamp, picture?)`: the milliseconds since the epoch of a timestamp.
///
/// Without a picture the text must be ISO 8601 as JSONata accepts it (`2018`, `2017-10-30`,
/// `2017-10-30T15:28:34Z`, `2018-02-01T09:42:13.123+0000`, …); otherwise `D3110`. Times without
/// an offset are read as UTC.
///
/// With a picture, `Ok(None)` means the text does not match it (or the picture has no date or
/// time components at all). Components the picture leaves out before the first one given are
/// taken from the current date and time (UTC), those after the last one given default to their
/// minimum (January, the 1st, midnight). See [`to_millis_at`] to fix "now".
///
/// # Errors
/// `D3110` for non-ISO text without a picture; for a picture, the codes of [`from_millis`] plus
/// `D3136` when its components cannot determine an instant.
pub fn to_millis(timestamp: &str, picture: Option<&str>) -> Result<Option<f64>, FormatError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as f64)
        .unwrap_or(0.0);
    to_millis_at(timestamp, picture, now)
}

/// [`to_millis`] with an explicit "now" (milliseconds since the epoch), which supplies the
/// components a picture leaves out before its first one (a time-only picture reads as today).
/// The evaluator can pass the instant its `$now()` reports, so one evaluation is consistent.
///
/// # Errors
/// As [`to_millis`].
pub fn to_millis_at(
    timestamp: &str,
    picture: Option<&str>,
    now: f64,
) -> Result<Option<f64>, FormatError> {
    match picture {
        None => parse_iso8601(timestamp).map(Some),
        Some(picture) => parse_with_picture(timestamp, picture, now),
    }
}

// ---------------------------------------------------------------------------------------------
// Calendar arithmetic (proleptic Gregorian, days since 1970-01-01)
// ---------------------------------------------------------------------------------------------

/// Days since 1970-01-01 of a civil date (month 1–12, day 1–31; larger days roll over).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let year_of_era = y.rem_euclid(400);
    let shifted_month = if month > 2 { month - 3 } else { month + 9 };
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The civil date (year, month 1–12, day 1–31) of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 { shifted_month + 3 } else { shifted_month - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// ISO day of the week, Monday = 1 … Sunday = 7.
fn iso_weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7) + 1
}

/// The date and time components of one instant, seen at one UTC offset.
struct Fields {
    /// Days since 1970-01-01 at the offset.
    days: i64,
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    milli: i64,
    /// Minutes east of UTC.
    offset: i64,
}

impl Fields {
    /// The fields of `local_millis` (milliseconds since the epoch, already shifted by `offset`).
    fn at(local_millis: i64, offset: i64) -> Fields {
        let days = local_millis.div_euclid(MS_PER_DAY);
        let ms = local_millis.rem_euclid(MS_PER_DAY);
        let (year, month, day) = civil_from_days(days);
        Fields {
            days,
            year,
            month,
            day,
            hour: ms / 3_600_000,
            minute: ms / 60_000 % 60,
            second: ms / 1000 % 60,
            milli: ms % 1000,
            offset,
        }
    }

    fn day_of_year(&self) -> i64 {
        self.days - days_from_civil(self.year, 1, 1) + 1
    }

    fn weekday(&self) -> i64 {
        iso_weekday(self.days)
    }

    /// The Thursday of this date's Monday-to-Sunday week: it decides which year (ISO weeks)
    /// or month (weeks of the month) the week belongs to.
    fn week_thursday(&self) -> i64 {
        self.days - (self.weekday() - 1) + 3
    }

    /// ISO 8601 week-numbering year and week (`[X]`, `[W]`).
    fn iso_week(&self) -> (i64, i64) {
        let thursday = self.week_thursday();
        let (year, _, _) = civil_from_days(thursday);
        let week = (thursday - days_from_civil(year, 1, 1)) / 7 + 1;
        (year, week)
    }

    /// Month (1–12) and week of that month (`[x]`, `[w]`): weeks run Monday to Sunday and
    /// belong to the month holding their Thursday, so the first week of a month is the one
    /// with its first Thursday.
    fn month_week(&self) -> (i64, i64) {
        let thursday = self.week_thursday();
        let (year, month, _) = civil_from_days(thursday);
        let first = days_from_civil(year, month, 1);
        let first_thursday = first + (4 - iso_weekday(first)).rem_euclid(7);
        (month, (thursday - first_thursday) / 7 + 1)
    }
}

/// The whole milliseconds of a JavaScript date, or `D3110` outside its range.
fn clip_millis(millis: f64) -> Result<i64, FormatError> {
    if !millis.is_finite() || millis.abs() > MAX_MILLIS as f64 {
        return Err(FormatError::new(
            "D3110",
            format!("Invalid time value: {millis} is outside the range of dates"),
        ));
    }
    Ok(millis.trunc() as i64)
}

/// Minutes east of UTC of a `$fromMillis` timezone argument: `±hhmm`, `±hh:mm`, `±hmm`, `±hh`.
fn parse_timezone_argument(text: &str) -> Result<i64, FormatError> {
    let bad = || {
        FormatError::new(
            "D3134",
            format!("The timezone {text:?} is not an offset such as +0100 or -0500"),
        )
    };
    parse_offset(text.trim(), false).ok_or_else(bad)
}

/// An offset `[+-]h`, `[+-]hh`, `[+-]hmm`, `[+-]hhmm` or `[+-]h(h):mm` in minutes east of UTC.
/// The sign is optional unless `sign_required`.
fn parse_offset(text: &str, sign_required: bool) -> Option<i64> {
    let (sign, rest) = match text.as_bytes().first() {
        Some(b'+') => (1, &text[1..]),
        Some(b'-') => (-1, &text[1..]),
        _ if sign_required => return None,
        _ => (1, text),
    };
    if !rest.bytes().all(|b| b.is_ascii_digit() || b == b':') {
        return None;
    }
    let (hours, minutes) = match rest.split_once(':') {
        Some((h, m)) if (1..=2).contains(&h.len()) && m.len() == 2 => (h, m),
        Some(_) => return None,
        None => match rest.len() {
            1 | 2 => (rest, "0"),
            3 | 4 => rest.split_at(rest.len() - 2),
            _ => return None,
        },
    };
    if !hours.bytes().chain(minutes.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let hours: i64 = hours.parse().ok()?;
    let minutes: i64 = minutes.parse().ok()?;
    if minutes > 59 {
        return None;
    }
    Some(sign * (hours * 60 + minutes))
}

// ---------------------------------------------------------------------------------------------
// Picture analysis
// ---------------------------------------------------------------------------------------------

/// One piece of a picture string.
#[derive(Debug, Clone, PartialEq)]
enum Part {
    Literal(String),
    Marker(Marker),
}

/// How names (months, days, am/pm) are cased: `N`, `n`, `Nn`.
#[derive(Debug, Clone, Copy, PartialEq)]
enum NameCase {
    Upper,
    Lower,
    Title,
}

/// A width modifier: minimum and maximum widths (`*` or absent is `None`).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Width {
    min: Option<usize>,
    max: Option<usize>,
}

/// A variable marker `[...]`.
#[derive(Debug, Clone, PartialEq)]
struct Marker {
    component: char,
    /// The first presentation modifier, the component's default when none was written.
    presentation: String,
    /// The second presentation modifier: `o` (ordinal), `c`, `a` or `t`.
    modifier: Option<char>,
    width: Option<Width>,
    names: Option<NameCase>,
}

impl Marker {
    fn ordinal(&self) -> bool {
        self.modifier == Some('o')
    }

    fn max_width(&self) -> Option<usize> {
        self.width.and_then(|w| w.max)
    }

    fn min_width(&self) -> Option<usize> {
        self.width.and_then(|w| w.min)
    }
}

const COMPONENTS: &str = "YMDdFWwXxHhPmsfZzCE";

fn default_presentation(component: char) -> &'static str {
    match component {
        'F' | 'P' | 'C' | 'E' => "n",
        'm' | 's' => "01",
        'Z' | 'z' => "01:01",
        _ => "1",
    }
}

/// Splits a picture into literal text and markers, applying the defaults and checks of
/// F&O §9.8.4.1–2. Bracket structure (`D3135`) is checked over the whole picture before any
/// marker's content.
fn analyse_picture(picture: &str) -> Result<Vec<Part>, FormatError> {
    split_picture(picture)?
        .into_iter()
        .map(|piece| match piece {
            Ok(literal) => Ok(Part::Literal(literal)),
            Err(content) => analyse_marker(&content).map(Part::Marker),
        })
        .collect()
}

/// Literal text (`Ok`) and marker contents without whitespace (`Err`), in picture order.
fn split_picture(picture: &str) -> Result<Vec<Result<String, String>>, FormatError> {
    let mut parts = Vec::new();
    let mut literal = String::new();
    let mut chars = picture.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '[' if chars.peek() == Some(&'[') => {
                chars.next();
                literal.push('[');
            }
            ']' if chars.peek() == Some(&']') => {
                chars.next();
                literal.push(']');
            }
            '[' => {
                let mut content = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if c == ']' {
                        closed = true;
                        break;
                    }
                    if !c.is_whitespace() {
                        content.push(c);
                    }
                }
                if !closed {
                    return Err(FormatError::new(
                        "D3135",
                        "No matching closing bracket ']' in date/time picture string",
                    ));
                }
                if !literal.is_empty() {
                    parts.push(Ok(std::mem::take(&mut literal)));
                }
                parts.push(Err(content));
            }
            c => literal.push(c),
        }
    }
    if !literal.is_empty() {
        parts.push(Ok(literal));
    }
    Ok(parts)
}

/// One marker's content (whitespace already removed).
fn analyse_marker(content: &str) -> Result<Marker, FormatError> {
    let mut chars = content.chars();
    let component = chars.next().unwrap_or(' ');
    if !COMPONENTS.contains(component) || component == ' ' {
        return Err(FormatError::new(
            "D3132",
            format!("Unknown component specifier {content:?} in date/time picture string"),
        ));
    }
    let rest = chars.as_str();
    let (presentation, width) = match rest.rsplit_once(',') {
        Some((presentation, width)) => (presentation, parse_width(width)),
        None => (rest, None),
    };
    let (mut presentation, modifier) = split_modifiers(presentation);
    if presentation.is_empty() {
        presentation = default_presentation(component).to_string();
    }
    let names = match presentation.as_str() {
        "N" => Some(NameCase::Upper),
        "n" => Some(NameCase::Lower),
        "Nn" => Some(NameCase::Title),
        _ => None,
    };
    if names.is_some() && !"MxFPCEZz".contains(component) {
        return Err(FormatError::new(
            "D3133",
            format!(
                "The 'name' modifier can only be applied to months and days in the date/time \
                 picture string, not {component}"
            ),
        ));
    }
    if matches!(component, 'Z' | 'z') && names.is_none() {
        let digits = presentation.chars().filter(|c| c.is_ascii_digit() || *c == '#').count();
        let separated = presentation.chars().any(|c| !c.is_ascii_digit() && c != '#');
        if !separated && digits > 4 {
            return Err(FormatError::new(
                "D3134",
                "The timezone integer format specifier cannot have more than four digits",
            ));
        }
    }
    Ok(Marker { component, presentation, modifier, width, names })
}

/// Splits a presentation into its first modifier and an optional second one (`o`, `c`, `a`,
/// `t`, with an ignored parenthesised variant such as `o(-e)`).
fn split_modifiers(presentation: &str) -> (String, Option<char>) {
    let mut body = presentation;
    // `o(...)` / `c(...)`: the parenthesised variant is not used for English.
    if body.ends_with(')') {
        if let Some(open) = body.rfind('(') {
            let head = &body[..open];
            if head.ends_with('o') || head.ends_with('c') {
                body = head;
            }
        }
    }
    let mut chars = body.chars();
    match chars.next_back() {
        Some(last @ ('o' | 'c' | 'a' | 't')) if body.chars().count() > 1 || last != 'a' => {
            let head = chars.as_str();
            // `Nn`-style names and words keep their letters; only a trailing modifier splits.
            (head.to_string(), Some(last))
        }
        _ => (body.to_string(), None),
    }
}

/// A width modifier `min`, `min-max`, with `*` for "no limit". `None` when it sets nothing.
fn parse_width(text: &str) -> Option<Width> {
    fn bound(text: &str) -> Option<usize> {
        if text == "*" || text.is_empty() {
            return None;
        }
        let digits = text.bytes().all(|b| b.is_ascii_digit());
        if !digits {
            return None;
        }
        Some(text.parse::<usize>().map_or(MAX_WIDTH, |n| n.min(MAX_WIDTH)))
    }
    let (min, max) = match text.split_once('-') {
        Some((min, max)) => (bound(min), bound(max)),
        None => (bound(text), None),
    };
    if min.is_none() && max.is_none() { None } else { Some(Width { min, max }) }
}

// ---------------------------------------------------------------------------------------------
// Decimal digit patterns
// ---------------------------------------------------------------------------------------------

/// Zero digits of the Unicode decimal digit families recognised in pictures.
const ZERO_DIGITS: [u32; 37] = [
    0x30, 0x660, 0x6F0, 0x7C0, 0x966, 0x9E6, 0xA66, 0xAE6, 0xB66, 0xBE6, 0xC66, 0xCE6, 0xD66,
    0xDE6, 0xE50, 0xED0, 0xF20, 0x1040, 0x1090, 0x17E0, 0x1810, 0x1946, 0x19D0, 0x1A80, 0x1A90,
    0x1B50, 0x1BB0, 0x1C40, 0x1C50, 0xA620, 0xA8D0, 0xA900, 0xA9D0, 0xA9F0, 0xAA50, 0xABF0, 0xFF10,
];

/// The zero of `c`'s decimal digit family, if `c` is a decimal digit.
fn digit_zero(c: char) -> Option<u32> {
    let code = u32::from(c);
    ZERO_DIGITS.iter().copied().find(|&zero| (zero..zero + 10).contains(&code))
}

/// A decimal-digit-pattern presentation (`1`, `01`, `#0`, `9,999`): its digit family and
/// how many mandatory and optional digits it has.
#[derive(Debug, Clone, Copy)]
struct DigitPattern {
    zero: u32,
    mandatory: usize,
    optional: usize,
    grouped: bool,
}

impl DigitPattern {
    fn of(presentation: &str) -> Option<DigitPattern> {
        let zero = presentation.chars().find_map(digit_zero)?;
        let mut pattern = DigitPattern { zero, mandatory: 0, optional: 0, grouped: false };
        for c in presentation.chars() {
            if digit_zero(c).is_some() {
                pattern.mandatory += 1;
            } else if c == '#' {
                pattern.optional += 1;
            } else if c.is_alphanumeric() {
                // Letters mixed with digits: not a decimal digit pattern.
                return None;
            } else {
                pattern.grouped = true;
            }
        }
        Some(pattern)
    }

    /// A plain pattern of `mandatory` digits in this family: `1`, `01`, `001`, …
    fn plain(&self, mandatory: usize) -> String {
        let zero = char::from_u32(self.zero).unwrap_or('0');
        let one = char::from_u32(self.zero + 1).unwrap_or('1');
        let mut text: String = std::iter::repeat_n(zero, mandatory.saturating_sub(1)).collect();
        text.push(one);
        text
    }

    /// ASCII digits rewritten into this family.
    fn localise(&self, ascii: &str) -> String {
        ascii
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(self.zero + d).unwrap_or(c),
                None => c,
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------------

fn format_marker(marker: &Marker, fields: &Fields) -> Result<String, FormatError> {
    match marker.component {
        'Z' | 'z' => Ok(format_zone(marker, fields.offset)),
        'C' | 'E' => Ok(apply_name_width("ISO".to_string(), marker)),
        'P' => {
            let name = if fields.hour < 12 { "am" } else { "pm" };
            Ok(apply_name_width(cased(name, marker.names.unwrap_or(NameCase::Lower)), marker))
        }
        'M' | 'x' if marker.names.is_some() => {
            let month = if marker.component == 'M' { fields.month } else { fields.month_week().0 };
            Ok(name_of(&MONTH_NAMES, month, marker))
        }
        'F' if marker.names.is_some() => Ok(name_of(&DAY_NAMES, fields.weekday(), marker)),
        'f' if DigitPattern::of(&marker.presentation).is_some() => {
            Ok(format_fraction(marker, fields.milli))
        }
        component => {
            let value = match component {
                'Y' => fields.year,
                'M' => fields.month,
                'D' => fields.day,
                'd' => fields.day_of_year(),
                'F' => fields.weekday(),
                'W' => fields.iso_week().1,
                'X' => fields.iso_week().0,
                'w' => fields.month_week().1,
                'x' => fields.month_week().0,
                'H' => fields.hour,
                'h' => (fields.hour + 11) % 12 + 1,
                'm' => fields.minute,
                's' => fields.second,
                _ => fields.milli,
            };
            format_integer_component(marker, value)
        }
    }
}

/// A month or day name (`index` from 1), cased and cut to the width modifier.
fn name_of(names: &[&str], index: i64, marker: &Marker) -> String {
    let name = usize::try_from(index - 1).ok().and_then(|i| names.get(i)).copied().unwrap_or("");
    apply_name_width(cased(name, marker.names.unwrap_or(NameCase::Title)), marker)
}

fn cased(name: &str, case: NameCase) -> String {
    match case {
        NameCase::Upper => name.to_uppercase(),
        NameCase::Lower => name.to_lowercase(),
        NameCase::Title => {
            let mut chars = name.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        }
    }
}

/// Names are cut to the maximum width and padded with spaces to the minimum width.
fn apply_name_width(mut name: String, marker: &Marker) -> String {
    if let Some(max) = marker.max_width() {
        if let Some((cut, _)) = name.char_indices().nth(max) {
            name.truncate(cut);
        }
    }
    if let Some(min) = marker.min_width() {
        let len = name.chars().count();
        name.extend(std::iter::repeat_n(' ', min.saturating_sub(len)));
    }
    name
}

/// Integer-valued components (F&O §9.8.4.3–4): the width modifier overrides the digits of a
/// decimal pattern, and the year is cut to its low-order digits when the picture asks for a
/// fixed number of them (`[Y01]`, `[Y,2]`, `[Y0001,2-2]`).
fn format_integer_component(marker: &Marker, mut value: i64) -> Result<String, FormatError> {
    let mut picture = marker.presentation.clone();
    let mut year_digits = None;
    match DigitPattern::of(&marker.presentation) {
        Some(pattern) => {
            let mut digits = pattern.mandatory + pattern.optional;
            if let Some(width) = marker.width {
                let mut mandatory = pattern.mandatory.max(width.min.unwrap_or(0));
                if let Some(max) = width.max {
                    mandatory = mandatory.min(max.max(1));
                }
                if mandatory != pattern.mandatory {
                    picture = pattern.plain(mandatory);
                    digits = mandatory;
                }
            }
            if marker.component == 'Y' {
                year_digits = marker.max_width().or((digits >= 2).then_some(digits));
            }
        }
        None if marker.component == 'Y' => year_digits = marker.max_width(),
        None => {}
    }
    if let Some(digits) = year_digits {
        if digits < 18 {
            let modulus = 10_i64.pow(digits as u32);
            value = value.signum() * (value.abs() % modulus);
        }
    }
    if marker.ordinal() {
        picture.push_str(";o");
    }
    format_integer(value as f64, &picture)
}

/// Fractional seconds (F&O §9.8.4.5): the leading digits of the fraction of a second, at
/// least as many as the mandatory digits (or minimum width) and, for patterns of more than one
/// digit, at most as many as the pattern has (or the maximum width).
fn format_fraction(marker: &Marker, milli: i64) -> String {
    let Some(pattern) = DigitPattern::of(&marker.presentation) else {
        return String::new();
    };
    let mut min = pattern.mandatory.max(1);
    let total = pattern.mandatory + pattern.optional;
    let mut max = (total > 1).then_some(total);
    if let Some(width) = marker.width {
        if let Some(w) = width.min {
            min = w.max(1);
        }
        if width.max.is_some() {
            max = width.max;
        }
    }
    let mut digits = format!("{milli:03}");
    if let Some(max) = max {
        digits.truncate(max.max(1));
    }
    while digits.len() > min && digits.ends_with('0') {
        digits.pop();
    }
    while digits.len() < min {
        digits.push('0');
    }
    pattern.localise(&digits)
}

/// `[Z]` (`+05:00`, `-5`, `+0530`, `Z` with the `t` modifier) and `[z]` (`GMT-05:00`).
fn format_zone(marker: &Marker, offset: i64) -> String {
    if marker.component == 'Z' && marker.modifier == Some('t') && offset == 0 {
        return "Z".to_string();
    }
    let numeric = marker.names.is_none()
        && marker.presentation.chars().any(|c| c.is_ascii_digit())
        && marker
            .presentation
            .chars()
            .all(|c| c.is_ascii_digit() || c == '#' || !c.is_alphanumeric());
    let pattern = if numeric { marker.presentation.as_str() } else { "01:01" };
    let sign = if offset < 0 { '-' } else { '+' };
    let hours = offset.abs() / 60;
    let minutes = offset.abs() % 60;
    let is_digit = |c: char| c.is_ascii_digit() || c == '#';
    let mut out = String::new();
    if marker.component == 'z' {
        out.push_str("GMT");
    }
    out.push(sign);
    match pattern.char_indices().find(|&(_, c)| !is_digit(c)) {
        Some((at, separator)) => {
            let hour_digits = pattern[..at].chars().filter(|c| c.is_ascii_digit()).count();
            out.push_str(&format!("{hours:0hour_digits$}{separator}{minutes:02}"));
        }
        None => {
            let digits = pattern.chars().filter(|c| c.is_ascii_digit()).count();
            if digits <= 2 {
                out.push_str(&format!("{hours:0digits$}"));
                if minutes != 0 {
                    out.push_str(&format!(":{minutes:02}"));
                }
            } else {
                let hour_digits = digits - 2;
                out.push_str(&format!("{hours:0hour_digits$}{minutes:02}"));
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// ISO 8601 parsing (no picture)
// ---------------------------------------------------------------------------------------------

fn not_iso(text: &str) -> FormatError {
    FormatError::new(
        "D3110",
        format!("Failed to parse timestamp {text:?}: it must be in ISO 8601 format"),
    )
}

/// `YYYY[-MM[-DD]][THH:mm:ss[.fff…]][Z|±HH:mm|±HHmm]`, read as UTC when no offset is given.
/// Days 29–31 beyond the end of a month roll over into the next, as JavaScript's parser does.
fn parse_iso8601(text: &str) -> Result<f64, FormatError> {
    let bytes = text.as_bytes();
    let mut at = 0;
    let number = |at: &mut usize, len: usize| -> Option<i64> {
        let digits = bytes.get(*at..*at + len)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        *at += len;
        Some(digits.iter().fold(0, |n, d| n * 10 + i64::from(d - b'0')))
    };
    let fail = || not_iso(text);
    let year = number(&mut at, 4).ok_or_else(fail)?;
    let (mut month, mut day) = (1, 1);
    if bytes.get(at) == Some(&b'-') {
        at += 1;
        month = number(&mut at, 2).ok_or_else(fail)?;
        if bytes.get(at) == Some(&b'-') {
            at += 1;
            day = number(&mut at, 2).ok_or_else(fail)?;
        }
    }
    let (mut hour, mut minute, mut second, mut milli) = (0, 0, 0, 0);
    if bytes.get(at) == Some(&b'T') {
        at += 1;
        hour = number(&mut at, 2).ok_or_else(fail)?;
        for value in [&mut minute, &mut second] {
            if bytes.get(at) != Some(&b':') {
                return Err(fail());
            }
            at += 1;
            *value = number(&mut at, 2).ok_or_else(fail)?;
        }
        if bytes.get(at) == Some(&b'.') {
            at += 1;
            let start = at;
            while bytes.get(at).is_some_and(u8::is_ascii_digit) {
                at += 1;
            }
            if at == start {
                return Err(fail());
            }
            let mut fraction = text[start..at].to_string();
            fraction.truncate(3);
            while fraction.len() < 3 {
                fraction.push('0');
            }
            milli = fraction.parse().map_err(|_| fail())?;
        }
    }
    let mut offset = 0;
    match bytes.get(at) {
        None => {}
        Some(b'Z') if at + 1 == bytes.len() => {}
        Some(b'+' | b'-') => {
            let zone = &text[at..];
            let shaped =
                matches!(zone.len(), 5 | 6) && (zone.len() == 5 || zone.as_bytes()[3] == b':');
            offset = parse_offset(zone, true).filter(|_| shaped).ok_or_else(fail)?;
        }
        Some(_) => return Err(fail()),
    }
    let valid = (1..=12).contains(&month)
        && (1..=31).contains(&day)
        && (hour < 24 || (hour == 24 && minute == 0 && second == 0 && milli == 0))
        && minute < 60
        && second < 60
        && offset.abs() < 24 * 60;
    if !valid {
        return Err(fail());
    }
    let days = days_from_civil(year, month, 1) + day - 1;
    let millis = days * MS_PER_DAY + hour * 3_600_000 + minute * 60_000 + second * 1000 + milli
        - offset * 60_000;
    Ok(millis as f64)
}

// ---------------------------------------------------------------------------------------------
// Parsing with a picture
// ---------------------------------------------------------------------------------------------

/// A component value read from the text.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Parsed {
    Int(i64),
    /// `[P]`: true for pm.
    Pm(bool),
    /// `[Z]`/`[z]`: minutes east of UTC.
    Offset(i64),
    /// Read and ignored (`[C]`, `[E]`).
    Nothing,
}

/// Which characters a marker may consume.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Alphabet {
    /// Digits, the pattern's grouping separators, and letters when ordinal suffixes follow.
    Digits {
        grouped: bool,
        suffix: bool,
    },
    Roman,
    Letters,
    Words,
    Zone,
    /// Any presentation this module does not know: everything but whitespace.
    Other,
}

fn alphabet(marker: &Marker) -> Alphabet {
    if matches!(marker.component, 'Z' | 'z') {
        return Alphabet::Zone;
    }
    if marker.names.is_some() || matches!(marker.component, 'P' | 'C' | 'E') {
        return Alphabet::Letters;
    }
    if let Some(pattern) = DigitPattern::of(&marker.presentation) {
        return Alphabet::Digits { grouped: pattern.grouped, suffix: marker.ordinal() };
    }
    match marker.presentation.as_str() {
        "I" | "i" => Alphabet::Roman,
        "A" | "a" => Alphabet::Letters,
        "W" | "w" | "Ww" => Alphabet::Words,
        _ => Alphabet::Other,
    }
}

fn in_alphabet(alphabet: Alphabet, c: char) -> bool {
    match alphabet {
        Alphabet::Digits { grouped, suffix } => {
            digit_zero(c).is_some()
                || (grouped && !c.is_alphanumeric() && !c.is_whitespace())
                || (suffix && c.is_alphabetic())
        }
        Alphabet::Roman => "IVXLCDMivxlcdm".contains(c),
        Alphabet::Letters => c.is_alphabetic(),
        Alphabet::Words => c.is_alphabetic() || matches!(c, '-' | ' ' | ','),
        Alphabet::Zone => {
            c.is_ascii_digit() || matches!(c, '+' | '-' | ':' | 'Z' | 'G' | 'M' | 'T')
        }
        Alphabet::Other => !c.is_whitespace(),
    }
}

/// Candidate lengths for a marker at a position whose run of acceptable characters is `run`
/// long: a fixed-width pattern's width first (`[M01][D01]` reads `0327`), then longest first.
fn candidate_lengths(marker: &Marker, run: usize) -> Vec<usize> {
    let preferred = DigitPattern::of(&marker.presentation).and_then(|pattern| {
        let fixed = !pattern.grouped && pattern.optional == 0 && !marker.ordinal();
        (fixed && pattern.mandatory >= 2 && pattern.mandatory <= run).then_some(pattern.mandatory)
    });
    preferred.into_iter().chain((1..=run).rev().filter(|&len| Some(len) != preferred)).collect()
}

/// The value of `text` read as `marker`, or `None` when it does not read.
fn parse_component(marker: &Marker, text: &str) -> Result<Option<Parsed>, FormatError> {
    let found = |names: &[&str]| -> Option<i64> {
        let max = marker.max_width();
        names
            .iter()
            .position(|name| {
                let cut: String = match max {
                    Some(max) => name.chars().take(max).collect(),
                    None => (*name).to_string(),
                };
                text.eq_ignore_ascii_case(&cut) || text.eq_ignore_ascii_case(name)
            })
            .map(|i| i as i64 + 1)
    };
    match marker.component {
        'Z' | 'z' => {
            let zone = if marker.component == 'z' {
                text.strip_prefix("GMT").unwrap_or(text)
            } else {
                text
            };
            let offset = if zone == "Z" { Some(0) } else { parse_offset(zone, true) };
            return Ok(offset.map(Parsed::Offset));
        }
        'P' => return Ok(found(&["am", "pm"]).map(|i| Parsed::Pm(i == 2))),
        'C' | 'E' => return Ok(Some(Parsed::Nothing)),
        'M' | 'x' if marker.names.is_some() => return Ok(found(&MONTH_NAMES).map(Parsed::Int)),
        'F' if marker.names.is_some() => return Ok(found(&DAY_NAMES).map(Parsed::Int)),
        _ => {}
    }
    if let Some(pattern) = DigitPattern::of(&marker.presentation) {
        if marker.component == 'f' {
            let ascii: Option<String> = text
                .chars()
                .map(|c| digit_zero(c).and_then(|z| char::from_digit(u32::from(c) - z, 10)))
                .collect();
            let Some(mut ascii) = ascii else { return Ok(None) };
            ascii.truncate(3);
            while ascii.len() < 3 {
                ascii.push('0');
            }
            return Ok(ascii.parse().ok().map(Parsed::Int));
        }
        let mut picture =
            if pattern.grouped { marker.presentation.clone() } else { pattern.plain(1) };
        if marker.ordinal() {
            picture.push_str(";o");
        }
        return integer(parse_integer(text, &picture)?);
    }
    match marker.presentation.as_str() {
        "I" | "i" => integer(parse_integer(&text.to_uppercase(), "I")?),
        "A" | "a" => integer(parse_integer(&text.to_lowercase(), "a")?),
        "W" | "w" | "Ww" => {
            let lower = text.to_lowercase();
            let pictures = if marker.ordinal() { ["w;o", "w"] } else { ["w", "w;o"] };
            for picture in pictures {
                if let Some(value) = integer(parse_integer(&lower, picture)?)? {
                    return Ok(Some(value));
                }
            }
            Ok(None)
        }
        other => {
            let mut picture = other.to_string();
            if marker.ordinal() {
                picture.push_str(";o");
            }
            integer(parse_integer(text, &picture)?)
        }
    }
}

fn integer(value: Option<f64>) -> Result<Option<Parsed>, FormatError> {
    Ok(value
        .filter(|v| v.is_finite() && v.fract() == 0.0 && v.abs() < 1e15)
        .map(|v| Parsed::Int(v as i64)))
}

/// Date and time components that place an instant (as opposed to `F`, `P`, `Z`, `C`, `E`).
const PLACING: &str = "YMDdHhmsfXxWw";

/// The components a picture reads, in order of significance, or `D3136` when they leave a gap.
/// Returns whether the day-of-year sequence (`Y d`) is used instead of `Y M D`.
fn check_complete(components: &HashSet<char>) -> Result<bool, FormatError> {
    let has = |c: char| components.contains(&c);
    let underspecified = || {
        FormatError::new(
            "D3136",
            "The date/time picture string is missing specifiers required to parse the timestamp",
        )
    };
    let week_based = ['X', 'x', 'W', 'w'].iter().any(|&c| has(c));
    let use_day_of_year = has('d') && !has('M') && !has('D');
    let date_complete = (has('Y') && has('M') && has('D')) || (has('Y') && has('d'));
    if week_based && !date_complete {
        return Err(underspecified());
    }
    let sequence = sequence_flags(components, use_day_of_year);
    let first = sequence.iter().position(|&p| p);
    let last = sequence.iter().rposition(|&p| p);
    if let (Some(first), Some(last)) = (first, last) {
        if sequence[first..=last].iter().any(|&p| !p) {
            return Err(underspecified());
        }
    }
    Ok(use_day_of_year)
}

/// Which of year, month (or day of year), day, hour, minute, second, fraction are present.
fn sequence_flags(components: &HashSet<char>, use_day_of_year: bool) -> Vec<bool> {
    let has = |c: char| components.contains(&c);
    let hour = has('H') || has('h');
    if use_day_of_year {
        vec![has('Y'), has('d'), hour, has('m'), has('s'), has('f')]
    } else {
        vec![has('Y'), has('M'), has('D'), hour, has('m'), has('s'), has('f')]
    }
}

/// One step of the backtracking match: a part at a text position, the candidate lengths left
/// to try, and the value read by the candidate currently being tried.
struct Frame {
    part: usize,
    pos: usize,
    lengths: Vec<usize>,
    next: usize,
    value: Option<(char, Parsed)>,
}

/// Matches `text` against the parts; the values read, in picture order, or `None`.
fn match_parts(parts: &[Part], text: &[char]) -> Result<Option<Vec<(char, Parsed)>>, FormatError> {
    let lengths_at = |part: usize, pos: usize| -> Vec<usize> {
        match parts.get(part) {
            None => Vec::new(),
            Some(Part::Literal(literal)) => {
                let literal: Vec<char> = literal.chars().collect();
                let end = pos + literal.len();
                if text.get(pos..end) == Some(&literal[..]) {
                    vec![literal.len()]
                } else {
                    Vec::new()
                }
            }
            Some(Part::Marker(marker)) => {
                let alphabet = alphabet(marker);
                let run = text[pos..]
                    .iter()
                    .take(MAX_TOKEN_CHARS)
                    .take_while(|&&c| in_alphabet(alphabet, c))
                    .count();
                candidate_lengths(marker, run)
            }
        }
    };
    let mut failed: HashSet<(usize, usize)> = HashSet::new();
    let mut stack =
        vec![Frame { part: 0, pos: 0, lengths: lengths_at(0, 0), next: 0, value: None }];
    while let Some(top) = stack.last_mut() {
        if top.part == parts.len() {
            if top.pos == text.len() {
                return Ok(Some(stack.iter().filter_map(|f| f.value).collect()));
            }
            failed.insert((top.part, top.pos));
            stack.pop();
            continue;
        }
        let Some(&len) = top.lengths.get(top.next) else {
            failed.insert((top.part, top.pos));
            stack.pop();
            continue;
        };
        top.next += 1;
        let (part, pos) = (top.part, top.pos);
        let value = match &parts[part] {
            Part::Literal(_) => None,
            Part::Marker(marker) => {
                let candidate: String = text[pos..pos + len].iter().collect();
                match parse_component(marker, &candidate)? {
                    Some(value) => Some((marker.component, value)),
                    None => continue,
                }
            }
        };
        top.value = value;
        let (next_part, next_pos) = (part + 1, pos + len);
        if failed.contains(&(next_part, next_pos)) {
            continue;
        }
        stack.push(Frame {
            part: next_part,
            pos: next_pos,
            lengths: lengths_at(next_part, next_pos),
            next: 0,
            value: None,
        });
    }
    Ok(None)
}

fn parse_with_picture(text: &str, picture: &str, now: f64) -> Result<Option<f64>, FormatError> {
    let parts = analyse_picture(picture)?;
    let components: HashSet<char> = parts
        .iter()
        .filter_map(|part| match part {
            Part::Marker(marker) => Some(marker.component),
            Part::Literal(_) => None,
        })
        .collect();
    if !components.iter().any(|&c| PLACING.contains(c)) {
        return Ok(None);
    }
    let use_day_of_year = check_complete(&components)?;
    let text: Vec<char> = text.chars().collect();
    let Some(values) = match_parts(&parts, &text)? else {
        return Ok(None);
    };
    let int = |component: char| {
        values.iter().rev().find_map(|&(c, v)| match v {
            Parsed::Int(n) if c == component => Some(n),
            _ => None,
        })
    };
    let pm = values.iter().rev().find_map(|&(_, v)| match v {
        Parsed::Pm(pm) => Some(pm),
        _ => None,
    });
    let offset = values
        .iter()
        .rev()
        .find_map(|&(_, v)| match v {
            Parsed::Offset(offset) => Some(offset),
            _ => None,
        })
        .unwrap_or(0);
    let hour =
        int('H').or_else(|| int('h').map(|h| h % 12 + if pm == Some(true) { 12 } else { 0 }));

    let now = Fields::at(clip_millis(now).unwrap_or(0), 0);
    let (given, now_values, minimums): (Vec<Option<i64>>, Vec<i64>, Vec<i64>) = if use_day_of_year {
        (
            vec![int('Y'), int('d'), hour, int('m'), int('s'), int('f')],
            vec![now.year, now.day_of_year(), now.hour, now.minute, now.second, now.milli],
            vec![0, 1, 0, 0, 0, 0],
        )
    } else {
        (
            vec![int('Y'), int('M'), int('D'), hour, int('m'), int('s'), int('f')],
            vec![now.year, now.month, now.day, now.hour, now.minute, now.second, now.milli],
            vec![0, 1, 1, 0, 0, 0, 0],
        )
    };
    let first = given.iter().position(Option::is_some).unwrap_or(0);
    let values: Vec<i64> = given
        .iter()
        .enumerate()
        .map(|(i, v)| v.unwrap_or(if i < first { now_values[i] } else { minimums[i] }))
        .collect();
    let year = values[0];
    if year.abs() > 400_000 || values.iter().any(|v| v.abs() > 1_000_000_000_000) {
        return Ok(None);
    }
    let (days, time) = if use_day_of_year {
        (days_from_civil(year, 1, 1) as i128 + values[1] as i128 - 1, &values[2..])
    } else {
        let months = year * 12 + values[1] - 1;
        let start = days_from_civil(months.div_euclid(12), months.rem_euclid(12) + 1, 1);
        (start as i128 + values[2] as i128 - 1, &values[3..])
    };
    let millis = days * MS_PER_DAY as i128
        + time[0] as i128 * 3_600_000
        + time[1] as i128 * 60_000
        + time[2] as i128 * 1000
        + time[3] as i128
        - offset as i128 * 60_000;
    if millis.abs() > MAX_MILLIS as i128 {
        return Ok(None);
    }
    Ok(Some(millis as f64))
}

#[cfg(test)]
mod tests;
