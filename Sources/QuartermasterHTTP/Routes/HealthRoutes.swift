import Foundation
import Hummingbird

/// `/healthz` (the process answers), `/readyz` (storage answers) and `/metrics`.
struct HealthRoutes {
    let components: ServerComponents

    func register(on router: Router<QuartermasterRequestContext>) {
        router.get("/healthz") { _, _ in
            JSONResponse.make(["status": "ok"])
        }
        router.get("/readyz") { _, _ in
            do {
                try await components.storage.ping()
            } catch {
                throw APIError(status: .serviceUnavailable, error: "not_ready", detail: "storage is not reachable")
            }
            guard components.policies.current != nil else {
                throw APIError(status: .serviceUnavailable, error: "not_ready", detail: "no policy is in force")
            }
            return JSONResponse.make(["status": "ready"])
        }
        router.get("/metrics") { _, _ in
            if let providers = components.providers {
                components.metrics.updateCredentialGauges(providers.statuses(), now: Date())
            }
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: components.metrics.render()))
            )
        }
    }
}
