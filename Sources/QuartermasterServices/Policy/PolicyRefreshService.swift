import Logging
import ServiceLifecycle

/// Polls storage so that a policy applied through another replica comes into force here too.
public struct PolicyRefreshService: Service {
    private let policies: PolicyService
    private let interval: Duration
    private let logger: Logger

    public init(policies: PolicyService, interval: Duration = .seconds(5), logger: Logger) {
        self.policies = policies
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    try await policies.refresh()
                } catch {
                    logger.warning("policy refresh failed; the active policy stays", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
