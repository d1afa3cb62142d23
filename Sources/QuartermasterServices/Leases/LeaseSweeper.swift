import Foundation
import Logging
import QuartermasterStorage
import ServiceLifecycle

/// Removes expired leases in bounded batches, off the request path. Each pass takes at most
/// `batchSize` leases per round and at most `maxBatchesPerPass` rounds, so a backlog (after a
/// long outage, or 100k leases ending at once) drains over a few passes without ever holding
/// a long transaction, and start-up never waits for it. Each swept batch is one audit record
/// listing the lease ids.
public struct LeaseSweeper: Service {
    private let store: any LeaseStore
    private let audit: AuditLog
    private let interval: Duration
    private let batchSize: Int
    private let maxBatchesPerPass: Int
    private let logger: Logger

    public init(store: any LeaseStore, audit: AuditLog, interval: Duration = .seconds(5), batchSize: Int = 500, maxBatchesPerPass: Int = 20, logger: Logger) {
        self.store = store
        self.audit = audit
        self.interval = interval
        self.batchSize = batchSize
        self.maxBatchesPerPass = maxBatchesPerPass
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    _ = try await sweepPass(now: Date())
                } catch {
                    logger.error("lease sweep failed; will retry", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    /// One pass: sweeps batches until one comes back short or the pass's budget is spent.
    /// Returns how many leases it removed.
    public func sweepPass(now: Date) async throws -> Int {
        var removed = 0
        for _ in 0..<maxBatchesPerPass {
            let swept = try await store.sweep(expiredAt: now, limit: batchSize)
            if !swept.isEmpty {
                _ = try await audit.record(AuditEvent(
                    time: now, requestID: "lease-sweeper", subject: "quartermaster", action: "expire", resource: "sys/leases",
                    decision: "ok", reason: "\(swept.count) lease(s) expired", source: "internal",
                    details: ["leases": swept.map(\.id).joined(separator: ",")]
                ))
            }
            removed += swept.count
            if swept.count < batchSize { break }
        }
        return removed
    }
}
