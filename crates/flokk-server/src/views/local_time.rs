//! An instant as the store's local time with its offset
//! (`2026-03-01T11:00:00+01:00`), the form every customer document uses.
//!
//! Written by hand rather than with `strftime`: a member list formats four
//! instants a customer, and `strftime` reads its format string each time
//! (a long list spent more on that than on its dates' time zone lookups).
//! Years outside 0..=9999 and offsets with seconds are rare enough to go
//! through `strftime`, which the fast path matches byte for byte
//! (`the_fast_path_is_strftime` below).

use flokk_model::Timestamp;
use jiff::tz::TimeZone;

/// `t` in `tz` as `YYYY-MM-DDTHH:MM:SS±HH:MM`.
pub fn local_text(t: Timestamp, tz: &TimeZone) -> String {
    let offset = tz.to_offset(t);
    let dt = offset.to_datetime(t);
    let seconds = offset.seconds();
    let year = dt.year();
    if !(0..=9999).contains(&year) || seconds % 60 != 0 {
        return by_strftime(t, tz);
    }
    let mut out = [0u8; 25];
    put(&mut out[0..4], year as u32);
    out[4] = b'-';
    put(&mut out[5..7], dt.month() as u32);
    out[7] = b'-';
    put(&mut out[8..10], dt.day() as u32);
    out[10] = b'T';
    put(&mut out[11..13], dt.hour() as u32);
    out[13] = b':';
    put(&mut out[14..16], dt.minute() as u32);
    out[16] = b':';
    put(&mut out[17..19], dt.second() as u32);
    out[19] = if seconds < 0 { b'-' } else { b'+' };
    let minutes = seconds.unsigned_abs() / 60;
    put(&mut out[20..22], minutes / 60);
    out[22] = b':';
    put(&mut out[23..25], minutes % 60);
    // Every byte written above is an ASCII digit or separator.
    String::from_utf8(out.to_vec()).unwrap_or_else(|_| by_strftime(t, tz))
}

/// `n` as decimal digits filling `into`, zero-padded on the left.
fn put(into: &mut [u8], mut n: u32) {
    for slot in into.iter_mut().rev() {
        *slot = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

fn by_strftime(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_is_strftime() {
        let zones = [
            TimeZone::UTC,
            TimeZone::get("Europe/Oslo").unwrap(),
            TimeZone::get("America/New_York").unwrap(),
            TimeZone::get("Asia/Kolkata").unwrap(),
            TimeZone::get("Pacific/Chatham").unwrap(),
            TimeZone::fixed(jiff::tz::offset(-3)),
        ];
        let mut t: Timestamp = "1969-12-31T23:59:59Z".parse().unwrap();
        let step = jiff::SignedDuration::from_secs(86_400 * 37 + 3_671);
        for _ in 0..800 {
            for tz in &zones {
                assert_eq!(local_text(t, tz), by_strftime(t, tz), "{t} in {tz:?}");
            }
            t = t.checked_add(step).unwrap();
        }
        let oslo = TimeZone::get("Europe/Oslo").unwrap();
        let summer: Timestamp = "2026-07-01T10:00:00Z".parse().unwrap();
        assert_eq!(local_text(summer, &oslo), "2026-07-01T12:00:00+02:00");
        // Far years go through strftime.
        let far: Timestamp = "-000100-01-01T00:00:00Z".parse().unwrap();
        assert_eq!(
            local_text(far, &TimeZone::UTC),
            by_strftime(far, &TimeZone::UTC)
        );
    }
}
