"""The storefront REST API (/api/v1/): bearer keys with scopes, strict validation, one error
shape, idempotent order intake, per-key throttling, and an OpenAPI schema."""
