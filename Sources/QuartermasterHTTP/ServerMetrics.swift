import Foundation
import Prometheus
import Synchronization
import QuartermasterServices

/// The server's Prometheus registry and the metric names it exposes.
///
/// Labels carry only route templates, methods, statuses and decision results: never a
/// path parameter, a subject or a secret.
public final class ServerMetrics: Sendable {
    /// The registry `/metrics` renders.
    public let registry: PrometheusCollectorRegistry

    private static var requests: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "quartermaster", subsystem: "http", metricName: "requests", unitName: "total",
        helpText: "HTTP requests by route template, method and status."
    ) }
    private static var latency: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "quartermaster", subsystem: "http", metricName: "request_duration", unitName: "seconds",
        helpText: "HTTP request latency by route template and method."
    ) }
    private static var decisions: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "quartermaster", subsystem: "authorization", metricName: "decisions", unitName: "total",
        helpText: "Authorization decisions answered through /v1/authorize, by result."
    ) }
    private static var staticTokenUses: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "quartermaster", subsystem: "static_token", metricName: "uses", unitName: "total",
        helpText: "Presentations of the legacy static service token, by the migration mode in force."
    ) }
    private static var credentialRefreshes: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "quartermaster", subsystem: "credential", metricName: "refresh", unitName: "total",
        helpText: "Provider credential refresh attempts by provider instance, method and status (ok or error)."
    ) }
    private static var credentialAge: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "quartermaster", subsystem: "credential", metricName: "age", unitName: "seconds",
        helpText: "Age of the cached provider credential, by provider instance and method."
    ) }
    private static var credentialExpiry: MetricNameDescriptor { MetricNameDescriptor(
        namespace: "quartermaster", subsystem: "credential", metricName: "expiry", unitName: "seconds",
        helpText: "Seconds until the cached provider credential expires (negative once expired), by provider instance and method."
    ) }
    private static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    /// Per-request instruments already registered, so a request costs one dictionary lookup
    /// instead of a registry lookup with fresh label arrays.
    private struct RequestInstruments {
        var counters: [String: Counter] = [:]
        var histograms: [String: DurationHistogram] = [:]
    }

    private let requestInstruments = Mutex(RequestInstruments())

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Counts a finished request and records its latency.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        let histogramKey = method + " " + route
        let counterKey = String(status) + " " + histogramKey
        let (counter, histogram) = requestInstruments.withLock { instruments in
            (instruments.counters[counterKey], instruments.histograms[histogramKey])
        }
        let resolvedCounter = counter ?? registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))])
        let resolvedHistogram = histogram ?? registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets)
        if counter == nil || histogram == nil {
            requestInstruments.withLock { instruments in
                instruments.counters[counterKey] = resolvedCounter
                instruments.histograms[histogramKey] = resolvedHistogram
            }
        }
        resolvedCounter.increment()
        resolvedHistogram.record(duration)
    }

    /// Counts an authorization decision by result.
    func recordDecision(allowed: Bool) {
        registry.makeCounter(descriptor: Self.decisions, labels: [("result", allowed ? "allow" : "deny")]).increment()
    }

    /// Counts one presentation of the legacy static token.
    public func recordStaticTokenUse(mode: String) {
        registry.makeCounter(descriptor: Self.staticTokenUses, labels: [("mode", mode)]).increment()
    }

    /// Counts one credential refresh attempt; `provider` is the instance name.
    public func recordCredentialRefresh(provider: String, method: String, succeeded: Bool) {
        registry.makeCounter(descriptor: Self.credentialRefreshes, labels: [("provider", provider), ("method", method), ("status", succeeded ? "ok" : "error")]).increment()
    }

    /// Sets the age and expiry gauges of each instance's cached credential at `now`.
    func updateCredentialGauges(_ statuses: [CredentialRefresher.Status], now: Date) {
        for status in statuses {
            let labels = [("provider", status.instance), ("method", status.method)]
            guard let obtainedAt = status.obtainedAt else { continue }
            registry.makeGauge(descriptor: Self.credentialAge, labels: labels).set(now.timeIntervalSince(obtainedAt))
            if let expiresAt = status.expiresAt {
                registry.makeGauge(descriptor: Self.credentialExpiry, labels: labels).set(expiresAt.timeIntervalSince(now))
            }
        }
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        registry.emitToString()
    }
}
