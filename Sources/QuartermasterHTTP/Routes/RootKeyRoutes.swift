import Foundation
import Hummingbird
import QuartermasterServices

/// The root keyring under `/v1/sys/root-keys`, decided on `sys/root-keys`: `read` to list the
/// keys and what each seals, `rotate` to start sealing under a new key, `write` to rewrap one
/// batch of items under the active key (the CLI calls it until nothing is left, showing
/// progress). Key material never leaves the server.
struct RootKeyRoutes {
    let components: ServerComponents

    struct KeysView: Encodable { var keys: [RootKeyStatus] }
    struct RotatedView: Encodable { var active: String }

    func register(on router: Router<QuartermasterRequestContext>) {
        let gate = components.gate
        let keyring = components.rootKeys
        let rewrapper = components.rewrapper
        let resource = "sys/root-keys"

        router.get("/v1/sys/root-keys") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: resource, request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: KeysView(keys: try await keyring.status())))
        }

        router.post("/v1/sys/root-keys/rotate") { request, context in
            let caller = try await gate.admit(bearer: request.bearerToken, action: "rotate", resource: resource, request: context.requestInfo)
            let active = try await keyring.rotate()
            try await gate.recordOutcome(caller, action: "rotate", resource: resource, outcome: "ok", reason: "root key \(active) is now active", request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: RotatedView(active: active)))
        }

        router.post("/v1/sys/root-keys/rewrap") { request, context in
            var batch = 100
            if let text = request.uri.queryParameters.get("batch") {
                guard let number = Int(text), (1...10_000).contains(number) else {
                    throw APIError(status: .badRequest, error: "invalid_request", detail: "batch must be a whole number from 1 to 10000")
                }
                batch = number
            }
            let caller = try await gate.admit(bearer: request.bearerToken, action: "write", resource: resource, request: context.requestInfo)
            let progress = try await rewrapper.rewrapBatch(limit: batch)
            try await gate.recordOutcome(caller, action: "rewrap", resource: resource, outcome: "ok",
                                         reason: "rewrapped \(progress.rewrapped) item(s) under \(progress.activeRootKey); \(progress.remaining) left" + (progress.deletedRootKeys.isEmpty ? "" : "; deleted unused \(progress.deletedRootKeys.joined(separator: ", "))"),
                                         request: context.requestInfo)
            return JSONResponse.make(DataEnvelope(data: progress))
        }
    }
}
