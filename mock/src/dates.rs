//! Calendar arithmetic on day numbers (days since 1970-01-01, UTC), so reports, payouts and tax
//! years agree with the `YYYY-MM-DDTHH:MM:SSZ` strings the data holds.

/// Days since the epoch of a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = m as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day number.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Ruby's `Date.strptime(s, "%Y-%m-%d")`: digits for year, one or two for month and day, a real
/// calendar date, nothing else.
pub fn parse_date(s: &str) -> Option<i64> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    let digits = |p: &str, max: usize| {
        !p.is_empty() && p.len() <= max && p.bytes().all(|b| b.is_ascii_digit())
    };
    if !digits(y, 4) || !digits(m, 2) || !digits(d, 2) {
        return None;
    }
    let (y, m, d): (i64, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

pub fn format_date(days: i64) -> String {
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day number of a `YYYY-MM-DD...` timestamp (its date part).
pub fn day_of(ts: &str) -> Option<i64> {
    parse_date(ts.get(0..10)?)
}

/// Today (UTC) as a day number.
pub fn today() -> i64 {
    crate::clock::now_ms().div_euclid(86_400_000)
}

/// 0 = Monday ... 6 = Sunday.
pub fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

pub fn year_of(days: i64) -> i64 {
    civil_from_days(days).0
}

/// `Mar 5, 2026`.
pub fn display_date(days: i64) -> String {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (y, m, d) = civil_from_days(days);
    let name = MONTHS.get((m as usize).saturating_sub(1)).unwrap_or(&"Jan");
    format!("{name} {d}, {y}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects_impossible_dates() {
        for s in ["1970-01-01", "2024-02-29", "2026-12-31", "2000-03-01"] {
            assert_eq!(parse_date(s).map(format_date).as_deref(), Some(s));
        }
        assert_eq!(
            parse_date("2026-5-1").map(format_date).as_deref(),
            Some("2026-05-01")
        );
        for bad in [
            "",
            "394293",
            "2024-02-30",
            "2025-02-29",
            "2026-13-01",
            "2026-01-01x",
            "a-b-c",
            "2026-01-01-01",
        ] {
            assert_eq!(parse_date(bad), None, "{bad}");
        }
        assert_eq!(parse_date("1970-01-01"), Some(0));
        assert_eq!(weekday(parse_date("2026-01-05").unwrap()), 0, "a Monday");
        assert_eq!(
            display_date(parse_date("2026-03-05").unwrap()),
            "Mar 5, 2026"
        );
    }
}
