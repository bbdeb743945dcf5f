# The 5G NR-numerology OFDMA cell: sources, headers and test suites, appended to the module's lists.
list(APPEND edge_llm_sources
    model/radio/nr-numerology.cc
    model/radio/nr-link-adaptation.cc
    model/radio/ofdma-scheduler.cc
    model/radio/ofdma-shares-scheduler.cc
    model/radio/ofdma-round-robin-scheduler.cc
    model/radio/ofdma-proportional-fair-scheduler.cc
    model/radio/ofdma-spectrum-phy.cc
    model/radio/ofdma-channel-monitor.cc
    model/radio/ofdma-net-device.cc
    model/radio/ofdma-ue-net-device.cc
    model/radio/ofdma-bs-net-device.cc
    helper/ofdma-cell-helper.cc
    model/metrics/ofdma-cell-report.cc
)
list(APPEND edge_llm_headers
    model/radio/nr-numerology.h
    model/radio/nr-link-adaptation.h
    model/radio/ofdma-scheduler.h
    model/radio/ofdma-shares-scheduler.h
    model/radio/ofdma-round-robin-scheduler.h
    model/radio/ofdma-proportional-fair-scheduler.h
    model/radio/ofdma-spectrum-phy.h
    model/radio/ofdma-channel-monitor.h
    model/radio/ofdma-net-device.h
    model/radio/ofdma-ue-net-device.h
    model/radio/ofdma-bs-net-device.h
    helper/ofdma-cell-helper.h
    model/metrics/ofdma-cell-report.h
)
list(APPEND edge_llm_test_sources
    test/nr-link-adaptation-test-suite.cc
    test/ofdma-cell-test-suite.cc
    test/ofdma-runtime-test-suite.cc
)
