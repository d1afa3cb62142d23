extension ResourcePattern {
    /// Whether the pattern matches a concrete resource path; invalid paths never match.
    public func matches(_ resource: String) -> Bool {
        guard ResourcePath.isValid(resource) else { return false }
        var states = initialStates()
        for segment in resource.split(separator: "/") {
            states = step(states, over: segment)
            guard states.contains(true) else { return false }
        }
        return accepts(states)
    }

    /// The automaton states before any segment is read: position 0 and what `**` reaches from it.
    func initialStates() -> [Bool] {
        var states = [Bool](repeating: false, count: segments.count + 1)
        states[0] = true
        closeOverEmptyMatches(&states)
        return states
    }

    /// The states after reading one segment; `nil` stands for a segment equal to no literal.
    func step(_ states: [Bool], over segment: Substring?) -> [Bool] {
        var next = [Bool](repeating: false, count: segments.count + 1)
        for position in segments.indices where states[position] {
            switch segments[position] {
            case .literal(let literal):
                if let segment, segment == literal { next[position + 1] = true }
            case .anySegment:
                next[position + 1] = true
            case .anyDepth:
                next[position] = true
            }
        }
        closeOverEmptyMatches(&next)
        return next
    }

    /// Whether the states include the end of the pattern.
    func accepts(_ states: [Bool]) -> Bool {
        states[segments.count]
    }

    private func closeOverEmptyMatches(_ states: inout [Bool]) {
        for position in segments.indices where states[position] && segments[position] == .anyDepth {
            states[position + 1] = true
        }
    }
}
