import Yams

extension Node {
    /// Whether this is a scalar resolved as null (`~`, `null` or nothing).
    var isNull: Bool {
        guard case .scalar = self else { return false }
        return tag.description == Tag.Name.null.rawValue
    }

    /// Whether this is a scalar resolved as an integer.
    var isInteger: Bool {
        guard case .scalar = self else { return false }
        return tag.description == Tag.Name.int.rawValue
    }
}
