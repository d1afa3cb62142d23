import Logging

/// The server's log handler: swift-log's `StreamLogHandler` on standard error, except that
/// metadata is formatted when a message is logged rather than each time it is set.
///
/// Why: Hummingbird sets a request id on its logger for every request, and
/// `StreamLogHandler` formats its whole metadata on each set, which cost about 3% of a secret
/// read's CPU for messages that are almost never logged (docs/PERFORMANCE.md, seventh pass).
/// The output is `StreamLogHandler`'s, unchanged.
struct ServerLogHandler: LogHandler {
    private let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    init(label: String) {
        self.label = label
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var stream = StreamLogHandler.standardError(label: label, metadataProvider: metadataProvider)
        stream.logLevel = logLevel
        stream.metadata = metadata
        stream.log(event: event)
    }
}
