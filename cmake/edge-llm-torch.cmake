# The LibTorch engine (only when LibTorch is found): sources, headers, test suites, and the
# libraries linked privately. Only these files include LibTorch headers.
list(APPEND edge_llm_sources
     model/torch/synthetic-classification-task.cc
     model/torch/torch-compute-engine.cc
     model/torch/torch-training-graph-builder.cc
)
list(APPEND edge_llm_headers
     model/torch/synthetic-classification-task.h
     model/torch/torch-compute-engine.h
     model/torch/torch-training-graph-builder.h
)
list(APPEND edge_llm_test_sources
     test/torch-engine-test-suite.cc
     test/torch-pipeline-test-suite.cc
)
list(APPEND edge_llm_external_libraries ${TORCH_LIBRARIES})
