"""The bus package."""
