import Foundation
import Testing
import QuartermasterCore

@Suite("JSON shapes of requests and decisions")
struct DecisionCodingTests {
    @Test("a request decodes from subject, action, resource and context")
    func decodesRequest() throws {
        let json = #"{"subject":"tee-runtime","action":"decrypt","resource":"transit/model-weights","context":{"key_version":"3"}}"#
        let request = try JSONDecoder().decode(AuthorizationRequest.self, from: Data(json.utf8))
        #expect(request == AuthorizationRequest(subject: "tee-runtime", action: "decrypt", resource: "transit/model-weights", context: ["key_version": "3"]))
    }

    @Test("a request without context decodes with an empty one")
    func contextIsOptional() throws {
        let json = #"{"subject":"ci","action":"read","resource":"repo/app"}"#
        let request = try JSONDecoder().decode(AuthorizationRequest.self, from: Data(json.utf8))
        #expect(request.context.isEmpty)
    }

    @Test("a request missing a required field does not decode")
    func requiredFields() {
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(AuthorizationRequest.self, from: Data(#"{"subject":"ci","action":"read"}"#.utf8))
        }
    }

    @Test("an allow encodes decision, allowed, reason and the grant")
    func encodesAllow() throws {
        let decision = Decision(
            allowed: true,
            reason: "allowed by role r grant read secret/** at p.yaml:3:9",
            grant: GrantReference(role: "r", effect: .allow, pattern: "secret/**", actions: ["read"], location: "p.yaml:3:9")
        )
        let object = try Self.jsonObject(decision)
        #expect(object["decision"] as? String == "allow")
        #expect(object["allowed"] as? Bool == true)
        #expect(object["reason"] as? String == decision.reason)
        let grant = try #require(object["grant"] as? [String: Any])
        #expect(grant["role"] as? String == "r")
        #expect(grant["effect"] as? String == "allow")
        #expect(grant["pattern"] as? String == "secret/**")
        #expect(grant["actions"] as? [String] == ["read"])
        #expect(grant["location"] as? String == "p.yaml:3:9")
    }

    @Test("a default deny encodes grant as null")
    func encodesDenyWithNullGrant() throws {
        let object = try Self.jsonObject(Decision(allowed: false, reason: "unknown identity x"))
        #expect(object["decision"] as? String == "deny")
        #expect(object["allowed"] as? Bool == false)
        #expect(object["grant"] is NSNull)
    }

    @Test("a decision survives a JSON round trip")
    func roundTrip() throws {
        let decision = Decision(
            allowed: false,
            reason: "denied by role r grant * iam/** at p.yaml:9:9",
            grant: GrantReference(role: "r", effect: .deny, pattern: "iam/**", actions: ["*"], location: "p.yaml:9:9")
        )
        let decoded = try JSONDecoder().decode(Decision.self, from: try JSONEncoder().encode(decision))
        #expect(decoded == decision)
    }

    static func jsonObject(_ decision: Decision) throws -> [String: Any] {
        let data = try JSONEncoder().encode(decision)
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }
}
