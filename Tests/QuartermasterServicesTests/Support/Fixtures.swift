import Foundation
import QuartermasterCrypto
import QuartermasterServices
import QuartermasterStorage

/// Small policies and helpers shared by the service tests.
enum Fixtures {
    /// An admin with every `sys/` action and one service reading one secret path.
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
    roles:
      - name: admin
        grants:
          - actions: ["*"]
            resources: ["sys/**"]
      - name: gateway
        grants:
          - actions: [read]
            resources: ["secret/gateway/**"]
    """

    /// The same policy with the gateway also reading `secret/shared/**`.
    static let widerPolicy = policy + """

          - actions: [read]
            resources: ["secret/shared/**"]
    """

    /// A generous audit write deadline: the suite runs in parallel on a small, busy machine,
    /// where a synced commit can take seconds. The deadline itself has its own test.
    static let writeTimeout: Duration = .seconds(30)

    static let request = RequestInfo(requestID: "req-1", source: "127.0.0.1:5000")

    static func event(_ number: Int) -> AuditEvent {
        AuditEvent(requestID: "req-\(number)", subject: "gateway-service", action: "read", resource: "secret/gateway/key-\(number)", decision: "allow", reason: "test", source: "127.0.0.1:5000", details: ["n": String(number)])
    }

    /// A root keyring over `backend`, sealed by a fresh local key.
    static func keyring(_ backend: any StorageBackend) async throws -> RootKeyring {
        try await RootKeyring.open(store: backend.rootKeys, seal: LocalRootKeySeal(key: KeyEncryptionKey.generate().key, source: "test"))
    }
}
