"""Query functions: SQL against read models, returning contract shapes."""
