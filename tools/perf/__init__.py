"""Performance tools: python -m tools.perf.bench, tools.perf.page_timing, tools.perf.load_test."""
