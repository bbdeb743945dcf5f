# The 5G NR-numerology OFDMA cell: sources, headers and test suites, appended to the module's lists.
list(APPEND edge_llm_sources)
list(APPEND edge_llm_headers)
list(APPEND edge_llm_test_sources)
