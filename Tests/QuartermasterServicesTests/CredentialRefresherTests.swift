import Foundation
import Logging
import QuartermasterCore
import QuartermasterServices
import Synchronization
import Testing

/// An exchange whose answers the test scripts: credentials of a given lifetime, failures, or a
/// hang that ignores cancellation (a dead endpoint).
final class ScriptedExchange: CredentialExchange {
    enum Behaviour: Sendable {
        case succeed(lifetime: TimeInterval)
        case fail
        case hang
    }

    let method = "scripted"
    private let behaviour: Mutex<Behaviour>
    private let calls = Mutex(0)

    init(_ behaviour: Behaviour) {
        self.behaviour = Mutex(behaviour)
    }

    var callCount: Int { calls.withLock { $0 } }

    func set(_ next: Behaviour) { behaviour.withLock { $0 = next } }

    func fetch(now: Date) async throws(CredentialExchangeError) -> ProviderCredential {
        calls.withLock { $0 += 1 }
        switch behaviour.withLock({ $0 }) {
        case .succeed(let lifetime):
            return ProviderCredential(kind: .bearer(token: "token-\(callCount)"), expiresAt: now.addingTimeInterval(lifetime), obtainedAt: now)
        case .fail:
            throw .httpStatus(code: 503, providerError: "ServiceUnavailable: try later")
        case .hang:
            // Like a dead connection: no answer for an hour, and cancellation does not help.
            await withCheckedContinuation { continuation in
                DispatchQueue.global().asyncAfter(deadline: .now() + 3600) { continuation.resume() }
            }
            throw .timeout
        }
    }
}

@Suite("Credential refreshers: ahead of expiry, independent, cached through failures")
struct CredentialRefresherTests {
    static func instance(_ name: String, refresh: RefreshSettings = RefreshSettings()) -> ProviderInstance {
        ProviderInstance(name: name, type: .anthropic, region: nil, refresh: refresh,
                         authentication: .staticSecret(StaticSecretConfig(secretPath: "llm/\(name)")),
                         location: SourceLocation(file: "provider-instances.yaml", line: 1, column: 1))
    }

    @Test("a fresh credential is refreshed its window (plus at most the jitter) before it expires")
    func scheduleAheadOfExpiry() async {
        let exchange = ScriptedExchange(.succeed(lifetime: 3600))
        let refresher = CredentialRefresher(instance: Self.instance("a"), exchange: exchange, logger: Logger(label: "test"))
        let now = Date()
        let delay = await refresher.attempt(now: now).seconds
        #expect((3600 - 300 - 30)...(3600 - 300) ~= delay, "1 h lifetime: 5 min window, 30 s jitter; got \(delay)")
        let short = CredentialRefresher(instance: Self.instance("b"), exchange: ScriptedExchange(.succeed(lifetime: 600)), logger: Logger(label: "test"))
        let shortDelay = await short.attempt(now: now).seconds
        #expect((600 - 120 - 12)...(600 - 120) ~= shortDelay, "10 min lifetime: 20% window; got \(shortDelay)")
        let configured = CredentialRefresher(instance: Self.instance("c", refresh: RefreshSettings(window: .seconds(900), jitter: .zero)), exchange: ScriptedExchange(.succeed(lifetime: 3600)), logger: Logger(label: "test"))
        #expect(await configured.attempt(now: now).seconds == 2700)
    }

    @Test("failures back off exponentially with jitter, keep the cached credential until it expires, and count as errors")
    func failuresKeepCache() async {
        let exchange = ScriptedExchange(.succeed(lifetime: 60))
        let outcomes = Mutex<[Bool]>([])
        let refresher = CredentialRefresher(instance: Self.instance("a", refresh: RefreshSettings(minBackoff: .seconds(1), maxBackoff: .seconds(8))), exchange: exchange, logger: Logger(label: "test")) { _, succeeded in
            outcomes.withLock { $0.append(succeeded) }
        }
        let now = Date()
        await refresher.attempt(now: now)
        exchange.set(.fail)
        var delays: [Double] = []
        for index in 1...5 {
            delays.append(await refresher.attempt(now: now.addingTimeInterval(Double(index))).seconds)
        }
        #expect(zip(delays, [1.0, 2, 4, 8, 8]).allSatisfy { delay, ceiling in (ceiling / 2)...ceiling ~= delay }, "\(delays)")
        #expect(refresher.current(now: now.addingTimeInterval(59)) != nil, "the cached credential serves until it expires")
        #expect(refresher.current(now: now.addingTimeInterval(60)) == nil)
        let status = refresher.status
        #expect(status.consecutiveFailures == 5)
        #expect(status.lastError == "the provider answered HTTP 503: ServiceUnavailable: try later")
        #expect(outcomes.withLock { $0 } == [true, false, false, false, false, false])
    }

    @Test("a credential already expired by our clock (clock skew) is refused as an error, not cached")
    func clockSkew() async {
        let refresher = CredentialRefresher(instance: Self.instance("skewed"), exchange: ScriptedExchange(.succeed(lifetime: -30)), logger: Logger(label: "test"))
        let delay = await refresher.attempt(now: Date()).seconds
        #expect(delay <= 1, "retried with backoff, not hammered or parked; got \(delay)")
        #expect(refresher.current() == nil)
        #expect(refresher.status.lastError?.contains("already past by this server's clock (clock skew?)") == true)
        #expect(refresher.status.consecutiveFailures == 1)
    }

    @Test("a provider whose endpoint hangs does not delay the others, and each attempt is cut off at the timeout")
    func independence() async throws {
        let dead = ScriptedExchange(.hang)
        let healthy = ScriptedExchange(.succeed(lifetime: 5))
        let fast = RefreshSettings(window: .milliseconds(4500), jitter: .zero, minBackoff: .milliseconds(100), maxBackoff: .milliseconds(200), timeout: .milliseconds(300))
        let deadRefresher = CredentialRefresher(instance: Self.instance("dead", refresh: fast), exchange: dead, logger: Logger(label: "test"))
        let broker = ProviderBroker(refreshers: [
            deadRefresher,
            CredentialRefresher(instance: Self.instance("healthy", refresh: fast), exchange: healthy, logger: Logger(label: "test")),
        ])
        let running = Task { await broker.refreshAll() }
        // Wait for progress rather than a fixed time: the suite runs in parallel on a small
        // machine. If the hung instance held the healthy one up, it would never get here.
        let deadline = Date().addingTimeInterval(30)
        while (healthy.callCount < 5 || dead.callCount < 3) && Date() < deadline {
            try await Task.sleep(for: .milliseconds(100))
        }
        running.cancel()
        #expect(healthy.callCount >= 5, "refreshed about every 0.5 s while the other hung; got \(healthy.callCount)")
        #expect(dead.callCount >= 3, "each hung attempt was cut off at 0.3 s and retried; got \(dead.callCount)")
        #expect(deadRefresher.status.lastError == "the provider did not answer in time")
        #expect(throws: ServiceError.self) { try broker.credential(instance: "dead") }
        #expect(try broker.credential(instance: "healthy").1.kind.name == "bearer")
        #expect(throws: ServiceError.notFound("no provider instance nope")) { try broker.credential(instance: "nope") }
    }
}
