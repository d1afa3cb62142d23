import Foundation
import QuartermasterStorage

/// Registration against desired state (seed 004): an instance of service S may register only
/// from a cluster the policy lists for S, and the cluster is the one its verified token
/// proves, never one the request names.
public struct RegistrationService: Sendable {
    private let policies: PolicyService
    private let store: any RegistrationStore
    private let audit: AuditLog

    public init(policies: PolicyService, store: any RegistrationStore, audit: AuditLog) {
        self.policies = policies
        self.store = store
        self.audit = audit
    }

    /// Registers `instanceID` as `service` for a caller whose verified token names `identity`
    /// and `clusterID`. `claimedCluster` is recorded only to audit a mismatch.
    public func register(instanceID: String, service: String, identity: String, clusterID: String?, credentialID: String, claimedCluster: String?, request: RequestInfo) async throws -> StoredRegistration {
        guard !instanceID.isEmpty, instanceID.utf8.count <= 128, instanceID.allSatisfy({ $0.isLetter || $0.isNumber || "-_.:".contains($0) }) else {
            throw ServiceError.invalidInput("instance_id must be 1-128 characters of letters, digits, - _ . :")
        }
        var details = ["instance_id": instanceID, "credential_id": credentialID]
        if let claimedCluster, claimedCluster != clusterID { details["claimed_cluster_id"] = String(claimedCluster.prefix(128)) }
        func refuse(_ reason: String) async throws -> Never {
            try await audit.record(AuditEvent(requestID: request.requestID, subject: identity, action: "register", resource: "registration/\(service)", decision: "deny", reason: reason, source: request.source, details: details))
            throw ServiceError.forbidden(reason)
        }
        guard service == identity else { try await refuse("identity \(identity) may not register as \(service)") }
        guard let clusterID else { try await refuse("the credential proves no cluster") }
        guard let entry = policies.current?.policy.identity(named: service), entry.clusters.contains(clusterID) else {
            try await refuse("desired state does not list \(service) in cluster \(clusterID)")
        }
        let registration = StoredRegistration(instanceID: instanceID, service: service, clusterID: clusterID, registeredAt: Date(), credentialID: credentialID)
        try await store.upsert(registration)
        try await audit.record(AuditEvent(requestID: request.requestID, subject: identity, action: "register", resource: "registration/\(service)", decision: "allow", reason: "registered in \(clusterID)", source: request.source, details: details))
        return registration
    }

    /// Registrations, newest first.
    public func list(service: String?, limit: Int) async throws -> [StoredRegistration] {
        try await store.list(service: service, limit: limit)
    }
}
