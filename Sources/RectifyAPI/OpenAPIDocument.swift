/// The OpenAPI 3.1 document of the whole API, served at `GET /openapi.yaml`.
public enum OpenAPIDocument {
    /// The document as YAML.
    public static let yaml = """
        openapi: 3.1.0
        """
}
