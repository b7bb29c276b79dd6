"""Adapters of the notification ports: e-mail over SMTP or to an outbox, push over FCM."""
