import Testing
import QuartermasterCore

@Suite("Go-style duration text")
struct DurationTextTests {
    @Test("Go-style texts parse to their durations", arguments: [
        ("30s", Duration.seconds(30)),
        ("15m", .seconds(15 * 60)),
        ("1h", .seconds(3600)),
        ("1h30m", .seconds(5400)),
        ("1h0m5s", .seconds(3605)),
        ("90m", .seconds(5400)),
        ("1.5h", .seconds(5400)),
        ("1m30.5s", .milliseconds(90_500)),
        (".5s", .milliseconds(500)),
        ("1.s", .seconds(1)),
        ("250ms", .milliseconds(250)),
        ("1.5us", .nanoseconds(1500)),
        ("2\u{00B5}s", .microseconds(2)),
        ("2\u{03BC}s", .microseconds(2)),
        ("7ns", .nanoseconds(7)),
        ("0", .zero),
        ("-0", .zero),
        ("0s", .zero),
        ("+5s", .seconds(5)),
        ("-1m", .seconds(-60)),
        ("1h1h", .seconds(7200)),
        ("0.0000000015s", .nanoseconds(1)),
        ("1.123456789123456789123456s", .nanoseconds(1_123_456_789)),
        ("2562047h47m16.854775807s", .nanoseconds(Int64.max)),
    ])
    func parses(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test("malformed or out-of-range texts are rejected", arguments: [
        "", "-", "+", "15", "1.5", "m", ".s", "s5", "15 m", " 15m", "15m ", "15M", "1d", "1e3s", "1h-5m",
        "1..5s", "ms5", "2562047h47m16.854775808s", "99999999999999999999s", "3000000h",
    ])
    func rejects(text: String) {
        #expect(DurationText.parse(text) == nil)
    }

    @Test("formatting leaves out zero units and keeps sub-second precision", arguments: [
        (Duration.seconds(15 * 60), "15m"),
        (.seconds(30), "30s"),
        (.seconds(3600), "1h"),
        (.seconds(5400), "1h30m"),
        (.seconds(3605), "1h5s"),
        (.seconds(49 * 3600), "49h"),
        (.milliseconds(90_500), "1m30.5s"),
        (.nanoseconds(1_000_000_001), "1.000000001s"),
        (.milliseconds(250), "250ms"),
        (.microseconds(1500), "1.5ms"),
        (.nanoseconds(1500), "1.5us"),
        (.nanoseconds(7), "7ns"),
        (.zero, "0s"),
        (.seconds(-90), "-1m30s"),
        (.milliseconds(-5), "-5ms"),
        (Duration(secondsComponent: 0, attosecondsComponent: 999_999_999), "0s"),
    ])
    func formats(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }

    @Test("formatting then parsing gives back every nanosecond-precise duration")
    func roundTrips() {
        var generator = SeededGenerator(seed: 4)
        let ranges: [ClosedRange<Int64>] = [-1_000...1_000, -10_000_000_000...10_000_000_000, (Int64.min + 1)...Int64.max]
        for range in ranges {
            for _ in 0..<500 {
                let duration = Duration.nanoseconds(Int64.random(in: range, using: &generator))
                let text = DurationText.format(duration)
                #expect(DurationText.parse(text) == duration, "\(text)")
            }
        }
    }

    @Test("parsing then formatting gives the canonical text")
    func canonicalText() {
        let pairs = [("1h0m0s", "1h"), ("15m0s", "15m"), ("90m", "1h30m"), ("0.5s", "500ms"), ("1000ms", "1s"), ("0", "0s")]
        for (text, canonical) in pairs {
            #expect(DurationText.parse(text).map(DurationText.format) == canonical)
        }
    }
}
