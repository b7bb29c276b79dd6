"""Use cases of course authoring: metadata, status, structure and media."""
