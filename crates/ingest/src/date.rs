//! Reading the dates real generators write, into RFC 3339 UTC.
//!
//! Accepted: RFC 2822 (`Mon, 10 Jan 2022 10:10:07 GMT`), RFC 3339 / ISO 8601
//! with or without a zone (`2019-04-03T18:30:00+03:00`, `2022-08-13 12:14:54`,
//! `2021-11-05`), slashes (`2019/05/01`), Unix timestamps in seconds or
//! milliseconds, and a date in a file path (`2019/05/01/slug`, `2019-05-01-slug.md`).
//! **A date without a zone is read as UTC.** Dates before 1980 or after 2200 are
//! treated as placeholders (generators write `1970-01-01` or year `0900` when
//! they have no date) and are reported as unknown.

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, SecondsFormat, TimeZone, Utc};

/// The earliest year accepted as a real publication date.
pub const MIN_YEAR: i32 = 1980;
/// The latest year accepted as a real publication date.
pub const MAX_YEAR: i32 = 2200;

/// Why a date value was not used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateProblem {
    /// The text is not a date in any accepted form.
    Unreadable,
    /// A real date, but outside the plausible range: a generator's placeholder.
    Placeholder(String),
    /// A date in January 1970 that is a Unix time in seconds that a generator
    /// read as milliseconds (JavaScript's `new Date(seconds)`): the first field
    /// is the date as written, the second the date it stands for (to within
    /// about 17 minutes, as the generator dropped the last three digits).
    Rescaled(String, String),
}

/// Parses a date string and returns it as RFC 3339 in UTC (`2022-01-10T10:10:07Z`).
///
/// ```
/// use lectern_ingest::date::parse_date;
/// assert_eq!(parse_date("Mon, 10 Jan 2022 10:10:07 GMT").unwrap(), "2022-01-10T10:10:07Z");
/// assert_eq!(parse_date("2022-08-13 12:14:54").unwrap(), "2022-08-13T12:14:54Z");
/// assert_eq!(parse_date("2019-04-03T18:30:00+03:00").unwrap(), "2019-04-03T15:30:00Z");
/// assert!(parse_date("Invalid Date").is_err());
/// ```
pub fn parse_date(text: &str) -> Result<String, DateProblem> {
    let text = text.trim();
    let instant = read_instant(text).ok_or(DateProblem::Unreadable)?;
    check_range(instant)
}

/// Parses a Unix timestamp: seconds, or milliseconds when it is that large.
pub fn parse_timestamp(value: i64) -> Result<String, DateProblem> {
    let instant = if value.unsigned_abs() >= 100_000_000_000 {
        Utc.timestamp_millis_opt(value).single()
    } else {
        Utc.timestamp_opt(value, 0).single()
    };
    check_range(instant.ok_or(DateProblem::Unreadable)?)
}

/// Finds a `YYYY/MM/DD` or `YYYY-MM-DD` date in a file path, as Hexo and Jekyll
/// permalinks and file names carry it.
///
/// ```
/// use lectern_ingest::date::date_from_path;
/// assert_eq!(date_from_path("posts/2019/05/01/slug.md").as_deref(), Some("2019-05-01T00:00:00Z"));
/// assert_eq!(date_from_path("_posts/2020-02-29-leap.md").as_deref(), Some("2020-02-29T00:00:00Z"));
/// assert_eq!(date_from_path("notes/readme.md"), None);
/// ```
pub fn date_from_path(path: &str) -> Option<String> {
    let parts: Vec<&str> = path.split(['/', '\\']).collect();
    // Three consecutive components: 2019/05/01
    for window in parts.windows(3) {
        if let Some(date) = ymd(window[0], window[1], window[2]) {
            return check_range(at_midnight(date)).ok();
        }
    }
    // A component starting with 2019-05-01
    for part in &parts {
        let bytes = part.as_bytes();
        if bytes.len() >= 10 && part.is_char_boundary(10) {
            let head = &part[..10];
            let mut pieces = head.split('-');
            if let (Some(y), Some(m), Some(d), None) = (pieces.next(), pieces.next(), pieces.next(), pieces.next()) {
                if let Some(date) = ymd(y, m, d) {
                    return check_range(at_midnight(date)).ok();
                }
            }
        }
    }
    None
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    let all_digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y, 4) && all_digits(m, 2) && all_digits(d, 2)) {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn at_midnight(date: NaiveDate) -> DateTime<Utc> {
    Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN))
}

fn check_range(instant: DateTime<Utc>) -> Result<String, DateProblem> {
    let formatted = instant.to_rfc3339_opts(SecondsFormat::Secs, true);
    if (MIN_YEAR..=MAX_YEAR).contains(&instant.year()) {
        return Ok(formatted);
    }
    let seconds = instant.timestamp();
    // Days into 1970 rather than the epoch itself: seconds read as milliseconds.
    if instant.year() == 1970 && seconds > 86_400 {
        if let Some(real) = seconds.checked_mul(1000).and_then(|s| Utc.timestamp_opt(s, 0).single()) {
            if (MIN_YEAR..=MAX_YEAR).contains(&real.year()) {
                return Err(DateProblem::Rescaled(formatted, real.to_rfc3339_opts(SecondsFormat::Secs, true)));
            }
        }
    }
    Err(DateProblem::Placeholder(formatted))
}

/// Formats with a zone, tried in order after RFC 2822 and RFC 3339.
const ZONED_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f%:z",
    "%Y-%m-%d %H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M:%S%.f%z",
    "%Y-%m-%dT%H:%M%:z",
    "%Y-%m-%d %H:%M%:z",
    "%Y-%m-%d %H:%M:%S%.f %z",
    "%a, %d %b %Y %H:%M:%S %z",
    "%a %b %d %Y %H:%M:%S GMT%z",
];

/// Formats without a zone (read as UTC).
const NAIVE_FORMATS: &[&str] = &[
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%d %b %Y %H:%M:%S",
    "%a, %d %b %Y %H:%M:%S",
    "%B %d, %Y %H:%M",
];

const DATE_FORMATS: &[&str] = &["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y"];

fn read_instant(text: &str) -> Option<DateTime<Utc>> {
    if text.is_empty() || text.len() > 64 {
        return None;
    }
    if let Ok(t) = DateTime::parse_from_rfc2822(text) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    // "2022-08-13 12:14:54 UTC", "... GMT", "...Z" written with a space
    let trimmed = text
        .strip_suffix(" UTC")
        .or_else(|| text.strip_suffix(" GMT"))
        .or_else(|| text.strip_suffix(" Z"))
        .or_else(|| text.strip_suffix('Z'))
        .unwrap_or(text);
    for format in ZONED_FORMATS {
        if let Ok(t) = DateTime::parse_from_str(trimmed, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    for format in NAIVE_FORMATS {
        if let Ok(t) = NaiveDateTime::parse_from_str(trimmed, format) {
            return Some(Utc.from_utc_datetime(&t));
        }
    }
    for format in DATE_FORMATS {
        if let Ok(d) = NaiveDate::parse_from_str(trimmed, format) {
            return Some(at_midnight(d));
        }
    }
    if trimmed.bytes().all(|b| b.is_ascii_digit()) && (9..=13).contains(&trimmed.len()) {
        let value: i64 = trimmed.parse().ok()?;
        return if value >= 100_000_000_000 {
            Utc.timestamp_millis_opt(value).single()
        } else {
            Utc.timestamp_opt(value, 0).single()
        };
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_rfc2822_with_gmt() {
        assert_eq!(parse_date("Tue, 28 Jun 2022 05:37:57 GMT").unwrap(), "2022-06-28T05:37:57Z");
    }

    #[test]
    fn reads_zoneless_datetime_as_utc() {
        assert_eq!(parse_date("2021-03-22 17:49:43").unwrap(), "2021-03-22T17:49:43Z");
        assert_eq!(parse_date("2013-09-04T02:11:27").unwrap(), "2013-09-04T02:11:27Z");
    }

    #[test]
    fn converts_offsets_to_utc() {
        assert_eq!(parse_date("2023-03-02T09:15:00+09:00").unwrap(), "2023-03-02T00:15:00Z");
        assert_eq!(parse_date("2019-04-03 18:30:00 +0300").unwrap(), "2019-04-03T15:30:00Z");
    }

    #[test]
    fn reads_plain_dates() {
        assert_eq!(parse_date("2006-09-12").unwrap(), "2006-09-12T00:00:00Z");
        assert_eq!(parse_date("2019/05/01").unwrap(), "2019-05-01T00:00:00Z");
    }

    #[test]
    fn treats_epoch_and_ancient_years_as_placeholders() {
        assert!(matches!(parse_date("Thu, 01 Jan 1970 00:00:00 GMT"), Err(DateProblem::Placeholder(_))));
        assert!(matches!(parse_date("Fri, 01 Jan 0900 00:00:00 GMT"), Err(DateProblem::Placeholder(_))));
    }

    #[test]
    fn rescales_seconds_read_as_milliseconds() {
        assert_eq!(
            parse_date("Mon, 19 Jan 1970 21:04:44 GMT"),
            Err(DateProblem::Rescaled("1970-01-19T21:04:44Z".into(), "2021-09-08T06:53:20Z".into()))
        );
    }

    #[test]
    fn rejects_non_dates() {
        assert_eq!(parse_date("Invalid Date"), Err(DateProblem::Unreadable));
        assert_eq!(parse_date(""), Err(DateProblem::Unreadable));
        assert_eq!(parse_date("99999-01-01"), Err(DateProblem::Unreadable));
    }

    #[test]
    fn reads_unix_timestamps() {
        assert_eq!(parse_timestamp(1_641_809_407).unwrap(), "2022-01-10T10:10:07Z");
        assert_eq!(parse_timestamp(1_641_809_407_000).unwrap(), "2022-01-10T10:10:07Z");
        assert!(parse_timestamp(i64::MAX).is_err());
    }
}
