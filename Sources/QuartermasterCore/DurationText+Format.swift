extension DurationText {
    /// The shortest Go-style text for a duration, which `parse` reads back: `15m`, `1h30m`,
    /// `1m30.5s`, `250ms`, `1.5us`, `0s`. Zero units are left out (Go would write `15m0s`), and
    /// precision finer than a nanosecond is dropped.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let wholeSeconds = seconds.magnitude
        let nanoseconds = attoseconds.magnitude / 1_000_000_000
        guard wholeSeconds > 0 || nanoseconds > 0 else { return "0s" }
        let sign = duration < .zero ? "-" : ""
        guard wholeSeconds == 0 else {
            let hours = wholeSeconds / 3600, minutes = wholeSeconds % 3600 / 60, rest = wholeSeconds % 60
            var text = sign
            if hours > 0 { text += "\(hours)h" }
            if minutes > 0 { text += "\(minutes)m" }
            if rest > 0 || nanoseconds > 0 { text += decimal(rest, nanoseconds, fractionDigits: 9) + "s" }
            return text
        }
        if nanoseconds < 1_000 { return "\(sign)\(nanoseconds)ns" }
        if nanoseconds < 1_000_000 { return sign + decimal(nanoseconds / 1_000, nanoseconds % 1_000, fractionDigits: 3) + "us" }
        return sign + decimal(nanoseconds / 1_000_000, nanoseconds % 1_000_000, fractionDigits: 6) + "ms"
    }

    /// `whole.fraction` with the fraction zero-padded to `fractionDigits` and trailing zeros
    /// removed; just `whole` when the fraction is zero.
    private static func decimal(_ whole: UInt64, _ fraction: UInt64, fractionDigits: Int) -> String {
        guard fraction > 0 else { return "\(whole)" }
        let digits = String(fraction)
        var padded = String(repeating: "0", count: fractionDigits - digits.count) + digits
        while padded.last == "0" { padded.removeLast() }
        return "\(whole).\(padded)"
    }
}
