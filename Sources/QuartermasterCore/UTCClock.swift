import Foundation

/// Time-of-day arithmetic in UTC for time-window conditions, without allocating.
enum UTCClock {
    static let secondsPerDay = 86_400

    /// The UTC second of the day of a date.
    static func secondOfDay(of date: Date) -> Int {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        return ((seconds % secondsPerDay) + secondsPerDay) % secondsPerDay
    }

    /// The UTC second of the day of an RFC 3339 timestamp such as `2026-02-14T09:30:00+01:00`.
    static func secondOfDay(rfc3339 text: String) -> Int? {
        var reader = DigitReader(bytes: text.utf8)
        guard let year = reader.number(digits: 4), year >= 0, reader.skip(UInt8(ascii: "-")),
              let month = reader.number(digits: 2), (1...12).contains(month), reader.skip(UInt8(ascii: "-")),
              let day = reader.number(digits: 2), (1...31).contains(day),
              reader.skip(where: { $0 == UInt8(ascii: "T") || $0 == UInt8(ascii: "t") || $0 == UInt8(ascii: " ") }),
              let hours = reader.number(digits: 2), hours < 24, reader.skip(UInt8(ascii: ":")),
              let minutes = reader.number(digits: 2), minutes < 60, reader.skip(UInt8(ascii: ":")),
              let seconds = reader.number(digits: 2), seconds <= 60
        else { return nil }
        if reader.skip(UInt8(ascii: ".")) {
            guard reader.skipDigits() > 0 else { return nil }
        }
        guard let offset = reader.utcOffsetSeconds(), reader.isAtEnd else { return nil }
        let local = hours * 3600 + minutes * 60 + min(seconds, 59)
        return ((local - offset) % secondsPerDay + secondsPerDay) % secondsPerDay
    }

    /// `HH:MM` of a UTC second of the day.
    static func clock(secondOfDay: Int) -> String {
        TimeWindow.clock(secondOfDay / 60)
    }
}
