"""Reports as declarative classes (columns + rows), and the writers that turn them into CSV or
XLSX: row by row from `.iterator()`, or through PostgreSQL's COPY when every column is SQL."""
