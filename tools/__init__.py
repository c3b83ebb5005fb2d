"""Tools beside the product: benchmarks, page timing and load tests."""
