import Foundation
import QuartermasterCore
import ServiceLifecycle

/// The provider credentials the server brokers: one `CredentialRefresher` per instance of
/// `provider-instances.yaml`, each refreshing in its own task. Reads never wait for a refresh:
/// they get the cached credential while it is valid, or a clear 503 naming the last error.
public final class ProviderBroker: Service {
    private let refreshers: [String: CredentialRefresher]

    public init(refreshers: [CredentialRefresher]) {
        self.refreshers = Dictionary(refreshers.map { ($0.instance.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The instance's valid credential; `notFound` for an unknown instance, `unavailable` when
    /// no valid credential is cached (never obtained, or expired while refreshes fail).
    public func credential(instance name: String, now: Date = Date()) throws(ServiceError) -> (ProviderInstance, ProviderCredential) {
        guard let refresher = refreshers[name] else { throw .notFound("no provider instance \(name)") }
        guard let credential = refresher.current(now: now) else {
            let status = refresher.status
            let reason = status.lastError.map { "the last refresh failed: \($0)" }
                ?? (status.expiresAt.map { "the credential expired at \($0.formatted(.iso8601)) before a refresh succeeded" } ?? "no credential has been obtained yet")
            throw .unavailable("provider instance \(name) has no valid credential; \(reason)")
        }
        return (refresher.instance, credential)
    }

    /// Every instance's refresh state, by name.
    public func statuses() -> [CredentialRefresher.Status] {
        refreshers.values.map(\.status).sorted { $0.instance < $1.instance }
    }

    /// Runs every refresher until graceful shutdown.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            await self.refreshAll()
        }
    }

    /// One attempt for every instance at once, now (at start-up checks and in tests).
    public func refreshNow() async {
        await withDiscardingTaskGroup { group in
            for refresher in refreshers.values {
                group.addTask { await refresher.attempt(now: Date()) }
            }
        }
    }

    /// Runs every refresher, each in its own child task, until cancelled.
    public func refreshAll() async {
        await withDiscardingTaskGroup { group in
            for refresher in refreshers.values {
                group.addTask { await refresher.run() }
            }
        }
    }
}
