import Foundation
import Testing
import QuartermasterCore

@Suite("Grant conditions")
struct ConditionsTests {
    /// 2026-02-14T12:00:00Z.
    static let noon = Date(timeIntervalSince1970: 1_771_070_400)

    static func window(_ after: String, _ before: String) throws -> TimeWindow {
        let afterMinute = try #require(TimeWindow.minuteOfDay(after))
        let beforeMinute = try #require(TimeWindow.minuteOfDay(before))
        return try #require(TimeWindow(afterMinute: afterMinute, beforeMinute: beforeMinute))
    }

    @Test("absent conditions always hold")
    func emptyConditionsHold() {
        #expect(Conditions().holds(in: [:], now: Self.noon))
        #expect(Conditions().isEmpty)
    }

    @Test("a list condition holds when the context value is one of its values", arguments: [
        ConditionKey.clusterID, .environment, .namespace, .attestationMeasurement, .keyVersion,
    ])
    func listConditions(key: ConditionKey) {
        let values = ["a", "b"]
        let conditions = switch key {
        case .clusterID: Conditions(clusterIDs: values)
        case .environment: Conditions(environments: values)
        case .namespace: Conditions(namespaces: values)
        case .attestationMeasurement: Conditions(attestationMeasurements: values)
        default: Conditions(keyVersions: values)
        }
        #expect(conditions.holds(in: [key.rawValue: "b"], now: Self.noon))
        #expect(!conditions.holds(in: [key.rawValue: "c"], now: Self.noon))
        #expect(!conditions.holds(in: [:], now: Self.noon))
        #expect(conditions.unmetDescription(in: [key.rawValue: "c"], now: Self.noon) == "\(key.rawValue) is \"c\", needs one of [a, b]")
        #expect(conditions.unmetDescription(in: [:], now: Self.noon) == "\(key.rawValue) is missing, needs one of [a, b]")
    }

    @Test("source_cidr is checked against source_ip in the context, IPv4 and IPv6", arguments: [
        ("10.1.2.3", true), ("192.168.0.1", false), ("::1", true), ("::2", false), ("not-an-ip", false),
    ])
    func sourceCIDR(address: String, holds: Bool) throws {
        let conditions = Conditions(sourceCIDRs: [try #require(CIDRBlock("10.0.0.0/8")), try #require(CIDRBlock("::1/128"))])
        #expect(conditions.holds(in: ["source_ip": address], now: Self.noon) == holds)
    }

    @Test("a missing source_ip fails source_cidr, and says so")
    func missingSourceIP() throws {
        let conditions = Conditions(sourceCIDRs: [try #require(CIDRBlock("10.0.0.0/8"))])
        #expect(conditions.unmetDescription(in: [:], now: Self.noon) == "source_ip is missing, needs an address in one of [10.0.0.0/8]")
        #expect(conditions.unmetDescription(in: ["source_ip": "1.2.3.4"], now: Self.noon) == "source_ip is \"1.2.3.4\", needs an address in one of [10.0.0.0/8]")
    }

    @Test("time_window checks the context time in UTC, after inclusive and before exclusive", arguments: [
        ("2026-02-14T08:00:00Z", true),
        ("2026-02-14T17:59:59Z", true),
        ("2026-02-14T18:00:00Z", false),
        ("2026-02-14T07:59:59.999Z", false),
        ("2026-02-14T09:30:00+02:00", false),
        ("2026-02-14T19:30:00+02:00", true),
        ("2026-02-14T03:30:00-05:00", true),
        ("2026-02-14 12:00:00z", true),
        ("not a time", false),
        ("2026-02-14T12:00:00", false),
        ("2026-13-14T12:00:00Z", false),
    ])
    func dayWindow(time: String, holds: Bool) throws {
        let conditions = Conditions(timeWindow: try Self.window("08:00", "18:00"))
        #expect(conditions.holds(in: ["time": time], now: Self.noon) == holds)
    }

    @Test("a time_window whose after is later than its before wraps midnight", arguments: [
        ("2026-02-14T22:00:00Z", true),
        ("2026-02-14T23:59:59Z", true),
        ("2026-02-15T00:00:00Z", true),
        ("2026-02-15T05:59:00Z", true),
        ("2026-02-15T06:00:00Z", false),
        ("2026-02-14T12:00:00Z", false),
        ("2026-02-14T21:59:59Z", false),
    ])
    func wrappingWindow(time: String, holds: Bool) throws {
        let conditions = Conditions(timeWindow: try Self.window("22:00", "06:00"))
        #expect(conditions.holds(in: ["time": time], now: Self.noon) == holds)
    }

    @Test("without a time in the context, time_window uses the engine's now")
    func windowUsesNow() throws {
        let conditions = Conditions(timeWindow: try Self.window("08:00", "18:00"))
        #expect(conditions.holds(in: [:], now: Self.noon))
        let evening = Self.noon.addingTimeInterval(7 * 3600)
        #expect(!conditions.holds(in: [:], now: evening))
        #expect(conditions.unmetDescription(in: [:], now: evening) == "time is 19:00 UTC, needs 08:00-18:00 UTC")
        #expect(
            conditions.unmetDescription(in: ["time": "2026-02-14T19:30:00Z"], now: Self.noon)
                == "time is \"2026-02-14T19:30:00Z\" (19:30 UTC), needs 08:00-18:00 UTC"
        )
        #expect(
            conditions.unmetDescription(in: ["time": "soon"], now: Self.noon)
                == "time is \"soon\", not an RFC 3339 time, needs 08:00-18:00 UTC"
        )
    }

    @Test("HH:MM is two-digit hours 00-23 and minutes 00-59", arguments: [
        ("00:00", 0), ("08:30", 510), ("23:59", 1439),
    ])
    func clockParsing(text: String, minute: Int) {
        #expect(TimeWindow.minuteOfDay(text) == minute)
    }

    @Test("malformed HH:MM is rejected", arguments: ["8:00", "24:00", "12:60", "12-00", "12:00:00", "ab:cd", ""])
    func malformedClock(text: String) {
        #expect(TimeWindow.minuteOfDay(text) == nil)
    }

    @Test("every condition must hold; the first failing one is named, in key order")
    func allMustHold() {
        let conditions = Conditions(clusterIDs: ["prod-eu-1"], environments: ["production"], keyVersions: ["3"])
        let context = ["cluster_id": "prod-eu-1", "environment": "production", "key_version": "3"]
        #expect(conditions.holds(in: context, now: Self.noon))
        var wrongEnvironment = context
        wrongEnvironment["environment"] = "staging"
        wrongEnvironment["key_version"] = "2"
        #expect(conditions.unmetDescription(in: wrongEnvironment, now: Self.noon) == "environment is \"staging\", needs one of [production]")
        #expect(conditions.keys == [.clusterID, .environment, .keyVersion])
    }

    @Test("conditions describe themselves for plans and messages")
    func description() throws {
        let conditions = Conditions(
            clusterIDs: ["prod-eu-1"],
            environments: ["production", "staging"],
            timeWindow: try Self.window("22:00", "06:00"),
            sourceCIDRs: [try #require(CIDRBlock("10.0.0.0/8"))]
        )
        #expect(conditions.description == "cluster_id in prod-eu-1; environment in {production, staging}; time_window 22:00-06:00 UTC; source_cidr in 10.0.0.0/8")
        #expect(Conditions().description == "")
    }
}
