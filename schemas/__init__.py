"""The public contract: API request and response models, the envelope, published events."""
