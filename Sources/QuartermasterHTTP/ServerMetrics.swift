import Prometheus

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
    private static let latencyBuckets: [Duration] = [
        .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2),
        .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100),
        .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5),
    ]

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    /// Counts a finished request and records its latency.
    func recordRequest(route: String, method: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests, labels: [("route", route), ("method", method), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.latency, labels: [("route", route), ("method", method)], buckets: Self.latencyBuckets).record(duration)
    }

    /// Counts an authorization decision by result.
    func recordDecision(allowed: Bool) {
        registry.makeCounter(descriptor: Self.decisions, labels: [("result", allowed ? "allow" : "deny")]).increment()
    }

    /// Counts one presentation of the legacy static token.
    public func recordStaticTokenUse(mode: String) {
        registry.makeCounter(descriptor: Self.staticTokenUses, labels: [("mode", mode)]).increment()
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        registry.emitToString()
    }
}
