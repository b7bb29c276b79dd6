"""The write API: commands over HTTP (POST, PUT, DELETE)."""
