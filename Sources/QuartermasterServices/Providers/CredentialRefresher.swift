import Foundation
import Logging
import QuartermasterCore
import Synchronization

/// Keeps one provider instance's credential fresh, on its own schedule: it refreshes ahead of
/// expiry (the instance's window, moved earlier by a random jitter), retries failures with
/// exponential backoff and full jitter, and keeps serving the cached credential while it is
/// valid. Nothing another refresher does can delay it: each runs in its own task, and every
/// attempt is bounded by the instance's timeout.
public final class CredentialRefresher: Sendable {
    /// What `providers status` and the metrics show; never the credential itself.
    public struct Status: Sendable, Equatable {
        public var instance: String
        public var type: String
        public var method: String
        public var obtainedAt: Date?
        public var expiresAt: Date?
        public var lastAttempt: Date?
        public var lastSuccess: Date?
        public var lastError: String?
        public var nextAttempt: Date?
        public var consecutiveFailures: Int
    }

    /// How often a credential that never expires (a static key) is read again.
    public static let unexpiringRefreshInterval: Duration = .seconds(300)

    public let instance: ProviderInstance
    private let exchange: any CredentialExchange
    private let onAttempt: @Sendable (_ instance: ProviderInstance, _ succeeded: Bool) -> Void
    private let logger: Logger
    private let state: Mutex<(credential: ProviderCredential?, status: Status)>

    /// `onAttempt` is told the outcome of every attempt (for the refresh counter).
    public init(instance: ProviderInstance, exchange: any CredentialExchange, logger: Logger, onAttempt: @escaping @Sendable (ProviderInstance, Bool) -> Void = { _, _ in }) {
        self.instance = instance
        self.exchange = exchange
        self.onAttempt = onAttempt
        self.logger = logger
        state = Mutex((nil, Status(instance: instance.name, type: instance.type.rawValue, method: instance.method, consecutiveFailures: 0)))
    }

    /// The cached credential while it is valid at `now`.
    public func current(now: Date = Date()) -> ProviderCredential? {
        state.withLock { state in
            guard let credential = state.credential else { return nil }
            if let expiresAt = credential.expiresAt, expiresAt <= now { return nil }
            return credential
        }
    }

    /// The refresher's state.
    public var status: Status { state.withLock { $0.status } }

    /// Refreshes until cancelled.
    public func run() async {
        while !Task.isCancelled {
            let delay = await attempt(now: Date())
            do {
                try await Task.sleep(for: delay)
            } catch {
                return
            }
        }
    }

    /// One attempt; returns how long to wait before the next.
    @discardableResult
    public func attempt(now: Date) async -> Duration {
        var result = await fetchWithTimeout(now: now)
        if case .success(let credential) = result, let expiresAt = credential.expiresAt, expiresAt <= Date() {
            // Already expired by our clock: clock skew between us and the provider, or a
            // lifetime shorter than the exchange took. Never cache it; retry with backoff.
            result = .failure(.malformedResponse("the credential expires at \(expiresAt.formatted(.iso8601)), which is already past by this server's clock (clock skew?)"))
        }
        switch result {
        case .success(let credential):
            let delay = Self.delayAfterSuccess(credential, settings: instance.refresh, now: now)
            state.withLock {
                $0.credential = credential
                $0.status.obtainedAt = credential.obtainedAt
                $0.status.expiresAt = credential.expiresAt
                $0.status.lastAttempt = now
                $0.status.lastSuccess = now
                $0.status.lastError = nil
                $0.status.consecutiveFailures = 0
                $0.status.nextAttempt = now.addingTimeInterval(delay.seconds)
            }
            onAttempt(instance, true)
            return delay
        case .failure(let error):
            let failures = state.withLock { state in
                state.status.consecutiveFailures += 1
                return state.status.consecutiveFailures
            }
            let delay = Self.backoff(failures: failures, settings: instance.refresh)
            state.withLock {
                $0.status.lastAttempt = now
                $0.status.lastError = error.description
                $0.status.nextAttempt = now.addingTimeInterval(delay.seconds)
            }
            onAttempt(instance, false)
            logger.error("credential refresh failed; the cached credential stays in service until it expires", metadata: [
                "instance": "\(instance.name)", "method": "\(instance.method)", "error": "\(error)", "attempt": "\(failures)",
            ])
            return delay
        }
    }

    /// When to refresh a fresh credential: its expiry less the window and a random jitter; a
    /// credential that does not expire is read again every `unexpiringRefreshInterval`.
    static func delayAfterSuccess(_ credential: ProviderCredential, settings: RefreshSettings, now: Date) -> Duration {
        guard let expiresAt = credential.expiresAt else { return unexpiringRefreshInterval }
        let lifetime = Duration.seconds(max(0, expiresAt.timeIntervalSince(credential.obtainedAt)))
        let window = settings.window(forLifetime: lifetime)
        let jitter = settings.jitter(forWindow: window)
        let earlier = Duration.seconds(Double.random(in: 0...max(0, jitter.seconds)))
        let wait = Duration.seconds(expiresAt.timeIntervalSince(now)) - window - earlier
        return max(wait, settings.minBackoff)
    }

    /// Exponential backoff with full jitter: a random wait in [b/2, b] where b doubles from
    /// `minBackoff` with each consecutive failure, up to `maxBackoff`.
    static func backoff(failures: Int, settings: RefreshSettings) -> Duration {
        let exponent = min(max(failures - 1, 0), 30)
        let ceiling = min(settings.maxBackoff.seconds, settings.minBackoff.seconds * pow(2, Double(exponent)))
        return .seconds(Double.random(in: (ceiling / 2)...ceiling))
    }

    /// The exchange's answer, or `.timeout` after the instance's timeout even when the exchange
    /// ignores cancellation (a hung connection never holds the refresher).
    private func fetchWithTimeout(now: Date) async -> Result<ProviderCredential, CredentialExchangeError> {
        let exchange = self.exchange
        do {
            return try await withTimeout(instance.refresh.timeout) {
                do throws(CredentialExchangeError) {
                    return Result<ProviderCredential, CredentialExchangeError>.success(try await exchange.fetch(now: now))
                } catch {
                    return .failure(error)
                }
            }
        } catch {
            return .failure(.timeout)
        }
    }
}
