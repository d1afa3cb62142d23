import Foundation
import QuartermasterCrypto
import QuartermasterStorage
import Synchronization

/// The issuer's signing keys: generated, sealed and stored, rotated on schedule, published.
///
/// Schedule per algorithm: a key signs for `rotationPeriod`; its successor is created and
/// published at least `jwksCacheTTL` before it takes over, so verifiers that cache the JWKS
/// already know it; a retired key stays published for `keyRetention` (at least the longest
/// token lifetime) and is then deleted.
public final class KeyRing: Sendable {
    /// One key as the ring sees it.
    public struct Entry: Sendable {
        public let stored: StoredSigningKey
        public let material: SigningKeyMaterial
        public let jwk: PublicJWK

        /// `pending` (published, not signing yet), `active`, or `retired` (published, verifying only).
        public func state(at now: Date) -> String {
            if now < stored.signsFrom { return "pending" }
            if now < stored.signsUntil { return "active" }
            return "retired"
        }
    }

    private struct State: Sendable {
        var entries: [Entry]
        var signer: TokenSigner
    }

    private let store: any SigningKeyStore
    private let rootKeys: RootKeyring
    public let settings: IssuerSettings
    private let state: Mutex<State?> = Mutex(nil)

    /// Private keys are sealed under the root keyring's active key.
    public init(store: any SigningKeyStore, rootKeys: RootKeyring, settings: IssuerSettings) {
        self.store = store
        self.rootKeys = rootKeys
        self.settings = settings
    }

    /// Loads stored keys and creates, schedules or deletes keys as the schedule requires.
    public func maintain(now: Date = Date()) async throws {
        var stored = try await store.all()
        for key in stored where key.publishedUntil < now {
            try await store.delete(kid: key.kid)
        }
        stored.removeAll { $0.publishedUntil < now }
        for algorithm in settings.algorithmsInUse {
            let own = stored.filter { $0.algorithm == algorithm.rawValue }
            let latest = own.max { $0.signsUntil < $1.signsUntil }
            if latest == nil || latest!.signsUntil <= now {
                // Nothing signs now (first start, or the server was down past the schedule).
                stored.append(try await create(algorithm, signsFrom: now))
            } else if let latest, latest.signsUntil.timeIntervalSince(now) <= settings.jwksCacheTTL.seconds * 2 {
                stored.append(try await create(algorithm, signsFrom: latest.signsUntil))
            }
        }
        try await install(stored)
    }

    /// Publishes a new key now. With `immediate` it signs at once (after a compromise);
    /// otherwise it takes over after one JWKS cache period, and the current key retires then.
    @discardableResult
    public func rotate(algorithm: SigningAlgorithm? = nil, immediate: Bool, now: Date = Date()) async throws -> Entry {
        let algorithm = algorithm ?? settings.defaultAlgorithm
        let takeover = Date(timeIntervalSince1970: (immediate ? now : now.addingTimeInterval(settings.jwksCacheTTL.seconds)).timeIntervalSince1970.rounded(.down))
        var stored = try await store.all()
        for var key in stored where key.algorithm == algorithm.rawValue && key.signsUntil > takeover {
            key.signsUntil = max(takeover, key.signsFrom)
            key.publishedUntil = key.signsUntil.addingTimeInterval(settings.keyRetention.seconds)
            try await store.update(key)
            stored.removeAll { $0.kid == key.kid }
            stored.append(key)
        }
        let created = try await create(algorithm, signsFrom: takeover)
        stored.append(created)
        try await install(stored)
        guard let entry = entries.first(where: { $0.stored.kid == created.kid }) else {
            throw ServiceError.unavailable("the new key was not installed")
        }
        return entry
    }

    /// Every published key (pending, active and retired).
    public var entries: [Entry] {
        state.withLock { $0?.entries ?? [] }
    }

    /// The JWKS document: every published key.
    public var jwks: [PublicJWK] {
        entries.map(\.jwk)
    }

    /// The signer holding every published key.
    public var signer: TokenSigner {
        get throws {
            guard let signer = state.withLock({ $0?.signer }) else { throw ServiceError.unavailable("the key ring is not loaded") }
            return signer
        }
    }

    /// The key that signs for `algorithm` at `now`: the active key that started most recently.
    public func signingKey(_ algorithm: SigningAlgorithm, now: Date = Date()) throws -> String {
        let candidates = entries.filter { $0.material.algorithm == algorithm && $0.stored.signsFrom <= now && now < $0.stored.signsUntil }
        guard let key = candidates.max(by: { $0.stored.signsFrom < $1.stored.signsFrom }) else {
            throw ServiceError.unavailable("no \(algorithm.rawValue) key is active; the key ring needs maintenance")
        }
        return key.stored.kid
    }

    private func create(_ algorithm: SigningAlgorithm, signsFrom requested: Date) async throws -> StoredSigningKey {
        // Whole seconds, as in JWT time claims, so stored and in-memory schedules agree exactly.
        let signsFrom = Date(timeIntervalSince1970: requested.timeIntervalSince1970.rounded(.down))
        let material = try SigningKeyMaterial.generate(algorithm)
        let jwk = try material.publicJWK()
        let signsUntil = signsFrom.addingTimeInterval(settings.rotationPeriod.seconds)
        let (rootKeyID, rootKey) = rootKeys.active
        let key = StoredSigningKey(
            kid: material.kid,
            algorithm: algorithm.rawValue,
            sealedPrivateKey: try material.sealed(with: rootKey),
            publicJWK: String(decoding: try JSONEncoder().encode(jwk), as: UTF8.self),
            createdAt: Date(),
            signsFrom: signsFrom,
            signsUntil: signsUntil,
            publishedUntil: signsUntil.addingTimeInterval(settings.keyRetention.seconds),
            rootKeyID: rootKeyID
        )
        try await store.insert(key)
        return key
    }

    private func install(_ stored: [StoredSigningKey]) async throws {
        var entries: [Entry] = []
        for key in stored.sorted(by: { $0.signsFrom < $1.signsFrom }) {
            guard let algorithm = SigningAlgorithm(rawValue: key.algorithm) else { continue }
            let material = try SigningKeyMaterial.unseal(key.sealedPrivateKey, kid: key.kid, algorithm: algorithm, with: try await rootKeys.key(id: key.rootKeyID))
            entries.append(Entry(stored: key, material: material, jwk: try material.publicJWK()))
        }
        let signer = try await TokenSigner.make(keys: entries.map(\.material))
        state.withLock { $0 = State(entries: entries, signer: signer) }
    }
}
