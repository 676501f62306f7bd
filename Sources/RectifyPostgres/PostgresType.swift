/// A PostgreSQL type OID, as reported for a result column or sent for a parameter.
public struct PostgresType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Lets the server infer the parameter's type from the statement.
    public static let unspecified = PostgresType(rawValue: 0)
    public static let bool = PostgresType(rawValue: 16)
    public static let bytea = PostgresType(rawValue: 17)
    public static let name = PostgresType(rawValue: 19)
    public static let int8 = PostgresType(rawValue: 20)
    public static let int2 = PostgresType(rawValue: 21)
    public static let int4 = PostgresType(rawValue: 23)
    public static let text = PostgresType(rawValue: 25)
    public static let oid = PostgresType(rawValue: 26)
    public static let json = PostgresType(rawValue: 114)
    public static let float4 = PostgresType(rawValue: 700)
    public static let float8 = PostgresType(rawValue: 701)
    public static let unknown = PostgresType(rawValue: 705)
    public static let bpchar = PostgresType(rawValue: 1042)
    public static let varchar = PostgresType(rawValue: 1043)
    public static let date = PostgresType(rawValue: 1082)
    public static let timestamp = PostgresType(rawValue: 1114)
    public static let timestamptz = PostgresType(rawValue: 1184)
    public static let interval = PostgresType(rawValue: 1186)
    public static let numeric = PostgresType(rawValue: 1700)
    public static let uuid = PostgresType(rawValue: 2950)
    public static let jsonb = PostgresType(rawValue: 3802)
    public static let boolArray = PostgresType(rawValue: 1000)
    public static let int2Array = PostgresType(rawValue: 1005)
    public static let int4Array = PostgresType(rawValue: 1007)
    public static let textArray = PostgresType(rawValue: 1009)
    public static let varcharArray = PostgresType(rawValue: 1015)
    public static let int8Array = PostgresType(rawValue: 1016)
    public static let float8Array = PostgresType(rawValue: 1022)
    public static let dateArray = PostgresType(rawValue: 1182)
    public static let timestamptzArray = PostgresType(rawValue: 1185)
    public static let uuidArray = PostgresType(rawValue: 2951)
    public static let jsonbArray = PostgresType(rawValue: 3807)

    private static let elementTypes: [PostgresType: PostgresType] = [
        .boolArray: .bool, .int2Array: .int2, .int4Array: .int4, .int8Array: .int8, .textArray: .text,
        .varcharArray: .varchar, .float8Array: .float8, .dateArray: .date, .timestamptzArray: .timestamptz,
        .uuidArray: .uuid, .jsonbArray: .jsonb,
    ]
    private static let names: [PostgresType: String] = [
        .bool: "boolean", .bytea: "bytea", .name: "name", .int8: "bigint", .int2: "smallint", .int4: "integer",
        .text: "text", .oid: "oid", .json: "json", .float4: "real", .float8: "double precision",
        .unknown: "unknown", .bpchar: "character", .varchar: "character varying", .date: "date",
        .timestamp: "timestamp", .timestamptz: "timestamptz", .interval: "interval", .numeric: "numeric",
        .uuid: "uuid", .jsonb: "jsonb",
    ]

    /// The element type when this is a one-dimensional array type rectify knows.
    public var arrayElement: PostgresType? { Self.elementTypes[self] }

    /// True for OIDs of user-defined types (enums, domains), which decode from their text.
    public var isUserDefined: Bool { rawValue >= 16384 }

    public var description: String {
        if let name = Self.names[self] { return name }
        if let element = arrayElement { return "\(element)[]" }
        return "type \(rawValue)"
    }
}
