/// Facts about the HTTP request that the audit log records, known before authentication.
public struct RequestInfo: Sendable, Equatable {
    public var requestID: String
    /// The peer's address as seen by the server.
    public var source: String

    public init(requestID: String, source: String) {
        self.requestID = requestID
        self.source = source
    }
}
