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

// ---------------------------------------------------------------------------------------------
// Beyond the suite
// ---------------------------------------------------------------------------------------------

#[test]
fn from_millis_edges_of_the_range() {
    assert_eq!(from_millis(-1.0, None, None).as_deref(), Ok("1969-12-31T23:59:59.999Z"));
    assert_eq!(from_millis(0.0, None, None).as_deref(), Ok("1970-01-01T00:00:00.000Z"));
    // Fractions truncate toward zero, as JavaScript dates do.
    assert_eq!(from_millis(1.9, None, None).as_deref(), Ok("1970-01-01T00:00:00.001Z"));
    assert_eq!(from_millis(-1.9, None, None).as_deref(), Ok("1969-12-31T23:59:59.999Z"));
    assert_eq!(from_millis(951782400000.0, None, None).as_deref(), Ok("2000-02-29T00:00:00.000Z"));
    assert_eq!(from_millis(8.64e15, Some("[Y]-[M01]-[D01]"), None).as_deref(), Ok("275760-09-13"));
    assert_eq!(
        from_millis(-8.64e15, Some("[Y]-[M01]-[D01]"), None).as_deref(),
        Ok("-271821-04-20")
    );
    for millis in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 8.64e15 + 1.0, -1e300] {
        assert_eq!(from_millis(millis, None, None).map_err(|e| e.code), Err("D3110"), "{millis}");
    }
}

#[test]
fn from_millis_timezones() {
    let at = 1531310400000.0; // 2018-07-11T12:00:00Z
    let iso = |tz| from_millis(at, None, Some(tz));
    assert_eq!(iso("+01:00").as_deref(), Ok("2018-07-11T13:00:00.000+01:00"));
    assert_eq!(iso("-0930").as_deref(), Ok("2018-07-11T02:30:00.000-09:30"));
    assert_eq!(iso("+14").as_deref(), Ok("2018-07-12T02:00:00.000+14:00"));
    for tz in ["", "abc", "+1:3", "++0100", "+0160", "+é1", "0100000"] {
        assert_eq!(iso(tz).map_err(|e| e.code), Err("D3134"), "{tz:?}");
    }
    let zone = |picture| from_millis(at, Some(picture), Some("-0930"));
    assert_eq!(zone("[Z01:01]").as_deref(), Ok("-09:30"));
    assert_eq!(zone("[Z0:01]").as_deref(), Ok("-9:30"));
    assert_eq!(zone("[Z0101]").as_deref(), Ok("-0930"));
    assert_eq!(zone("[Z001]").as_deref(), Ok("-930"));
    assert_eq!(zone("[Z01]").as_deref(), Ok("-09:30"));
    assert_eq!(zone("[z]").as_deref(), Ok("GMT-09:30"));
    assert_eq!(from_millis(at, Some("[z]"), None).as_deref(), Ok("GMT+00:00"));
    assert_eq!(from_millis(at, Some("[Z]"), None).as_deref(), Ok("+00:00"));
}

#[test]
fn from_millis_components() {
    let at = 1521801216617.0; // Friday 2018-03-23T10:33:36.617Z
    let format = |picture| from_millis(at, Some(picture), None);
    assert_eq!(format("[H]:[m]:[s]").as_deref(), Ok("10:33:36"));
    assert_eq!(format("[f]").as_deref(), Ok("617"));
    assert_eq!(format("[f01]").as_deref(), Ok("61"));
    assert_eq!(format("[f0001]").as_deref(), Ok("6170"));
    assert_eq!(format("[f111,2-2]").as_deref(), Ok("61"));
    assert_eq!(from_millis(500.0, Some("[f]"), None).as_deref(), Ok("5"));
    assert_eq!(from_millis(0.0, Some("[f]"), None).as_deref(), Ok("0"));
    assert_eq!(format("[Y01]").as_deref(), Ok("18"));
    assert_eq!(format("[Y1o]").as_deref(), Ok("2018th"));
    assert_eq!(format("[MNn,3]").as_deref(), Ok("March"));
    assert_eq!(format("[FNn,*-2]").as_deref(), Ok("Fr"));
    assert_eq!(format("[MN,8]").as_deref(), Ok("MARCH   "));
    assert_eq!(format("[Pn,1-1]").as_deref(), Ok("a"));
    assert_eq!(format("[FW]").as_deref(), Ok("FIVE"));
    assert_eq!(format("[MWwo]").as_deref(), Ok("Third"));
    assert_eq!(format("[Do]").as_deref(), Ok("23rd"));
    assert_eq!(format("[Hw]").as_deref(), Ok("ten"));
    assert_eq!(format("[E] [C]").as_deref(), Ok("ISO ISO"));
    assert_eq!(format("[D٠١]").as_deref(), Ok("٢٣"));
    assert_eq!(format("[d001]").as_deref(), Ok("082"));
    assert_eq!(format("").as_deref(), Ok(""));
    assert_eq!(format("]").as_deref(), Ok("]"));
}

#[test]
fn from_millis_picture_errors() {
    let at = 1521801216617.0;
    for (picture, code) in [
        ("[", "D3135"),
        ("[Y", "D3135"),
        ("[]", "D3132"),
        ("[ ]", "D3132"),
        ("[q]", "D3132"),
        ("[Dn]", "D3133"),
        ("[HN]", "D3133"),
        ("[Z00000]", "D3134"),
        ("[Y#]", "D3130"),
    ] {
        assert_eq!(
            from_millis(at, Some(picture), None).map_err(|e| e.code),
            Err(code),
            "{picture}"
        );
    }
}

#[test]
fn to_millis_more_iso() {
    let iso = |text| to_millis(text, None);
    assert_eq!(iso("2018-02"), Ok(Some(1517443200000.0)));
    assert_eq!(iso("2018-02-01T09:42:13+01:00"), Ok(Some(1517474533000.0)));
    assert_eq!(iso("2018-02-01T09:42:13.1Z"), Ok(Some(1517478133100.0)));
    assert_eq!(iso("2018-02-01T09:42:13.123456Z"), Ok(Some(1517478133123.0)));
    assert_eq!(iso("1969-12-31T23:59:59.999Z"), Ok(Some(-1.0)));
    // Days past the end of a month roll over, as JavaScript's parser does.
    assert_eq!(iso("2019-02-31"), iso("2019-03-03"));
    for text in [
        "",
        "201",
        "2018-1",
        "2018-13",
        "2018-01-32",
        "2018-01-01T10:00",
        "2018-01-01T25:00:00Z",
        "2018-01-01T10:00:00.Z",
        "2018-01-01T10:00:00+5",
        "2018-01-01T10:00:00 ",
        "２０１８",
    ] {
        assert_eq!(iso(text).map_err(|e| e.code), Err("D3110"), "{text:?}");
    }
}

#[test]
fn to_millis_more_pictures() {
    let parse = |text, picture| to_millis_at(text, Some(picture), 0.0);
    // Fixed-width numbers without separators.
    assert_eq!(parse("20180327", "[Y0001][M01][D01]"), Ok(Some(1522108800000.0)));
    assert_eq!(
        parse("2018-03-27T14:03:00.5+01:00", "[Y]-[M]-[D]T[H]:[m]:[s].[f][Z]"),
        Ok(Some(1522155780500.0))
    );
    assert_eq!(
        parse("2018-03-27 14:03 GMT-05:00", "[Y]-[M]-[D] [H]:[m] [z]"),
        Ok(Some(1522177380000.0))
    );
    assert_eq!(parse("1,984", "[Y9,999,*]"), Ok(Some(441763200000.0)));
    assert_eq!(parse("NOVEMBER 2018", "[MN] [Y]"), Ok(Some(1541030400000.0)));
    // Leading gaps come from "now" (here the epoch): a month and day in 1970.
    assert_eq!(parse("2-1", "[M]-[D]"), Ok(Some(2678400000.0)));
    // Out of range, or not matching the whole text.
    assert_eq!(parse("300000", "[Y]"), Ok(None));
    assert_eq!(parse("2018x", "[Y]"), Ok(None));
    assert_eq!(parse("2018", "[Y]x"), Ok(None));
    assert_eq!(parse("", "[Y]"), Ok(None));
    assert_eq!(parse("Friday", "[FNn]"), Ok(None));
    assert_eq!(parse("2018", "[Y").map_err(|e| e.code), Err("D3135"));
}

/// A small deterministic generator for the no-panic sweep.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn text(&mut self, alphabet: &[char], max_len: u64) -> String {
        let len = self.next() % (max_len + 1);
        (0..len).map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize]).collect()
    }
}

#[test]
fn odd_inputs_never_panic() {
    let picture_chars: Vec<char> =
        "[[]]YMDdFWwXxHhPmsfZzCEq0123456789#,-*;:()oacntiIwWNA é٣\n".chars().collect();
    let text_chars: Vec<char> =
        "0123456789 -:+TZ.,/thstndrdMCXIVamp ofJanuryFebMonday twenty-GMTé٣".chars().collect();
    let millis = [
        0.0,
        -1.0,
        1521801216617.0,
        -62135596800001.0,
        8.64e15,
        -8.64e15,
        8.64e15 + 1.0,
        f64::NAN,
        f64::INFINITY,
        1e300,
        -0.5,
    ];
    let mut rng = Xorshift(0x9E37_79B9_7F4A_7C15);
    for round in 0..4000 {
        let picture = rng.text(&picture_chars, 16);
        let timezone = rng.text(&['+', '-', '0', '1', '5', '9', ':', 'x'], 6);
        let at = millis[round % millis.len()];
        let _ = from_millis(at, Some(&picture), Some(&timezone));
        let _ = from_millis(at, Some(&picture), None);
        if let Ok(text) = from_millis(at, Some(&picture), None) {
            let _ = to_millis_at(&text, Some(&picture), at);
        }
        let text = rng.text(&text_chars, 24);
        let _ = to_millis_at(&text, Some(&picture), at);
        let _ = to_millis(&text, None);
    }
}

#[test]
fn structured_pictures_never_panic() {
    let components: Vec<char> = "YMDdFWwXxHhPmsfZzCEq".chars().collect();
    let presentations = [
        "", "1", "01", "001", "0001", "#1", "#,##0", "9,999", "٠١", "w", "W", "Ww", "i", "I", "a",
        "A", "N", "n", "Nn", "0:01", "0101", "01:01", "#", "x",
    ];
    let modifiers = ["", "o", "t", "c", "a", "o(-e)"];
    let widths = ["", ",2", ",2-2", ",*-3", ",3-*", ",0-0", ",99999999999999999999999", ",x"];
    let separators = ["", "-", " ", ":", "T", ", ", "/"];
    let mut rng = Xorshift(0xDEAD_BEEF_CAFE_F00D);
    let mut pick = |n: usize| (rng.next() % n as u64) as usize;
    for round in 0..3000 {
        let mut picture = String::new();
        for _ in 0..1 + pick(5) {
            picture.push('[');
            picture.push(components[pick(components.len())]);
            picture.push_str(presentations[pick(presentations.len())]);
            picture.push_str(modifiers[pick(modifiers.len())]);
            picture.push_str(widths[pick(widths.len())]);
            picture.push(']');
            picture.push_str(separators[pick(separators.len())]);
        }
        let millis = (round as f64 - 1500.0) * 7.3e12 + 123.0;
        if let Ok(text) = from_millis(millis, Some(&picture), Some("-0330")) {
            let _ = to_millis_at(&text, Some(&picture), millis);
            let mut chopped = text.clone();
            chopped.pop();
            let _ = to_millis_at(&chopped, Some(&picture), millis);
        }
    }
}

#[test]
fn formatting_then_parsing_round_trips() {
    let pictures = [
        "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001][Z01:01t]",
        "[Y0001][M01][D01][H01][m01][s01][f001][Z0101t]",
        "[FNn], [D1o] [MNn] [Y], [h]:[m]:[s].[f001] [P] [z]",
        "[Yw] [MNn,*-3] [Dwo] [H]:[m]:[s].[f001] [Z0]",
        "[YI]-[Mi]-[Da] [Hw]:[mW]:[sWw].[f001] [Z]",
        "[Y]--[d] [H01]:[m01]:[s01].[f001][Z]",
    ];
    let mut rng = Xorshift(0x0123_4567_89AB_CDEF);
    for _ in 0..150 {
        // Years 1 to 9999 (a four-digit year picture keeps four digits).
        let millis = -62_135_596_800_000 + (rng.next() % 315_537_897_600_000) as i64;
        let millis = millis as f64;
        for picture in pictures {
            for timezone in ["+0000", "-0930", "+0545"] {
                let text = from_millis(millis, Some(picture), Some(timezone)).unwrap();
                let back = to_millis_at(&text, Some(picture), 0.0);
                assert_eq!(back, Ok(Some(millis)), "{picture} {timezone} {text}");
            }
        }
        let iso = from_millis(millis, None, None).unwrap();
        assert_eq!(to_millis(&iso, None), Ok(Some(millis)), "{iso}");
        let offset = from_millis(millis, None, Some("-0500")).unwrap();
        assert_eq!(to_millis(&offset, None), Ok(Some(millis)), "{offset}");
    }
}
