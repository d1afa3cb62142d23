import QuartermasterServices
import QuartermasterStorage

/// Everything the HTTP layer needs, assembled once at start.
public struct ServerComponents: Sendable {
    public let storage: any StorageBackend
    public let gate: AccessGate
    public let metrics: ServerMetrics
    public let issuer: IssuerComponents
    public let apiKeys: APIKeyService
    public let secrets: SecretService

    public init(storage: any StorageBackend, gate: AccessGate, metrics: ServerMetrics, issuer: IssuerComponents, apiKeys: APIKeyService, secrets: SecretService) {
        self.secrets = secrets
        self.storage = storage
        self.gate = gate
        self.metrics = metrics
        self.issuer = issuer
        self.apiKeys = apiKeys
    }

    public var policies: PolicyService { gate.policies }
    public var audit: AuditLog { gate.audit }
}
