import QuartermasterStorage
import Testing

/// Makes the PostgreSQL half of the contract suite visible: skipped, with the reason, when no
/// test server is configured; otherwise a check that the server the other cases use answers.
@Suite("PostgreSQL test server")
struct PostgresAvailabilityTests {
    @Test(
        "PostgreSQL contract cases run against the configured server",
        .enabled(if: BackendKind.postgresAdminURL != nil, BackendKind.postgresSkipReason))
    func serverAnswers() async throws {
        #expect(BackendKind.available.contains(.postgres))
        try await TestDatabase.withBackend(.postgres) { backend, _ in
            try await backend.ping()
        }
    }
}
