import Foundation
import QuartermasterCore
import QuartermasterCrypto
import QuartermasterStorage
import Synchronization

/// Validates, plans, applies and rolls back policy documents, and answers authorization
/// questions with the active one.
///
/// Decisions read the active policy through a lock held only to copy a reference, so
/// they never wait on storage. An invalid document is never applied: the active policy
/// stays as it was.
public final class PolicyService: Sendable {
    private let store: any PolicyStore
    private let active = Mutex<ActivePolicy?>(nil)

    public init(store: any PolicyStore) {
        self.store = store
    }

    /// Loads the newest stored version; when storage has none and `bootstrapDocument` is
    /// given, validates and stores it as version 1. Throws `ServiceError.invalidInput`
    /// with every diagnostic when the stored or bootstrap document is invalid.
    @discardableResult
    public func load(bootstrapDocument: (yaml: String, sourceName: String)? = nil) async throws -> ActivePolicy? {
        if let stored = try await unavailableOnFailure({ try await store.latest() }) {
            return try install(stored)
        }
        guard let bootstrapDocument else { return nil }
        return try await apply(yaml: bootstrapDocument.yaml, sourceName: bootstrapDocument.sourceName, by: "bootstrap", comment: "initial policy")
    }

    /// Reloads when storage holds a newer version than the one in force (another replica applied it).
    public func refresh() async throws {
        guard let stored = try await unavailableOnFailure({ try await store.latest() }) else { return }
        if stored.version > (current?.version ?? 0) {
            try install(stored)
        }
    }

    /// The policy in force, or nil before any was applied.
    public var current: ActivePolicy? {
        active.withLock { $0 }
    }

    /// Decides with the active policy; with none, everything is denied.
    public func decide(_ request: AuthorizationRequest, now: Date = Date()) -> Decision {
        guard let engine = active.withLock({ $0?.engine }) else {
            return Decision.noPolicy(for: request)
        }
        return engine.decide(request, now: now)
    }

    /// Parses and validates a document without applying it.
    public func validate(yaml: String, sourceName: String) throws -> Policy {
        do {
            return try PolicyParser.parse(yaml: yaml, sourceName: sourceName)
        } catch {
            throw ServiceError.invalidInput(error.description)
        }
    }

    /// The access each identity would gain and lose if the document were applied.
    public func plan(yaml: String, sourceName: String) throws -> PolicyPlan {
        let proposed = try validate(yaml: yaml, sourceName: sourceName)
        return PolicyPlan.between(current: current?.policy, proposed: proposed)
    }

    /// Validates and stores the document as a new version and puts it in force.
    @discardableResult
    public func apply(yaml: String, sourceName: String, by identity: String, comment: String = "") async throws -> ActivePolicy {
        let policy = try validate(yaml: yaml, sourceName: sourceName)
        let digest = Digest.sha256Hex(yaml)
        let stored = try await unavailableOnFailure {
            try await store.append(document: yaml, sourceName: sourceName, digest: digest, createdBy: identity, comment: comment)
        }
        return publish(ActivePolicy(stored: stored, policy: policy, engine: PolicyEngine(policy: policy)))
    }

    /// Stores an earlier version's document as a new version and puts it in force.
    @discardableResult
    public func rollback(to version: Int, by identity: String) async throws -> ActivePolicy {
        guard let earlier = try await unavailableOnFailure({ try await store.version(version) }) else {
            throw ServiceError.notFound("policy version \(version) does not exist")
        }
        return try await apply(yaml: earlier.document, sourceName: earlier.sourceName, by: identity, comment: "rollback to version \(version)")
    }

    /// Stored versions, newest first.
    public func history(limit: Int) async throws -> [StoredPolicy] {
        try await unavailableOnFailure { try await store.history(limit: limit) }
    }

    @discardableResult
    private func install(_ stored: StoredPolicy) throws -> ActivePolicy {
        let policy = try validate(yaml: stored.document, sourceName: stored.sourceName)
        return publish(ActivePolicy(stored: stored, policy: policy, engine: PolicyEngine(policy: policy)))
    }

    /// Puts `candidate` in force unless a newer version already is (concurrent applies).
    private func publish(_ candidate: ActivePolicy) -> ActivePolicy {
        active.withLock { current in
            if let existing = current, existing.version > candidate.version { return existing }
            current = candidate
            return candidate
        }
    }

    private func unavailableOnFailure<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError.unavailable("policy storage: \(error)")
        }
    }
}
