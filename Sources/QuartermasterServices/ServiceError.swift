/// What went wrong in a service, in terms the HTTP and CLI layers map to a status or exit code.
/// Messages never contain secret values.
public enum ServiceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No credential, or one that does not verify (HTTP 401).
    case unauthenticated(String)
    /// The policy denies the action; the reason comes from the engine (HTTP 403).
    case forbidden(String)
    /// The request is malformed or fails validation (HTTP 400).
    case invalidInput(String)
    /// The named thing does not exist (HTTP 404).
    case notFound(String)
    /// The request conflicts with stored state (HTTP 409).
    case conflict(String)
    /// A dependency (storage, the audit log) failed; the request was not served (HTTP 503).
    case unavailable(String)

    public var description: String {
        switch self {
        case .unauthenticated(let detail): "unauthenticated: \(detail)"
        case .forbidden(let detail): "forbidden: \(detail)"
        case .invalidInput(let detail): "invalid input: \(detail)"
        case .notFound(let detail): "not found: \(detail)"
        case .conflict(let detail): "conflict: \(detail)"
        case .unavailable(let detail): "unavailable: \(detail)"
        }
    }
}
