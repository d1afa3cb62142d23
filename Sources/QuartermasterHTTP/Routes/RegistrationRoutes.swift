import Foundation
import Hummingbird
import QuartermasterServices
import QuartermasterStorage

/// `POST /v1/register` (an instance registers itself with its own token) and
/// `GET /v1/registrations` (admin, `read sys/registrations`).
struct RegistrationRoutes {
    let components: ServerComponents

    struct Body: Decodable {
        var service: String
        var instance_id: String
        /// Ignored for the decision: the cluster comes from the verified token. Recorded when it differs.
        var cluster_id: String?
    }

    struct View: Encodable {
        var instance_id: String
        var service: String
        var cluster_id: String
        var registered_at: Date

        init(_ registration: StoredRegistration) {
            instance_id = registration.instanceID
            service = registration.service
            cluster_id = registration.clusterID
            registered_at = registration.registeredAt
        }
    }

    struct List: Encodable { var registrations: [View] }

    func register(on router: Router<QuartermasterRequestContext>) {
        let gate = components.gate
        let registrations = components.issuer.registrations
        router.post("/v1/register") { request, context in
            let principal = try await gate.authenticate(bearer: request.bearerToken, action: "register", resource: "registration", request: context.requestInfo)
            let body = try await request.decodeJSON(Body.self, context: context)
            let registration = try await registrations.register(
                instanceID: body.instance_id, service: body.service, identity: principal.identity,
                clusterID: principal.attributes["cluster_id"], credentialID: principal.credentialID,
                claimedCluster: body.cluster_id, request: context.requestInfo
            )
            return JSONResponse.make(View(registration), status: .created)
        }
        router.get("/v1/registrations") { request, context in
            _ = try await gate.admit(bearer: request.bearerToken, action: "read", resource: "sys/registrations", request: context.requestInfo)
            let service = request.uri.queryParameters.get("service")
            let list = try await registrations.list(service: service, limit: try PolicyRoutes.limit(request, default: 100))
            return JSONResponse.make(List(registrations: list.map(View.init)))
        }
    }
}
