import ArgumentParser
import Foundation

/// `quartermaster transit ...`: encryption as a service with named, versioned keys.
struct TransitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "transit",
        abstract: "Create and rotate transit keys; encrypt, decrypt (optionally with an attestation token) and rewrap.",
        subcommands: [TransitCreateCommand.self, TransitRotateCommand.self, TransitEncryptCommand.self, TransitDecryptCommand.self, TransitRewrapCommand.self]
    )
}

/// A key as the API shows it.
struct TransitKeyAnswer: Decodable {
    var data: Key
    struct Key: Decodable { var name: String; var latest_version: Int; var min_decryption_version: Int }
}

/// A ciphertext as the API returns it.
struct TransitCiphertextAnswer: Decodable {
    var data: Inner
    struct Inner: Decodable { var ciphertext: String }
}

/// `transit create NAME`
struct TransitCreateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "create", abstract: "Create a key at version 1.")

    @Argument var name: String
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let key = try await server.client().send(.POST, "/v1/transit/keys/\(name)", as: TransitKeyAnswer.self).data
        print("created transit key \(key.name) at version \(key.latest_version)")
    }
}

/// `transit rotate NAME`
struct TransitRotateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rotate", abstract: "Add a version; new encryptions use it.")

    @Argument var name: String
    @OptionGroup var server: ServerOptions

    func run() async throws {
        let key = try await server.client().send(.POST, "/v1/transit/keys/\(name)/rotate", as: TransitKeyAnswer.self).data
        print("transit key \(key.name) is at version \(key.latest_version)")
    }
}

/// `transit encrypt NAME TEXT`: prints the ciphertext.
struct TransitEncryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "encrypt", abstract: "Encrypt TEXT (UTF-8) and print the ciphertext.")

    @Argument var name: String
    @Argument var text: String
    @OptionGroup var server: ServerOptions

    struct Body: Encodable { var plaintext: String }

    func run() async throws {
        let body = try JSONEncoder().encode(Body(plaintext: Data(text.utf8).base64EncodedString()))
        print(try await server.client().send(.POST, "/v1/transit/encrypt/\(name)", body: body, as: TransitCiphertextAnswer.self).data.ciphertext)
    }
}

/// `transit decrypt NAME CIPHERTEXT [--attestation-token T]`: prints the plaintext.
struct TransitDecryptCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "decrypt", abstract: "Decrypt a ciphertext and print the plaintext (UTF-8).")

    @Argument var name: String
    @Argument var ciphertext: String
    @Option(help: "An attestation token whose measurement the policy may require.") var attestationToken: String?
    @OptionGroup var server: ServerOptions

    struct Body: Encodable { var ciphertext: String; var attestation_token: String? }
    struct Answer: Decodable { var data: Inner; struct Inner: Decodable { var plaintext: String } }

    func run() async throws {
        let body = try JSONEncoder().encode(Body(ciphertext: ciphertext, attestation_token: attestationToken))
        let answer = try await server.client().send(.POST, "/v1/transit/decrypt/\(name)", body: body, as: Answer.self)
        guard let bytes = Data(base64Encoded: answer.data.plaintext) else { throw CLIError("the server's plaintext is not base64") }
        print(String(decoding: bytes, as: UTF8.self))
    }
}

/// `transit rewrap NAME CIPHERTEXT`: prints the ciphertext under the latest version.
struct TransitRewrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rewrap", abstract: "Re-encrypt a ciphertext under the latest version.")

    @Argument var name: String
    @Argument var ciphertext: String
    @OptionGroup var server: ServerOptions

    struct Body: Encodable { var ciphertext: String }

    func run() async throws {
        let body = try JSONEncoder().encode(Body(ciphertext: ciphertext))
        print(try await server.client().send(.POST, "/v1/transit/rewrap/\(name)", body: body, as: TransitCiphertextAnswer.self).data.ciphertext)
    }
}
