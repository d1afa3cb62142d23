/// A daily window of UTC time, `after` inclusive to `before` exclusive, which may wrap midnight.
public struct TimeWindow: Sendable, Hashable, CustomStringConvertible {
    /// Start, in minutes after midnight UTC.
    public let afterMinute: Int
    /// End, in minutes after midnight UTC; smaller than the start when the window wraps midnight.
    public let beforeMinute: Int

    private static let minutesPerDay = 24 * 60

    /// Creates a window from minutes after midnight; `nil` unless both are within a day and differ.
    public init?(afterMinute: Int, beforeMinute: Int) {
        let day = 0..<Self.minutesPerDay
        guard day.contains(afterMinute), day.contains(beforeMinute), afterMinute != beforeMinute else { return nil }
        self.afterMinute = afterMinute
        self.beforeMinute = beforeMinute
    }

    /// Minutes after midnight for `HH:MM` (two digits each, 00:00 to 23:59); `nil` otherwise.
    public static func minuteOfDay(_ text: String) -> Int? {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
              let hours = twoDigits(bytes[0], bytes[1]), hours < 24,
              let minutes = twoDigits(bytes[3], bytes[4]), minutes < 60
        else { return nil }
        return hours * 60 + minutes
    }

    /// Whether a UTC second of the day (0 to 86399) falls in the window.
    public func contains(secondOfDay: Int) -> Bool {
        let start = afterMinute * 60, end = beforeMinute * 60
        return start < end
            ? secondOfDay >= start && secondOfDay < end
            : secondOfDay >= start || secondOfDay < end
    }

    /// Whether every moment of `other` falls in this window.
    public func contains(_ other: TimeWindow) -> Bool {
        other.intervals.allSatisfy { inner in
            intervals.contains { outer in outer.lowerBound <= inner.lowerBound && inner.upperBound <= outer.upperBound }
        }
    }

    /// `08:00-18:00 UTC`.
    public var description: String {
        "\(Self.clock(afterMinute))-\(Self.clock(beforeMinute)) UTC"
    }

    /// `HH:MM` for minutes after midnight.
    static func clock(_ minuteOfDay: Int) -> String {
        let hours = minuteOfDay / 60, minutes = minuteOfDay % 60
        return (hours < 10 ? "0" : "") + String(hours) + ":" + (minutes < 10 ? "0" : "") + String(minutes)
    }

    private var intervals: [Range<Int>] {
        afterMinute < beforeMinute
            ? [afterMinute..<beforeMinute]
            : [afterMinute..<Self.minutesPerDay, 0..<beforeMinute].filter { !$0.isEmpty }
    }

    private static func twoDigits(_ tens: UInt8, _ units: UInt8) -> Int? {
        let zero = UInt8(ascii: "0"), nine = UInt8(ascii: "9")
        guard (zero...nine).contains(tens), (zero...nine).contains(units) else { return nil }
        return Int(tens - zero) * 10 + Int(units - zero)
    }
}
