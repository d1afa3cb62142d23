import Foundation
import Yams

extension DocumentReading {
    /// Claims a name for an element; reports and refuses it when an earlier element has it.
    mutating func claim(_ name: String, noun: String, at node: Node, in firstDefinitions: inout [String: SourceLocation]) -> Bool {
        if let first = firstDefinitions[name] {
            report("duplicate \(noun) '\(name)'; first defined at \(first)", at: node)
            return false
        }
        firstDefinitions[name] = location(of: node)
        return true
    }

    /// An absolute `https` URL, or `http` on a loopback host for local clusters.
    mutating func readURL(_ node: Node, for key: String) -> String? {
        guard let text = string(node, for: key) else { return nil }
        let loopbackHosts = ["localhost", "127.0.0.1", "::1"]
        guard let components = URLComponents(string: text), let host = components.host, !host.isEmpty,
              components.scheme == "https" || (components.scheme == "http" && loopbackHosts.contains(host))
        else {
            report("'\(key)' must be an absolute https URL (http only on localhost), found '\(text)'", at: node)
            return nil
        }
        return text
    }

    /// A Go-style duration greater than zero.
    mutating func readPositiveDuration(_ node: Node, for key: String) -> Duration? {
        guard let text = string(node, for: key) else { return nil }
        guard let duration = DurationText.parse(text), duration > .zero else {
            report("malformed duration '\(text)' for '\(key)'; expected a positive number and a unit (s, m, h) such as 30s, 15m or 1h", at: node)
            return nil
        }
        return duration
    }
}
