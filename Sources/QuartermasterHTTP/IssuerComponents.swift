import QuartermasterServices
import QuartermasterStorage

/// The issuer's services, assembled once at start.
public struct IssuerComponents: Sendable {
    public let keys: KeyRing
    public let tokens: TokenEndpoint
    public let introspection: TokenIntrospection
    public let registrations: RegistrationService
    public let clients: any ClientStore
    public let revocations: any RevocationStore

    public init(keys: KeyRing, tokens: TokenEndpoint, introspection: TokenIntrospection, registrations: RegistrationService, clients: any ClientStore, revocations: any RevocationStore) {
        self.keys = keys
        self.tokens = tokens
        self.introspection = introspection
        self.registrations = registrations
        self.clients = clients
        self.revocations = revocations
    }

    /// Wires the issuer from storage, the policy service and the audit log.
    public static func assemble(storage: any StorageBackend, keys: KeyRing, policies: PolicyService, audit: AuditLog, staticToken: StaticTokenMigration? = nil, kubernetes: KubernetesTokenVerifier = KubernetesTokenVerifier(), leases: LeaseService? = nil) -> IssuerComponents {
        let issuer = TokenIssuer(keys: keys, policies: policies, revocations: storage.revocations)
        let clients = ClientAuthenticator(clients: storage.clients, replay: storage.replay, settings: keys.settings)
        return IssuerComponents(
            keys: keys,
            tokens: TokenEndpoint(issuer: issuer, clients: clients, kubernetes: kubernetes, audit: audit, staticToken: staticToken, leases: leases),
            introspection: TokenIntrospection(issuer: issuer, revocations: storage.revocations, audit: audit, leases: leases),
            registrations: RegistrationService(policies: policies, store: storage.registrations, audit: audit),
            clients: storage.clients,
            revocations: storage.revocations
        )
    }
}
