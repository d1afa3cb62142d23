import Foundation
import HTTPTypes
import Hummingbird
import QuartermasterServices
import QuartermasterStorage

/// Versioned secrets under `/v1/secrets/{path}` (Vault KV v2 shapes). Each call is decided
/// by the policy on `secret/{path}`: `read` (GET), `list` (`?list=true`), `write` (PUT, POST),
/// `delete` (DELETE and `?operation=undelete|destroy`). Values appear in the audit log only
/// as HMACs.
struct SecretRoutes {
    let components: ServerComponents

    struct WriteBody: Decodable {
        var data: [String: String]
        var options: Options?
        var custom_metadata: [String: String]?
        struct Options: Decodable { var cas: Int? }
    }

    struct VersionsBody: Decodable { var versions: [Int] }

    struct VersionView: Encodable {
        var version: Int
        var created_time: Date
        var deletion_time: Date?
        var destroyed: Bool

        init(_ stored: StoredSecretVersion) {
            version = stored.version
            created_time = stored.createdAt
            deletion_time = stored.deletedAt
            destroyed = stored.destroyed
        }
    }

    struct ReadView: Encodable {
        /// Set when the allowing grant leases reads (Vault's shape: top-level lease fields).
        var lease_id: String?
        var lease_duration: Int?
        var renewable: Bool?
        var data: Inner
        struct Inner: Encodable {
            var data: [String: String]
            var metadata: Metadata
        }
        struct Metadata: Encodable {
            var version: Int
            var created_time: Date
            var custom_metadata: [String: String]
        }
    }

    struct ListView: Encodable { var keys: [String] }
    struct HistoryView: Encodable {
        var current_version: Int
        var max_versions: Int
        var custom_metadata: [String: String]
        var versions: [VersionView]
    }
    struct CountView: Encodable { var versions_changed: Int }

    func register(on router: Router<QuartermasterRequestContext>) {
        let gate = components.gate
        let secrets = components.secrets
        let leases = components.leases
        let audit = components.audit
        let readFacts = SecretReadFacts()

        router.get("/v1/secrets/**") { request, context in
            let parameters = request.uri.queryParameters
            if parameters.get("list") == "true" {
                let folder = try Self.path(request, allowFolder: true)
                _ = try await gate.admit(bearer: request.bearerToken, action: "list", resource: folder.resource, request: context.requestInfo)
                return JSONResponse.make(DataEnvelope(data: ListView(keys: try await secrets.list(folder))))
            }
            let path = try Self.path(request)
            if parameters.get("history") == "true" {
                _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: path.resource, request: context.requestInfo)
                let (metadata, versions) = try await secrets.history(path)
                return JSONResponse.make(DataEnvelope(data: HistoryView(current_version: metadata.currentVersion, max_versions: metadata.maxVersions, custom_metadata: metadata.customMetadata, versions: versions.map(VersionView.init))))
            }
            var version: Int?
            if let text = parameters.get("version") {
                guard let number = Int(text), number > 0 else { throw APIError(status: .badRequest, error: "invalid_request", detail: "version must be a positive whole number") }
                version = number
            }
            let requestInfo = context.requestInfo
            let caller = try await gate.authenticate(bearer: request.bearerToken, action: "read", resource: path.resource, request: requestInfo)
            // One audit record per read: the decision and the outcome together.
            let decision = try await gate.decide(caller, action: "read", resource: path.resource, request: requestInfo)
            do {
                let value = try await Self.mapped { try await secrets.get(path, version: version) }
                let facts = readFacts.facts(sealedValue: value.version.sealedValue) {
                    .init(valueMAC: audit.mac(Self.canonical(value.data)), createdTime: value.version.createdAt.formatted(.iso8601))
                }
                var details = ["value": facts.valueMAC]
                var view = ReadView(data: .init(data: value.data, metadata: .init(version: value.version.version, created_time: value.version.createdAt, custom_metadata: value.metadata.customMetadata)))
                if let terms = decision.grant?.lease {
                    let lease = try await leases.grant(kind: "secret", resource: path.resource, terms: terms, to: caller)
                    details["lease_id"] = lease.id
                    view.lease_id = lease.id
                    view.lease_duration = Int(lease.expiresAt.timeIntervalSince(lease.issuedAt).rounded(.down))
                    view.renewable = lease.renewable
                }
                try await gate.recordAllowed(caller, decision: decision, action: "read", resource: path.resource, outcome: "read version \(value.version.version)", details: details, request: requestInfo)
                return JSONResponse.make(json: view.json(createdTime: facts.createdTime))
            } catch {
                try await gate.recordAllowed(caller, decision: decision, action: "read", resource: path.resource, outcome: "not served: \(error)", details: ["outcome": "error"], request: requestInfo)
                throw error
            }
        }

        let write: @Sendable (Request, QuartermasterRequestContext) async throws -> Response = { request, context in
            let path = try Self.path(request)
            if let operation = request.uri.queryParameters.get("operation") {
                guard operation == "undelete" || operation == "destroy" else {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "operation must be undelete or destroy")
                }
                let caller = try await gate.admit(bearer: request.bearerToken, action: "delete", resource: path.resource, request: context.requestInfo)
                let body = try await request.decodeJSON(VersionsBody.self, context: context)
                let changed = operation == "undelete" ? try await secrets.undelete(path, versions: body.versions) : try await secrets.destroy(path, versions: body.versions)
                try await gate.recordOutcome(caller, action: operation, resource: path.resource, outcome: "ok", reason: "\(operation) versions \(body.versions.map(String.init).joined(separator: ","))", request: context.requestInfo)
                return JSONResponse.make(DataEnvelope(data: CountView(versions_changed: changed)))
            }
            let caller = try await gate.admit(bearer: request.bearerToken, action: "write", resource: path.resource, request: context.requestInfo)
            let body = try await request.decodeJSON(WriteBody.self, context: context)
            let stored = try await Self.mapped { try await secrets.put(path, data: body.data, cas: body.options?.cas, customMetadata: body.custom_metadata) }
            try await gate.recordOutcome(caller, action: "write", resource: path.resource, outcome: "ok", reason: "wrote version \(stored.version)", details: ["value": audit.mac(Self.canonical(body.data))], request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: VersionView(stored)))
        }
        router.put("/v1/secrets/**", use: write)
        router.post("/v1/secrets/**", use: write)

        router.delete("/v1/secrets/**") { request, context in
            let path = try Self.path(request)
            var versions: [Int]?
            if let text = request.uri.queryParameters.get("versions") {
                let parsed = text.split(separator: ",").compactMap { Int($0) }
                guard !parsed.isEmpty, parsed.count == text.split(separator: ",").count else {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "versions must be a comma-separated list of numbers")
                }
                versions = parsed
            }
            let caller = try await gate.admit(bearer: request.bearerToken, action: "delete", resource: path.resource, request: context.requestInfo)
            let changed = try await secrets.delete(path, versions: versions)
            try await gate.recordOutcome(caller, action: "delete", resource: path.resource, outcome: "ok", reason: "soft-deleted \(changed) version(s)", request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: CountView(versions_changed: changed)))
        }
    }

    /// What the router matched before the secret's path.
    private static let routePrefix = "/v1/secrets/"

    /// The secret path from the raw request target (before any percent-decoding).
    static func path(_ request: Request, allowFolder: Bool = false) throws -> SecretPath {
        let target = (request.head.path ?? "").utf8
        let path = target.prefix { $0 != UInt8(ascii: "?") }
        return try SecretPath(raw: String(decoding: path.dropFirst(routePrefix.utf8.count), as: UTF8.self), allowFolder: allowFolder)
    }

    /// A stable text form of a value, so equal values have equal audit HMACs.
    static func canonical(_ data: [String: String]) -> String {
        data.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "\n")
    }

    /// Maps secret failures to their statuses.
    static func mapped<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as SecretError {
            switch error {
            case .tooLarge: throw APIError(status: .contentTooLarge, error: "payload_too_large", detail: error.description)
            case .undecryptable: throw APIError(status: .unprocessableContent, error: "undecryptable", detail: error.description)
            }
        }
    }
}
