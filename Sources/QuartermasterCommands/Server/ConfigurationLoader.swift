import Foundation
import QuartermasterCore
import QuartermasterCrypto
import QuartermasterServices
import Yams

/// Reads a YAML configuration file, then lets `QUARTERMASTER_<KEY>` environment variables
/// override each key. Every problem names the key (and, from a file, its line and column).
public enum ConfigurationLoader {
    /// The keys a configuration may hold.
    public static let keys = [
        "listen", "storage", "data_dir", "audit_key_file", "audit_log", "initial_policy", "max_body_bytes", "log_level",
        "root_key_file", "root_key", "root_key_awskms_key_id", "root_key_awskms_region", "root_key_awskms_endpoint", "issuer", "signing_algorithm", "rs256_audiences", "eddsa_audiences", "key_rotation_period",
        "max_token_ttl", "default_token_ttl", "jwks_cache_ttl", "key_retention",
        "static_token_file", "static_token", "static_token_identity", "provider_instances",
    ]

    /// A problem with one key, printed as one line.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public var location: String
        public var key: String
        public var message: String
        public var description: String { "config error: \(location)\(key): \(message)" }
    }

    /// Loads `path` (when given) and applies environment overrides.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(Problem) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        if let path {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw Problem(location: "", key: "--config", message: "cannot read \(path)")
            }
            try apply(yaml: text, file: path, to: &configuration)
        }
        for key in keys {
            if let value = environment["QUARTERMASTER_" + key.uppercased()] {
                try set(key, to: value, at: "QUARTERMASTER_\(key.uppercased()) ", in: &configuration)
            }
        }
        return configuration
    }

    static func apply(yaml: String, file: String, to configuration: inout ServerConfiguration) throws(Problem) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Problem(location: "\(file): ", key: "yaml", message: "\(error)".split(separator: "\n").first.map(String.init) ?? "malformed YAML")
        } catch {
            throw Problem(location: "\(file): ", key: "yaml", message: "malformed YAML")
        }
        guard let root else { return }
        guard let mapping = root.mapping else {
            throw Problem(location: "\(file):\(root.mark?.description ?? "1:1"): ", key: "(top level)", message: "expected a mapping of keys to values")
        }
        for (keyNode, valueNode) in mapping {
            let key = keyNode.string ?? ""
            let location = "\(file):\(keyNode.mark?.description ?? "?"): "
            guard keys.contains(key) else {
                throw Problem(location: location, key: key, message: "unknown key; known keys are \(keys.joined(separator: ", "))")
            }
            guard let value = valueNode.scalar?.string else {
                throw Problem(location: location, key: key, message: "expected a single value")
            }
            try set(key, to: value, at: location, in: &configuration)
        }
    }

    static func set(_ key: String, to value: String, at location: String, in configuration: inout ServerConfiguration) throws(Problem) {
        func fail(_ message: String) -> Problem { Problem(location: location, key: key, message: message) }
        switch key {
        case "listen":
            guard let colon = value.lastIndex(of: ":"), let port = Int(value[value.index(after: colon)...]), (0...65535).contains(port), colon != value.startIndex else {
                throw fail("expected HOST:PORT such as 127.0.0.1:8420, got \"\(value)\"")
            }
            configuration.host = String(value[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            configuration.port = port
        case "storage":
            guard value.hasPrefix("postgres://") || value.hasPrefix("postgresql://") || value.hasPrefix("sqlite:") || value.hasPrefix("/") || value.hasPrefix(".") else {
                throw fail("expected sqlite:PATH or postgres://USER@HOST:PORT/DB")
            }
            configuration.storage = value
        case "data_dir":
            guard !value.isEmpty else { throw fail("must not be empty") }
            configuration.dataDirectory = value
        case "audit_key_file":
            guard !value.isEmpty else { throw fail("must not be empty") }
            configuration.auditKeyFile = value
        case "audit_log":
            configuration.auditLog = value.isEmpty ? nil : value
        case "initial_policy":
            configuration.initialPolicy = value.isEmpty ? nil : value
        case "provider_instances":
            configuration.providerInstances = value.isEmpty ? nil : value
        case "max_body_bytes":
            guard let bytes = Int(value), (1024...(64 << 20)).contains(bytes) else {
                throw fail("expected a number of bytes from 1024 to 67108864, got \"\(value)\"")
            }
            configuration.maxBodyBytes = bytes
        case "log_level":
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            guard levels.contains(value) else { throw fail("expected one of \(levels.joined(separator: ", "))") }
            configuration.logLevel = value
        case "root_key_file":
            guard !value.isEmpty else { throw fail("must not be empty") }
            configuration.rootKeyFile = value
        case "root_key":
            guard let bytes = Data(base64Encoded: value), bytes.count == 32 else { throw fail("expected 32 bytes in base64") }
            configuration.rootKeyFromEnvironment = bytes
        case "root_key_awskms_key_id":
            guard !value.isEmpty else { throw fail("must not be empty") }
            configuration.awsKMSKeyID = value
        case "root_key_awskms_region":
            guard !value.isEmpty, value.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { throw fail("expected an AWS region such as eu-west-1") }
            configuration.awsKMSRegion = value
        case "root_key_awskms_endpoint":
            guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
                throw fail("expected an http(s) URL, got \"\(value)\"")
            }
            configuration.awsKMSEndpoint = value
        case "issuer":
            guard let url = URL(string: value), ["http", "https"].contains(url.scheme ?? ""), url.host != nil, !value.hasSuffix("/") else {
                throw fail("expected an http(s) URL without a trailing slash, got \"\(value)\"")
            }
            configuration.issuer = value
        case "signing_algorithm":
            guard let algorithm = SigningAlgorithm(rawValue: value) else { throw fail("expected ES256, EdDSA or RS256") }
            configuration.issuerSettings.defaultAlgorithm = algorithm
        case "rs256_audiences", "eddsa_audiences":
            let algorithm: SigningAlgorithm = key == "rs256_audiences" ? .rs256 : .eddsa
            for audience in value.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !audience.isEmpty {
                configuration.issuerSettings.audienceAlgorithms[audience] = algorithm
            }
        case "key_rotation_period", "max_token_ttl", "default_token_ttl", "jwks_cache_ttl", "key_retention":
            guard let duration = DurationText.parse(value), duration > .zero else {
                throw fail("expected a duration such as 30s, 15m or 24h, got \"\(value)\"")
            }
            switch key {
            case "key_rotation_period": configuration.issuerSettings.rotationPeriod = duration
            case "max_token_ttl": configuration.issuerSettings.maxTokenTTL = duration
            case "default_token_ttl": configuration.issuerSettings.defaultTokenTTL = duration
            case "jwks_cache_ttl": configuration.issuerSettings.jwksCacheTTL = duration
            default: configuration.issuerSettings.keyRetention = duration
            }
        case "static_token_file":
            configuration.staticTokenFile = value.isEmpty ? nil : value
        case "static_token":
            guard let mode = StaticTokenMigration.Mode(rawValue: value) else { throw fail("expected accept, warn or reject") }
            configuration.staticTokenMode = mode
        case "static_token_identity":
            guard !value.isEmpty else { throw fail("must not be empty") }
            configuration.staticTokenIdentity = value
        default:
            throw fail("unknown key")
        }
    }
}
