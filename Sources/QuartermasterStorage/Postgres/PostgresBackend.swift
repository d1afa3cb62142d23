import Logging
import PostgresNIO

/// The shared backend: PostgreSQL through a PostgresNIO `PostgresClient` connection pool.
///
/// Several replicas may use one database: migrations, policy versions, the audit chain
/// head and each secret path's versions are serialized by PostgreSQL locks, and
/// replay-guard entries by a unique key, not by the process.
public final class PostgresBackend: StorageBackend {
    public let policies: any PolicyStore
    public let audit: any AuditStore
    public let credentials: any CredentialStore
    public let signingKeys: any SigningKeyStore
    public let clients: any ClientStore
    public let replay: any ReplayStore
    public let registrations: any RegistrationStore
    public let revocations: any RevocationStore
    public let apiKeys: any APIKeyStore
    public let secrets: any SecretStore
    public let leases: any LeaseStore
    public let transitKeys: any TransitKeyStore
    public let rootKeys: any RootKeyStore
    private let gateway: PostgresGateway
    private let runTask: Task<Void, Never>

    /// How long `ping` waits for an answer before reporting the server unavailable.
    private static let pingTimeout: Duration = .seconds(5)

    /// Connects to `postgres://user:pass@host:port/db?sslmode=disable|require`, applies
    /// pending migrations, and starts the connection pool.
    ///
    /// - Throws: `StorageError.invalidURL` for a malformed URL, `StorageError.unavailable`
    ///   when the server cannot be reached or migrated. Neither message contains the password.
    public static func connect(url: String, logger: Logger) async throws -> PostgresBackend {
        try await connect(url: url, logger: logger, migratedThrough: nil)
    }

    /// Connects with the schema migrated only through `lastVersion` (all migrations when
    /// nil), as an older release left it. For migration tests: the stores of later
    /// migrations fail on such a backend.
    static func connect(url: String, logger: Logger, migratedThrough lastVersion: Int64?) async throws -> PostgresBackend {
        let settings = try PostgresSettings(url: url)
        try await PostgresSchema.migrate(settings: settings, logger: logger, through: lastVersion)
        let client = PostgresClient(configuration: settings.clientConfiguration, backgroundLogger: logger)
        let runTask = Task { await client.run() }
        logger.info("connected to PostgreSQL storage", metadata: ["location": "\(settings.location)"])
        return PostgresBackend(
            gateway: PostgresGateway(client: client, settings: settings, logger: logger), runTask: runTask)
    }

    private init(gateway: PostgresGateway, runTask: Task<Void, Never>) {
        self.gateway = gateway
        self.runTask = runTask
        policies = PostgresPolicyStore(gateway: gateway)
        audit = PostgresAuditStore(gateway: gateway)
        credentials = PostgresCredentialStore(gateway: gateway)
        signingKeys = PostgresSigningKeyStore(gateway: gateway)
        clients = PostgresClientStore(gateway: gateway)
        replay = PostgresReplayStore(gateway: gateway)
        registrations = PostgresRegistrationStore(gateway: gateway)
        revocations = PostgresRevocationStore(gateway: gateway)
        apiKeys = PostgresAPIKeyStore(gateway: gateway)
        secrets = PostgresSecretStore(gateway: gateway)
        leases = PostgresLeaseStore(gateway: gateway)
        transitKeys = PostgresTransitKeyStore(gateway: gateway)
        rootKeys = PostgresRootKeyStore(gateway: gateway)
    }

    /// Runs `SELECT 1`; throws `StorageError.unavailable` on failure or after five seconds.
    public func ping() async throws {
        let location = gateway.settings.location
        try await gateway.run { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for try await _ in try await client.query("SELECT 1") {}
                }
                group.addTask {
                    try await Task.sleep(for: Self.pingTimeout)
                    throw StorageError.unavailable("PostgreSQL at \(location) did not answer within \(Self.pingTimeout)")
                }
                defer { group.cancelAll() }
                try await group.next()
            }
        }
    }

    /// Stops the connection pool and waits for its connections to close.
    public func close() async throws {
        runTask.cancel()
        await runTask.value
    }
}
