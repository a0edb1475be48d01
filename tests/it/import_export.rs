//! import_export
