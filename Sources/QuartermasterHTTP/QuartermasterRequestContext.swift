import Hummingbird
import NIOCore
import QuartermasterServices

/// The per-request context: Hummingbird's core storage plus the caller's address.
public struct QuartermasterRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// `ip:port` of the peer, or "unknown".
    public let source: String
    /// The body size limit, from the server configuration.
    public var maxUploadSize: Int { RequestLimits.maxBodyBytes }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        if let address = source.channel.remoteAddress, let ip = address.ipAddress {
            self.source = address.port.map { address.protocol == .inet6 ? "[\(ip)]:\($0)" : "\(ip):\($0)" } ?? ip
        } else {
            self.source = "unknown"
        }
    }

    /// The request facts the service layer records in the audit log.
    public var requestInfo: RequestInfo {
        RequestInfo(requestID: id, source: source)
    }
}
