"""HTTP plumbing shared by the read and write APIs: envelope, errors, middleware, auth."""
