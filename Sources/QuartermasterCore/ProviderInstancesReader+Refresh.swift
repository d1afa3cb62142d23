import Yams

extension ProviderInstancesReader {
    /// Reads an instance's `refresh` mapping: positive durations (`jitter` may be `0s`, to turn
    /// it off), `max_backoff` at least `min_backoff` (defaults included) and `jitter` shorter
    /// than `window` when both are given.
    mutating func readRefreshSettings(_ node: Node) -> RefreshSettings? {
        let allowed = ["window", "jitter", "min_backoff", "max_backoff", "timeout"]
        guard let fields = fields(of: node, in: "refresh", allowed: allowed) else { return nil }
        func duration(_ key: String) -> (value: Duration?, isValid: Bool) {
            guard let node = fields[key] else { return (nil, true) }
            if key == "jitter", let text = node.scalar?.string, DurationText.parse(text) == .zero { return (.zero, true) }
            let value = readPositiveDuration(node, for: key)
            return (value, value != nil)
        }
        let window = duration("window"), jitter = duration("jitter"), timeout = duration("timeout")
        let minBackoff = duration("min_backoff"), maxBackoff = duration("max_backoff")
        guard window.isValid, jitter.isValid, timeout.isValid, minBackoff.isValid, maxBackoff.isValid else { return nil }
        var isValid = true
        let shortest = minBackoff.value ?? RefreshSettings.defaultMinBackoff
        let longest = maxBackoff.value ?? RefreshSettings.defaultMaxBackoff
        if longest < shortest {
            isValid = false
            if let node = fields["max_backoff"] {
                let shortestText = DurationText.format(shortest) + (minBackoff.value == nil ? ", the default" : "")
                report("'max_backoff' (\(DurationText.format(longest))) is shorter than 'min_backoff' (\(shortestText))", at: node)
            } else if let node = fields["min_backoff"] {
                report("'min_backoff' (\(DurationText.format(shortest))) is longer than 'max_backoff' (\(DurationText.format(longest)), the default)", at: node)
            }
        }
        if let windowValue = window.value, let jitterValue = jitter.value, jitterValue >= windowValue, let node = fields["jitter"] {
            isValid = false
            report("'jitter' (\(DurationText.format(jitterValue))) must be shorter than 'window' (\(DurationText.format(windowValue)))", at: node)
        }
        guard isValid else { return nil }
        return RefreshSettings(
            window: window.value,
            jitter: jitter.value,
            minBackoff: shortest,
            maxBackoff: longest,
            timeout: timeout.value ?? RefreshSettings.defaultTimeout
        )
    }
}
