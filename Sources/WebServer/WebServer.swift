// The WebServer module.
