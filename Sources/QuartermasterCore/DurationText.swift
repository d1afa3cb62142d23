/// Go-style duration text (`30s`, `15m`, `1h30m`, `1.5s`, `250ms`), as policies and the server
/// configuration write lifetimes and intervals.
///
/// `parse` follows Go's `time.ParseDuration`: an optional sign, then one or more decimal numbers
/// (with an optional fraction), each followed by a unit: `ns`, `us` (or `µs`), `ms`, `s`, `m`,
/// `h`. `0` alone needs no unit. The result has nanosecond precision and must fit in 64-bit
/// nanoseconds (about 292 years); digits of a fraction finer than that are dropped.
public enum DurationText: Sendable {
    /// Nanoseconds per unit.
    private static let units: [Substring: UInt64] = [
        "ns": 1,
        "us": 1_000, "\u{00B5}s": 1_000, "\u{03BC}s": 1_000,
        "ms": 1_000_000,
        "s": 1_000_000_000,
        "m": 60_000_000_000,
        "h": 3_600_000_000_000,
    ]

    /// The most fraction digits kept, so that `10^digits` fits in 64 bits.
    private static let maximumFractionDigits = 19

    /// The duration a Go-style text denotes; `nil` when it is malformed or out of range.
    public static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        let isNegative = rest.first == "-"
        if rest.first == "-" || rest.first == "+" { rest.removeFirst() }
        if rest == "0" { return .zero }
        guard !rest.isEmpty else { return nil }
        var total: UInt64 = 0
        while !rest.isEmpty {
            guard let nanoseconds = component(&rest) else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(nanoseconds)
            guard !overflow, sum <= UInt64(Int64.max) else { return nil }
            total = sum
        }
        let magnitude = Int64(total)
        return .nanoseconds(isNegative ? -magnitude : magnitude)
    }

    /// Reads one number and its unit from the front of `rest`, in nanoseconds.
    private static func component(_ rest: inout Substring) -> UInt64? {
        let whole = rest.prefix(while: isDigit)
        rest.removeFirst(whole.count)
        var fraction = Substring()
        if rest.first == "." {
            rest.removeFirst()
            fraction = rest.prefix(while: isDigit)
            rest.removeFirst(fraction.count)
        }
        guard !whole.isEmpty || !fraction.isEmpty else { return nil }
        let unitText = rest.prefix { !isDigit($0) && $0 != "." }
        rest.removeFirst(unitText.count)
        guard let unit = units[unitText], let wholeValue = number(whole) else { return nil }
        let (wholeNanoseconds, overflow) = wholeValue.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        let kept = fraction.prefix(maximumFractionDigits)
        guard let numerator = number(kept) else { return nil }
        let scale = (0..<kept.count).reduce(UInt64(1)) { scale, _ in scale * 10 }
        let fractionNanoseconds = scale.dividingFullWidth(unit.multipliedFullWidth(by: numerator)).quotient
        let (sum, sumOverflow) = wholeNanoseconds.addingReportingOverflow(fractionNanoseconds)
        return sumOverflow ? nil : sum
    }

    /// The value of ASCII digits (0 for none); `nil` when it does not fit in 64 bits.
    private static func number(_ digits: Substring) -> UInt64? {
        var value: UInt64 = 0
        for digit in digits {
            let (shifted, overflow) = value.multipliedReportingOverflow(by: 10)
            guard !overflow, let digitValue = digit.wholeNumberValue else { return nil }
            let (sum, sumOverflow) = shifted.addingReportingOverflow(UInt64(digitValue))
            guard !sumOverflow else { return nil }
            value = sum
        }
        return value
    }

    private static func isDigit(_ character: Character) -> Bool {
        character.isASCII && character.isWholeNumber
    }
}
