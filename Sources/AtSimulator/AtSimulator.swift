// The AtSimulator module.
