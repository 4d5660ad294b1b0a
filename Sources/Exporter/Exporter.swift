// The Exporter module.
