import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import QuartermasterCore
import QuartermasterCrypto
import QuartermasterHTTP
import QuartermasterServices
import QuartermasterStorage

/// A server on a fresh SQLite file with a small policy and a bootstrap admin token.
struct TestServer {
    let components: ServerComponents
    let adminToken: String
    let directory: URL

    static let issuerURL = "http://qm.test"
    /// The legacy shared service token configured in static-token tests.
    static let legacyToken = "legacy-shared-service-token-0123456789"

    static let policy = """
    version: 1
    clusters:
      - id: prod-eu-1
        environment: production
    identities:
      - name: admin
        kind: human
        roles: [admin]
      - name: gateway-service
        kind: service
        clusters: [prod-eu-1]
        roles: [gateway]
      - name: tee-runtime
        kind: service
        roles: [tee]
    roles:
      - name: admin
        grants:
          - actions: ["*"]
            resources: ["sys/**", "secret/**"]
          - actions: [create, read, list, rotate, update, encrypt, rewrap]
            resources: ["transit", "transit/**"]
      - name: tee
        grants:
          - actions: [decrypt]
            resources: [transit/model-weights]
            conditions:
              key_version: [2]
      - name: gateway
        grants:
          - actions: [read]
            resources: ["secret/leased/**"]
            lease: {ttl: 15m, max_ttl: 1h}
          - actions: [read]
            resources: ["provider/anthropic_local", "provider/anthropic_empty"]
          - actions: [read]
            resources: ["secret/gateway/**"]
    """

    static func make(auditStore: (any AuditStore)? = nil, staticTokenMode: StaticTokenMigration.Mode? = nil, providerInstances: String? = nil) async throws -> TestServer {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qm-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let storage = try await Storage.open(url: "sqlite:" + directory.appendingPathComponent("test.db").path, logger: Logger(label: "test"))
        let policies = PolicyService(store: storage.policies)
        try await policies.apply(yaml: policy, sourceName: "policy.yaml", by: "test")
        let token = try await AdminTokenAuthenticator.bootstrap(credentials: storage.credentials)!
        let rootKeys = try await RootKeyring.open(store: storage.rootKeys, seal: LocalRootKeySeal(key: KeyEncryptionKey.generate().key, source: "test"))
        let keys = KeyRing(store: storage.signingKeys, rootKeys: rootKeys, settings: IssuerSettings(issuer: issuerURL))
        try await keys.maintain()
        let auditKey = AuditKey.generate().key
        // A generous write deadline: tests run in parallel on a small, busy machine.
        let audit = AuditLog(store: auditStore ?? storage.audit, key: auditKey, writeTimeout: .seconds(30))
        let apiKeys = APIKeyService(store: storage.apiKeys, policies: policies, key: auditKey)
        let gate = AccessGate(
            authenticators: AuthenticatorChain([
                AdminTokenAuthenticator(credentials: storage.credentials),
                APIKeyAuthenticator(keys: apiKeys),
                AccessTokenAuthenticator(issuer: TokenIssuer(keys: keys, policies: policies, revocations: storage.revocations)),
            ]),
            policies: policies,
            audit: audit
        )
        let metrics = ServerMetrics()
        let staticToken = staticTokenMode.map { mode in
            StaticTokenMigration(token: legacyToken, mode: mode, identity: "gateway-service") { metrics.recordStaticTokenUse(mode: $0.rawValue) }
        }
        let keyManagement = KeyManagementComponents.assemble(storage: storage, rootKeys: rootKeys)
        let issuer = IssuerComponents.assemble(storage: storage, keys: keys, policies: policies, audit: audit, staticToken: staticToken, leases: keyManagement.leases)
        let secrets = SecretService(store: storage.secrets, keyring: rootKeys)
        let providers = try providerInstances.map { yaml in
            let factory = ProviderExchangeFactory(issuer: nil, secrets: secrets)
            return ProviderBroker(refreshers: try ProviderInstancesParser.parse(yaml: yaml, sourceName: "provider-instances.yaml").instances.map { instance in
                CredentialRefresher(instance: instance, exchange: try factory.exchange(for: instance), logger: Logger(label: "test")) { instance, succeeded in
                    metrics.recordCredentialRefresh(provider: instance.name, method: instance.method, succeeded: succeeded)
                }
            })
        }
        return TestServer(components: ServerComponents(storage: storage, gate: gate, metrics: metrics, issuer: issuer, apiKeys: apiKeys, secrets: secrets, keys: keyManagement, providers: providers), adminToken: token, directory: directory)
    }

    /// Runs `body` against the router, then removes the data, whether or not `body` threw.
    func test(_ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: ApplicationBuilder.router(components))
        var failure: (any Error)?
        do {
            try await app.test(.router, body)
        } catch {
            failure = error
        }
        do {
            try await components.storage.close()
        } catch {
            failure = failure ?? error
        }
        try? FileManager.default.removeItem(at: directory)
        if let failure { throw failure }
    }

    var adminHeaders: HTTPFields { [.authorization: "Bearer \(adminToken)"] }
}

/// Decodes a JSON response body.
func decode<T: Decodable>(_ type: T.Type, _ response: TestResponse) throws -> T {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .iso8601
    return try decoder.decode(type, from: Data(buffer: response.body))
}

/// The error body every failure carries.
struct ErrorBody: Decodable, Equatable {
    var error: String
    var detail: String
}

extension ByteBuffer {
    init(json: String) { self.init(string: json) }
}
