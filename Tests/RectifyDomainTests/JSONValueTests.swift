@testable import RectifyDomain
import Testing

@Suite("Parsing JSON values")
struct JSONValueTests {
    private func parse(_ text: String) throws(JSONValue.ParseError) -> JSONValue { try JSONValue.parse(Array(text.utf8)) }

    @Test("integers, numbers, booleans and null stay apart")
    func scalars() throws {
        #expect(try parse("0") == .integer(0))
        #expect(try parse("-17") == .integer(-17))
        #expect(try parse("1.5") == .number(1.5))
        #expect(try parse("2e3") == .number(2000))
        #expect(try parse("true") == .bool(true))
        #expect(try parse(" null ") == .null)
        #expect(try parse("99999999999999999999") == .number(1e20), "too large for Int")
    }

    @Test("escapes, surrogate pairs and multi-byte text decode")
    func strings() throws {
        #expect(try parse(#""a\"b\\c\/d\n\t""#) == .string("a\"b\\c/d\n\t"))
        #expect(try parse(#""\u6574\u6539 \ud83c\udf32""#) == .string("整改 🌲"))
        #expect(try parse(#""督察整改""#) == .string("督察整改"))
    }

    @Test("objects keep their order; arrays nest")
    func containers() throws {
        let value = try parse(#"{"b": [1, {"c": null}], "a": "x"}"#)
        #expect(value == .object([("b", .array([.integer(1), .object([("c", .null)])])), ("a", .string("x"))]))
    }

    @Test("malformed input is refused with what was expected", arguments: [
        ("{\"a\": 1,}", "expected a key in quotes but found '}'"),
        ("[1 2]", "expected ',' or ']' but found '2'"),
        ("01", "a number may not start with 0"),
        ("\"abc", "it ends inside a string"),
        ("\"a\u{01}b\"", "a control character must be escaped inside a string"),
        (#""\ud800""#, "a lone surrogate \\ud800 is not a character"),
        (#"{"a": 1, "a": 2}"#, "the key \"a\" appears twice in one object"),
        ("tru", "it ends where a value should come"),
        ("1 2", "expected the end of the value but found '2'"),
    ])
    func malformed(text: String, message: String) {
        #expect(throws: JSONValue.ParseError.syntax(message)) { try parse(text) }
    }

    @Test("bytes that are not UTF-8 inside a string are named as such")
    func invalidUTF8() {
        #expect(throws: JSONValue.ParseError.invalidUTF8) { try JSONValue.parse([0x22, 0xFF, 0x22]) }
    }

    @Test("nesting deeper than the limit is refused, not a crash")
    func deepNesting() {
        let deep = String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000)
        #expect(throws: JSONValue.ParseError.self) { try parse(deep) }
    }
}
