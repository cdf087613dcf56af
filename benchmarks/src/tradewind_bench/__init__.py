"""The tradewind_bench package."""
