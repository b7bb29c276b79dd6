"""Adapters of the payment ports: card gateways, Paystack, promo providers, card encryption."""
