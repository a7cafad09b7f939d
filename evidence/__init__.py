"""Evidence (tài liệu kiểm chứng) of units: models, parsing of Vietnamese formats, loaders."""
