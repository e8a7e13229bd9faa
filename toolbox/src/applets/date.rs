//! `date` and the calendar arithmetic `ls -l` shares. WASI has clocks but no time zones, so every time is UTC.

use std::time::{SystemTime, UNIX_EPOCH};

use super::options;
use crate::Proc;

pub(crate) const MONTHS: [&str; 12] =
    ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
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
const DAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const DAY_NAMES: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// A UTC calendar time.
pub(crate) struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 0 is Sunday.
    pub weekday: u32,
    /// 1 is January 1st.
    pub yday: u32,
}

/// Converts seconds since the epoch to a UTC calendar time (Howard Hinnant's days-to-civil algorithm).
pub(crate) fn civil(secs: i64) -> Civil {
    let days = secs.div_euclid(86_400);
    let rem = u32::try_from(secs.rem_euclid(86_400)).unwrap_or(0);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let month = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let year = yoe + era * 400 + i64::from(month <= 2);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let before = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334][month as usize - 1];
    let yday = before + day + u32::from(leap && month > 2);
    Civil {
        year,
        month,
        day,
        hour: rem / 3600,
        minute: rem / 60 % 60,
        second: rem % 60,
        weekday: u32::try_from((days + 4).rem_euclid(7)).unwrap_or(0),
        yday,
    }
}

/// Days since the epoch of a calendar date (the inverse of [`civil`]).
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let m = i64::from(month);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `strftime` for the directives people use.
pub(crate) fn format(fmt: &str, secs: i64, nanos: u32) -> String {
    let c = civil(secs);
    let mut out = String::new();
    let mut chars = fmt.chars();
    while let Some(ch) = chars.next() {
        if ch != '%' {
            out.push(ch);
            continue;
        }
        let Some(d) = chars.next() else {
            out.push('%');
            break;
        };
        let hour12 = if c.hour % 12 == 0 { 12 } else { c.hour % 12 };
        let piece = match d {
            'Y' => c.year.to_string(),
            'C' => format!("{:02}", c.year / 100),
            'y' => format!("{:02}", c.year % 100),
            'm' => format!("{:02}", c.month),
            'd' => format!("{:02}", c.day),
            'e' => format!("{:>2}", c.day),
            'H' => format!("{:02}", c.hour),
            'k' => format!("{:>2}", c.hour),
            'I' => format!("{hour12:02}"),
            'l' => format!("{hour12:>2}"),
            'M' => format!("{:02}", c.minute),
            'S' => format!("{:02}", c.second),
            'N' => format!("{nanos:09}"),
            'p' => (if c.hour < 12 { "AM" } else { "PM" }).to_string(),
            'P' => (if c.hour < 12 { "am" } else { "pm" }).to_string(),
            'a' => DAYS[c.weekday as usize].to_string(),
            'A' => DAY_NAMES[c.weekday as usize].to_string(),
            'b' | 'h' => MONTHS[c.month as usize - 1].to_string(),
            'B' => MONTH_NAMES[c.month as usize - 1].to_string(),
            'j' => format!("{:03}", c.yday),
            'u' => (if c.weekday == 0 { 7 } else { c.weekday }).to_string(),
            'w' => c.weekday.to_string(),
            's' => secs.to_string(),
            'Z' => "UTC".to_string(),
            'z' => "+0000".to_string(),
            'D' | 'x' => format("%m/%d/%y", secs, nanos),
            'F' => format("%Y-%m-%d", secs, nanos),
            'T' | 'X' => format("%H:%M:%S", secs, nanos),
            'R' => format("%H:%M", secs, nanos),
            'r' => format("%I:%M:%S %p", secs, nanos),
            'c' => format("%a %b %e %H:%M:%S %Y", secs, nanos),
            'n' => "\n".to_string(),
            't' => "\t".to_string(),
            '%' => "%".to_string(),
            other => format!("%{other}"),
        };
        out.push_str(&piece);
    }
    out
}

/// Parses `-d`'s argument: `@SECONDS`, `YYYY-MM-DD`, `YYYY-MM-DD HH:MM[:SS]` (also with `T`), `HH:MM[:SS]` today.
fn parse_date(text: &str, now: i64) -> Option<i64> {
    if let Some(secs) = text.strip_prefix('@') {
        return secs.parse().ok();
    }
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((d, t)) => (Some(d), Some(t)),
        None if text.contains(':') => (None, Some(text)),
        None => (Some(text), None),
    };
    let days = match date {
        Some(d) => {
            let parts: Vec<&str> = d.split('-').collect();
            let [y, m, dd] = parts.as_slice() else { return None };
            days_from_civil(y.parse().ok()?, m.parse().ok()?, dd.parse().ok()?)
        }
        None => now.div_euclid(86_400),
    };
    let mut secs = 0;
    if let Some(t) = time {
        let parts: Vec<i64> = t.trim_end_matches('Z').split(':').map(str::parse).collect::<Result<_, _>>().ok()?;
        if parts.len() < 2 || parts.len() > 3 {
            return None;
        }
        secs = parts[0] * 3600 + parts[1] * 60 + parts.get(2).copied().unwrap_or(0);
    }
    Some(days * 86_400 + secs)
}

pub fn main(p: &mut Proc, argv: &[String]) -> i32 {
    let o = match options(p, argv, "uRId:r:s:D:", &[("utc", 'u'), ("date", 'd'), ("rfc-2822", 'R')]) {
        Ok(o) => o,
        Err(code) => return code,
    };
    let elapsed = SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default();
    let now = i64::try_from(elapsed.as_secs()).unwrap_or(i64::MAX);
    let mut secs = now;
    let mut nanos = elapsed.subsec_nanos();
    if let Some(text) = o.value('d') {
        let Some(s) = parse_date(text, now) else {
            p.error("date", &format!("invalid date '{text}'"));
            return 1;
        };
        secs = s;
        nanos = 0;
    }
    if let Some(file) = o.value('r') {
        match std::fs::metadata(p.host(file)).and_then(|m| m.modified()) {
            Ok(t) => secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
            Err(e) => {
                p.error("date", &format!("can't stat '{file}': {}", crate::proc::strerror(&e)));
                return 1;
            }
        }
    }
    let mut fmt = if o.has('R') {
        "%a, %d %b %Y %H:%M:%S %z".to_string()
    } else if o.has('I') {
        "%Y-%m-%d".to_string()
    } else {
        "%a %b %e %H:%M:%S %Z %Y".to_string()
    };
    for operand in &o.operands {
        if let Some(f) = operand.strip_prefix('+') {
            fmt = f.to_string();
        } else {
            p.error("date", "setting the date is not permitted in a container");
            return 1;
        }
    }
    p.outs(&format!("{}\n", format(&fmt, secs, nanos)));
    0
}

#[cfg(test)]
mod tests {
    use super::{days_from_civil, format};

    #[test]
    fn formats_known_instants() {
        // 2026-11-28 18:09:18 UTC, a Saturday, day 332 (busybox printed the same for this instant).
        assert_eq!(
            format("%a %b %e %H:%M:%S %Z %Y|%j|%F|%s", 1_795_889_358, 0),
            "Sat Nov 28 18:09:18 UTC 2026|332|2026-11-28|1795889358"
        );
        assert_eq!(format("%Y-%m-%d %u %w", 951_782_400, 0), "2000-02-29 2 2");
        assert_eq!(days_from_civil(2000, 2, 29), 11_016);
        assert_eq!(format("%e|%k|%I %p", 0, 0), " 1| 0|12 AM");
    }
}
