import QuartermasterServices
import QuartermasterStorage

/// The root keyring, leases and transit keys, assembled once at start.
public struct KeyManagementComponents: Sendable {
    public let rootKeys: RootKeyring
    public let rewrapper: RootKeyRewrapper
    public let leases: LeaseService
    public let transit: TransitKeyService
    public let attestation: AttestationVerifier

    public init(rootKeys: RootKeyring, rewrapper: RootKeyRewrapper, leases: LeaseService, transit: TransitKeyService, attestation: AttestationVerifier) {
        self.rootKeys = rootKeys
        self.rewrapper = rewrapper
        self.leases = leases
        self.transit = transit
        self.attestation = attestation
    }

    /// Assembles the services over `storage`, sealing under `rootKeys`.
    public static func assemble(storage: any StorageBackend, rootKeys: RootKeyring, attestation: AttestationVerifier = AttestationVerifier()) -> KeyManagementComponents {
        KeyManagementComponents(
            rootKeys: rootKeys,
            rewrapper: RootKeyRewrapper(keyring: rootKeys, signingKeys: storage.signingKeys),
            leases: LeaseService(store: storage.leases, revocations: storage.revocations),
            transit: TransitKeyService(store: storage.transitKeys, keyring: rootKeys),
            attestation: attestation
        )
    }
}
