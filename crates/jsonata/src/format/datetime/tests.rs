//! Tests for `$fromMillis` / `$toMillis`. The tables restate the cases of the official JSONata
//! test suite (groups `function-fromMillis`, `function-tomillis`, and the skipped
//! `function-fromMillis` case) as (arguments, expected) facts; cases that only exercise the
//! evaluator (undefined arguments) are left to the evaluator's tests.

use super::*;

/// (millis, picture, timezone, expected): suite `function-fromMillis` results.
const FROM_MILLIS: &[(f64, Option<&str>, Option<&str>, &str)] = &[
    // case000, case001
    (1.0, None, None, "1970-01-01T00:00:00.001Z"),
    (1509380732935.0, None, None, "2017-10-30T16:25:32.935Z"),
    // formatDateTime.json
    (1521801216617.0, Some("Hello"), None, "Hello"),
    (1521801216617.0, Some("Year: [Y0001]"), None, "Year: 2018"),
    (1521801216617.0, Some("Year: <[Y0001]>"), None, "Year: <2018>"),
    (1521801216617.0, Some("Year: <[Y9,999,*]>"), None, "Year: <2,018>"),
    (1521801216617.0, Some("[[Year: <[Y0001]>"), None, "[Year: <2018>"),
    (1521801216617.0, Some("Year]]: <[Y0001]>"), None, "Year]: <2018>"),
    (1521801216617.0, Some("[D#1]/[M#1]/[Y0001]"), None, "23/3/2018"),
    (1522616700000.0, Some("[F0] [FNn]"), None, "7 Sunday"),
    (1522703100000.0, Some("[F0] [FNn]"), None, "1 Monday"),
    (1521801216617.0, Some("[Y0001]-[M01]-[D01]"), None, "2018-03-23"),
    (
        1521801216617.0,
        Some("[M01]/[D01]/[Y0001] at [H01]:[m01]:[s01]"),
        None,
        "03/23/2018 at 10:33:36",
    ),
    (
        1521801216617.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z01:01t]"),
        None,
        "2018-03-23T10:33:36.617Z",
    ),
    (
        1521801216617.0,
        Some("[Y]-[ M01]-[D 01]T[H01 ]:[ m   ]:[s].[f0  01][Z01:\n 01t]"),
        None,
        "2018-03-23T10:33:36.617Z",
    ),
    (
        1521801216617.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]"),
        Some("+0100"),
        "2018-03-23T11:33:36.617+0100",
    ),
    (
        1531310400000.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01]"),
        None,
        "2018-07-11T12:00:00+00:00",
    ),
    (1531310400000.0, Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z01:01t]"), None, "2018-07-11T12:00:00Z"),
    (
        1531310400000.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]"),
        Some("-0500"),
        "2018-07-11T07:00:00-05:00",
    ),
    (
        1531310400000.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]"),
        Some("-0500"),
        "2018-07-11T07:00:00-5",
    ),
    (
        1531310400000.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z]"),
        Some("+1000"),
        "2018-07-11T22:00:00+10:00",
    ),
    (
        1531310400000.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]"),
        Some("+1000"),
        "2018-07-11T22:00:00+10",
    ),
    (
        1531310400000.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][Z0]"),
        Some("+0530"),
        "2018-07-11T17:30:00+5:30",
    ),
    (
        1531310400000.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s][z]"),
        Some("-0500"),
        "2018-07-11T07:00:00GMT-05:00",
    ),
    (
        1204405500000.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]"),
        Some("+0530"),
        "2008-03-02T02:35:00.000+0530",
    ),
    (
        1230757500000.0,
        Some("[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z0101t]"),
        Some("+0530"),
        "2009-01-01T02:35:00.000+0530",
    ),
    (1521801216617.0, Some("[D#1,2]/[M1,2]/[Y,2]"), None, "23/03/18"),
    (1521801216617.0, Some("[D#1,2]/[M1,2]/[Y0001,2]"), None, "23/03/2018"),
    (1521801216617.0, Some("[D#1,2]/[M1,2]/[Y##01,2-2]"), None, "23/03/18"),
    (1521801216617.0, Some("[D#1,2]/[M1,2]/[Y0001,2-2]"), None, "23/03/18"),
    (1521801216617.0, Some("[D1] [M01] [YI]"), None, "23 03 MMXVIII"),
    (1521801216617.0, Some("[Da] [MA] [Yi]"), None, "w C mmxviii"),
    (1521801216617.0, Some("[D1o] [M01] [Y]"), None, "23rd 03 2018"),
    (1521801216617.0, Some("[Yw]"), None, "two thousand and eighteen"),
    (1521801216617.0, Some("[Dwo] [M01] [Y]"), None, "twenty-third 03 2018"),
    (1521801216617.0, Some("[D1o] [MNn] [Y]"), None, "23rd March 2018"),
    (1521801216617.0, Some("[D1o] [MN] [Y]"), None, "23rd MARCH 2018"),
    (1521801216617.0, Some("[FNn], [D1o] [MNn] [Y]"), None, "Friday, 23rd March 2018"),
    (
        1521801216617.0,
        Some("[FNn], the [Dwo] of [MNn] [Y] [E]"),
        None,
        "Friday, the twenty-third of March 2018 ISO",
    ),
    (1521801216617.0, Some("[FNn,3-3], [D1o] [MNn,3-3] [Y] [C]"), None, "Fri, 23rd Mar 2018 ISO"),
    (
        1521801216617.0,
        Some("[F], [D]/[M]/[Y] [h]:[m]:[s] [P]"),
        None,
        "friday, 23/3/2018 10:33:36 am",
    ),
    (
        1204405500000.0,
        Some("[F], [D]/[M]/[Y] [h]:[m]:[s] [P]"),
        None,
        "saturday, 1/3/2008 9:05:00 pm",
    ),
    (
        1199664000000.0,
        Some("[F], [D]/[M]/[Y] [h]:[m]:[s] [P]"),
        None,
        "monday, 7/1/2008 12:00:00 am",
    ),
    (1514808000000.0, Some("[dwo] day of the year"), None, "first day of the year"),
    (1546257600000.0, Some("[d] days in [Y0001]"), None, "365 days in 2018"),
    (1483185600000.0, Some("[d] days in [Y0001]"), None, "366 days in 2016"),
    (1514808000000.0, Some("Week: [W]"), None, "Week: 1"),
    (1515326400000.0, Some("Week: [W]"), None, "Week: 1"),
    (1545739200000.0, Some("Week: [W]"), None, "Week: 52"),
    (1388577600000.0, Some("Week: [W]"), None, "Week: 1"),
    (1419854400000.0, Some("Week: [W]"), None, "Week: 1"),
    (1419768000000.0, Some("Week: [W]"), None, "Week: 52"),
    (1419336000000.0, Some("Week: [W]"), None, "Week: 52"),
    (1420113600000.0, Some("Week: [W]"), None, "Week: 1"),
    (1420459200000.0, Some("Week: [W]"), None, "Week: 2"),
    (1451304000000.0, Some("Week: [W]"), None, "Week: 53"),
    (1451563200000.0, Some("Week: [W]"), None, "Week: 53"),
    (1451736000000.0, Some("Week: [W]"), None, "Week: 53"),
    (1359460800000.0, Some("Week: [w] of [xNn]"), None, "Week: 5 of January"),
    (1359633600000.0, Some("Week: [w] of [xNn]"), None, "Week: 5 of January"),
    (1359720000000.0, Some("Week: [w] of [xNn]"), None, "Week: 5 of January"),
    (1514808000000.0, Some("Week: [w] of [xNn]"), None, "Week: 1 of January"),
    (1483272000000.0, Some("Week: [w] of [xNn]"), None, "Week: 5 of December"),
    (1533038400000.0, Some("Week: [w] of [xNn]"), None, "Week: 1 of August"),
    (1419940800000.0, Some("Week: [w] of [xNn]"), None, "Week: 1 of January"),
    (
        1521801216617.0,
        Some("[F], [D]/[M]/[Y] [h]:[m]:[s] [PN]"),
        None,
        "friday, 23/3/2018 10:33:36 AM",
    ),
    (
        1521801216617.0,
        Some("[F], [D]/[M]/[Y] [h]:[m]:[s] [Pn]"),
        None,
        "friday, 23/3/2018 10:33:36 am",
    ),
    // "Default format": one case, three results.
    (1540127100000.0, None, None, "2018-10-21T13:05:00.000Z"),
    (1540127100000.0, None, Some("-0500"), "2018-10-21T08:05:00.000-05:00"),
    (1540127100000.0, None, Some("0000"), "2018-10-21T13:05:00.000Z"),
    // isoWeekDate.json, first case (the others go through $toMillis, below).
    (1104537600000.0, Some("[X0001]-W[W01]-[F1]"), None, "2004-W53-6"),
    // skip/function-fromMillis: jsonata-js fails it, the F&O rules give this.
    (1521801216617.0, Some("[[Year]]: [[[Y0001]]]"), None, "[Year]: [2018]"),
];

/// (millis, picture, code): suite `function-fromMillis` errors.
const FROM_MILLIS_ERRORS: &[(f64, &str, &str)] = &[
    (1230757500000.0, "[Y]-[M01]-[D01]T[H01]:[m]:[s].[f001][Z010101t]", "D3134"),
    (1419940800000.0, "[YN]-[M]-[D]", "D3133"),
    (1419940800000.0, "[YN]-[M", "D3135"),
];

#[test]
fn from_millis_suite_results() {
    for &(millis, picture, timezone, expected) in FROM_MILLIS {
        assert_eq!(
            from_millis(millis, picture, timezone).as_deref(),
            Ok(expected),
            "$fromMillis({millis}, {picture:?}, {timezone:?})"
        );
    }
}

#[test]
fn from_millis_suite_errors() {
    for &(millis, picture, code) in FROM_MILLIS_ERRORS {
        let result = from_millis(millis, Some(picture), None);
        assert_eq!(result.map_err(|e| e.code), Err(code), "$fromMillis({millis}, {picture:?})");
    }
}

/// isoWeekDate.json: `$fromMillis($toMillis(date, '[Y]-[M]-[D]'), '[X0001]-W[W01]-[F1]')`.
const ISO_WEEK_DATES: &[(&str, &str)] = &[
    ("2005-01-01", "2004-W53-6"),
    ("2005-01-02", "2004-W53-7"),
    ("2005-12-31", "2005-W52-6"),
    ("2006-01-01", "2005-W52-7"),
    ("2006-01-02", "2006-W01-1"),
    ("2006-12-31", "2006-W52-7"),
    ("2007-01-01", "2007-W01-1"),
    ("2007-12-30", "2007-W52-7"),
    ("2007-12-31", "2008-W01-1"),
    ("2008-01-01", "2008-W01-2"),
    ("2008-12-28", "2008-W52-7"),
    ("2008-12-29", "2009-W01-1"),
    ("2008-12-30", "2009-W01-2"),
    ("2008-12-31", "2009-W01-3"),
    ("2009-01-01", "2009-W01-4"),
    ("2009-12-31", "2009-W53-4"),
    ("2010-01-01", "2009-W53-5"),
    ("2010-01-02", "2009-W53-6"),
    ("2010-01-03", "2009-W53-7"),
];

#[test]
fn iso_week_dates_round_trip() {
    for &(date, expected) in ISO_WEEK_DATES {
        let millis = to_millis(date, Some("[Y]-[M]-[D]")).unwrap().unwrap();
        let formatted = from_millis(millis, Some("[X0001]-W[W01]-[F1]"), None);
        assert_eq!(formatted.as_deref(), Ok(expected), "{date}");
    }
}

/// (timestamp, expected): suite `function-tomillis` ISO 8601 cases (no picture).
const TO_MILLIS_ISO: &[(&str, f64)] = &[
    ("1970-01-01T00:00:00.001Z", 1.0),
    ("2018-02-01T09:42:13.123+0000", 1517478133123.0),
    ("2017-10-30", 1509321600000.0),
    ("2017-10-30T15:28:34Z", 1509377314000.0),
    ("2018", 1514764800000.0),
];

#[test]
fn to_millis_suite_iso() {
    for &(timestamp, expected) in TO_MILLIS_ISO {
        assert_eq!(to_millis(timestamp, None), Ok(Some(expected)), "{timestamp}");
    }
    for timestamp in ["foo", "01-02-2018", "2018-02-03 11:15:33"] {
        assert_eq!(to_millis(timestamp, None).map_err(|e| e.code), Err("D3110"), "{timestamp}");
    }
}

/// (timestamp, picture, expected): suite `function-tomillis` parseDateTime results.
const TO_MILLIS_PICTURE: &[(&str, &str, Option<f64>)] = &[
    ("Hello", "Hello", None),
    ("2018", "[Y1]", Some(1514764800000.0)),
    ("2018-03-27", "[Y1]-[M01]-[D01]", Some(1522108800000.0)),
    (
        "2018-03-27T14:03:00.123Z",
        "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z",
        Some(1522159380123.0),
    ),
    ("27th 3 1976", "[D1o] [M#1] [Y0001]", Some(196732800000.0)),
    ("21st 12 1881", "[D1o] [M01] [Y0001]", Some(-2777932800000.0)),
    ("2nd 12 2012", "[D1o] [M01] [Y0001]", Some(1354406400000.0)),
    ("MCMLXXXIV", "[YI]", Some(441763200000.0)),
    ("27 03 MMXVIII", "[D1] [M01] [YI]", Some(1522108800000.0)),
    ("27 iii MMXVIII", "[D1] [Mi] [YI]", Some(1522108800000.0)),
    ("w C mmxviii", "[Da] [MA] [Yi]", Some(1521763200000.0)),
    ("ae C mmxviii", "[Da] [MA] [Yi]", Some(1522454400000.0)),
    ("27th April 2008", "[D1o] [MNn] [Y0001]", Some(1209254400000.0)),
    ("21 August 2017", "[D1] [MNn] [Y0001]", Some(1503273600000.0)),
    ("2 Feb 2012", "[D1] [MNn,3-3] [Y0001]", Some(1328140800000.0)),
    ("4/4/2018 12:06 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", Some(1522800360000.0)),
    ("4/4/2018 06:30 am", "[D1]/[M1]/[Y0001] [h]:[m] [P]", Some(1522823400000.0)),
    ("4/4/2018 12:06 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", Some(1522843560000.0)),
    ("4/4/2018 11:30 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]", Some(1522884600000.0)),
    ("2018-094", "[Y0001]-[d001]", Some(1522800000000.0)),
    ("irrelevent string", "[Y]-[M]-[D]", None),
    ("one thousand, nine hundred and eighty-four", "[Yw]", Some(441763200000.0)),
    ("nineteen hundred and eighty-four", "[Yw]", Some(441763200000.0)),
    ("twenty-seven April 2008", "[Dw] [MNn] [Y0001]", Some(1209254400000.0)),
    ("twenty-seventh April 2008", "[Dw] [MNn] [Y0001]", Some(1209254400000.0)),
    ("twenty-first August two thousand and seventeen", "[Dw] [MNn] [Yw]", Some(1503273600000.0)),
    ("TWENTY-SECOND August two thousand and seventeen", "[DW] [MNn] [Yw]", Some(1503360000000.0)),
    (
        "Twentieth of August, two thousand and seventeen",
        "[DW] of [MNn], [Yw]",
        Some(1503187200000.0),
    ),
];

#[test]
fn to_millis_suite_pictures() {
    for &(timestamp, picture, expected) in TO_MILLIS_PICTURE {
        assert_eq!(to_millis(timestamp, Some(picture)), Ok(expected), "{timestamp:?} {picture:?}");
    }
}

/// (timestamp, picture, `$fromMillis` of the result): suite cases piped into `$fromMillis()`.
const TO_MILLIS_THEN_ISO: &[(&str, &str, &str)] = &[
    ("2018--180", "[Y]--[d]", "2018-06-29T00:00:00.000Z"),
    ("Wednesday, 14th November 2018", "[FNn], [D1o] [MNn] [Y]", "2018-11-14T00:00:00.000Z"),
    ("Mon, Twelfth November 2018", "[FNn,*-3], [DWwo] [MNn] [Y]", "2018-11-12T00:00:00.000Z"),
    ("three hundred and sixty-fifth day of 2018", "[dwo] day of [Y]", "2018-12-31T00:00:00.000Z"),
];

#[test]
fn to_millis_suite_round_trips() {
    for &(timestamp, picture, expected) in TO_MILLIS_THEN_ISO {
        let millis = to_millis(timestamp, Some(picture)).unwrap().unwrap();
        assert_eq!(from_millis(millis, None, None).as_deref(), Ok(expected), "{timestamp:?}");
    }
}

#[test]
fn to_millis_time_only_defaults() {
    // "13:45" with [H]:[m]: seconds default to zero, the date is today's.
    let now = 1_700_000_000_123.0; // 2023-11-14T22:13:20.123Z
    let millis = to_millis_at("13:45", Some("[H]:[m]"), now).unwrap().unwrap();
    let iso = from_millis(millis, None, None).unwrap();
    assert_eq!(iso.split_once('T').map(|(_, time)| time), Some("13:45:00.000Z"));
    let today = from_millis(now, None, None).unwrap();
    assert_eq!(iso.split_once('T').map(|p| p.0), today.split_once('T').map(|p| p.0));
    // With the real clock too.
    let millis = to_millis("13:45", Some("[H]:[m]")).unwrap().unwrap();
    assert!(from_millis(millis, None, None).unwrap().ends_with("T13:45:00.000Z"));
}

/// (timestamp, picture, code): suite `function-tomillis` errors.
const TO_MILLIS_ERRORS: &[(&str, &str, &str)] = &[
    ("2018-05-22", "[Y]-[M]-[q]", "D3132"),
    ("2018-05-22", "[YN]-[M]-[D]", "D3133"),
    ("2018-22", "[Y]-[D]", "D3136"),
    ("5-22 23:59", "[M]-[D] [m]:[s]", "D3136"),
    ("2018-3-2-5", "[X]-[x]-[w]-[F1]", "D3136"),
    ("2018-32-5", "[X]-[W]-[F1]", "D3136"),
];

#[test]
fn to_millis_suite_errors() {
    for &(timestamp, picture, code) in TO_MILLIS_ERRORS {
        let result = to_millis(timestamp, Some(picture));
        assert_eq!(result.map_err(|e| e.code), Err(code), "{timestamp:?} {picture:?}");
    }
}
