extension PolicyPlan {
    /// The plan as the CLI prints it: one block per identity (`+` added, `-` removed, `~` changed),
    /// its clusters and settings, one line per access entry, and a summary line.
    public var text: String {
        guard !isEmpty else { return "No changes: every identity keeps exactly its current access.\n" }
        var lines: [String] = []
        for change in changes {
            lines.append("\(change.status.marker) identity \(change.identity)")
            lines += change.clustersAdded.map { "    + runs in cluster \($0)" }
            lines += change.clustersRemoved.map { "    - runs in cluster \($0)" }
            lines += change.settings.map { "    \($0)" }
            lines += change.added.map { "    + \($0)" }
            lines += change.removed.map { "    - \($0)" }
        }
        let changed = changes.count - identitiesAdded.count - identitiesRemoved.count
        let added = changes.reduce(0) { $0 + $1.added.count }
        let removed = changes.reduce(0) { $0 + $1.removed.count }
        lines.append("")
        lines.append(
            "Plan: \(Self.count(identitiesAdded.count, "identity", "identities")) to add, \(changed) to change, "
                + "\(identitiesRemoved.count) to remove; "
                + "\(Self.count(added, "access entry", "access entries")) to add, \(removed) to remove."
        )
        return lines.joined(separator: "\n") + "\n"
    }

    private static func count(_ number: Int, _ singular: String, _ plural: String) -> String {
        "\(number) \(number == 1 ? singular : plural)"
    }
}
