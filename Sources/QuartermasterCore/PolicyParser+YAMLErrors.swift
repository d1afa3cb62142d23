import Yams

extension PolicyParser {
    /// A diagnostic for an error thrown while composing YAML, at the position the scanner,
    /// parser or composer reports. `ProviderInstancesParser` uses it too.
    static func diagnostic(for error: any Error, sourceName: String) -> PolicyDiagnostic {
        func at(_ line: Int, _ column: Int, _ message: String) -> PolicyDiagnostic {
            PolicyDiagnostic(location: SourceLocation(file: sourceName, line: line, column: column), message: message)
        }
        guard let yamlError = error as? YamlError else { return at(1, 1, "malformed YAML: \(error)") }
        switch yamlError {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
            let circumstance = context.map { " (\($0.text) at \($0.mark.line):\($0.mark.column))" } ?? ""
            return at(mark.line, mark.column, "malformed YAML: \(problem)\(circumstance)")
        case let .reader(problem, offset, _, yaml):
            let (line, column) = lineAndColumn(ofCharacterOffset: offset ?? 0, in: yaml)
            return at(line, column, "malformed YAML: \(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return at(context.mark.line, context.mark.column, "malformed YAML: duplicate key \(keys) in a mapping")
        default:
            return at(1, 1, "malformed YAML: \(yamlError)")
        }
    }

    private static func lineAndColumn(ofCharacterOffset offset: Int, in text: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        for character in text.prefix(offset) {
            if character.isNewline {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return (line, column)
    }
}
