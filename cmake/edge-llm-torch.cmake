# The LibTorch engine (only when LibTorch is found): sources, headers, test suites, and the
# libraries linked privately. Only these files include LibTorch headers.
list(APPEND edge_llm_sources)
list(APPEND edge_llm_headers)
list(APPEND edge_llm_test_sources)
