"""Users: accounts, their unique claims (e-mail, phone, OAuth identities) and login sessions."""
