extension ResourcePattern {
    /// Whether every resource `other` matches is also matched by this pattern.
    ///
    /// Decided exactly by running both patterns' automata side by side over the literals they
    /// mention plus one stand-in for every other segment, looking for a path only `other` accepts.
    public func covers(_ other: ResourcePattern) -> Bool {
        struct StatePair: Hashable {
            let mine: [Bool]
            let theirs: [Bool]
        }
        let symbols: [Substring?] = Set(literals + other.literals).sorted().map { Substring($0) } + [nil]
        let start = StatePair(mine: initialStates(), theirs: other.initialStates())
        var seen: Set<StatePair> = [start]
        var pending = [start]
        while let pair = pending.popLast() {
            if other.accepts(pair.theirs) && !accepts(pair.mine) { return false }
            for symbol in symbols {
                let theirs = other.step(pair.theirs, over: symbol)
                guard theirs.contains(true) else { continue }
                let successor = StatePair(mine: step(pair.mine, over: symbol), theirs: theirs)
                if seen.insert(successor).inserted { pending.append(successor) }
            }
        }
        return true
    }

    private var literals: [String] {
        segments.compactMap { segment in
            if case .literal(let literal) = segment { literal } else { nil }
        }
    }
}
