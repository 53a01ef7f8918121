//! Instants for records: day boundaries of the store zone (exactly, and a
//! second either side), DST changes, `now` itself, and anything in between.

use super::random_store::Dice;
use super::vocabulary::{DAY_OFFSETS, DST_CHANGES};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

/// Today moved by `days` in `tz`, as the instant that day starts.
pub fn start_of_day_from_today(now: Timestamp, tz: &TimeZone, days: i64) -> Timestamp {
    let today = flokk_lang::time::today(now, tz);
    let day = today
        .checked_add(jiff::Span::new().days(days))
        .expect("day in range");
    flokk_lang::time::start_of_day(day, tz).expect("day in range")
}

/// A day offset from today, usually one queries also use.
pub fn day_offset(dice: &mut Dice) -> i64 {
    if dice.chance(0.7) {
        *dice.pick(DAY_OFFSETS)
    } else {
        dice.between(-800, 60)
    }
}

/// An instant for a record, near the places where off-by-one errors live.
pub fn moment(dice: &mut Dice, now: Timestamp, tz: &TimeZone) -> Timestamp {
    let shift = |t: Timestamp, seconds: i64| {
        t.checked_add(SignedDuration::from_secs(seconds))
            .expect("in range")
    };
    match dice.below(10) {
        0..=3 => {
            let start = start_of_day_from_today(now, tz, day_offset(dice));
            shift(start, *dice.pick(&[-1, 0, 0, 1, -1800, 1800, 5400]))
        }
        4 => {
            let t = shift(now, *dice.pick(&[-1, 0, 1, 3600, -3600]));
            if dice.chance(0.3) {
                // Within now's second: still visible at whole-second precision.
                t.checked_add(SignedDuration::from_millis(500))
                    .expect("in range")
            } else {
                t
            }
        }
        5 => {
            let change: Timestamp = (*dice.pick(DST_CHANGES)).parse().expect("valid");
            shift(change, *dice.pick(&[-1, 0, 1, -3600, 3600]))
        }
        _ => shift(now, dice.between(-800 * 86_400, 60 * 86_400)),
    }
}
