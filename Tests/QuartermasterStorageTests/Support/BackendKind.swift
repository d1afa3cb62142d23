import Foundation
import Testing

/// The backends the contract tests run against.
enum BackendKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    /// The backends to test in this run: SQLite always, PostgreSQL when a test server is
    /// configured. When it is not, `PostgresAvailabilityTests` reports the cases skipped.
    static var available: [BackendKind] {
        postgresAdminURL == nil ? [.sqlite] : allCases
    }

    /// The admin URL of the test PostgreSQL server, from `QUARTERMASTER_TEST_POSTGRES_URL`
    /// (`scripts/with-postgres` sets it); nil when PostgreSQL tests are not to run.
    static var postgresAdminURL: String? {
        guard let url = ProcessInfo.processInfo.environment["QUARTERMASTER_TEST_POSTGRES_URL"], !url.isEmpty else {
            return nil
        }
        return url
    }

    /// Why PostgreSQL cases are skipped when the server is not configured.
    static let postgresSkipReason: Comment =
        "QUARTERMASTER_TEST_POSTGRES_URL is not set: run `scripts/with-postgres swift test` to test PostgreSQL"
}
