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
    public let keys: KeyManagementComponents
    /// The provider credential broker, when `provider-instances.yaml` is configured.
    public let providers: ProviderBroker?

    public init(storage: any StorageBackend, gate: AccessGate, metrics: ServerMetrics, issuer: IssuerComponents, apiKeys: APIKeyService, secrets: SecretService, keys: KeyManagementComponents, providers: ProviderBroker? = nil) {
        self.secrets = secrets
        self.storage = storage
        self.gate = gate
        self.metrics = metrics
        self.issuer = issuer
        self.apiKeys = apiKeys
        self.keys = keys
        self.providers = providers
    }

    public var policies: PolicyService { gate.policies }
    public var audit: AuditLog { gate.audit }
    public var leases: LeaseService { keys.leases }
    public var transit: TransitKeyService { keys.transit }
    public var attestation: AttestationVerifier { keys.attestation }
    public var rootKeys: RootKeyring { keys.rootKeys }
    public var rewrapper: RootKeyRewrapper { keys.rewrapper }
}
