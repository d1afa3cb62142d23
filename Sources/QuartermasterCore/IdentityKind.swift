/// What sort of principal an identity stands for.
public enum IdentityKind: String, Sendable, Hashable, Codable, CaseIterable {
    /// A long-running workload such as an API server.
    case service
    /// An autonomous AI agent acting on its own behalf.
    case agent
    /// A continuous-integration pipeline.
    case ci
    /// A person.
    case human
}
