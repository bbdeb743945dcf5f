# The LibTorch engine (only when LibTorch is found): sources, headers, test suites, and the
# libraries linked privately. Only these files include LibTorch headers.
list(APPEND edge_llm_sources
     model/torch/synthetic-classification-task.cc
     model/torch/torch-compute-engine.cc
     model/torch/torch-training-graph-builder.cc
     model/torch/torch-round-recorder.cc
     helper/collapipe-torch-helper.cc
)
list(APPEND edge_llm_headers
     model/torch/synthetic-classification-task.h
     model/torch/torch-compute-engine.h
     model/torch/torch-training-graph-builder.h
     model/torch/torch-round-recorder.h
     helper/collapipe-torch-helper.h
)
list(APPEND edge_llm_test_sources
     test/torch-engine-test-suite.cc
     test/torch-pipeline-test-suite.cc
     test/collapipe-torch-helper-test-suite.cc
)
list(APPEND edge_llm_external_libraries ${TORCH_LIBRARIES})
