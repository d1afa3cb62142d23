import ArgumentParser
import Foundation

/// One root key as the API lists it.
struct RootKeyView: Decodable {
    var id: String
    var sealedBy: String
    var createdAt: Date
    var retiredAt: Date?
    var active: Bool
    var itemsSealed: Int

    private enum CodingKeys: String, CodingKey {
        case id, active
        case sealedBy = "sealed_by", createdAt = "created_at", retiredAt = "retired_at", itemsSealed = "items_sealed"
    }

    var line: String {
        let state = active ? "active" : (retiredAt == nil ? "standby" : "retired")
        return "\(id)  \(state)  sealed by \(sealedBy)  created \(createdAt.formatted(.iso8601))  seals \(itemsSealed) item(s)"
    }
}

/// `keys root`: the root keyring and how many items each key seals.
struct KeysRootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "root", abstract: "List the root keys and what each seals.")

    @OptionGroup var server: ServerOptions

    struct Answer: Decodable { var data: Keys; struct Keys: Decodable { var keys: [RootKeyView] } }

    func run() async throws {
        for key in try await server.client().send(.GET, "/v1/sys/root-keys", as: Answer.self).data.keys {
            print(key.line)
        }
    }
}

/// `keys rotate-root`: a new root key seals everything from now on.
struct KeysRotateRootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rotate-root", abstract: "Create a new root key; new items are sealed under it. Run `keys rewrap` to move existing ones.")

    @OptionGroup var server: ServerOptions

    struct Answer: Decodable { var data: Rotated; struct Rotated: Decodable { var active: String } }

    func run() async throws {
        let answer = try await server.client().send(.POST, "/v1/sys/root-keys/rotate", as: Answer.self)
        print("root key \(answer.data.active) is now active")
    }
}

/// `keys rewrap`: moves every item sealed under an older root key to the active one, batch by
/// batch with progress, then the server deletes old root keys nothing uses.
struct KeysRewrapCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "rewrap", abstract: "Rewrap every data key, signing key and transit key under the active root key.")

    @Option(help: "Items per batch (1-10000).")
    var batch = 100

    @OptionGroup var server: ServerOptions

    struct Answer: Decodable { var data: Progress }
    struct Progress: Decodable {
        var rewrapped: Int
        var remaining: Int
        var activeRootKey: String
        var deletedRootKeys: [String]

        private enum CodingKeys: String, CodingKey {
            case rewrapped, remaining
            case activeRootKey = "active_root_key", deletedRootKeys = "deleted_root_keys"
        }
    }

    func run() async throws {
        let client = try server.client()
        var done = 0
        while true {
            let progress = try await client.send(.POST, "/v1/sys/root-keys/rewrap?batch=\(batch)", as: Answer.self).data
            done += progress.rewrapped
            print("rewrapped \(done) of \(done + progress.remaining) under \(progress.activeRootKey)")
            if progress.remaining == 0 {
                if !progress.deletedRootKeys.isEmpty {
                    print("deleted root keys nothing uses: \(progress.deletedRootKeys.joined(separator: ", "))")
                }
                return
            }
            if progress.rewrapped == 0 {
                throw ValidationError("\(progress.remaining) item(s) could not be rewrapped (changed concurrently); run `keys rewrap` again")
            }
        }
    }
}
