//! launchd schedules as people read them: `StartCalendarInterval` dictionaries
//! (`{ Hour = 3; Minute = 0; }` -> `daily at 03:00`) and `StartInterval` seconds.

/// One `StartCalendarInterval` dictionary; a missing key matches every value, as in
/// launchd.plist(5).
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Calendar {
    pub(crate) minute: Option<i64>,
    pub(crate) hour: Option<i64>,
    /// Day of the month.
    pub(crate) day: Option<i64>,
    /// 0 and 7 are Sunday.
    pub(crate) weekday: Option<i64>,
    pub(crate) month: Option<i64>,
}

const WEEKDAYS: [&str; 7] = [
    "Sundays",
    "Mondays",
    "Tuesdays",
    "Wednesdays",
    "Thursdays",
    "Fridays",
    "Saturdays",
];
const MONTHS: [&str; 12] = [
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

impl Calendar {
    /// The dictionary's keys, when it is one.
    pub(crate) fn key(&mut self, name: &str) -> Option<&mut Option<i64>> {
        match name {
            "Minute" => Some(&mut self.minute),
            "Hour" => Some(&mut self.hour),
            "Day" => Some(&mut self.day),
            "Weekday" => Some(&mut self.weekday),
            "Month" => Some(&mut self.month),
            _ => None,
        }
    }

    /// `daily at 03:00`, `Mondays at 09:30`, `hourly at :15`, `monthly on day 1 at 00:00`.
    pub(crate) fn describe(&self) -> String {
        describe_all(&[*self])
    }

    /// The days it names (`Mondays`, `monthly on day 1`, `on January 1`), the kind of
    /// time (`at`, `hourly at`, …) and the time (`03:00`, `:15`).
    fn parts(&self) -> (String, &'static str, String) {
        let (kind, time) = match (self.hour, self.minute) {
            (None, None) => ("every minute", String::new()),
            (None, Some(m)) => ("hourly at", format!(":{m:02}")),
            (Some(h), None) => ("every minute of", format!("{h:02}:00-{h:02}:59")),
            (Some(h), Some(m)) => ("at", format!("{h:02}:{m:02}")),
        };
        let weekday = self.weekday.map(|w| {
            usize::try_from(w.rem_euclid(7))
                .ok()
                .and_then(|i| WEEKDAYS.get(i))
                .map_or_else(|| format!("weekday {w}"), |d| d.to_string())
        });
        let month = self.month.map(|m| {
            usize::try_from(m - 1)
                .ok()
                .and_then(|i| MONTHS.get(i))
                .map_or_else(|| format!("month {m}"), |d| d.to_string())
        });
        let mut days: Vec<String> = Vec::new();
        match (self.day, &month) {
            (Some(d), Some(m)) => days.push(format!("on {m} {d}")),
            (Some(d), None) => days.push(format!("monthly on day {d}")),
            (None, Some(m)) => days.push(format!("in {m}")),
            (None, None) => {}
        }
        days.extend(weekday);
        (days.join(", "), kind, time)
    }
}

/// Several dictionaries (launchd runs the job at each), those on the same days and of
/// the same kind of time read together: `hourly at :00, :15, :30, :45`.
pub(crate) fn describe_all(calendars: &[Calendar]) -> String {
    let mut groups: Vec<(String, &'static str, Vec<String>)> = Vec::new();
    for calendar in calendars {
        let (days, kind, time) = calendar.parts();
        match groups.iter_mut().find(|(d, k, _)| *d == days && *k == kind) {
            Some((_, _, times)) => {
                if !time.is_empty() && !times.contains(&time) {
                    times.push(time);
                }
            }
            None => groups.push((
                days,
                kind,
                vec![time].into_iter().filter(|t| !t.is_empty()).collect(),
            )),
        }
    }
    groups
        .into_iter()
        .map(|(days, kind, times)| {
            let when = match (days.is_empty(), kind) {
                (true, "at") => "daily at".to_string(),
                (true, _) => kind.to_string(),
                (false, _) => format!("{days} {kind}"),
            };
            if times.is_empty() {
                when
            } else {
                format!("{when} {}", times.join(", "))
            }
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// `StartInterval` seconds: `every 5 min`, `every 1 h`, `every 90 s`.
pub(crate) fn interval(seconds: i64) -> String {
    match seconds {
        s if s > 0 && s % 3600 == 0 => format!("every {} h", s / 3600),
        s if s > 0 && s % 60 == 0 => format!("every {} min", s / 60),
        s => format!("every {s} s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cal(hour: Option<i64>, minute: Option<i64>) -> Calendar {
        Calendar {
            hour,
            minute,
            ..Calendar::default()
        }
    }

    #[test]
    fn calendars_read_as_sentences() {
        assert_eq!(cal(Some(3), Some(0)).describe(), "daily at 03:00");
        assert_eq!(cal(None, Some(15)).describe(), "hourly at :15");
        assert_eq!(cal(None, None).describe(), "every minute");
        assert_eq!(cal(Some(4), None).describe(), "every minute of 04:00-04:59");
        let monday = Calendar {
            weekday: Some(1),
            ..cal(Some(9), Some(30))
        };
        assert_eq!(monday.describe(), "Mondays at 09:30");
        let sunday = Calendar {
            weekday: Some(7),
            ..cal(Some(9), Some(30))
        };
        assert_eq!(sunday.describe(), "Sundays at 09:30");
        let first = Calendar {
            day: Some(1),
            ..cal(Some(0), Some(0))
        };
        assert_eq!(first.describe(), "monthly on day 1 at 00:00");
        let new_year = Calendar {
            day: Some(1),
            month: Some(1),
            ..cal(Some(0), Some(0))
        };
        assert_eq!(new_year.describe(), "on January 1 at 00:00");
    }

    #[test]
    fn calendars_on_the_same_days_read_together() {
        let quarters: Vec<Calendar> = [0, 15, 30, 45].map(|m| cal(None, Some(m))).to_vec();
        assert_eq!(describe_all(&quarters), "hourly at :00, :15, :30, :45");
        let twice = [cal(Some(9), Some(0)), cal(Some(17), Some(30))];
        assert_eq!(describe_all(&twice), "daily at 09:00, 17:30");
        let mixed = [
            Calendar {
                weekday: Some(0),
                ..cal(Some(2), Some(15))
            },
            Calendar {
                weekday: Some(3),
                ..cal(Some(2), Some(15))
            },
        ];
        assert_eq!(
            describe_all(&mixed),
            "Sundays at 02:15; Wednesdays at 02:15"
        );
    }

    #[test]
    fn intervals_use_the_largest_whole_unit() {
        assert_eq!(interval(3600), "every 1 h");
        assert_eq!(interval(300), "every 5 min");
        assert_eq!(interval(90), "every 90 s");
    }
}
