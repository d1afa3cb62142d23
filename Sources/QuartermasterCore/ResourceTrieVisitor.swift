/// Receives the grants a `ResourceTrie` finds for a path.
protocol ResourceTrieVisitor {
    /// Called once per match with the grant's position in the engine's grant list.
    mutating func visit(grant: Int)
}
