import CryptoExtras
import Foundation
import JWTKit

/// One signing key pair: its id, algorithm and private key (PEM), with the public JWK.
public struct SigningKeyMaterial: Sendable, Equatable {
    public let kid: String
    public let algorithm: SigningAlgorithm
    /// PKCS#8 / SEC1 PEM of the private key. Never logged; sealed before it is stored.
    let privatePEM: String

    /// A fresh key with a random id.
    public static func generate(_ algorithm: SigningAlgorithm) throws -> SigningKeyMaterial {
        let kid = RandomBytes.base64URL(count: 12)
        switch algorithm {
        case .es256:
            return SigningKeyMaterial(kid: kid, algorithm: algorithm, privatePEM: ES256PrivateKey().pemRepresentation)
        case .eddsa:
            return SigningKeyMaterial(kid: kid, algorithm: algorithm, privatePEM: try EdDSA.PrivateKey(curve: .ed25519).pemRepresentation)
        case .rs256:
            let backing = try _RSA.Signing.PrivateKey(keySize: .bits2048)
            return SigningKeyMaterial(kid: kid, algorithm: algorithm, privatePEM: try Insecure.RSA.PrivateKey(backing: backing).pemRepresentation)
        }
    }

    /// Rebuilds key material from its parts (after unsealing).
    public init(kid: String, algorithm: SigningAlgorithm, privatePEM: String) {
        self.kid = kid
        self.algorithm = algorithm
        self.privatePEM = privatePEM
    }

    /// The associated data binding a sealed private key to its kid and algorithm.
    public static func sealContext(kid: String, algorithm: String) -> String { "signing-key:\(kid):\(algorithm)" }

    /// The sealed private key for storage.
    public func sealed(with kek: KeyEncryptionKey) throws -> Data {
        try kek.seal(Data(privatePEM.utf8), context: Self.sealContext(kid: kid, algorithm: algorithm.rawValue))
    }

    /// Opens a sealed private key.
    public static func unseal(_ sealed: Data, kid: String, algorithm: SigningAlgorithm, with kek: KeyEncryptionKey) throws -> SigningKeyMaterial {
        let pem = try kek.open(sealed, context: sealContext(kid: kid, algorithm: algorithm.rawValue))
        return SigningKeyMaterial(kid: kid, algorithm: algorithm, privatePEM: String(decoding: pem, as: UTF8.self))
    }

    /// The public half as a JWK (RFC 7517), with `kid`, `alg` and `use: sig`.
    public func publicJWK() throws -> PublicJWK {
        switch algorithm {
        case .es256:
            let key = try ES256PrivateKey(pem: privatePEM)
            guard let parameters = key.publicKey.parameters else { throw JWTError.generic(identifier: "jwk", reason: "no EC parameters") }
            return PublicJWK(kty: "EC", kid: kid, alg: algorithm.rawValue, crv: "P-256", x: parameters.x, y: parameters.y)
        case .eddsa:
            let key = try EdDSA.PrivateKey(pem: privatePEM)
            return PublicJWK(kty: "OKP", kid: kid, alg: algorithm.rawValue, crv: "Ed25519", x: key.publicKey.rawRepresentation.base64URLEncodedString())
        case .rs256:
            let key = try Insecure.RSA.PrivateKey(pem: privatePEM)
            let primitives = try key.publicKey.getKeyPrimitives()
            return PublicJWK(kty: "RSA", kid: kid, alg: algorithm.rawValue, n: primitives.modulus.base64URLEncodedString(), e: primitives.publicExponent.base64URLEncodedString())
        }
    }

    /// Adds this key (private half, for signing and verifying) to a jwt-kit collection; tokens
    /// it signs are encoded by `TokenJSONEncoder`.
    func add(to collection: JWTKeyCollection) async throws {
        let id = JWKIdentifier(string: kid)
        let serializer = DefaultJWTSerializer(jsonEncoder: TokenJSONEncoder())
        switch algorithm {
        case .es256:
            await collection.add(ecdsa: try ES256PrivateKey(pem: privatePEM), kid: id, serializer: serializer)
        case .eddsa:
            await collection.add(eddsa: try EdDSA.PrivateKey(pem: privatePEM), kid: id, serializer: serializer)
        case .rs256:
            await collection.add(rsa: try Insecure.RSA.PrivateKey(pem: privatePEM), digestAlgorithm: .sha256, kid: id, serializer: serializer)
        }
    }
}

/// A public JSON Web Key as published in the JWKS.
public struct PublicJWK: Codable, Sendable, Equatable {
    public var kty: String
    public var kid: String
    public var alg: String
    public var use: String = "sig"
    public var crv: String?
    public var x: String?
    public var y: String?
    public var n: String?
    public var e: String?

    public init(kty: String, kid: String, alg: String, crv: String? = nil, x: String? = nil, y: String? = nil, n: String? = nil, e: String? = nil) {
        self.kty = kty
        self.kid = kid
        self.alg = alg
        self.crv = crv
        self.x = x
        self.y = y
        self.n = n
        self.e = e
    }
}
