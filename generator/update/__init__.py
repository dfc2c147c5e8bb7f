"""Template versions, `scaffold update` and `scaffold check` (ADR 0008)."""
