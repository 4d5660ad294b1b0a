// The AtStatus module.
