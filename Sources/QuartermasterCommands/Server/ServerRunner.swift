import Foundation
import Hummingbird
import Logging
import QuartermasterHTTP
import QuartermasterServices
import QuartermasterStorage
import ServiceLifecycle

/// Starts the server from a configuration and runs it until SIGTERM or SIGINT.
///
/// Start-up order: storage (migrations), audit key, policy (bootstrap on first start),
/// admin token (bootstrap on first start), then the HTTP listener and background services.
struct ServerRunner {
    let configuration: ServerConfiguration
    /// Printed once the listener is up: the address, and on first start the admin token.
    let announce: @Sendable (_ port: Int, _ adminToken: String?) -> Void

    func run() async throws {
        var logger = Logger(label: "quartermaster", factory: ServerLogHandler.init(label:))
        logger.logLevel = Logger.Level(rawValue: configuration.logLevel) ?? .info
        RequestLimits.maxBodyBytes = configuration.maxBodyBytes

        try FileManager.default.createDirectory(atPath: configuration.dataDirectory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let storage: any StorageBackend
        do {
            storage = try await Storage.open(url: configuration.storage, logger: logger)
        } catch {
            throw StartupError("storage: \(error)")
        }
        do {
            let components = try await assemble(storage: storage, logger: logger)
            let adminToken = try await AdminTokenAuthenticator.bootstrap(credentials: storage.credentials)
            let announce = self.announce
            let application = ApplicationBuilder.application(
                components,
                host: configuration.host,
                port: configuration.port,
                logger: logger,
                onServerRunning: { port in announce(port, adminToken) }
            )
            let maintenance = IssuerMaintenanceService(keys: components.issuer.keys, replay: storage.replay, revocations: storage.revocations, logger: logger)
            let sweeper = LeaseSweeper(store: storage.leases, audit: components.audit, logger: logger)
            var services: [any Service] = [application, PolicyRefreshService(policies: components.policies, logger: logger), maintenance, sweeper]
            if let providers = components.providers { services.append(providers) }
            let group = ServiceGroup(configuration: .init(
                services: services,
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            ))
            try await group.run()
        } catch {
            try? await storage.close()
            throw error
        }
        try await storage.close()
    }

    private func assemble(storage: any StorageBackend, logger: Logger) async throws -> ServerComponents {
        let key = try AuditKeyFile.loadOrCreate(path: configuration.resolvedAuditKeyFile)
        let copy = try configuration.auditLog.map { try AuditLineWriter(destination: $0) }
        let audit = AuditLog(store: storage.audit, key: key, copy: copy, logger: logger)
        let policies = PolicyService(store: storage.policies)
        let bootstrap = try configuration.initialPolicy.map { path -> (yaml: String, sourceName: String) in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw StartupError("initial_policy: cannot read \(path)")
            }
            return (text, path)
        }
        do {
            guard try await policies.load(bootstrapDocument: bootstrap) != nil else {
                throw StartupError("storage holds no policy and no initial_policy is configured")
            }
        } catch let error as ServiceError {
            throw StartupError("policy: \(error)")
        }
        var settings = configuration.issuerSettings
        settings.issuer = configuration.resolvedIssuer
        do {
            try settings.validate()
        } catch {
            throw StartupError("issuer: \(error)")
        }
        let rootKeys: RootKeyring
        do {
            let (seal, firstKey) = try RootKeySealChoice.make(configuration)
            rootKeys = try await RootKeyring.open(store: storage.rootKeys, seal: seal, firstKey: firstKey)
        } catch let error as StartupError {
            throw error
        } catch {
            throw StartupError("root keyring: \(error)")
        }
        let keys = KeyRing(store: storage.signingKeys, rootKeys: rootKeys, settings: settings)
        do {
            try await keys.maintain()
        } catch {
            throw StartupError("signing keys: \(error)")
        }
        let tokens = TokenIssuer(keys: keys, policies: policies, revocations: storage.revocations)
        let apiKeys = APIKeyService(store: storage.apiKeys, policies: policies, key: key)
        let gate = AccessGate(
            authenticators: AuthenticatorChain([
                AdminTokenAuthenticator(credentials: storage.credentials),
                APIKeyAuthenticator(keys: apiKeys),
                AccessTokenAuthenticator(issuer: tokens),
            ]),
            policies: policies,
            audit: audit
        )
        let metrics = ServerMetrics()
        let staticToken = try configuration.staticTokenFile.map { path -> StaticTokenMigration in
            guard let text = try? String(contentsOfFile: path, encoding: .utf8), !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw StartupError("static_token_file: cannot read \(path)")
            }
            guard policies.current?.policy.identity(named: configuration.staticTokenIdentity) != nil else {
                throw StartupError("static_token_identity: \(configuration.staticTokenIdentity) is not an identity in the policy")
            }
            return StaticTokenMigration(token: text.trimmingCharacters(in: .whitespacesAndNewlines), mode: configuration.staticTokenMode, identity: configuration.staticTokenIdentity) { mode in
                metrics.recordStaticTokenUse(mode: mode.rawValue)
                if mode == .warn { logger.warning("the static service token was used; migrate the caller to workload identity") }
            }
        }
        let keyManagement = KeyManagementComponents.assemble(storage: storage, rootKeys: rootKeys)
        let issuer = IssuerComponents.assemble(storage: storage, keys: keys, policies: policies, audit: audit, staticToken: staticToken, leases: keyManagement.leases)
        let secrets = SecretService(store: storage.secrets, keyring: rootKeys)
        let providers = try configuration.providerInstances.map { path in
            try ProviderInstancesFile.broker(path: path, factory: ProviderExchangeFactory(issuer: tokens, secrets: secrets), metrics: metrics, logger: logger)
        }
        return ServerComponents(storage: storage, gate: gate, metrics: metrics, issuer: issuer, apiKeys: apiKeys, secrets: secrets, keys: keyManagement, providers: providers)
    }
}
