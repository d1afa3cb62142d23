import Foundation
import Logging
import QuartermasterStorage
import ServiceLifecycle

/// Keeps the key ring on schedule and purges expired replay and revocation entries, in
/// bounded batches, once a minute.
public struct IssuerMaintenanceService: Service {
    private let keys: KeyRing
    private let replay: any ReplayStore
    private let revocations: any RevocationStore
    private let interval: Duration
    private let logger: Logger

    public init(keys: KeyRing, replay: any ReplayStore, revocations: any RevocationStore, interval: Duration = .seconds(60), logger: Logger) {
        self.keys = keys
        self.replay = replay
        self.revocations = revocations
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                let now = Date()
                do {
                    try await keys.maintain(now: now)
                    _ = try await replay.purge(before: now, limit: 10_000)
                    // Keep revocations past expiry by the clock skew verifiers tolerate.
                    _ = try await revocations.purge(expiredBefore: now.addingTimeInterval(-keys.settings.clockSkew.seconds), limit: 10_000)
                } catch {
                    logger.error("issuer maintenance failed; will retry", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
