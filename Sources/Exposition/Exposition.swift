// The Exposition module.
