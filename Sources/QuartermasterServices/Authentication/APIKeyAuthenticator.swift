import Foundation
import QuartermasterCrypto
import QuartermasterStorage

/// Authenticates API keys (`qm_...`) as bearer credentials, wherever a token is accepted.
/// A key limited to some roles carries them in the principal's `roles` attribute.
public struct APIKeyAuthenticator: Authenticator {
    private let keys: APIKeyService

    public init(keys: APIKeyService) {
        self.keys = keys
    }

    public func authenticate(bearer credential: String) async throws -> Principal? {
        guard credential.hasPrefix(APIKeyText.prefix), !credential.hasPrefix(AdminTokenAuthenticator.prefix + "_") else { return nil }
        guard let text = APIKeyText.parse(credential) else { throw ServiceError.unauthenticated("malformed API key (checksum mismatch)") }
        let stored: StoredAPIKey
        do {
            stored = try await keys.verify(text, now: Date())
        } catch let error as ServiceError {
            throw error
        } catch {
            throw ServiceError.unavailable("API key storage: \(error)")
        }
        var attributes: [String: String] = [:]
        if !stored.roles.isEmpty { attributes[Principal.rolesAttribute] = stored.roles.joined(separator: ",") }
        return Principal(identity: stored.identity, method: "api_key", credentialID: stored.id, attributes: attributes)
    }
}
