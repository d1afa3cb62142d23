import Foundation

/// The latest registration of one service instance against desired state.
public struct StoredRegistration: Sendable, Equatable, Codable {
    /// The instance, unique: a new registration replaces the previous one.
    public var instanceID: String
    public var service: String
    /// From the verified credential, never from the request.
    public var clusterID: String
    public var registeredAt: Date
    /// The `jti` or credential id the instance registered with (never a token).
    public var credentialID: String

    public init(instanceID: String, service: String, clusterID: String, registeredAt: Date, credentialID: String) {
        self.instanceID = instanceID
        self.service = service
        self.clusterID = clusterID
        self.registeredAt = registeredAt
        self.credentialID = credentialID
    }
}

/// Registered service instances.
public protocol RegistrationStore: Sendable {
    /// Stores a registration, replacing any with the same instance id.
    func upsert(_ registration: StoredRegistration) async throws
    /// Registrations of `service` (every service when nil), newest `registeredAt` first
    /// (ties by instance id), at most `limit`.
    func list(service: String?, limit: Int) async throws -> [StoredRegistration]
}
